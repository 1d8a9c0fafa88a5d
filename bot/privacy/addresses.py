"""Street addresses in practitioners' messages: house numbers, flats, house names and streets.

UK streets mostly end in a type word ("22 Larch Avenue"), but many do not ("14 Broadway",
"9 The Paddock", "3 Kirkgate"), Welsh, Irish and Gaelic streets put the type first ("Heol y Bont",
"Bóthar na Trá"), and people type them in lower case. So besides the type-word patterns, a house
number followed by words that are not ordinary English is an address when the words around it say
so ("at", "lives at", a comma and a town, a postcode). Towns are not addresses: they stay.
"""
from __future__ import annotations

import re
from typing import Container, Iterator, List, Pattern, Tuple

from spacy.lang.en.stop_words import STOP_WORDS

Span = Tuple[int, int, str]

# Capital and small letters of the Latin alphabets ("Bóthar", "Tŷ", "Łąka"), which [A-Z] and [a-z] miss.
UP = "[" + "".join(ch for ch in map(chr, range(0x41, 0x250)) if ch.isupper()) + "]"
LOW = "[" + "".join(ch for ch in map(chr, range(0x61, 0x250)) if ch.islower()) + "]"
# a capitalised word, hyphenated or with an apostrophe inside ("Heath-Lee", "O'Neill"), not a possessive
WORD = rf"{UP}{LOW}+(?:-{UP}?{LOW}+|['’]{UP}{LOW}+)?"
_ANY_WORD = r"[^\W\d_][\w'’-]*"
# Small words inside street names: "Heol y Bont", "Bóthar na Trá", "Stratford upon Avon Road"
_PARTICLE = r"(?:y|yr|na|an|am|a'|de|la|le|du|of|the|upon|on)"
# Streets whose type word comes first: Welsh, Irish and Scottish Gaelic
_TYPE_FIRST = r"heol|ffordd|stryd|lon|lôn|rhodfa|cilgant|bóthar|bothar|sráid|sraid|ascaill|rathad|sràid|céide|plás"
STREET_TYPES = (
    r"road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|crescent|cres|grove|place|pl|court|ct|"
    r"gardens|gdns|terrace|walk|hill|park|square|sq|mews|row|view|rise|green|vale|parade|boulevard|"
    r"estate|fields|meadow|meadows|wharf|quay|yard|gate|approach|croft|heights|chase|end|bank|cottages|"
    r"lanes|mount|brow|side|wood|fold|hey|nook|dale|dene|garth|loke|wynd|twitten|ginnel|circle|circus|passage|"
    r"basin|pavement|holt|ridings|glade|spinney|paddock|dell|knoll|crest|heath|moor|marsh|pastures|orchard|"
    r"grange|precinct|arcade|concourse|plaza|piazza|villas|mansions|point|drove|gait|snicket|dock|"
    r"chare|brae|loan|causeway|drift|leys|farm|cl|terr|ter|pk|pde|wlk|gr|grv|top|bvd|blvd"
)
# Type words that make a capitalised street without a house number: "Mill Lane", "Castle Quay"
NAMED_STREET_TYPES = (
    "Road|Street|Lane|Lanes|Avenue|Close|Drive|Crescent|Grove|Place|Court|Gardens|Terrace|Mews|Rise|Parade|"
    "Walk|Bank|Cottages|House|Lodge|Tower|Heights|Mansions|Way|Row|Wharf|Quay|Chase|Field|Fields|Passage|"
    "Basin|Circus|Dene|Garth|Wynd|Loke|Yard|Plaza|Piazza|Gait|Holt|Mount|Buildings|Precinct|Arcade|Point|Farm|"
    "Spinney|Paddock|Orchard|Causeway|Dock|Rd|St|Ave|Ln|Cl|Cres|Dr|Gdns|Terr|Pk|Sq|Ct|Pde"
)
# A house number, a range of them ("12-14") or a flat number like "2/1" or "2c".
NUMBER = r"\d+[a-zA-Z]?(?:\s*[-–/]\s*\d+[a-zA-Z]?)?"
_UNITS_TENS = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|"
               r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)")
# Words for a home inside a building or a site: "Flat 3", "Bedsit 4", "Berth 9"
UNIT_WORDS = (r"flat|fflat|apartment|apt|maisonette|bedsit|annexe?|unit|room|rm|block|plot|pitch|caravan|chalet|"
              r"cottage|stall|hut|carafan|carafán|berth|mooring")
# What can come before a house number: "Flat 3", "Block C", "3rd floor flat", "top flat", Glasgow's "0/2", "c/o"
UNIT = (rf"(?:(?:{UNIT_WORDS}|number|no\.?)\s+(?:\d{{1,4}}[a-z]?(?:/\d+)?(?![\d-]|\s+\d{{3}}))"
        # a letter: "Block C", "flat b"; not "No I haven't" or "a flat a few streets away"
        rf"|(?:{UNIT_WORDS})\s+(?:(?-i:A)|(?![ai]\b)[a-z])\b"
        r"|(?:\d+(?:st|nd|rd|th)|ground|top|first|second|third|basement)\s+floor"
        r"(?:\s+(?:flat|front|back)\b|(?=,\s*\d))"
        r"|(?:top|ground|bottom|basement|upstairs|downstairs|back|front)\s+flat"
        r"|\d/\d(?=,\s*\d)|c/o)")
# Not a little word, so what follows a flat number stops before it ("number 7, and is a ...") and a street
# name cannot run through it ("2 days on the road")
_NOT_FUNCTION_WORD = (r"(?!(?:and|or|but|is|was|are|a|an|the|to|at|in|on|of|for|with|he|she|they|it|we|i|you|his|"
                      r"her|their|has|had|have|where|which|who|that|this|said|says|since|near|until|last|yesterday|"
                      r"today|tonight|now|then|again|too|as|when|if|so|around|about|by|above|over|below|under|behind|"
                      r"beside|opposite|next)\b)")

# Courts that are institutions, not addresses: "the Youth Court"
_COURTS = r"(?:Youth|Crown|Magistrates['’]?|Family|County|High|Coroners['’]?)\s+Court\b"
_STREET_WORD = rf"{_NOT_FUNCTION_WORD}[^\W\d_'][\w'’-]*"
_BUILDING_WORD = rf"{_NOT_FUNCTION_WORD}{_ANY_WORD}"

# Each pattern's match, or its "value" group, is an address; "street" and "lower_street" groups are checked
# by _plausible().
PATTERNS: List[Pattern[str]] = [
    re.compile(rf"\b(?:{UNIT},?\s+)?{NUMBER},?\s+(?:the\s+(?:{_STREET_WORD}\s+){{0,2}}|(?:{_STREET_WORD}\s+){{1,3}})"
               rf"(?:{STREET_TYPES})\b\.?",
               re.IGNORECASE),
    # house numbers in words, after "number" or "at": "number thirty two Harbour Brow", "at ninety one Clifton Road";
    # not "two Youth Court hearings"
    re.compile(rf"(?:\b(?i:number|no\.?)\s+|(?<=\bat\s)|(?<=\bfrom\s)|(?<=\bto\s)|(?<=\blives\s))"
               rf"(?i:{_UNITS_TENS})\s+(?:{WORD}\s+){{1,2}}(?i:{STREET_TYPES})\b"),
    # ... and before a named street: "Number Four, The Mews"; not "Number one, Mum says"
    re.compile(rf"\b(?i:number)\s+(?i:{_UNITS_TENS})(?=,\s+(?:{UP}[\w'’-]*\s+){{0,2}}(?:{NAMED_STREET_TYPES})\b)"),
    # a flat or house number before a named building or a one-word street: "Flat 12, Marlowe Court"
    re.compile(rf"\b{UNIT}(?:,?\s+{NUMBER})?(?:,?\s+{_BUILDING_WORD}(?:\s+{_BUILDING_WORD}){{0,2}})?", re.IGNORECASE),
    re.compile(rf"\b\d+[a-zA-Z]?\s+{UP}{LOW}+(?:way|gate|side|field|fields|wood|hill|moor|town|bank)\b"),
    # a house number and capitalised words after "at", "lives at"...: "at 14 Broadway", "from 2 Ashfield"
    re.compile(rf"\b(?i:at|from|to|near|outside|opposite|address(?: is)?|lives(?: at)?|living at|staying at|"
               rf"placed at|going to)\s+"
               rf"(?P<street>{NUMBER},?\s+(?P<first>{WORD})(?:\s+(?:{_PARTICLE}\s+)?{WORD}){{0,2}})"),
    # ... typed in lower case: "found at 3 bishopsgate", "at 8 the headrow"
    re.compile(rf"\b(?i:at|from|near|outside|opposite|lives(?: at)?|living at|staying at|placed at|going to)\s+"
               rf"(?P<street>{NUMBER}\s+(?:the\s+)?(?P<first>[^\W\d_][\w'’-]+))"),
    # a house number and capitalised words, then a comma and a town: "18 Pavement, Louth"
    re.compile(rf"\b(?P<street>{NUMBER}\s+(?P<first>{WORD})(?:\s+{WORD})?)(?=,\s*{UP})"),
    # ... typed in lower case: "7 nightingales, cramlington"
    re.compile(rf"\b(?P<street>{NUMBER}\s+(?P<first>[a-z][a-z'’-]+))(?=,\s*[a-z]+\b)"),
    # a named estate: "the Lansbury estate", "Broadwater Farm estate"
    re.compile(rf"\b(?:{WORD}\s+){{1,2}}(?i:estate)\b"),
    # a hotel, guest house or hostel with a room number: "Room 6, Seaview Guest House", "the Grand Hotel, room 301"
    re.compile(rf"\b(?i:{UNIT}),\s+(?:The\s+)?(?:{WORD}\s+){{0,2}}(?:Hotel|Inn|Guest\s+House|B&B|Hostel|Travelodge|"
               rf"Lodge|Farm)\b"),
    re.compile(rf"\b(?:The\s+)?(?:{WORD}\s+){{0,2}}(?:Hotel|Inn|Guest\s+House|B&B|Hostel|Travelodge|Lodge|Farm)"
               rf"(?=,\s+(?i:{UNIT}))"),
    # a street whose type comes first, as in Welsh and Irish: "11 Heol y Felin", "3 Bóthar na Trá"
    re.compile(rf"\b\d+[a-z]?,?\s+(?i:{_TYPE_FIRST}|maes|bryn|pen\s+y|the)\s+(?:{_PARTICLE}\s+){{0,2}}"
               rf"(?:h?{WORD})(?:\s+{WORD})?"),
    # ... typed in lower case: "11 heol y felin"
    re.compile(rf"\b\d+[a-z]?,?\s+(?:{_TYPE_FIRST}|maes|bryn|pen\s+y)\s+(?:{_PARTICLE}\s+){{0,2}}[^\W\d_]+"),
    # ... and without a house number, when capitalised: "Heol y Bont", "Sráid an Mhuilinn"
    re.compile(rf"\b(?:{_TYPE_FIRST.title()})\s+(?:{_PARTICLE}\s+){{0,2}}(?:h?{WORD})(?:\s+{WORD})?"),
    # whatever a house number starts, when a postcode ends it: "7 Cae Glas, Bala LL23 7AB"
    re.compile(rf"\b(?P<value>\d+[a-zA-Z]?,?\s+(?:{_ANY_WORD}\s+){{0,3}}{_ANY_WORD})"
               rf"(?=,?\s+(?:{UP}[^\W\d_'’]+(?:['’]\w+)?\s+){{0,2}}(?:,\s*)?[A-Z]{{1,2}}\d[A-Z\d]?\s*\d[A-Z]{{2}}\b)"),
    # a house name and its street: "Rose Cottage, Mill Lane", "The Old Rectory, Church Hill", "Tŷ Gwyn, Heol y Bont"
    re.compile(rf"\b(?:The\s+(?:{WORD}\s+){{0,2}}{WORD}|{WORD}\s+(?:Cottage|House|Lodge|Farm|Barn|"
               rf"Hall|Villa|Manor|Grange)|(?:Tŷ|Ty|Plas|Bwthyn|Hafod|Teach|Taigh|Pen\s+y|Bryn)\s+"
               rf"(?:{_PARTICLE}\s+)?{WORD})"
               rf"(?:,\s+(?:{UP}[\w'’-]*\s+){{1,2}}(?i:{STREET_TYPES})\b|(?=,\s+(?i:{_TYPE_FIRST})\s))"),
    # a house name before a numbered street: "Meadowbank, 7 Long Lane", "The Bungalow, rear of 44 Moss Lane"
    re.compile(rf"\b(?:(?:The\s+)?{WORD}(?:\s+{WORD})?|St\.?\s+{WORD}['’]s)"
               rf"(?=,\s+(?:(?i:rear|back)\s+of\s+)?(?i:{NUMBER}),?\s+"
               rf"(?:[^\W\d_'][\w'’-]*\s+){{1,3}}(?i:{STREET_TYPES})\b)"),
    # a named street without a house number: capitalised, so "down the lane" stays
    re.compile(rf"(?<![\w'’-])(?!{_COURTS})(?:{UP}[\w'’-]*\s+){{1,2}}(?:{NAMED_STREET_TYPES})\b"
               r"(?:\s+(?:traveller\s+|caravan\s+)?site\b)?"),
    # a named site for caravans or travellers: "Willow Bank caravan site", not "the caravan site"
    re.compile(rf"(?<![\w'’-])(?:{UP}[\w'’-]*\s+){{1,2}}(?i:traveller|travellers'?|caravan|gypsy)\s+site\b"),
    # a flat described by the shop below it: "flat 3 above the chip shop on Market St"
    re.compile(rf"\b(?i:{UNIT})\s+(?:above|over|behind|next\s+to|beside)\s+(?:[\w'’-]+\s+){{1,4}}?"
               rf"(?:on|in|off)\s+(?:{UP}[\w'’-]*\s+){{1,2}}(?:{NAMED_STREET_TYPES})\b"),
    # a one-word street after the park or estate it is on: "Unit 4, Retail Park, Kingsway"
    re.compile(rf"\b(?:{NAMED_STREET_TYPES}|Park|Estate|Centre|Mews),\s+(?P<value>{UP}{LOW}+(?:way|gate))\b"),
    # ... or after "on": "wandering on Sandgate"
    re.compile(rf"\b(?i:on|along|off)\s+(?P<value>{UP}{LOW}+(?:gate|way|row))\b"),
    # a named street typed in lower case, after "on", "from"...: "found on marsh lane", "from lower park rd"
    re.compile(r"\b(?i:on|at|off|along|near|outside|from|to|in|around|round|down|up|by)\s+"
               r"(?P<lower_street>(?:st\.?\s+)?(?P<lower_first>[a-z][a-z'’-]+)"
               r"(?:\s+[a-z][a-z'’-]+)?\s+(?:road|street|lane|avenue|close|drive|crescent|grove|terrace|gardens|"
               r"mews|walk|parade|rise|way|place|court|cres|rd|ave|cl))\b"),
]

# Words after a house number that are never a street, though capitalised: times, days, ages.
_NOT_STREETS = {"am", "pm", "hours", "hrs", "mins", "minutes", "days", "weeks", "months", "years", "yrs", "year",
                "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "o'clock", "high",
                "main", "back", "side", "same", "other", "next", "busy", "quiet", "country", "dirt", "slip",
                "ring", "private", "service", "wrong", "right", "new", "old", "long", "little", "big", "local"}


def _plausible(first: str, words: Container[str]) -> bool:
    """"at 3 Schools", "10 Minutes", "on the road": a number or preposition and an ordinary word."""
    lower = first.lower()
    return lower not in words and lower not in _NOT_STREETS and lower not in STOP_WORDS


def find(text: str) -> Iterator[Span]:
    from bot.privacy.vocabulary import common_words

    words = common_words()
    for pattern in PATTERNS:
        position = 0
        while match := pattern.search(text, position):
            position = match.end()
            if "street" in pattern.groupindex:
                group, plausible = "street", _plausible(match.group("first"), words)
            elif "lower_street" in pattern.groupindex:
                # "station road", "church lane": common words make common street names
                group, plausible = "lower_street", _plausible(match.group("lower_first"), ())
            else:
                group, plausible = ("value" if "value" in pattern.groupindex else 0), True
            if plausible:
                yield match.start(group), match.end(group), "ADDRESS"
            else:
                # "up on station road": look again from the next word, which may start the real match
                position = match.start() + 1
