"""Synthetic practitioner messages with labelled names, for training the name recogniser.

Names come from bot.privacy.names (Faker's locales and our supplement); the
templates are written here. None of this is the evaluation set
(tests/redaction/eval_messages.jsonl), which is hand-written and kept apart.
"""
from __future__ import annotations

import random
import re
from typing import List, Tuple

from bot.privacy.names import first_and_last_names

Example = Tuple[str, List[Tuple[int, int, str]]]

TEMPLATES = [
    "{F} has gone missing from the home again",
    "{N} hasn't come back to placement, who do I tell",
    "{F} didn't come home after school, mum is worried",
    "I'm the social worker for {N}, she went missing last night",
    "{F}'s mum rang to say he's not back",
    "police found {F} in town at 2am",
    "{N} (14) returned to placement this morning",
    "{F}, 15, is LAC and placed out of county",
    "can you tell me what to do, {F} has absconded from the unit",
    "Mrs {L} says her son {F} is missing",
    "Mr {L} reported {F} missing to 101",
    "foster carer {N} wants to know who to notify",
    "{F} and {F2} both went missing from the same home",
    "{F} keeps going missing with an older lad called {F2}",
    "she has been staying with {N} who is 23",
    "the RHI with {F} is booked for Thursday",
    "{F} refused to speak to Catch22 about the weekend",
    "{F} told me she was with {F2} at the park",
    "{N} is known to YOS and has gone missing",
    "I think {F} is being exploited by {N}",
    "{F} came back with a new phone and cash",
    "who should do the return interview for {F}",
    "{F} is placed with {N} in Manchester",
    "his name is {N}",
    "her name is {F} {L}",
    "the child is called {F}",
    "a boy named {F} has been missing since Friday",
    "it's about {N}, looked after child",
    "{F} {L} went missing from school at lunchtime",
    "spoke to {F}'s nan {F2}, she hasn't seen him",
    "{T} is the DSL at his school",
    "{N}, the IRO, needs to know",
    "{F} was found by BTP at Crewe station",
    "{F} said {F2} gave her the phone",
    "{F} is 13 and has been missing 3 times this month",
    "can I share what {F} told me with the GP",
    "{N} disclosed in the RHI that she's being made to sell drugs",
    "{F}'s social worker is off sick, who do I call",
    "hi im {F}s foster carer he's not come back",
    "update on {N}: back home safe",
    "{F} won't engage with anyone, what can I try",
    "{F} ran off from {F2}'s house",
    "missing child {N}",
    "YP {F} {L} missing overnight",
    "re {F}: police say low risk but I disagree",
    "{F} and her brother {F2} are both CiC",
    "dad {N} collected her from the station",
    "{F} has an older boyfriend called {F2}",
    "{F} {L}, {F2} {L2} and {F3} were all picked up together",
    "Hi, this is about {F}. She's been missing since yesterday",
    "{T} from the YOT says {F} has breached his order",
    "was {F} seen by the school nurse",
    "{F}'s brother {F2} thinks she's in Liverpool",
    "{L} family have moved and {F} is now missing",
    "we can't get hold of {F} or her mum {F2}",
    "the young person ({F}) has come home",
    "spoke with {F} today and she mentioned {N}",
    "{F} is in A&E after being found",
    "i'm worried about {F} {L} in year 9",
    "{N} missing again!! third time",
    "she was seen with {F} and {F2} near the shops",
    "he's been hanging around with {N} and {F2} {L2}",
    "picked up by {F} in a black car",
    "staying at {F}'s flat with {F2}",
    "spoke to {T} about {F}",
    "the young person, {F}, is 15",
    "{F}, {F2} and {F3} all went missing from the same unit",
    "contact for mum: {N}",
    "worker: {N}. child: {F2} {L2}",
    "Child: {N}. Carer: {T}.",
    "I'm {F}, the DSL, and one of our pupils {F2} hasn't come in",
    "my name is {N} and I'm a foster carer",
    "this is {F} from the YOS, {F2} breached curfew",
    "{F} from MASH said to ring you",
    "ring {F} on the duty desk",
    "ask for {T} at the home",
    "{F} texted {F2} at midnight",
    "our {F} is 14 and keeps running to {F2}'s",
    "we think {F} is with an older male known as {F2}",
    "they call him {F2}",
    "goes by {F}",
    "{L} is the surname, first name {F}",
    "surname {L}",
    "{F} {L} aged 13",
    "{F} (Y9) missing since lunch",
    "Dear {T}, {F} has returned",
    "FAO {N}",
    "cc {N} re {F2}",
    "{F} aka {F2}",
    "{F}?? still not back",
    "is {F} allowed to go to {F2}'s house",
    "can {F} stay with her nan {N}",
    "mum ({N}) and dad ({N2}) are separated",
    "brother {F} (17) and sister {F2} (12)",
]
FILLER_SENTENCES = [
    "Police and Social Care have been told.",
    "The MASH referral went in on Monday.",
    "Catch22 will do the return interview.",
    "I rang 101 and the EDT.",
    "She is known to CSE and YOS.",
    "Barnardo's are also involved.",
    "The GP and School Nurse don't know yet.",
    "Can you help?",
    "",
]
TITLES = ["Mr", "Mrs", "Ms", "Miss", "Dr", "Mr.", "Mrs."]
SLOT = re.compile(r"\{(F\d?|L\d?|N\d?|T)\}")


def _casing(rng: random.Random, name: str, mode: str) -> str:
    if mode == "lower":
        return name.lower()
    if mode == "upper":
        return name.upper()
    return name


def _fill(template: str, rng: random.Random, firsts: List[str], lasts: List[str], mode: str) -> Example:
    text, spans, last_end = "", [], 0
    for match in SLOT.finditer(template):
        text += template[last_end:match.start()]
        slot = match.group(1)
        if slot.startswith("F"):
            name = rng.choice(firsts)
            if rng.random() < 0.05:
                name = f"{name}-{rng.choice(firsts)}"
        elif slot.startswith("L"):
            name = rng.choice(lasts)
        elif slot.startswith("N"):
            name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        else:
            name = f"{rng.choice(TITLES)} {rng.choice(lasts)}"
        name = _casing(rng, name, mode)
        if slot == "T":
            title, _, surname = name.partition(" ")
            text += title + " "
            spans.append((len(text), len(text) + len(surname), "NAME"))
            text += surname
        else:
            spans.append((len(text), len(text) + len(name), "NAME"))
            text += name
        last_end = match.end()
    text += template[last_end:]
    return text, spans


def generate(count: int, seed: int = 7) -> List[Example]:
    rng = random.Random(seed)
    firsts, lasts = first_and_last_names()
    examples = []
    for _ in range(count):
        mode = rng.choices(["as_is", "lower", "upper"], weights=[70, 27, 3])[0]
        text, spans = _fill(rng.choice(TEMPLATES), rng, firsts, lasts, mode)
        if mode == "lower":
            text = text.lower()
        filler = rng.choice(FILLER_SENTENCES)
        if filler:
            if rng.random() < 0.5:
                text = f"{text}. {filler}"
            else:
                offset = len(filler) + 1
                text = f"{filler} {text}"
                spans = [(start + offset, end + offset, label) for start, end, label in spans]
        examples.append((text, spans))
    return examples
