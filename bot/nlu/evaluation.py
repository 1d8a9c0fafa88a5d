"""How well the assistant understands practitioners: each labelled message's reply is right, clarifying,
a fallback or wrong, and a missing child must never get the found checklist (nor the reverse).

One definition, used by `python -m bot eval-understanding` (`make eval`) and the safety test:
- right: the reply answers the expected topic (a walkthrough started for that topic counts) and, for a
  message that names a situation the answer is tailored to, includes that situation's line;
- partly right: the expected topic, but without the line for the situation the message names;
- clarifying: "did you mean" or a quick question back;
- fell back: "Sorry, I'm not sure I understood";
- wrong: a confident answer to another topic.
A crossing is a message labelled "missing" answered with the found checklist, or labelled "found" answered
with the missing checklist (unless that checklist is what the message asks for).
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Sequence

from bot.content.topics import Catalogue
from bot.nlu.expected_leads import expected_lines, includes_any

CLARIFYING_ACTIONS = frozenset({"utter_clarify", "utter_ask_child_state"})
FALLBACK_ACTIONS = frozenset({"utter_default", "action_default_fallback"})
# Said before or around an answer, never the answer itself.
NOT_ANSWERS = frozenset({"utter_walkthrough_danger_first", "utter_feedback_thanks", "utter_feedback_sorry"})
WALKTHROUGH_TOPICS = {"missing_walkthrough_form": "child_missing", "found_walkthrough_form": "child_found"}
# The checklists that must never be crossed: what to do while a child is missing, and once found.
MISSING_ANSWERS = frozenset({"child_missing"})
FOUND_ANSWERS = frozenset({"child_found"})
OUTCOMES = ("right", "partly", "clarifying", "fell_back", "wrong")
# The sets' topic labels (tests/understanding/TOPICS.md) that name an intent differently.
TOPIC_ALIASES = {"uasc_trafficking": "unaccompanied_trafficked", "hospital_missing": "left_hospital",
                 "care_leaver": "care_leaver_missing", "start_quiz": "quiz_intro"}


@dataclass(frozen=True)
class Labelled:
    text: str
    topic: str
    state: str = "unclear"
    role: str | None = None
    care_status: str | None = None
    concerns: tuple = ()


@dataclass(frozen=True)
class Reply:
    """What the assistant did with one message: the actions it ran, in order."""

    actions: tuple
    text: str = ""  # what the assistant said, every message joined

    @property
    def answered(self) -> str | None:
        for action in self.actions:
            if action in WALKTHROUGH_TOPICS:
                return WALKTHROUGH_TOPICS[action]
            if action.startswith("utter_") and not action.startswith("utter_ask_") and action not in (
                    CLARIFYING_ACTIONS | FALLBACK_ACTIONS | NOT_ANSWERS):
                return action.removeprefix("utter_")
        return None


@dataclass
class Scores:
    outcomes: Counter = field(default_factory=Counter)
    crossings: List[str] = field(default_factory=list)
    # "expected -> answered: text", or "expected without the line for ...: text"; development sets only
    wrong: List[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    def rate(self, outcome: str) -> float:
        return self.outcomes[outcome] / self.total if self.total else 0.0


def load(path: Path) -> List[Labelled]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            items.append(Labelled(data["text"], data["topic"], data.get("state") or "unclear", data.get("role"),
                                  data.get("care_status"), tuple(data.get("concerns") or ())))
    return items


def outcome(item: Labelled, reply: Reply, aliases: Dict[str, str] | None = None,
            catalogue: Catalogue | None = None) -> str:
    """With a catalogue, a tailored answer must include the line for the situation the message names."""
    actions = set(reply.actions)
    answered = reply.answered
    expected = (TOPIC_ALIASES if aliases is None else aliases).get(item.topic, item.topic)
    if answered == expected:
        if catalogue is None or actions & set(WALKTHROUGH_TOPICS):  # a walkthrough asks for the situation
            return "right"
        lines = expected_lines(catalogue, expected, item.care_status, item.role, item.concerns)
        return "right" if includes_any(reply.text, lines) else "partly"
    if actions & CLARIFYING_ACTIONS:
        return "clarifying"
    if answered is None and actions & FALLBACK_ACTIONS:
        return "fell_back"
    if expected == "out_of_scope" and answered is None:
        return "right"
    return "wrong"


def crossed(item: Labelled, reply: Reply) -> bool:
    answered = reply.answered
    if answered == TOPIC_ALIASES.get(item.topic, item.topic):
        return False  # e.g. "still missing, but when she's back what do I do": the found answer was asked for
    if item.state == "missing":
        return answered in FOUND_ANSWERS
    if item.state == "found":
        return answered in MISSING_ANSWERS
    return False


def score(items: Sequence[Labelled], replies: Iterable[Reply], aliases: Dict[str, str] | None = None,
          catalogue: Catalogue | None = None) -> Scores:
    scores = Scores()
    for item, reply in zip(items, replies, strict=True):
        result = outcome(item, reply, aliases, catalogue)
        scores.outcomes[result] += 1
        if result == "wrong":
            scores.wrong.append(f"{item.topic} -> {reply.answered}: {item.text}")
        if result == "partly":
            scores.wrong.append(f"{item.topic} without the line for {_situation(item)}: {item.text}")
        if crossed(item, reply):
            scores.crossings.append(f"{item.state} -> {reply.answered}: {item.text}")
    return scores


def _situation(item: Labelled) -> str:
    return ", ".join(str(value) for value in (item.role, item.care_status, *item.concerns) if value)


def render(name: str, scores: Scores) -> str:
    rates = ", ".join(f"{outcome} {scores.rate(outcome):.3f}" for outcome in OUTCOMES)
    return f"{name}: {scores.total} messages: {rates}; missing/found crossings {len(scores.crossings)}"


async def replies(model: Path, texts: Sequence[str]) -> List[Reply]:
    """What the trained model does with each text, each in a conversation of its own (no action server)."""
    from rasa.core.agent import load_agent
    from rasa.shared.core.events import ActionExecuted, BotUttered
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # custom actions have no server here: their errors are expected, and so is the debug chatter
    configure_logging_and_warnings(logging.CRITICAL)
    configure_structlog(logging.CRITICAL)
    agent = await load_agent(model_path=str(model))
    found = []
    for number, text in enumerate(texts):
        sender = f"evaluation-{number}"
        await agent.handle_text(text, sender_id=sender)
        tracker = await agent.tracker_store.retrieve(sender)
        actions = tuple(event.action_name for event in tracker.events if isinstance(event, ActionExecuted)
                        and event.action_name not in ("action_listen", "action_session_start"))
        said = "\n".join(event.text or "" for event in tracker.events if isinstance(event, BotUttered))
        found.append(Reply(actions, said))
    return found
