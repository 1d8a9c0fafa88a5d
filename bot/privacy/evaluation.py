"""Measures the redactor on the hand-written evaluation set: recall per type, ordinary words kept."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from bot.privacy.redactor import Redactor

REDACTION_TESTS = Path(__file__).resolve().parents[2] / "tests" / "redaction"
# Each set was written by hand, separately, without sight of the redactor's code.
# Never used while building the redactor: the targets are judged here.
EVAL_SET = REDACTION_TESTS / "eval_messages.jsonl"
# The previous held-out sets: each measured three times, then retired and used for error analysis.
RETIRED_SET = REDACTION_TESTS / "retired_eval_messages.jsonl"
RETIRED2_SET = REDACTION_TESTS / "retired2_eval_messages.jsonl"
# Measured blind once, then used for error analysis.
TUNING_SET = REDACTION_TESTS / "tuning_messages.jsonl"
# Used for error analysis from the start.
DEV_SET = REDACTION_TESTS / "dev_messages.jsonl"
DEV2_SET = REDACTION_TESTS / "dev2_messages.jsonl"
DEV3_SET = REDACTION_TESTS / "dev3_messages.jsonl"
DEV4_SET = REDACTION_TESTS / "dev4_messages.jsonl"
DEV5_SET = REDACTION_TESTS / "dev5_messages.jsonl"
TARGET_RECALL = 0.98
TARGET_KEPT = 0.95
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

    def recall(self) -> Dict[str, float]:
        return {kind: self.found[kind] / self.total[kind] for kind in sorted(self.total)}

    def kept(self) -> float:
        return self.words_kept / self.words_total if self.words_total else 1.0

    def meets_targets(self) -> bool:
        return all(r >= TARGET_RECALL for r in self.recall().values()) and self.kept() >= TARGET_KEPT


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
                if all(any(s <= i < e for s, e, _ in spans) for i in range(start, start + length)
                       if text[i].isalnum()):
                    scores.found[pii["type"]] += 1
                else:
                    scores.misses.append(f"{pii['type']}: {pii['text']!r} in {text!r}")
        for word in WORD.finditer(text):
            if any(i in pii_chars for i in range(word.start(), word.end())):
                continue
            scores.words_total += 1
            if any(s <= word.start() < e for s, e, _ in spans):
                scores.over_redacted.append(f"{word.group(0)!r} in {text!r}")
            else:
                scores.words_kept += 1
    return scores


def print_scores(scores: Scores) -> None:
    print(f"{'type':12} {'recall':>7} {'found':>6} {'total':>6}")
    for kind, recall in scores.recall().items():
        flag = "" if recall >= TARGET_RECALL else "  < target"
        print(f"{kind:12} {recall:7.3f} {scores.found[kind]:6d} {scores.total[kind]:6d}{flag}")
    flag = "" if scores.kept() >= TARGET_KEPT else "  < target"
    print(f"ordinary words kept {scores.kept():.3f} ({scores.words_kept}/{scores.words_total}){flag}")
