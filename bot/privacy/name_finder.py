"""Finds people's names: a trained spaCy recogniser, a name gazetteer and context cues.

Each method misses names the others catch (lower-case typing, names that are
also words, names from anywhere in the world), so their findings are combined
token by token, then grown to whole names ("Mary-Jane O'Brien") and applied to
every other mention of the same name in the message.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import FrozenSet, List, Set, Tuple

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from bot.privacy.field_words import FieldWords, field_words
from bot.privacy.names import first_and_last_names, gazetteer
from bot.privacy.vocabulary import CALENDAR, DOMAIN_WORDS, NAME_MONTHS, PLACES_AND_PEOPLES, CommonWords, common_words

Span = Tuple[int, int, str]
NAME = "NAME"
# Letters of any alphabet ("Áine", "Łukasz", "Zoë"): [^\W\d_] is a letter in Python's re.
_TOKEN = r"[^\W\d_](?:[\w'’-]*\w)?"
_CAPITALISED = r"[A-Z][\w'’-]*"
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "pc", "pcso", "ds", "dc", "di", "dci", "sgt", "insp", "cllr", "prof",
          "sergeant", "inspector", "constable"}
RELATIONS = (
    r"mum|mam|mom|dad|mother|father|nan|nana|gran|grandma|grandad|sister|brother|aunt|auntie|uncle|cousin|"
    r"carer|foster carer|boyfriend|girlfriend|partner|friend|worker|social worker|teacher|stepdad|stepmum|"
    r"son|daughter|foster son|foster daughter|stepson|stepdaughter|niece|nephew|grandson|granddaughter"
)
_AGE = r"(?:(?:about|around|roughly|approx\.?|nearly|only|just|maybe)\s+)?\d{1,2}\b"
# Naming phrases: what follows is a name even in lower case ("the carer's name is bill").
NAMING_CUES = [
    # a form's label: "Name: Armani Sutton", "Re: Dior Hamilton, 14", "child - bentley richmond"
    re.compile(rf"(?:^|\n|[.;]\s)\s*(?:name|child|re|subject|yp|young person|cyp)\s*[:\-–]\s*"
               rf"(?P<name>{_TOKEN}(?:\s+{_TOKEN})?)", re.IGNORECASE),
    re.compile(rf"\b(?:called|named|name is|name's|names|known as|aka|goes by|calls (?:him|her)self)\s+[\"“'‘]?"
               rf"(?P<name>{_TOKEN}(?:\s+(?-i:{_CAPITALISED}))?)", re.IGNORECASE),
]
# Cues strong enough that a capitalised word after them is a name even if it is also a word ("Hope").
STRONG_CUES = [
    re.compile(rf"\b(?:{'|'.join(TITLES)})\.?\s+(?!(?:and|&)\s)(?P<name>{_TOKEN}(?:\s+(?-i:{_CAPITALISED}))?)",
               re.IGNORECASE),
    re.compile(rf"[\"“](?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED})?)[\"”]"),
    re.compile(rf"(?<!\w)['‘](?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED})?)(?:'s)?['’](?!\w)"),
    # someone from an agency: "Mark from the YOS", "Sarah from MASH"
    re.compile(rf"(?P<name>(?<![\w'’-]){_CAPITALISED})\s+from\s+(?:the\s+)?(?:[A-Z]{{2,}}|school|police|"
               r"social care|home|council|hospital|college|unit|team)\b"),
    re.compile(rf"\b(?:{RELATIONS})(?:\s+is|,|:)?\s+(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED})?)"),
    re.compile(rf"(?P<name>(?<![\w'’-]){_TOKEN})(?:'s|’s)\s+(?:{RELATIONS}|phone|school|placement|house|flat|family)\b",
               re.IGNORECASE),
]
# An age or school year after a word: "Jayden, 14", "Kai is 15"...
AGE_CUE = re.compile(rf"(?P<name>(?<![\w'’-]){_TOKEN})(?:\s*,\s*\d{{1,2}}\b|(?:\s+who)?\s+is\s+{_AGE})",
                     re.IGNORECASE)
# ... and in brackets or with "aged", strong enough for a first name typed in lower case: "summer (14)",
# "Mark (Year 6)", "kai aged 15"
BRACKETED_AGE_CUE = re.compile(rf"(?P<name>(?<![\w'’-]){_TOKEN})(?:\s*\(\s*(?:(?:year|yr|y)\s*)?\d{{1,2}}\s*\)|"
                               rf",?\s+aged?\s+\d{{1,2}}\b)", re.IGNORECASE)
# Coming back or going missing: said of a child, so a known first name before it is a name ("Faith has come back").
MISSING_CUE = re.compile(
    rf"(?P<name>(?<![\w'’-]){_CAPITALISED})\s+(?:has|have|hasn'?t|hasnt|is|isn'?t|was|wasn'?t|had|never|still)?\s*"
    r"(?:come|came|gone|went|run|ran|got|been|absconded|returned|turned up|back|missing|not come|not returned)"
    r"(?:\s+(?:back|home|in|off|missing|away))?\b"
)
DATE_WORDS = re.compile(r"^(?:in|on|since|until|till|from|by|during|last|next|of|early|late|mid|this|end)$", re.I)
# A message or sentence starting with someone doing something: a weaker cue.
SUBJECT_CUE = re.compile(
    rf"(?:^|[.!?]\s+)(?P<name>{_TOKEN})\s+(?:has|hasn'?t|hasnt|is|isn'?t|was|wasn'?t|went|did|didn'?t|didnt|"
    r"never|keeps|kept|ran|came|come|left|absconded|returned|won'?t|wont|refused|told|said|disclosed|turned)\b",
    re.IGNORECASE,
)
CONNECTORS = {"-", "'", "’"}
# Capitalised words that go before a name as part of it: "Rev. Addo", "Aunty Bev", "Nana Joan", "Father Byrne",
# street names like "Big K". Lower case ("my nan Pat") they are ordinary words.
HONORIFICS = {"rev", "revd", "reverend", "fr", "father", "sister", "brother", "pastor", "imam", "sheikh", "nurse",
              "uncle", "aunty", "auntie", "aunt", "nan", "nana", "nanna", "gran", "grandad", "grandma", "baby", "lil",
              "big", "little", "tiny", "ch", "chief", "det", "detective"}
# Small words inside a name, between two of its parts: "Jan de Vries", "Sophie van der Berg", "Rhys ap Gwyn"
NAME_PARTICLES = {"de", "da", "di", "del", "della", "van", "von", "der", "den", "ter", "la", "le", "du", "dos",
                  "das", "bin", "binti", "bint", "ibn", "al", "el", "ap", "ab", "nic", "mac"}
# Never a name before "is 15" or ", 14"
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "who", "this", "that", "which", "there", "here", "someone"}
# A school year: "Y10", "yr8", "year11"
SCHOOL_YEAR = re.compile(r"(?:y|yr|year)\d{1,2}")
LITTLE_WORDS = {"the", "a", "an", "i", "it", "my", "our", "his", "her", "their", "this", "that", "me", "him"}
# Words that label personal data or relationships; never part of a name themselves.
NOT_NAMES = set(RELATIONS.replace(" ", "|").split("|")) | {
    "dob", "ni", "nhs", "snap", "snapchat", "insta", "instagram", "tiktok", "mobile", "mob", "tel", "phone",
    "born", "address", "email", "postcode", "no", "number", "uncle", "aunty", "bro", "sis",
}

# Only words that go before places, not people ("sent to Jordan", "from Georgia", "by Barry" are people).
PLACE_PREPOSITIONS = {"in", "near", "around", "outside", "towards"}
# Nouns after which a capitalised word is the person a condition is named after, not a name in the message
CONDITION_HEADS = {"syndrome", "disease", "palsy", "lymphoma", "sarcoma", "anomaly"}
# Endings of conditions and medicines that no name in the lists has ("tonsillitis", "scoliosis",
# "leukaemia", "dyspraxia", "lorazepam", "fluoxetine", "risperidone"): unlisted, such a word is still no name
MEDICAL_WORD = re.compile(
    r"(?:(?<![aeiouy])itis|osis|aemia|[ckn]emia|pathy|plegia|algia|phobia|praxia|calculia|graphia|trophy|"
    r"azepam|azolam|oxetine|apine|peridone|prazole|cillin|mycin|statin|olol|triptyline|phenidate|amfetamine|"
    r"amphetamine|codone|valproate|gabalin|pentin)$"
)
# Words that make a field word before them the first half of a compound: "Foster carer", "Ward round".
COMPOUND_HEADS = {"carer", "carers", "care", "parent", "parents", "placement", "placements", "home", "sister",
                  "manager", "staff", "round", "nurse", "team", "worker", "mum", "dad", "family", "council"}


class NameFinder:
    def __init__(self, model_path: Path, field: FieldWords | None = None) -> None:
        self.nlp = spacy.load(model_path)
        self.names: FrozenSet[str] = gazetteer()
        self.common: CommonWords = common_words()
        self.never: FrozenSet[str] = frozenset(CALENDAR) | frozenset(PLACES_AND_PEOPLES)
        self.first_names: FrozenSet[str] = frozenset(name.lower() for name in first_and_last_names()[0])
        self.field: FieldWords = field_words() if field is None else field

    def find(self, text: str) -> List[Span]:
        doc = self.nlp(text)
        # The field's words ("autism", "respite", "Nike", "Rochdale") are names only after a strong cue or
        # as part of a name found next to them.
        field, vocabulary = self._field_tokens(doc)
        found: Set[int] = {t.i for t in doc if self._gazetteer_name(t)}
        recognised = [(e.start_char, e.end_char) for e in doc.ents]
        found |= {t.i for t in _tokens_in(doc, recognised) if self._name_token(t, strong=False)}
        found -= field  # the recogniser and the gazetteer alone do not make a listed word a name; a cue does
        found |= {t.i for t in _tokens_in(doc, _cue_spans([SUBJECT_CUE], text)) if self._name_token(t, strong=False)}
        found |= {t.i for t in _tokens_in(doc, _cue_spans([AGE_CUE], text))
                  if self._name_token(t, strong=True) and self._named_by_age(t)}
        # "Ketamine was found", "16, pregnant, 28 weeks": a subject or an age makes a brand or a place a name,
        # not a condition, substance, service, legal status or nationality
        found -= vocabulary
        found |= {t.i for t in _tokens_in(doc, _cue_spans(STRONG_CUES, text)) if self._name_token(t, strong=True)}
        found |= {t.i for t in _tokens_in(doc, _cue_spans([BRACKETED_AGE_CUE], text))
                  if self._name_token(t, strong=True) or self._first_name_with_age(t)}
        found |= {t.i for t in _tokens_in(doc, _cue_spans(NAMING_CUES, text)) if self._named(t)}
        found |= {t.i for t in _tokens_in(doc, _cue_spans([MISSING_CUE], text))
                  if t.lower_ in self.names and self._name_token(t, strong=True)
                  and (t.i not in field or self._known_first_name(t.lower_))}
        found = {i for i in found if not self._month_as_date(doc[i])}
        found = self._grow(doc, found, field, vocabulary)
        found |= self._other_mentions(doc, found)
        return [(doc[i].idx, doc[i].idx + len(doc[i].text), NAME) for i in sorted(found)]

    def _field_tokens(self, doc: Doc) -> Tuple[Set[int], Set[int]]:
        """The tokens of listed phrases, and those of them that are the field's vocabulary.

        Less titles ("PC" is a role and a title) and less a one-word phrase that is also a first name
        ("Chelsea", "Jordan", "India") unless after a preposition of place ("seen in Chelsea"): alone, or after
        "to", "by" or "from", it may be a child; and less a one-word phrase after a first name, where it is a
        surname. A longer phrase ("rose gold", "grace period", "Sierra Leone") is the phrase."""
        tokens: Set[int] = set()
        vocabulary: Set[int] = set()
        for start, end in self.field.spans(doc):
            listed_vocabulary = self.field.in_vocabulary(doc, start, end)
            if end - start == 1:
                token = doc[start]
                word = token.lower_
                before = doc[start - 1] if start > 0 else None
                # an abbreviation in capitals is not the first name it spells ("ODD", "ESA", "RUI")
                first_name = self._field_first_name(word) and not (
                    listed_vocabulary and token.is_upper and word not in self.field.first_names)
                if word.rstrip(".") in TITLES or first_name and not (
                        before is not None and before.lower_ in PLACE_PREPOSITIONS):
                    continue
                # after a capitalised first name it is a surname: "Hope Whitfield", "Sadie Ward"
                if token.is_title and before is not None and before.is_title and \
                        self._field_first_name(before.lower_):
                    continue
                # capitalised, a surname too ("Ward", "Brown"): a cue still makes it a name
                listed_vocabulary = listed_vocabulary and not (token.is_title and word in self.names)
            tokens.update(range(start, end))
            if listed_vocabulary:
                vocabulary.update(range(start, end))
        medical = {t.i for t in doc if t.is_alpha and (_before_condition_head(t) or self._medical_word(t.lower_))}
        return tokens | medical, vocabulary | medical

    def _medical_word(self, word: str) -> bool:
        return len(word) > 5 and bool(MEDICAL_WORD.search(word)) and word not in self.names

    @staticmethod
    def _sentence_initial(token: Token) -> bool:
        if token.i == 0:
            return True
        previous = token.nbor(-1).text
        return previous in {".", "!", "?", ":", "-", "—", "(", '"', "“"} or "\n" in previous

    def _name_token(self, token: Token, strong: bool) -> bool:
        """Whether a token proposed by the recogniser or a cue can be (part of) a name."""
        word = token.lower_
        if not re.fullmatch(r"[^\W\d_][\w'’]*", token.text) or SCHOOL_YEAR.fullmatch(word) or word in self.never \
                or word in TITLES | NOT_NAMES:
            return False
        if not strong and token.is_lower and self._lower_case_word(word):
            return False
        if word not in self.common:
            return True
        capitalised = token.is_title or token.is_upper and len(word) > 1
        if strong:
            return capitalised
        return capitalised and not self._sentence_initial(token) and word in self.names

    def _named_by_age(self, token: Token) -> bool:
        """Before "is 15" or ", 14": "Kai", "jayden", "An" ("Nguyen Van An, 15"), but not "She" or "it"."""
        word = token.lower_
        return word not in PRONOUNS and not (token.is_lower and word in STOP_WORDS)

    def _field_first_name(self, word: str) -> bool:
        """A first name, from the name lists or among the listed words that are also first names."""
        return self._known_first_name(word) or word in self.field.first_names

    def _known_first_name(self, word: str) -> bool:
        return word in self.first_names and word not in self.never and word not in NOT_NAMES | TITLES

    def _first_name_with_age(self, token: Token) -> bool:
        """ "our girl summer (14)": a first name before an age, even typed in lower case and also a word."""
        word = token.lower_
        return self._known_first_name(word) and word not in DOMAIN_WORDS and word not in STOP_WORDS

    def _named(self, token: Token) -> bool:
        """After "called" or "name is": any word but the little ones ("called the police")."""
        word = token.lower_
        if not token.is_alpha or word in self.never or word in NOT_NAMES | TITLES or word in DOMAIN_WORDS:
            return False
        return word not in STOP_WORDS or token.is_title and word not in LITTLE_WORDS

    @staticmethod
    def _month_as_date(token: Token) -> bool:
        """ "in June", "June 3rd", "3 May": a month, not a name."""
        if token.lower_ not in NAME_MONTHS:
            return False
        before = token.nbor(-1) if token.i > 0 else None
        after = token.nbor(1) if token.i + 1 < len(token.doc) else None
        return bool(before is not None and (DATE_WORDS.match(before.text) or before.like_num)
                    or after is not None and (after.like_num or re.match(r"\d", after.text)))

    def _gazetteer_name(self, token: Token) -> bool:
        word = token.lower_
        if len(word) < 2 or word not in self.names or word in self.never or word in NOT_NAMES:
            return False
        if token.is_title or token.is_upper and len(word) > 2:
            return not self._sentence_initial(token) or word not in self.common
        return word not in self.common and not self._lower_case_word(word)

    def _lower_case_word(self, word: str) -> bool:
        """An English word typed in lower case ("pink", "woods", "cousins") is not taken for a name on weak
        evidence, even if it is also a surname; a first name typed in lower case ("grace", "rose") still is,
        unless a listed phrase says otherwise ("grace period", "rose gold")."""
        return self.common.known(word) and not self._field_first_name(word)

    def _grow(self, doc: Doc, found: Set[int], field: Set[int], vocabulary: Set[int]) -> Set[int]:
        """Whole names: neighbouring name words, hyphens and apostrophes inside names, titles before them.

        A field word joins a name only as a surname right after a first name ("Tyler Ward", "Jade Foster"),
        never as "Dylan Ward ADHD" or "Tyler Ward foster carer".
        """
        grown = set(found)
        for i in sorted(found):
            for step in (1, -1):
                j = i + step
                while 0 <= j < len(doc) and j not in grown:
                    token = doc[j]
                    # a hyphen or apostrophe inside a name, touching the words on both sides ("O'Brien")
                    joins = (token.text in CONNECTORS and 0 < j < len(doc) - 1 and not token.whitespace_
                             and not doc[j - 1].whitespace_)
                    connector = doc[j - step]
                    hyphenated = (connector.text in CONNECTORS and j - step not in found and token.is_alpha
                                  and not (token if step == -1 else connector).whitespace_)
                    title = step == -1 and self._title_before(doc, j)
                    surname = self._surname_after_first_name(doc, j, step, grown)
                    # a capitalised listed word just before a name is its first name: "Dior Smith", "Barry Walker";
                    # not a service or status: "Carers Paul and Joanne Fisher", "Respite Kayla Hughes"
                    forename = (step == -1 and j in field and j not in vocabulary
                                and (token.is_title or token.is_upper and len(token) > 1)
                                and token.is_alpha and doc[j + 1].is_alpha and doc[j + 1].is_title
                                and token.lower_ not in STOP_WORDS | TITLES | NOT_NAMES
                                and not (j > 0 and doc[j - 1].lower_ in PLACE_PREPOSITIONS))
                    particles = self._particles_inside(doc, j, step)
                    if particles:
                        grown.update(range(j, j + step * particles, step))
                        j += step * particles
                    elif j in field and not (joins or hyphenated or title or surname or forename):
                        break
                    elif (joins or hyphenated or title or surname or forename or self._name_part(token)
                          or self._first_name_before(doc, j, step)):
                        grown.add(j)
                        j += step
                    else:
                        break
        return grown

    def _surname_after_first_name(self, doc: Doc, j: int, step: int, grown: Set[int]) -> bool:
        """A word after a name that is its surname even if it is an ordinary word or a place: "Tyler Ward",
        "Jade Foster", "Sienna Whitfield", "Jordan-Blue Kirkham"; in lower case only a known surname after a
        known first name ("bridget ward"). Not "Jade Foster carer" nor "Dylan Ward ADHD"."""
        token, before = doc[j], doc[j - 1]
        following = doc[j + 1] if j + 1 < len(doc) else None
        word = token.lower_
        if step != 1 or j - 1 not in grown or not token.is_alpha or word in STOP_WORDS | TITLES:
            return False
        if word in NOT_NAMES and word not in self.names:  # "Jade Foster" but not "Jade Mum"
            return False
        if following is not None and following.is_lower and following.lower_ in COMPOUND_HEADS:
            return False
        after_first_name = self._field_first_name(before.lower_)
        if token.is_title and before.is_title or token.is_upper and before.is_upper and len(word) > 1:
            return after_first_name or word not in DOMAIN_WORDS
        return token.is_lower and after_first_name and word in self.names and not self.common.known(word)

    @staticmethod
    def _title_before(doc: Doc, j: int) -> bool:
        """ "Mrs Okonjo", "Aunty Bev", and the "Mr and" of "Mr and Mrs Patel"."""
        word = doc[j].lower_.rstrip(".")
        if word in TITLES or doc[j].is_title and word in HONORIFICS:
            return True
        if doc[j].text == "." and j > 0 and doc[j - 1].lower_ in TITLES | HONORIFICS:
            return True  # "Insp. Harcourt" comes as "Insp", ".", "Harcourt"
        return (word in ("and", "&") and 0 < j < len(doc) - 1 and doc[j - 1].lower_.rstrip(".") in TITLES
                and doc[j + 1].lower_.rstrip(".") in TITLES)

    def _first_name_before(self, doc: Doc, j: int, step: int) -> bool:
        """A capitalised first name before a surname, even when it is also a word: "Will Dawson"."""
        token = doc[j]
        word = token.lower_
        # "Will" is a first name and a stop word; other stop words ("My", "An") are not names here, nor is
        # "Will" starting a question ("Will Jayden be told?")
        will = word == "will" and not (self._sentence_initial(token) and _in_question(token))
        return step == -1 and token.is_title and self._known_first_name(word) and (word not in STOP_WORDS or will)

    def _particles_inside(self, doc: Doc, j: int, step: int) -> int:
        """How many name particles start at j and lead on to another part of the name (0 if none)."""
        count = 0
        while 0 <= j + step * count < len(doc) and doc[j + step * count].lower_ in NAME_PARTICLES:
            count += 1
        after = j + step * count
        if count and 0 <= after < len(doc) and (doc[after].is_title or doc[after].is_upper) and \
                self._name_part(doc[after]):
            return count
        return 0

    def _name_part(self, token: Token) -> bool:
        """A word next to a name that belongs to it: capitalised and not an everyday or agency word."""
        word = token.lower_
        if word in self.never or word in TITLES | NOT_NAMES or word in DOMAIN_WORDS or word in STOP_WORDS:
            return False
        if not token.is_alpha or self._month_as_date(token):
            return False
        # a frequent English word that is no name, before a whole name or a title, is not part of the name:
        # "Found Madison Carr", "Pupil Lee Spencer", "Staff Mr Lee"; but "Sunny Chahal", "Chance Williams"
        if word in self.common and word not in self.names and not self._field_first_name(word) and \
                self._first_name_or_title_after(token):
            return False
        capitalised = token.is_title or token.is_upper and len(word) > 1
        return capitalised or word in self.names and word not in self.common

    def _first_name_or_title_after(self, token: Token) -> bool:
        """Whether a title or a whole name follows: "Mr Collins", "Madison Carr" (but not "Rahman gave")."""
        doc, i = token.doc, token.i
        if i + 2 >= len(doc) or not doc[i + 1].is_title:
            return False
        return doc[i + 1].lower_.rstrip(".") in TITLES or \
            self._known_first_name(doc[i + 1].lower_) and doc[i + 2].is_title

    @staticmethod
    def _other_mentions(doc: Doc, found: Set[int]) -> Set[int]:
        """Once a word is a name in this message, it is a name everywhere in it."""
        names = {doc[i].text for i in found if doc[i].is_alpha and len(doc[i].text) > 1}
        return {t.i for t in doc if t.text in names}


def _before_condition_head(token: Token) -> bool:
    """The surname in a condition named after a person: "Turner syndrome", "Crohn's disease", "Bell's palsy"."""
    doc, after = token.doc, token.i + 1
    if after < len(doc) and doc[after].lower_ in {"'s", "’s", "'", "’"}:
        after += 1
    return after < len(doc) and doc[after].lower_ in CONDITION_HEADS


def _in_question(token: Token) -> bool:
    """Whether the clause a token starts ends with a question mark: "Will Jayden be told?", but not
    "Will Hunter (15) went missing, do I ring 999?"."""
    ends = (t.text for t in token.doc[token.i:] if t.text in {".", "!", "?", ",", ";"})
    return next(ends, "") == "?"


def _cue_spans(patterns: List[re.Pattern], text: str) -> List[Tuple[int, int]]:
    return [(m.start("name"), m.end("name")) for pattern in patterns for m in pattern.finditer(text)]


def _tokens_in(doc: Doc, spans: List[Tuple[int, int]]) -> List[Token]:
    starts = [token.idx for token in doc]
    chosen: Set[int] = set()
    for start, end in spans:
        i = bisect.bisect_left(starts, start)
        while i < len(starts) and starts[i] < end:
            chosen.add(i)
            i += 1
    return [doc[i] for i in sorted(chosen)]
