"""Rasa NLU component: messages describing immediate danger always get the 999 answer.

A classifier can be unsure about an emergency written in words it never saw;
these patterns cannot. When one matches (and the message does not say the
child is *not* in danger), the intent becomes `immediate_danger` with full
confidence, ahead of the classifier's guess and of the fallback. A false
alarm costs a practitioner one extra reply; a missed emergency could cost a
child's life.
"""
from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component import StatelessComponent

INTENT_NAME = "immediate_danger"

_WEAPON = r"(knife|knives|machete|blade|gun|firearm|weapon)"
# who is attacking the child: a person, never "her knee is hurting her"
_ATTACKER = (r"(someone|somebody|some(one|body) else|he|she|they|a man|men|a woman|people|lads|boys|a gang|"
             r"the (man|men|lads|boys|gang|group)|((\w+'s|her|his|their|the) )?(boyfriend|girlfriend|dad|father|mum|"
             r"mother|stepdad|stepfather|stepmum|partner|brother|uncle|cousin|ex|mate|friend)s?)")
DANGER_PATTERNS = [
    rf"\b(has|had|got|with|carrying|holding|pulled|waving|threatening \w+ with) (a |an |his |her )?{_WEAPON}",
    r"\b(stabb(ed|ing)|been shot|shooting at)\b",
    r"\b(kill(ing)?|hang(ing)?|hurt(ing)?|harm(ing)?|cut(ting)?|stab(bing)?) (him|her|them|my)sel(f|ves)\b",
    r"\bsuicid(e|al)\b",
    r"\b(overdos(e|ed|ing)|paracetamol|taken (a load of |loads of |some )?(pills|tablets))\b",
    r"\b(jump(ing)? (off|from)|on the (roof|bridge|ledge)|(threaten\w*|going) to jump)\b",
    r"\b(being|getting) (beaten|attacked|assaulted|hurt|raped|stabbed|threatened|abused)\b",
    r"\b(dragg\w*|forc\w*|bundl\w*|push\w*|pull\w*) (\w+ ){0,3}into (a|the|an|his|their) (car|van|vehicle)\b",
    # not "Child Abduction Warning Notice", a police power the assistant explains
    r"\b(kidnap\w*|abduct\w*(?! warning)|held against (his|her|their) will|won'?t let (him|her|them) leave)\b",
    r"\b(unconscious|not breathing|unresponsive|collapsed|bleeding)\b",
    r"\b(in|at) (immediate|imminent|serious) (danger|risk)\b",
    r"\bin danger (right )?now\b",
    r"\bgoing to (be )?(killed|hurt|attacked|raped)\b",
    # told by the child or a witness, as it happens: "someone is hurting her", "her boyfriend's hitting her"
    rf"\b{_ATTACKER}( is| are|'s|'re) (hurting|beating|attacking|hitting|punching|kicking|threatening|raping|"
    r"abusing|strangling|choking|stabbing) (him|her|them|me|us)\b",
    r"\bscreaming for help\b|\b(hear|heard|hearing) (him|her|them) screaming\b",
    r"\b(seen |just )(getting|got|get|being put) into an? (car|van|vehicle|taxi) with "
    r"(an? |two |three |some |several )?(adult|older|unknown|strange)? ?(male|man|men|males|adults?)\b",
    # a goodbye or a picture of the means: "sent a pic of pills saying goodbye", "she texted me goodbye"
    r"(?<!without )(?<!before )\bsaying (goodbye|bye forever)\b|"
    r"\b(texted|sent|posted|messaged)( me| us| her \w+| his \w+)? ['\"‘“]?(goodbye|bye forever)\b|"
    r"\bgoodbye (message|text|note|post)\b",
    r"\b(pic|pics|photo|photos|picture|video) of (pills|tablets|a knife|knives|blood|a rope|a noose|"
    r"(her|his|their) cut)\b|\bcut (her|his|their) wrists\b",
    r"\b(wants?|wanting|going) to die\b|\bend (it all|her life|his life|their life)\b",
    r"\b(it'?s|it is|this is) happening (right )?now\b",
]
NEGATIONS = [
    r"\b(not|isn'?t|aren'?t|no longer) (in|at) (immediate |imminent |any )?(danger|risk)\b",
    r"\bno (immediate |imminent )?(danger|risk)\b",
]
_DANGER = re.compile("|".join(f"(?:{p})" for p in DANGER_PATTERNS), re.IGNORECASE)
_NEGATION = re.compile("|".join(f"(?:{p})" for p in NEGATIONS), re.IGNORECASE)


def describes_immediate_danger(text: str) -> bool:
    """A danger phrase outside any "not in danger" phrase: a negation cancels only itself."""
    return bool(_DANGER.search(_NEGATION.sub(" ", text)))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ImmediateDangerOverride(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or not describes_immediate_danger(text):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INTENT_NAME]
            top = {"name": INTENT_NAME, "confidence": 1.0}
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
        return messages
