"""Rasa NLU component: a child who is still missing never gets the "child found" checklist, nor the reverse.

The classifier weighs words, not tense or negation: "we haven't found her" is full of "found". This
reads what the message says about the child now — still missing, found or back, or a question about
what to do once they are found — and corrects the classifier's choice between the two checklists when
the message says the opposite. A message that asks for one checklist without saying which state the
child is in, when the classifier cannot tell the two apart, gets one quick question instead of a guess.
"""
from __future__ import annotations

import re
from enum import Enum
from typing import AbstractSet, Dict, List, Mapping, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component import StatelessComponent
from bot.nlu.state_classifier import LEARNED_STATE

MISSING_INTENT = "child_missing"
FOUND_INTENT = "child_found"
# the walkthroughs ("checklists") for a child missing and a child found, never crossed either
WALKTHROUGH_FOR = {"start_missing_walkthrough": "missing", "start_found_walkthrough": "found"}
# Answers for a child missing from a particular place or situation, the missing answer made specific, and the
# care status or concern (entity values) the message must name for a short one to get it.
MISSING_KINDS = {"left_hospital": {"hospital"}, "out_of_area": {"in_care_out_of_area", "in_care_from_other_area"},
                 "unaccompanied_trafficked": {"trafficking"}, "supported_accommodation": {"supported_accommodation"},
                 "care_leaver_missing": {"care_leaver_adult"}}
SITUATION_ENTITIES = ("care_status", "concern")
THING_INTENT = "out_of_scope"  # a thing or a pet missing or found, and no child named
ASK_INTENT = "child_state_unclear"  # answered with one quick question: still missing, or found?
CLOSE_CALL = 0.15  # the two checklists' confidences closer than this, and no state said: ask
SHORT_MESSAGE_WORDS = 6
UNSURE = 0.5  # below this top confidence, a short message that says the child's state is taken at its word
SHORTLIST = 3  # ... if the checklist for that state is among the classifier's first three
MARGIN = 0.1  # above the runner-up by more than the fallback's ambiguity threshold (0.05, config.yml)
FRAGMENT_WORDS = 4  # ... or, for a fragment this short ("child missing", "found him"), whatever the classifier says
CHECKLIST_STATE = {MISSING_INTENT: "missing", FOUND_INTENT: "found"}
# The learned state's probability of the opposite state from which a checklist is doubted and one quick question
# asked instead: chosen on the retired sets, each scored by a classifier trained on the others (docs/developers.md).
DOUBT = 0.6


class ChildState(str, Enum):
    MISSING = "missing"
    FOUND = "found"
    UNCLEAR = "unclear"


_NEGATION = (r"(?:not|never|neither|nor|none of them|yet to|without|nobody|no-one|no one|"
             r"(?:have|has|is|was|did|does|wo|would|could|ca)n'?t|"
             r"refus\w*|known to|likely to|threaten\w*|wants? to|(?:ring|call|phone) back)")
# Things found or missing that are not the child: "found my car keys", "his phone is still missing".
_BELONGINGS = (r"phones?|bags?|clothes|coat|things|stuff|charger|laptop|tablet|sim|money|keys|purse|wallet|bike|"
               r"passport|belongings|glasses|badge|lanyard|umbrella|parcel")
_PETS = r"dog|cat|puppy|kitten|pet|rabbit|hamster|horse|tortoise|parrot"
_PAPERS = r"note|letter|file|paperwork|form|number|email|policy|document|link|details|info|information"
_THINGS = rf"(?:{_BELONGINGS}|{_PETS}|{_PAPERS})"
# Words saying the child has been found or is back, in the present or the past.
_FOUND = (r"(?<!no longer )found(?! out)(?! (?:my|your|our|his|her|their|a|an|the|some) (?:[\w']+ )?"
          + _THINGS + r"\b)|"
          r"no longer (?:missing|awol)|not missing any ?more|(?<!only )back since|"
          r"(?<!only )(?<!been )back (?:this|today|tonight|earlier|safely|unharmed)\b|"
          r"(?:'s|now|misper|yp|kid|child|hes|shes|theyre) back|back after|back from (?:being )?missing|"
          r"located|traced|turned up|turned back up|showed up|^back(?=[,.!]| but| and| now| safe)|"
          r"came (?:back|home|in)|come (?:back|home|in)|"
          r"returned|reappeared|is back|are back|was back|back (?:home|now|safe|with|at|in)|got back|"
          r"brought (?:\w+ )?(?:back|home)|picked (?:him|her|them) up|"
          # not "seen being picked up by an older man": that is how a child goes missing
          r"(?:been|was|were|got) picked up by (?:the )?(?:police|officers|staff|carers?|us|me|mum|dad|parents)|"
          r"safe and well|(?:home|safe) now|now (?:home|safe)|"
          # "She's at home and in school now"
          r"(?:'s|is|are|'re) (?:now )?(?:at home|in school)(?: and (?:at home|in school))? now|"
          r"(?<!her )(?<!his )(?<!their )(?<!the )(?:home safe|safe home|home and safe)(?! to\b)|"
          r"walked (?:back )?in|rocked up|(?:made it|safely|safe) home|"
          # "the yp we logged missing is home.", not "she's home educated" nor "dad is home but..."
          r"(?:is|are|(?:she|he|yp|kid)'s|they're) (?:now )?home"
          r"(?=\s*(?:[.,;!?]|$|now\b|safe\b|and\b|with (?:us|me)\b))|"
          r"taken (?:back|home) to|(?<!I )(?<!we )walked (?:up to|into) (?:the )?"
          r"(?:front counter|station|police station|reception)(?! to (?:report|ask|say|tell))|"
          r"handed (?:himself|herself|themselves) in|brought in by (?:the )?(?:police|officers)|"
          # "update plan after missing?": the episode is over (not "after missing 24 hours")
          r"after (?:a |the |an |being )?missing(?: episodes?)?(?=\s*[?.!]*\s*$)|"
          # "a catch-up after her missing episode last week": that episode is over (not "after this missing episode")
          r"after (?:her|his|their|the) (?:(?:last|latest|recent|most recent|previous) missing (?:episode|incident)|"
          r"missing (?:episode|incident) (?:last|yesterday|on \w+day|\w+ (?:days?|weeks?|months?) ago))")
_FOUND_WORD = re.compile(rf"\b(?:{_FOUND})\b", re.IGNORECASE)
# A found-word that does not (yet) describe the child: negated, an infinitive ("refusing to come back"), or a
# question about what happens once found.
_NOT_YET_FOUND = re.compile(
    rf"\b(?:{_NEGATION}|still|yet)\b(?:[^\w,.;!?]+\w+){{0,3}}?[^\w,.;!?]+(?:been |be |being )?(?:{_FOUND})\b",
    re.IGNORECASE)
_TO_RETURN = re.compile(rf"\b(?:to|ring|call|phone) (?:{_FOUND})\b", re.IGNORECASE)
_WHEN_FOUND = re.compile(
    rf"\b(?:when|once(?! before| again| more| or twice)|if|after|in case)\b(?:\W+(?!was\b|were\b|had\b)\w+){{0,3}}?\W+"
    rf"(?:is |are |gets? |been |be )?(?:{_FOUND})\b|"
    r"\b(?:when|once|if|after|before) \w+(?:'s| is| are| gets?) (?:back|found|located)\b|"
    r"\b(?:when|once|if) \w+ (?:turns up|shows up|comes (?:back|home)|gets (?:back|home))\b", re.IGNORECASE)
# "Until he's found": while the child is still missing.
_UNTIL_FOUND = re.compile(
    rf"\b(?:until|till|til)\b(?:\W+\w+){{0,3}}?\W+(?:is |are |gets? |been |be )?(?:{_FOUND})\b|"
    rf"\b(?:until|till|til) \w+(?:'s| is| are| gets?) (?:back|found|located)\b", re.IGNORECASE)
# Words saying the child is missing now (not "was missing" before coming back).
_STILL_MISSING = re.compile(
    r"\b(?:still (?:missing|not|out|gone|away|awol|outstanding|no sign)|(?:hasn'?t|haven'?t|has not|have not|has never|"
    r"have never) (?:come|came|got) (?:back|home)|no sign|"
    r"(?:not|(?:is|are|was|were|has|have|had|did|does|do|ai)n'?t) (?:back|home|returned|come (?:back|home))|"
    r"can'?t find|cannot find|can not find|whereabouts (?:are |is )?unknown|"
    r"(?:hasn'?t|haven'?t|has not|have not|not) (?:yet )?(?:turned|shown|showed) up|"
    r"(?:not|never|(?:have|has|had)n'?t) (?:yet )?(?:been )?(?:found|located|traced)|"
    r"(?:no one|no-one|nobody)(?:'s| has| have)? (?:yet )?(?:found|located|traced|seen(?! (?:before|it)\b))|"
    r"(?:hasn'?t|haven'?t|has not|have not) been (?:home|back|seen(?! by (?:a |an |the )?(?:doctor|gp|nurse|"
    r"medic|paramedic|clinician|camhs|health|dentist|professional)))|"
    r"(?<!ever )(?:is|are|has gone|has been|gone|currently|now|tonight|today) missing|missing (?:now|tonight)|"
    r"(?:'s|'re|hes|shes|theyre) (?:now |still |currently )?missing(?! (?:school|lessons|class|college|appointments))|"
    r"should(?:'ve| have) been (?:back|home)|"
    r"never (?:came|come|made it) (?:back|home)(?! to (?:me|us|you|him|her|them)\b)|"
    r"(?<!had )(?<!'d )gone from (?:(?:the|her|his|their|our|my|foster|resi|children's|childrens|kids) ){0,2}"
    r"(?:placement|home|unit|resi|house|ward|hospital)|"
    r"run(?:ning)? away|ran (?:off|away)|done a runner|absconded|(?<!no longer )awol|has gone off|not returned|"
    r"(?<!going )(?<!goes )(?<!go )(?:gone|off|away|missing|run off|ran off|out) again|"
    r"(?:has|have|'s|'ve) been gone|(?:is|has|have|'s|'ve) (?:been )?gone since|"
    r"didn'?t (?:come|return)|did not (?:come|return)|out all night|(?:meant|supposed|due) to be (?:back|home)|"
    r"(?:was|is|were|are) (?:due|expected) (?:back|home)(?: (?:at|by) \d+)?|"
    r"(?:has|have|just) (?:left|walked out|run off)|left (?:via|through|by) the|walked out|climbed out|"
    r"(?:neither|none of them|nor) (?:has |have |had )?(?:come|came|got|been) (?:back|home))\b",
    re.IGNORECASE)
# Weaker: how the episode began ("last seen at the bus station", "went out the back door"). Missing now only when
# nothing says the child is back: told beside a return, it describes the episode.
_HOW_IT_BEGAN = re.compile(
    r"\b(?:last seen|went off with|"
    r"(?:went|got|ran|slipped) out (?:of |through |via |by )?the (?:back |front |fire )?(?:door|window)|"
    r"lost sight of (?:her|him|them)|lost (?:her|him|them)(?= (?:in|at|near|on|outside|around|by)\b))\b",
    re.IGNORECASE)

# Weaker: the child is called missing and nothing says they are back ("lad missing 3 days", "misper 15yo").
_MISSING_WORD = re.compile(r"\b(?<!not )(?<!phone )(?<!phones )(?<!bag )(?<!money )(?<!keys )"
                           r"(?:missing|misper|mispers|mfh|mfc|awol|absconded|absconding|runaway)\b"
                           r"(?! (?:from |in )?(?:education|school|lessons|class|episodes?|incidents?|any ?more))",
                           re.IGNORECASE)
_PAST_MISSING = re.compile(r"\b(?:was|were|had been|'d been|went|after being|after going) (?:reported )?missing\b",
                           re.IGNORECASE)


# A found-word about an earlier episode: "he was found in a crack house last time", "she usually turns up".
_EARLIER_EPISODE = re.compile(r"\b(?:last time|the time before|previous(?:ly)?|before now|in the past|each time|b4|"
                              r"every time|usually|normally|always|other times|"
                              r"times? before|once (?:in|before|last|or twice)|twice|"
                              r"(?:both|all|several|many|a few|two|three|four|five|\d+) times|"
                              r"before(?=\s*(?:[,.;!?]|$|after\b|and\b|but\b|when\b|for\b)))\b", re.IGNORECASE)
# "told me why she ran away": the running away is what the child explained, not the state now.
_TOLD_WHY = re.compile(r"\b(?:told (?:me|us|staff|her \w+|his \w+|them)|explained|said|says) (?:why|where|how) "
                       r"(?:she|he|they|the \w+)(?: had)? $", re.IGNORECASE)
# Weaker, like _MISSING_WORD: "her bag's gone" says she left with it, unless a word says she is back.
_TOOK_THINGS = re.compile(r"\b(?:bag|bags|stuff|things|clothes|belongings)(?:'s| has| have| is| are)? gone\b",
                          re.IGNORECASE)
# "his phone is still missing": a thing, not the child.
_A_THING = re.compile(r"\b" + _THINGS + r"(?:'s| is| are)? $", re.IGNORECASE)
# "the notification just come in", "mum came home", "staff only come in": someone or something else came back.
_SOMEONE_ELSE = re.compile(rf"\b(?:{_BELONGINGS}|{_PETS}|{_PAPERS}|notifications?|calls?|referrals?|reports?|"
                           r"messages?|results?|replies|reply|response|staff|police|officers?|workers?|nurses?|"
                           r"doctors?|mum|dad|parents?|managers?)"
                           r"(?:'s| is| are| has| have| had| was| were| just| only| finally| then| all| both)* $",
                           re.IGNORECASE)
# "the mates all came home at 6 without him": someone came back, not the child.
# (used with .match from the found-word's end)
_WITHOUT_THE_CHILD = re.compile(r"(?:\W+\w+){0,3}?\W+without (?:him|her|them)\b", re.IGNORECASE)
# Found-words whose subject is the finder ("police found her", "police returned him"), unlike "came back".
_FINDER_VERBS = ("found", "located", "traced", "picked", "brought", "returned", "taken")
# "when she comes back ... right now I need to know who to tell": the question is about now.
_NEEDS_NOW = re.compile(r"\b(?:right now|for now|at the moment|in the meantime|meanwhile)\b", re.IGNORECASE)
# "came home after being out all night": the missing part is over.
_AFTER = re.compile(r"\bafter (?:being |going |a night |a day |two nights |\w+ nights? )?$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;!?\n,]|\s(?:but|and now|now)\b")
# "hes missing again, only came back last week": gone again now, beside a return told after it. Which came
# last cannot be read from the words ("she's awol again. Police brought her back last night"): ask.
_GONE_AGAIN_NOW = re.compile(r"\b(?:is|are|'s|'re|hes|shes|theyre|has|have|just) (?:\w+ )?(?:gone |run |been )?"
                             r"(?:missing|gone|off|awol|out|away) again\b", re.IGNORECASE)
# ... but never one said of now: "found this morning", "back today", "came home last night"
_NOW = re.compile(r"\b(?:this (?:morning|afternoon|evening)|today|tonight|now|just|yesterday|last night|earlier|"
                  r"again|at \d)", re.IGNORECASE)


def _clause(text: str, start: int, end: int) -> Tuple[int, int]:
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    following = _CLAUSE_END.search(text, end)
    return clause_start, following.start() if following else len(text)


def _said_of_now(text: str, start: int, end: int) -> bool:
    return bool(_NOW.search(text, *_clause(text, start, end)))


def _about_an_earlier_episode(text: str, start: int, end: int) -> bool:
    return bool(_EARLIER_EPISODE.search(text, *_clause(text, start, end))) and not _said_of_now(text, start, end)


def child_state(text: str) -> ChildState:
    """What the message says about the child now: still missing, found or back, or not said."""
    missing = [match.span() for pattern in (_STILL_MISSING, _UNTIL_FOUND) for match in pattern.finditer(text)
               if not _AFTER.search(text[max(0, match.start() - 30):match.start()])
               and not _TOLD_WHY.search(text[max(0, match.start() - 30):match.start()])
               and not _A_THING.search(text[max(0, match.start() - 20):match.start()])]
    cancelled = {match.end() for pattern in (_NOT_YET_FOUND, _TO_RETURN, _WHEN_FOUND, _UNTIL_FOUND)
                 for match in pattern.finditer(text)}
    found_words = [match for match in _FOUND_WORD.finditer(text) if match.end() not in cancelled
                   and not any(start <= match.start() < end for start, end in missing)
                   and not (_SOMEONE_ELSE.search(text[max(0, match.start() - 30):match.start()])
                            and not match.group().lower().startswith(_FINDER_VERBS))
                   and not _WITHOUT_THE_CHILD.match(text, match.end())]
    found_now = [match for match in found_words if not _about_an_earlier_episode(text, match.start(), match.end())]
    still_missing = bool(missing)
    if found_now and not still_missing:
        return ChildState.FOUND
    if still_missing and not found_now:
        return ChildState.MISSING
    if found_now and still_missing:
        # "went missing on Friday, came back this morning": the latest word decides.
        last_found = found_now[-1]
        last_missing = max(start for start, _ in missing)
        if last_found.start() > last_missing:
            return ChildState.UNCLEAR if gone_again_beside_a_return(text) else ChildState.FOUND
        return ChildState.MISSING
    if not found_now and (_HOW_IT_BEGAN.search(text) or (
            (_MISSING_WORD.search(text) or _TOOK_THINGS.search(text)) and not _PAST_MISSING.search(text))):
        return ChildState.MISSING
    if found_words and not found_now:
        # "she was found at a party last time, who do I tell tonight?": an earlier return is told only
        # while the child is away again
        return ChildState.MISSING
    return ChildState.UNCLEAR


# Words that name a child or young person; without one, "the charger has gone missing" is about the charger.
_A_CHILD = re.compile(r"\b(?:child|children|kids?|son|daughter|girl|boy|lad|lass|yp|young (?:person|people)|teen\w*|"
                      r"pupil|student|baby|toddler|infant|niece|nephew|grandson|granddaughter|brother|sister|"
                      r"\d+ ?(?:yo|y/o|yr|yrs|year)|year old|looked after|lac|cic|cla|uasc|foster|misper|resident|"
                      r"patient|person|someone|he|she|him|his|her|hers|they|them|their)\b", re.IGNORECASE)
# A belonging or a pet as what is missing or found: "the charger has gone missing", "found my car keys", "our
# dog ... hasn't come back".
_A_THING_GONE = re.compile(
    rf"\b(?:{_BELONGINGS}|{_PETS})(?:'s| is| are| has| have| was| were| had)?(?: \w+)? "
    r"(?:gone |went |been |go )?missing\b|"
    rf"\bfound (?:my|our|your|the|a|an|his|her|their) (?:\w+ )?(?:{_BELONGINGS}|{_PETS})\b|"
    rf"\b(?:{_PETS})\b.{{0,60}}\b(?:hasn'?t|has not|not|never) (?:come|came) (?:back|home)\b", re.IGNORECASE)


def about_a_thing(text: str) -> bool:
    """"Our laptop charger has gone missing", "my dog slipped its lead and hasn't come back": a belonging or a pet
    is what is missing or found, and no child, young person or pronoun is named."""
    return bool(_A_THING_GONE.search(text)) and not _A_CHILD.search(text)


def gone_again_beside_a_return(text: str) -> bool:
    """"She's awol again. Police brought her back last night": gone again now, and a return told after it."""
    again = _GONE_AGAIN_NOW.search(text)
    return bool(again and _FOUND_WORD.search(text, again.end()))


def _short_and_unsure(text: str, ranking: List[Dict]) -> bool:
    confidence = float(ranking[0].get("confidence") or 0.0) if ranking else 0.0
    return len(text.split()) <= SHORT_MESSAGE_WORDS and confidence < UNSURE


def asks_ahead(text: str) -> bool:
    """"When she's found, what do I do?": the found checklist is what is asked for, whatever the state now,
    unless the message also asks what to do now ("right now I just need to know who to tell")."""
    return bool(_WHEN_FOUND.search(text)) and not _NEEDS_NOW.search(text)


def doubted(text: str, checklist: str, second_opinion: Mapping[str, float] | None) -> bool:
    """Whether the learned second opinion (bot.nlu.state_classifier) says the opposite state to `checklist`."""
    if not second_opinion or checklist not in CHECKLIST_STATE or (checklist == FOUND_INTENT and asks_ahead(text)):
        return False
    opposite = CHECKLIST_STATE[FOUND_INTENT if checklist == MISSING_INTENT else MISSING_INTENT]
    return second_opinion.get(opposite, 0.0) >= DOUBT


def corrected_intent(text: str, top: str | None, ranking: List[Dict], situation: AbstractSet[str] = frozenset(),
                     second_opinion: Mapping[str, float] | None = None) -> str | None:
    """The intent to use instead of `top`, or None to keep it. `situation`: the care status and concerns named;
    `second_opinion`: the learned state's probabilities, which turn a checklist they contradict into a question."""
    corrected = _ruled_intent(text, top, ranking, situation)
    return ASK_INTENT if doubted(text, corrected or top or "", second_opinion) else corrected


def _ruled_intent(text: str, top: str | None, ranking: List[Dict], situation: AbstractSet[str]) -> str | None:
    if top in (MISSING_INTENT, FOUND_INTENT) and about_a_thing(text):
        return THING_INTENT
    state = child_state(text)
    if top in (MISSING_INTENT, FOUND_INTENT) and state is ChildState.UNCLEAR and gone_again_beside_a_return(text):
        return ASK_INTENT
    if state is not ChildState.UNCLEAR and _short_and_unsure(text, ranking):
        # "child missing", "found him": the state words are the whole message; the word weights are unsure.
        checklist = MISSING_INTENT if state is ChildState.MISSING else FOUND_INTENT
        named_kind = state is ChildState.MISSING and bool(MISSING_KINDS.get(top or "", set()) & situation)
        if named_kind or WALKTHROUGH_FOR.get(top or "") == state.value:
            # "14yo absconded from ED", "still missing, walk me through it": the classifier's choice fits the state
            return top
        shortlisted = checklist in [item.get("name") for item in ranking[:SHORTLIST]]
        if shortlisted or len(text.split()) <= FRAGMENT_WORDS:
            return checklist  # also when it is already on top, to lift it clear of the fallback
    if top in WALKTHROUGH_FOR:  # "back from missing checklist?": the walkthrough for the state said
        if state is not ChildState.UNCLEAR and state.value != WALKTHROUGH_FOR[top] and not asks_ahead(text):
            return next(intent for intent, for_state in WALKTHROUGH_FOR.items() if for_state == state.value)
        return None
    if top not in (MISSING_INTENT, FOUND_INTENT):
        return None
    if top == FOUND_INTENT and state is ChildState.MISSING and not asks_ahead(text):
        return MISSING_INTENT
    if top == MISSING_INTENT and state is ChildState.FOUND:
        return FOUND_INTENT
    if state is ChildState.UNCLEAR and not asks_ahead(text) and len(ranking) > 1:
        first, second = ranking[0], ranking[1]
        checklists = {first.get("name"), second.get("name")} == {MISSING_INTENT, FOUND_INTENT}
        if checklists and float(first.get("confidence") or 0) - float(second.get("confidence") or 0) < CLOSE_CALL:
            return ASK_INTENT
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ChildStateGuard(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if text.startswith("/"):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            situation = {entity.get("value") for entity in message.get(ENTITIES) or []
                         if entity.get("entity") in SITUATION_ENTITIES}
            corrected = corrected_intent(text, intent.get("name"), ranking, situation, message.get(LEARNED_STATE))
            if corrected is None:
                continue
            # The corrected intent takes the top confidence: the state words are surer than the word weights. The
            # checklist the message contradicts leaves the ranking, so the two are never a tie to fall back on.
            dropped = {corrected} | ({MISSING_INTENT, FOUND_INTENT} if corrected in (MISSING_INTENT, FOUND_INTENT,
                                                                                     ASK_INTENT) else set())
            if corrected in WALKTHROUGH_FOR:
                dropped |= set(WALKTHROUGH_FOR)
            if corrected in MISSING_KINDS:
                dropped.add(FOUND_INTENT)
            rest = [item for item in ranking if item.get("name") not in dropped]
            # clear of the runner-up too, so the fallback never calls the two a tie
            runner_up = float(rest[0].get("confidence") or 0.0) if rest else 0.0
            confidence = min(1.0, max(float(intent.get("confidence") or 0.0), 0.5, runner_up + MARGIN))
            top = {"name": corrected, "confidence": confidence}
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *rest], add_to_output=True)
        return messages
