"""Regular expressions for personal data with a fixed shape (UK formats).

Each pattern finds candidate spans; bot.privacy.redactor merges them with the
name finder's spans and replaces them with [TYPE] placeholders.
"""
from __future__ import annotations

import re
from typing import Dict, Iterator, List, Pattern, Tuple

from bot.privacy import addresses

Span = Tuple[int, int, str]

# National numbers that are advice, not personal data.
NATIONAL_NUMBERS = {"999", "101", "111", "116000", "116123", "08001111", "08088005000"}

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# The UK's postcode areas, so that "Y11" or "PC2" is not taken for the first half of a postcode
_POSTCODE_AREAS = (
    "AB|AL|B|BA|BB|BD|BH|BL|BN|BR|BS|BT|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DH|DL|DN|DT|DY|E|EC|EH|EN|EX|FK|"
    "FY|G|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|KA|KT|KW|KY|L|LA|LD|LE|LL|LN|LS|LU|M|ME|MK|ML|N|NE|NG|"
    "NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|RM|S|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|"
    "TS|TW|UB|W|WA|WC|WD|WF|WN|WR|WS|WV|YO|ZE"
)

PATTERNS: Dict[str, List[Pattern[str]]] = {
    "EMAIL": [re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b")],
    "NHS_NUMBER": [
        re.compile(r"(?<![\d+])\d{3}[ .-]?\d{3}[ .-]?\d{4}(?![\d])"),
    ],
    "NI_NUMBER": [
        re.compile(r"\b[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D]\b", re.IGNORECASE),
    ],
    "PHONE": [
        # +44 / 0044 / 0, then the rest of a UK number in any grouping; the digit count is checked in find()
        re.compile(r"(?<![\w+])(?:(?:\+|00)44[\s-]?(?:\(0\)[\s-]?)?|\(0(?=\d{2,4}\))|0)\d(?:[\s\-)]{0,2}\d){8,10}(?!\d)"),
    ],
    "POSTCODE": [
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
        # the first half alone, after a comma and a town: "9 Bank Top, Bolton BL2"
        re.compile(rf",\s+(?!(?i:{addresses.UNIT_WORDS})\b)[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?\s+"
                   rf"(?P<value>(?:{_POSTCODE_AREAS})\d[A-Z\d]?)\b"
                   r"(?!\s*\d[A-Z]{2})"),
    ],
    "HANDLE": [
        re.compile(r"(?<![\w.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}\b"),
        # a username-shaped word: underscores, or dots with digits ("kd_from_manny", "savv.07")
        re.compile(r"(?<![\w@.])(?=[\w.]*[A-Za-z])(?=[\w.]*(?:_|\.\w*\d|\d\w*\.\w))"
                   r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+){0,4}(?![\w@]|\.\w)"),
        # a dotted lower-case username ("skeng.money", "h.sully"), not a web address
        re.compile(r"(?<![\w@.])[a-z0-9_]+(?:\.[a-z0-9_]+)+(?![\w@]|\.\w)(?<!\.com)(?<!\.uk)(?<!\.org)(?<!\.net)"),
        # a Discord name with its tag: "mikeyyy#0420"
        re.compile(r"(?<![\w#])[\w.]{2,32}#\d{4}\b"),
        # "snap: chloe.x22" - only the username after the platform is personal
        re.compile(
            r"\b(?:snap|snapchat|insta|instagram|tiktok|twitter|fb|facebook|telegram|discord|kik|twitch|youtube|"
            r"threads|bereal|roblox|xbox|psn|steam|signal|wickr)\b"
            r"(?:\s?(?:is|name|handle|id|username|user|account))?\s?[:=-]?\s?"
            r"(?P<value>[A-Za-z0-9_]*[0-9_.][A-Za-z0-9_.]*|[A-Za-z0-9_][A-Za-z0-9_.]{1,29}(?=\s*$|[,;)]))",
            re.IGNORECASE,
        ),
    ],
    "DATE": [
        re.compile(r"\b(?:[12]\d|3[01]|0?[1-9])[/.-](?:1[0-2]|0?[1-9])[/.-](?:\d{4}|\d{2})\b"),
        re.compile(r"\b(?:19|20)\d{2}([-/.])(?:1[0-2]|0?[1-9])\1(?:[12]\d|3[01]|0?[1-9])\b"),
        re.compile(rf"\b{_DAY}(?:\s+of)?\s+(?:{_MONTHS})\.?(?:,?\s+(?:19|20)\d{{2}})?\b", re.IGNORECASE),
        re.compile(rf"\b(?:{_MONTHS})\.?\s+{_DAY}(?:,?\s+(?:19|20)\d{{2}})?\b", re.IGNORECASE),
        re.compile(r"\b(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b", re.IGNORECASE),
        # a year of birth alone: "DOB 2011", "born in 2009"
        re.compile(r"\b(?:DOB|D\.O\.B\.?|date of birth|born(?:\s+in)?)[\s:-]*(?P<value>(?:19|20)\d{2})\b",
                   re.IGNORECASE),
        # a range of days: "12th - 15th March", "3 to 5 June"
        re.compile(rf"\b{_DAY}\s*(?:-|–|to)\s*{_DAY}(?:\s+of)?\s+(?:{_MONTHS})\b", re.IGNORECASE),
        # day/month without a year, but not "24/7"
        re.compile(r"\b(?!24/7\b)(?:[12]\d|3[01]|0?[1-9])/(?:1[0-2]|0?[1-9])\b(?![/.]\d)"),
    ],
}


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _is_national_number(text: str) -> bool:
    return _digits(text) in NATIONAL_NUMBERS


def _uk_phone_length(text: str) -> bool:
    digits = _digits(text)
    for prefix in ("00440", "0044", "440", "44"):
        if digits.startswith(prefix) and not text.lstrip().startswith("0" if prefix.startswith("4") else "+"):
            digits = "0" + digits[len(prefix):]
            break
    return 10 <= len(digits) <= 11


_PLATFORM_MENTION = re.compile(
    r"\b(?:snap|snapchat|insta|instagram|tiktok|twitter|fb|facebook|telegram|discord|kik|twitch|youtube|threads|"
    r"whatsapp|roblox|xbox|psn|ps5|playstation|gamertag|steam|username|user\s?name|handle|account|"
    r"social\s+media|online)\b",
    re.IGNORECASE,
)
# a username right before its platform: "yk07official on Instagram", "angelxkerr on insta"
_USERNAME_BEFORE_PLATFORM = re.compile(
    r"(?<![\w@.#])(?P<value>[A-Za-z0-9_.]{3,30})\s+on\s+(?:snap|snapchat|insta|instagram|tiktok|twitter|x|"
    r"facebook|fb|telegram|discord|kik|twitch|youtube|threads|roblox|xbox|psn|steam)\b",
    re.IGNORECASE,
)
# letters then digits, lower case, as usernames are: "calzzz99"
_DIGIT_ENDED_USERNAME = re.compile(r"(?<![\w@.#])[a-z][a-z._]{2,}\d{2,}(?![\w@]|\.\w)")
# capitalised words right before a personal-data label: "Rafael Costa NHS 805 888 7188", "Amy Lee - DOB ..."
_NAME_BEFORE_LABEL = re.compile(
    r"\b(?P<name>[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?){1,2})"
    r"(?=\s*(?:[,(:–—-]\s*)?(?:NHS|DOB|D\.O\.B|NI\s+(?:no|number|[A-Z]{2}\b)))"
)
# initials that stand for a person: "T.J.", "K.C."
_DOTTED_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,3}(?![\w.])")
# Dotted abbreviations that are not people
NOT_INITIALS = {"d.o.b", "n.b", "u.k", "a.m", "p.m", "i.e", "e.g", "n.h.s", "g.p", "a.k.a", "r.h.i", "u.s", "p.e",
                "r.e", "d.t", "i.t", "o.k", "d.v", "c.s.e", "c.c.e", "l.a", "s.w", "c.p", "e.d.t", "y.o.s", "y.o.t",
                "a.e", "c.i.c", "l.a.c", "m.a.s.h", "s.e.n", "s.e.n.d", "a.d.h.d", "p.r", "b.t.p", "p.c", "d.c",
                "d.s", "d.i", "t.v", "r.i.p", "v.s", "e.t.a", "a.s.a.p", "f.y.i", "p.s"}
# initials and a surname, with any title: "J. Patel", "T.J. Adeyemi", "Mrs P. Hunt"
_INITIAL_AND_SURNAME = re.compile(r"\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?(?:[A-Z]\.\s?){1,3}"
                                  r"(?P<surname>[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)\b")
# a single quoted word, as people quote usernames: his mate is "yungfizz"
_QUOTED_WORD = re.compile(r"[\"“'‘](?P<value>[A-Za-z0-9_.]{3,30})[\"”'’](?!\w)")

# Dotted words that are not usernames.
NOT_HANDLES = {"e.g", "i.e", "a.m", "p.m", "n.b", "d.o.b", "a.k.a", "v.s", "etc.", "u.k"}


def find(text: str) -> Iterator[Span]:
    """Every fixed-shape personal-data span as (start, end, type)."""
    for kind, patterns in PATTERNS.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                if kind in ("PHONE", "NHS_NUMBER") and _is_national_number(match.group(0)):
                    continue
                if kind == "PHONE" and not _uk_phone_length(match.group(0)):
                    continue
                if kind == "HANDLE" and match.group(0).lower() in NOT_HANDLES:
                    continue
                group = "value" if "value" in pattern.groupindex else 0
                yield match.start(group), match.end(group), kind
    if _PLATFORM_MENTION.search(text):
        yield from _quoted_usernames(text)
        for match in _DIGIT_ENDED_USERNAME.finditer(text):
            yield match.start(), match.end(), "HANDLE"
        yield from _usernames_before_platforms(text)
    yield from addresses.find(text)
    yield from _names_by_shape(text)


def _names_by_shape(text: str) -> Iterator[Span]:
    """Names given away by their shape or by the label after them, when not ordinary words."""
    from bot.privacy.vocabulary import common_words

    words = common_words()
    for match in _DOTTED_INITIALS.finditer(text):
        if match.group(0).lower().rstrip(".") not in NOT_INITIALS:
            yield match.start(), match.end(), "NAME"
    for match in _INITIAL_AND_SURNAME.finditer(text):
        if match.group("surname").lower() not in words:
            yield match.start(), match.end(), "NAME"
    for match in _NAME_BEFORE_LABEL.finditer(text):
        # "Patient Rafael Costa NHS": keep leading ordinary words
        parts = list(re.finditer(r"\S+", match.group("name")))
        first = next((part for part in parts[:-1] if part.group().lower() not in words), parts[-1])
        yield match.start() + first.start(), match.end(), "NAME"


def _usernames_before_platforms(text: str) -> Iterator[Span]:
    """ "yk07official on Instagram": a word before "on <platform>" that is neither ordinary nor a name."""
    from bot.privacy.vocabulary import common_words

    words = common_words()
    for match in _USERNAME_BEFORE_PLATFORM.finditer(text):
        value = match.group("value")
        if value.lower() not in words and not value.isdigit() and not value.istitle():
            yield match.start("value"), match.end("value"), "HANDLE"


def _quoted_usernames(text: str) -> Iterator[Span]:
    """Quoted single words that are not ordinary English, in a message about social media."""
    from bot.privacy.vocabulary import common_words

    words = common_words()
    for match in _QUOTED_WORD.finditer(text):
        value = match.group("value")
        if value.lower() not in words and any(ch.isalpha() for ch in value):
            yield match.start("value"), match.end("value"), "HANDLE"
