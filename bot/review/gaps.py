"""The questions the assistant could not answer, grouped by similarity, and their export as Rasa NLU YAML.

A question is a gap if it was typed and fell back, its answer was marked not helpful, or it was likely
misunderstood: the practitioner typed again within a minute of the answer, or refused the "did you mean"
suggestions (bot.querylog.queries.unanswered; button presses and walkthrough replies that worked are left
out). Each question keeps why it is listed (Question.reasons). Groups come from TF-IDF vectors
of the redacted text (placeholders such as [NAME] are left out of the vectors) and average-linkage
clustering on cosine distance, cut at a fixed distance: no randomness, and the same questions always
give the same groups, biggest first.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, Iterable, List, Sequence, Tuple

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_distances
from sqlalchemy.engine import Engine

from bot.querylog import queries
from bot.querylog.records import CHOSEN, REFUSED
from bot.review.filters import Filter

MAX_QUESTIONS = 2000  # the most recent gaps in the filter are grouped; the page says when there were more
LINKAGE = "average"  # mean distance between two groups decides whether they merge
DISTANCE_THRESHOLD = 0.8  # average cosine distance at which the clustering stops merging
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*\]")
INTENT_PLACEHOLDER = "gap_RENAME_ME"
QUESTION_COLUMNS = ("id", "created_at", "text", "fell_back", "helpful", "topic", "sender", "intent",
                    "runner_up_intent", "did_you_mean", "chosen_topic", "rephrased")  # Question's fields
# Why a question is listed (Question.reasons), in the order the page names them.
NOT_UNDERSTOOD = "not_understood"  # fell back, and the practitioner did nothing with the suggestions
REFUSED_SUGGESTIONS = "refused"  # fell back, and "None of these" of the suggestions
CHOSE_SUGGESTION = "chose"  # fell back, then chose one of the suggested topics
REPHRASED = "rephrased"  # answered, then typed again within a minute: likely answered the wrong question
NOT_HELPFUL = "not_helpful"  # answered, and the answer was marked not helpful
REASONS = (NOT_UNDERSTOOD, REFUSED_SUGGESTIONS, CHOSE_SUGGESTION, REPHRASED, NOT_HELPFUL)
# Function words, and words every question here shares: they say nothing about which guidance is missing.
# (scikit-learn's English list is not used: it drops words that matter here, such as "found", "call", "out".)
STOP_WORDS = frozenset("""
a about after again all also am an and any are as at be been before being both but by can could did do does
doing done don't for from get got had has have having he her here hers him his how i i'd i'll i'm i've if in
into is isn't it it's its just me might more most must my no nor not now of off on once only or other our ours
own same shall she should so some such than that that's the their theirs them then there there's these they
this those through to too under until up us very was we were what what's when where which while who whom whose
why will with would yes you your yours
child children child's young person people missing hi hello ok okay please thanks thank know need want tell
""".split())
_TOKEN = re.compile(r"[a-z][a-z']+")


@dataclass(frozen=True)
class Question:
    id: int
    created_at: datetime
    text: str  # redacted, as logged
    fell_back: bool
    helpful: bool | None
    topic: str | None
    sender: str  # pseudonym; counted, never shown
    intent: str | None = None  # the classifier's top intent (also when it fell back) and runner-up
    runner_up_intent: str | None = None
    did_you_mean: str | None = None  # "chosen" / "refused"
    chosen_topic: str | None = None
    rephrased: bool | None = None

    @property
    def reasons(self) -> Tuple[str, ...]:
        """Why the question is listed, one or more of REASONS."""
        found = []
        if self.fell_back:
            found.append({REFUSED: REFUSED_SUGGESTIONS, CHOSEN: CHOSE_SUGGESTION}.get(self.did_you_mean or "",
                                                                                      NOT_UNDERSTOOD))
        elif self.rephrased:
            found.append(REPHRASED)
        if self.helpful is False:
            found.append(NOT_HELPFUL)
        return tuple(found)


@dataclass(frozen=True)
class Group:
    key: str  # stable for the same questions: names the group in export links
    terms: Tuple[str, ...]  # the words that most set the group apart
    example: Question  # the question nearest the group's centre
    questions: Tuple[Question, ...]  # newest first

    @property
    def size(self) -> int:
        return len(self.questions)

    @property
    def senders(self) -> int:
        return len({question.sender for question in self.questions})


@dataclass(frozen=True)
class Gaps:
    groups: List[Group]  # two or more questions each, biggest first
    ungrouped: List[Question]  # newest first
    total: int
    capped: bool = False  # more gaps in the filter than MAX_QUESTIONS: only the newest were grouped

    @property
    def reasons(self) -> Dict[str, int]:
        """How many of the questions are listed for each reason, in the order of REASONS (a question can have two)."""
        counted = Counter(reason for question in self.questions() for reason in question.reasons)
        return {reason: counted[reason] for reason in REASONS if counted[reason]}

    def questions(self) -> List[Question]:
        return [question for group in self.groups for question in group.questions] + list(self.ungrouped)

    def group(self, key: str) -> Group | None:
        return next((group for group in self.groups if group.key == key), None)


def load(engine: Engine, used: Filter, limit: int = MAX_QUESTIONS) -> Tuple[List[Question], bool]:
    """The newest `limit` gaps in the filter, and whether there were more."""
    with engine.connect() as connection:
        rows = queries.newest(connection, used.rows(unanswered=True), QUESTION_COLUMNS, limit + 1)
    questions = [Question(*row) for row in rows[:limit]]
    return questions, len(rows) > limit


def find(engine: Engine, used: Filter) -> Gaps:
    questions, capped = load(engine, used)
    gaps = cluster(questions)
    return Gaps(gaps.groups, gaps.ungrouped, gaps.total, capped)


def cluster(questions: Sequence[Question], threshold: float = DISTANCE_THRESHOLD) -> Gaps:
    """Groups of similar questions, biggest first; questions like no other are left ungrouped."""
    ordered = sorted(questions, key=lambda question: (_words(question.text), question.id))
    words = [_words(question.text) for question in ordered]
    usable = [index for index, text in enumerate(words) if text]
    groups: List[Group] = []
    grouped: set = set()
    if len(usable) >= 2:
        vectorizer = TfidfVectorizer(analyzer=_analyse, sublinear_tf=True)
        try:
            vectors = vectorizer.fit_transform([words[index] for index in usable])
        except ValueError:  # no word left in any question
            vectors = None
        if vectors is not None:
            labels = _labels(vectors, threshold)
            surface = _surface_forms(words[index] for index in usable)
            terms = np.array([" ".join(surface.get(word, word) for word in term.split())
                              for term in vectorizer.get_feature_names_out()])
            for label in sorted(set(labels)):
                positions = np.flatnonzero(labels == label)
                if len(positions) < 2:
                    continue
                members = [usable[position] for position in positions]
                groups.append(_group([ordered[member] for member in members], vectors[positions], terms))
                grouped.update(members)
    groups.sort(key=lambda group: (-group.size, -group.senders, group.terms, group.key))
    ungrouped = [question for index, question in enumerate(ordered) if index not in grouped]
    return Gaps(groups, _newest_first(ungrouped), len(questions))


def nlu_snippet(group: Group, intent: str = INTENT_PLACEHOLDER, exported: datetime | None = None) -> str:
    """A Rasa 3 NLU training data file holding the group's questions as examples of a placeholder intent."""
    examples = _unique(nlu_example(question.text) for question in group.questions)
    header = [
        "# Questions practitioners asked that the assistant could not answer, from the review dashboard",
        f"# (group: {', '.join(group.terms) or 'similar questions'}; {group.size} questions"
        + (f"; exported {exported:%Y-%m-%d %H:%M} UTC" if exported else "") + ").",
        f"# Rename the intent {intent}, check every example (they are redacted: [NAME] and the like stand",
        "# for personal details), then move them into data/nlu/.",
    ]
    body = ['version: "3.1"', "nlu:", f"- intent: {intent}", "  examples: |"]
    body += [f"    - {example}" for example in examples]
    return "\n".join(header + body) + "\n"


def nlu_example(text: str) -> str:
    """One line of text Rasa reads back as it is: no line breaks or characters YAML forbids, and no
    `](`, `]{` or `][` that Rasa would take for an entity annotation (a space is put between)."""
    cleaned = "".join(char if _printable(char) else " " for char in text)
    cleaned = " ".join(cleaned.split())
    return re.sub(r"\](?=[({\[])", "] ", cleaned)


def _printable(char: str) -> bool:
    code = ord(char)
    if code in (0x85, 0x2028, 0x2029, 0xFEFF):  # line breaks to YAML, and the byte order mark
        return False
    return 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


def _unique(examples: Iterable[str]) -> List[str]:
    seen, unique = set(), []
    for example in examples:
        if example and example.lower() not in seen:
            seen.add(example.lower())
            unique.append(example)
    return unique


def _words(text: str) -> str:
    """The text as the clustering sees it: lower case, without placeholders."""
    return " ".join(_TOKEN.findall(PLACEHOLDER.sub(" ", text).lower()))


def _stem(word: str) -> str:
    """A light suffix folding, enough for "placements", "placement's", "trafficked" and "trafficking" to
    count as one word. Only for comparing: groups are labelled with the words as written."""
    word = word.removesuffix("'s").strip("'")
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def _surface_forms(texts: Iterable[str]) -> dict:
    """Each folded word's commonest spelling in the questions, for the groups' key words."""
    spellings: dict = {}
    for text in texts:
        for word in text.split():
            spellings.setdefault(_stem(word), Counter())[word] += 1
    return {stem: max(sorted(counts), key=counts.__getitem__) for stem, counts in spellings.items()}


def _analyse(text: str) -> List[str]:
    """Words (plurals folded) and pairs of neighbouring words, leaving out STOP_WORDS."""
    words = [None if word in STOP_WORDS else _stem(word) for word in text.split()]
    kept = [word for word in words if word and len(word) > 1]
    pairs = zip(words[:-1], words[1:], strict=True)
    return kept + [f"{first} {second}" for first, second in pairs if first and second]


def _labels(vectors: object, threshold: float) -> np.ndarray:
    distances = cosine_distances(vectors)
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    # a question with no usable word is as far from every other as can be
    empty = np.asarray(vectors.getnnz(axis=1) == 0)  # type: ignore[attr-defined]
    distances[empty, :] = 1.0
    distances[:, empty] = 1.0
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False), method=LINKAGE)
    return fcluster(tree, t=threshold, criterion="distance")


def _group(members: List[Question], rows: object, terms: np.ndarray) -> Group:
    weights = np.asarray(rows.mean(axis=0)).ravel()  # type: ignore[attr-defined]
    ranked = [terms[index] for index in sorted(range(len(terms)), key=lambda index: (-weights[index], terms[index]))
              if weights[index] > 0]
    centre = weights / (np.linalg.norm(weights) or 1.0)
    closeness = np.asarray(rows @ centre).ravel()  # type: ignore[operator]
    example = members[int(np.argmax(closeness))]  # first of the closest, in the sorted order
    key = hashlib.sha256(",".join(str(q.id) for q in sorted(members, key=lambda q: q.id)).encode()).hexdigest()
    return Group(key=key[:16], terms=_label(ranked), example=example, questions=tuple(_newest_first(members)))


def _label(ranked: List[str], size: int = 3) -> Tuple[str, ...]:
    chosen: List[str] = []
    for term in ranked:
        words = term.split()
        covered = {word for each in chosen for word in each.split()}
        if all(word in covered for word in words):
            continue
        if len(words) > 1:  # a phrase replaces the words of it already chosen
            chosen = [each for each in chosen if each not in words]
        chosen.append(term)
        if len(chosen) == size:
            break
    return tuple(chosen)


def _newest_first(questions: Iterable[Question]) -> List[Question]:
    return sorted(questions, key=lambda question: (question.created_at, question.id), reverse=True)
