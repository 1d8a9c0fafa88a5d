"""Words that are never names on their own, so the gazetteer does not redact them.

Built from the assistant's own training data and answers (the words
practitioners actually use), spaCy's stop words and the commonest English
words, less the names those texts mention.
"""
from __future__ import annotations

import functools
import re
from typing import FrozenSet, Iterable

import yaml
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lookups import load_lookups

from bot import settings
from bot.privacy.names import gazetteer

# log-probability above which a word is too common to be a name on its own
COMMON_WORD_LOGPROB = -10.5
# Less frequent, but still an English word ("caravan", "hoodie", "respite"): typed in lower case and
# proposed only by the statistical recogniser, such a word is not taken for a name.
KNOWN_WORD_LOGPROB = -16.0
CALENDAR = """
monday tuesday wednesday thursday friday saturday sunday january february march july september october
november december christmas easter
""".split()
# Months that are also first names: a name unless the words around them make them a date.
NAME_MONTHS = {"april", "may", "june", "august"}
DOMAIN_WORDS = """
mum mam mom dad nan nana nanna gran granny grandma grandad grandpa auntie aunt uncle cousin sister brother
son daughter child children kid kids lad lads girl girls boy boys baby carer carers foster parent parents
police officer sergeant constable social worker nurse doctor ward teacher head school college academy
home homes unit placement hospital station town city park street road shop centre center
mash edt iro dsl yos yot rhi cse cce caf lac cic gp nhs ae btp catch22 barnardos nspcc childline
""".split()
# Places, nationalities and organisations that Faker also lists as surnames.
PLACES_AND_PEOPLES = """
london birmingham manchester liverpool leeds sheffield bradford bristol coventry leicester nottingham derby
stoke wolverhampton chester crewe warrington widnes runcorn northwich macclesfield ellesmere port wirral
salford stockport oldham bolton wigan preston blackpool blackburn lancaster carlisle newcastle sunderland
durham middlesbrough hull york doncaster wakefield huddersfield halifax bradford reading oxford cambridge
norwich ipswich luton milton keynes northampton peterborough southampton portsmouth brighton hastings
dover canterbury maidstone croydon bexley bromley greenwich lewisham southwark lambeth hackney camden
islington ealing brent harrow barnet enfield haringey newham tower hamlets kent essex surrey sussex
cheshire lancashire yorkshire merseyside cumbria devon cornwall wales scotland england ireland britain
victoria kingsway piccadilly euston paddington waterloo
english irish scottish welsh british romanian polish somali eritrean sudanese afghan albanian vietnamese
chinese nigerian ghanaian kurdish iraqi iranian syrian pakistani indian bangladeshi ukrainian lithuanian
latvian roma traveller gypsy jamaican caribbean african asian european arab turkish portuguese spanish
spain france germany poland romania albania nigeria somalia eritrea sudan syria afghanistan vietnam
philomena herbert nando nandos mcdonalds tesco asda aldi lidl primark greggs costa
""".split()
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
CAPITALISED_MID_SENTENCE = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+)")


def _texts() -> Iterable[str]:
    for path in sorted((settings.DATA_DIR / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            yield item.get("examples", "")
    for path in sorted(settings.TOPICS_DIR.glob("*.yml")):
        yield path.read_text(encoding="utf-8")


class CommonWords:
    """Membership test: in the assistant's own vocabulary, or frequent in English."""

    def __init__(self, words: FrozenSet[str]) -> None:
        self._words = words
        # spaCy stores this table under hashed keys, so it can be looked up but not listed
        self._logprob = load_lookups("en", ["lexeme_prob"]).get_table("lexeme_prob")

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one instance lives for the process
    def __contains__(self, word: object) -> bool:
        return word in self._words or self._logprob.get(word, -99.0) > COMMON_WORD_LOGPROB

    def known(self, word: str) -> bool:
        """An English word, if not a frequent one."""
        return word in self or self._logprob.get(word, -99.0) > KNOWN_WORD_LOGPROB


@functools.lru_cache(maxsize=1)
def common_words() -> CommonWords:
    texts = list(_texts())
    names_mentioned = {
        word.lower() for text in texts for word in CAPITALISED_MID_SENTENCE.findall(text)
    } & gazetteer()
    words = {word.lower().strip("'") for text in texts for word in WORD.findall(text)}
    fixed = set(STOP_WORDS) | set(CALENDAR) | set(DOMAIN_WORDS) | set(PLACES_AND_PEOPLES)
    return CommonWords(frozenset((words - names_mentioned) | fixed))
