"""Replaces personal data in a practitioner's message with [TYPE] placeholders.

`Redactor().redact(text)` is what every stored text goes through: the query
log, the tracker store, exports. Fixed-shape data (phones, postcodes, emails,
NHS and NI numbers, handles, dates, addresses) is found by bot.privacy.patterns,
names by bot.privacy.name_finder.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import FrozenSet, List, Tuple

from bot import settings
from bot.privacy import addresses, patterns
from bot.privacy.field_words import FieldWords, field_words
from bot.privacy.name_finder import NameFinder

Span = Tuple[int, int, str]
# When spans overlap, the more specific type names the merged placeholder.
# An address beats a date inside it ("2nd floor, 61 High Street").
PRIORITY = ["EMAIL", "HANDLE", "PHONE", "NHS_NUMBER", "NI_NUMBER", "POSTCODE", "ADDRESS", "DATE", "NAME"]
MAX_INPUT = 20_000


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Text that can be stored anywhere: no lone surrogates (invalid UTF-8) and no control characters."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub(" ", text)


# What can come between a flat and its street: "flat 3 above the bookies on Northgate"
_FLAT_DESCRIBED = re.compile(r"(?i) ?(?:(?:above|over|behind|beside|next to|opposite) )?(?:the|a) "
                             r"[\w'’&-]+(?: [\w'’&-]+)? (?:(?:on|in|off|at) )?|,? (?:on|in|off) ")
_UNIT_START = re.compile(rf"(?i)(?:{addresses.UNIT_WORDS}|no|number)\b")


def _joined(text: str, left: Span, right: Span) -> bool:
    """Parts of one address ("Flat 3, Clarence House, 14 Derby Street") or of one name ("Mary-Jane Smith")."""
    gap = text[left[1]:right[0]]
    if left[2] == right[2] == "ADDRESS":
        if len(gap) < 60 and _UNIT_START.match(text, left[0]) and _FLAT_DESCRIBED.fullmatch(gap):
            return True
        return gap.strip(" ,").lower() in ("", "rear of", "back of", "outside", "opposite")
    return left[2] == right[2] == "NAME" and gap in ("", "-", "'", "’", " ")


def merge(spans: List[Span], text: str = "") -> List[Span]:
    """Overlapping spans become one, typed by the most specific; then parts of one address or name join."""
    merged: List[Span] = []
    for start, end, kind in sorted(spans):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_kind = merged[-1]
            merged[-1] = (last_start, max(end, last_end), min(last_kind, kind, key=PRIORITY.index))
        else:
            merged.append((start, end, kind))
    joined: List[Span] = []
    for span in merged:
        if joined and _joined(text, joined[-1], span):
            joined[-1] = (joined[-1][0], span[1], span[2])
        else:
            joined.append(span)
    return joined


# A training class code after "class" ("join class K7P2QX"): six letters and digits, at least one of
# each, so no name can pass for one. Codes are not personal data, and the board needs to read them.
_CLASS_CODE = re.compile(r"\bclass(?:\s+code)?[\s:]*(?P<code>(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{6})\b",
                         re.IGNORECASE)


def _class_codes(text: str) -> List[Tuple[int, int]]:
    return [match.span("code") for match in _CLASS_CODE.finditer(text)]


def _inside(span: Span, areas: List[Tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in areas)


# A nickname or short name in brackets straight after a name: "Mohammed Ali Hussain (Mo)", "Beth Morgan (Bethan)"
_BRACKETED_NAME = re.compile(r"\s*\((?P<name>[A-Z][a-z'-]{1,15}(?:\s[A-Z][a-z'-]{1,15})?)\)")


def _names_in_brackets_after_names(text: str, spans: List[Span], field: FieldWords) -> List[Span]:
    from bot.privacy.vocabulary import common_words

    words = common_words()
    found = []
    for _, end, kind in spans:
        match = _BRACKETED_NAME.match(text, end) if kind == "NAME" else None
        # short words in brackets after a name are nicknames ("Mo", "Kim", "Jo"), unless function words
        if match and not all(_ordinary(word, words) for word in match.group("name").split()) \
                and match.group("name").lower() not in field:
            found.append((match.start("name"), match.end("name"), "NAME"))
    return found


def _ordinary(word: str, words: object) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS

    lower = word.lower()
    return lower in STOP_WORDS or (len(lower) > 3 and lower in words)  # type: ignore[operator]


# Place names typed straight after an address with no comma, "67 lumb lane bradford", "63 Stanley Road
# Bootle": read as one address. A town after a comma ("4 Elm Road, Wigan") is kept, as the board needs it.
_PLACE_AFTER = re.compile(r"(?P<gap>[ \t]+)(?P<place>[^\W\d_][\w'’-]*(?:[ \t][^\W\d_][\w'’-]*){0,2})")


def _place_after(text: str, end: int, places: FrozenSet[str]) -> int:
    """The end of the place names right after an address that ends at `end` (`end` itself if none)."""
    for _ in range(3):
        match = _PLACE_AFTER.match(text, end)
        if not match:
            break
        words = match.group("place").split()
        length = next((n for n in range(len(words), 0, -1) if " ".join(words[:n]).lower() in places), 0)
        if not length:
            break
        end = match.start("place") + len(" ".join(words[:length]))
        if text[match.start("place"):end] != " ".join(words[:length]):
            break  # words separated by a tab or two spaces: leave them
    return end


def _with_places_after_addresses(spans: List[Span], text: str, places: FrozenSet[str]) -> List[Span]:
    return [(start, _place_after(text, end, places), kind) if kind == "ADDRESS" else (start, end, kind)
            for start, end, kind in spans]


class Redactor:
    def __init__(self, model_path: Path | None = None, field: FieldWords | None = None) -> None:
        """`field`: the ordinary words kept (default: the field's; make bench compares with none)."""
        path = model_path or Path(settings.REDACTION_MODEL.get())
        if not (path / "meta.json").exists():
            raise FileNotFoundError(f"Redaction model {path} is missing: run `make install`.")
        self.field = field_words() if field is None else field
        self.names = NameFinder(path, self.field)

    def spans(self, text: str) -> List[Span]:
        found = list(patterns.find(text)) + self.names.find(text)
        codes = _class_codes(text)
        kept = [span for span in found if span[0] < span[1] and not _inside(span, codes)]
        # after merging, so a service that starts a longer address goes with it ("St Giles, 14 Benhill Avenue")
        merged = [span for span in merge(kept, text) if not self._service_not_street(text, span)]
        merged = _with_places_after_addresses(merged, text, self.field.places)
        return merge(merged + list(_names_in_brackets_after_names(text, merged, self.field)), text)

    def _service_not_street(self, text: str, span: Span) -> bool:
        """ "Staying Close", "Turning Point", "in staying close": a service named like a street, with no number."""
        part = text[span[0]:span[1]]
        return span[2] == "ADDRESS" and not any(ch.isdigit() for ch in part) and \
            re.sub(r"(?i)^the\s+", "", " ".join(part.split())).lower() in self.field.vocabulary

    def redact(self, text: str) -> str:
        text = clean(text[:MAX_INPUT])
        pieces, position = [], 0
        for start, end, kind in self.spans(text):
            pieces.append(text[position:start])
            pieces.append(f"[{kind}]")
            position = end
        pieces.append(text[position:])
        return "".join(pieces)


@functools.lru_cache(maxsize=1)
def default_redactor() -> Redactor:
    return Redactor()


def redact(text: str) -> str:
    return default_redactor().redact(text)
