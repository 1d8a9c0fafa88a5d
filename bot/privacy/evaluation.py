"""Measures the redactor on the hand-written evaluation set: recall per type, ordinary words kept."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence

from bot.privacy.redactor import Redactor

REDACTION_TESTS = Path(__file__).resolve().parents[2] / "tests" / "redaction"


@dataclass(frozen=True)
class TestSet:
    name: str
    path: Path
    held_out: bool = False
    judged: bool = False  # the held-out set the targets are judged on


# Each set was written by hand, separately, without sight of the redactor's code. A held-out set is never
# used while building the redactor, and its misses are never shown; the targets are judged on the newest.
EVAL_SET = REDACTION_TESTS / "cue_heldout2_messages.jsonl"
TEST_SETS = (
    TestSet("Held-out set, rich in the field's words, after cues or looking like names", EVAL_SET,
            held_out=True, judged=True),
    # The previous held-out set: measured twice, its misses never read.
    TestSet("Previous held-out set, rich in words that follow cues or look like names",
            REDACTION_TESTS / "cue_heldout_messages.jsonl", held_out=True),
    TestSet("Development set, rich in words that follow cues or look like names",
            REDACTION_TESTS / "cue_dev_messages.jsonl"),
    # The earlier held-out sets: each measured three or four times, then retired and used to find errors.
    TestSet("Third retired held-out set", REDACTION_TESTS / "eval_messages.jsonl"),
    TestSet("Second retired held-out set", REDACTION_TESTS / "retired2_eval_messages.jsonl"),
    TestSet("First retired held-out set", REDACTION_TESTS / "retired_eval_messages.jsonl"),
    TestSet("Tuning set", REDACTION_TESTS / "tuning_messages.jsonl"),
    TestSet("Development set", REDACTION_TESTS / "dev_messages.jsonl"),
    TestSet("Second development set", REDACTION_TESTS / "dev2_messages.jsonl"),
    TestSet("Third development set", REDACTION_TESTS / "dev3_messages.jsonl"),
    TestSet("Fourth development set", REDACTION_TESTS / "dev4_messages.jsonl"),
    TestSet("Fifth development set", REDACTION_TESTS / "dev5_messages.jsonl"),
)
TARGET_RECALL = 0.98
TARGET_KEPT = 0.985
TARGET_VOCABULARY_KEPT = 0.99
# The kinds of listed words ("keep") that are the field's vocabulary: conditions, disabilities, services
# and legal statuses. The other kinds are clothing, groups, places, nationalities and words like names.
VOCABULARY_KINDS = ("condition", "service", "legal")
WORD = re.compile(r"\w+")
# The redaction spec keeps towns, so the towns written after an address, each after a comma, are not
# scored; nor are the article before an address ("the Grange") or the article or weekday around a
# date ("the 3rd", "Sat 14th"); nor punctuation. Every other letter and digit of an item must be covered.
# The scorer keeps its own word lists, apart from the redactor's.
_STREET_WORDS = re.compile(
    r"\b(?:road|rd|street|st|lane|ln|avenue|ave|close|cl|drive|dr|way|crescent|cres|grove|gr|place|pl|court|ct|"
    r"gardens|gdns|terrace|terr|walk|hill|park|square|sq|mews|row|view|rise|green|vale|parade|pde|bank|cottages|"
    r"house|lodge|tower|heights|mansions|villas|buildings|dene|garth|loke|wynd|quay|wharf|circus|circle|passage|"
    r"basin|field|fields|chase|end|yard|fold|brow|croft|estate|farm|grange|orchard|paddock|spinney|holt|gate|"
    r"approach|boulevard|embankment|meadow|meadows|mount|nook|side|top|moor|heath|marsh|common|leys|drove|"
    r"gait|brae|loan|causeway|precinct|arcade|plaza|piazza|point|flats|block|"
    r"heol|ffordd|stryd|lôn|lon|maes|cilgant|clos|rhodfa|bóthar|bothar|sráid|sraid|ascaill|rathad|sràid)\b",
    re.IGNORECASE,
)
# A house number and a word: "3 bishopsgate", "12 Eastgate"
_NUMBERED = re.compile(r"\d+[a-z]?\s+[^\W\d_]", re.IGNORECASE)
_UNITS = re.compile(r"^(?:flat|apartment|apt|unit|room|block|number|no)\b", re.IGNORECASE)


def _town(part: str) -> bool:
    """One to three words with no digit, no street word and no flat: "Wythenshawe", "Thornhill Lees"."""
    words = part.split()
    return (0 < len(words) <= 3 and not any(ch.isdigit() for ch in part) and not _STREET_WORDS.search(part)
            and not _UNITS.match(part.strip()))


def _street(part: str) -> bool:
    return bool(_STREET_WORDS.search(part) or _NUMBERED.search(part))


def _address_part(text: str) -> tuple:
    """An address without its article and without the towns after its last street part."""
    start = len(text) - len(re.sub(r"^the\s+", "", text, flags=re.IGNORECASE))
    end = len(text)
    while (comma := text.rfind(",", start, end)) > start and _town(text[comma + 1:end]) and \
            _street(text[start:comma]):
        end = comma
    return start, end - start


_DATE_PREFIX = re.compile(r"^(?:(?:on\s+)?the\s+|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\w*\.?\s+(?:the\s+)?)",
                          re.IGNORECASE)


def scored_part(kind: str, text: str) -> tuple:
    """(offset, length) of the part of an annotated item that must be redacted."""
    if kind == "ADDRESS":
        return _address_part(text)
    if kind == "DATE":
        prefix = _DATE_PREFIX.match(text)
        return (prefix.end(), len(text) - prefix.end()) if prefix else (0, len(text))
    return 0, len(text)


@dataclass
class Scores:
    found: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    words_kept: int = 0
    words_total: int = 0
    misses: List[str] = field(default_factory=list)
    over_redacted: List[str] = field(default_factory=list)
    # the words a set lists as ordinary ("keep"), by kind
    listed_kept: Counter = field(default_factory=Counter)
    listed_total: Counter = field(default_factory=Counter)
    words_lost: Counter = field(default_factory=Counter)

    def recall(self) -> Dict[str, float]:
        return {kind: self.found[kind] / self.total[kind] for kind in sorted(self.total)}

    def kept(self) -> float:
        return self.words_kept / self.words_total if self.words_total else 1.0

    def listed(self, kinds: Sequence[str] | None = None) -> float | None:
        kinds = list(self.listed_total) if kinds is None else kinds
        total = sum(self.listed_total[kind] for kind in kinds)
        return sum(self.listed_kept[kind] for kind in kinds) / total if total else None

    def meets_targets(self) -> bool:
        vocabulary = self.listed(VOCABULARY_KINDS)
        return (all(r >= TARGET_RECALL for r in self.recall().values()) and self.kept() >= TARGET_KEPT
                and (vocabulary is None or vocabulary >= TARGET_VOCABULARY_KEPT))


def _covered(spans: Sequence[tuple], start: int, end: int) -> bool:
    """Every letter and digit of text[start:end] is inside a redacted span (the text is not needed)."""
    return all(any(s <= i < e for s, e, _ in spans) for i in range(start, end))


def _touched(spans: Sequence[tuple], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _ in spans)


def evaluate(redactor: Redactor, path: Path = EVAL_SET) -> Scores:
    scores = Scores()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        text, spans = item["text"], redactor.spans(item["text"])
        pii_chars = set()
        for pii in item["pii"]:
            offset, length = scored_part(pii["type"], pii["text"])
            for match in re.finditer(re.escape(pii["text"]), text):
                pii_chars.update(range(match.start(), match.end()))
                scores.total[pii["type"]] += 1
                start = match.start() + offset
                # letters and digits must be covered; a comma or hyphen between parts leaks nothing
                if all(_covered(spans, i, i + 1) for i in range(start, start + length) if text[i].isalnum()):
                    scores.found[pii["type"]] += 1
                else:
                    scores.misses.append(f"{pii['type']}: {pii['text']!r} in {text!r}")
        for word in WORD.finditer(text):
            if any(i in pii_chars for i in range(word.start(), word.end())):
                continue
            scores.words_total += 1
            if any(s <= word.start() < e for s, e, _ in spans):
                scores.over_redacted.append(f"{word.group(0)!r} in {text!r}")
                scores.words_lost[word.group(0).lower()] += 1
            else:
                scores.words_kept += 1
        for listed in item.get("keep", []):
            for match in re.finditer(re.escape(listed["text"]), text):
                scores.listed_total[listed["kind"]] += 1
                if not _touched(spans, match.start(), match.end()):
                    scores.listed_kept[listed["kind"]] += 1
    return scores


def print_scores(scores: Scores) -> None:
    print(f"{'type':12} {'recall':>7} {'found':>6} {'total':>6}")
    for kind, recall in scores.recall().items():
        flag = "" if recall >= TARGET_RECALL else "  < target"
        print(f"{kind:12} {recall:7.3f} {scores.found[kind]:6d} {scores.total[kind]:6d}{flag}")
    flag = "" if scores.kept() >= TARGET_KEPT else "  < target"
    print(f"ordinary words kept {scores.kept():.3f} ({scores.words_kept}/{scores.words_total}){flag}")
    if scores.listed_total:
        kinds = ", ".join(f"{kind} {scores.listed_kept[kind] / scores.listed_total[kind]:.3f}"
                          for kind in sorted(scores.listed_total))
        vocabulary = scores.listed(VOCABULARY_KINDS)
        flag = "" if vocabulary is None or vocabulary >= TARGET_VOCABULARY_KEPT else "  < target"
        print(f"listed words kept {scores.listed():.3f}: {kinds}")
        if vocabulary is not None:
            print(f"conditions, services and legal statuses kept {vocabulary:.3f}{flag}")


def print_words_lost(scores: Scores, limit: int = 15) -> None:
    if scores.words_lost:
        lost = ", ".join(f"{word} ({count})" for word, count in scores.words_lost.most_common(limit))
        print(f"ordinary words most often lost: {lost}")
