"""What the simulated users type: practitioners for ours, starter-bot small talk for the peer."""
from __future__ import annotations

from typing import Tuple

PRACTITIONER_MESSAGES: Tuple[str, ...] = (
    "hi",
    "who do i notify if a looked after child goes missing",
    "what is a safe and well check",
    "when does the RHI have to happen",
    "a child in our care hasn't come home, what do I do",
    "what counts as missing versus absent",
    "how is the risk graded by the police",
    "what is the philomena protocol",
    "the young person has been found, what now",
    "what if the child refuses the return home interview",
    "signs of child sexual exploitation",
    "is this county lines? he keeps coming back with new phones",
    "can I share information without consent",
    "the child is in immediate danger",
    "she goes missing every weekend, is that repeat missing",
    "what are reasonable enquiries before reporting",
    "what's the EDT phone number",
    "a child placed here from out of area is missing",
    "thanks",
    "bye",
)

PEER_MESSAGES: Tuple[str, ...] = (
    "hi",
    "I am sad",
    "yes",
    "hello there",
    "very sad",
    "no",
    "good morning",
    "I am great",
    "bye",
    "are you a bot?",
    "hey",
    "unhappy",
    "indeed",
    "perfect",
    "see you around",
    "am I talking to a human?",
    "good evening",
    "not good",
    "of course",
    "goodbye",
)

WARMUP_COUNT = 5

# Longer practitioner messages full of personal data (synthetic: 07700 900xxx is Ofcom's drama range),
# added to PRACTITIONER_MESSAGES for the redaction throughput measurement only.
REDACTION_MESSAGES: Tuple[str, ...] = (
    "Jayden Okafor (07700 900461) has gone missing from 22 Elm Grove, Chester CH1 4BJ. His mum Grace Okafor"
    " called at 11pm; his social worker is Priya Sharma on 07700 900123. Who do I tell first?",
    "Update on Amira Hussain, DOB 14/03/2010, NHS no 943 476 5919: she was seen with a man called Dean Walsh"
    " near Station Road in Warrington, his snap is chloe.x22. Is this CSE and should I ring 101?",
    "I'm the foster carer for Tyler-James O'Neill. He left 5 Clarence Court, Runcorn WA7 2QP on Saturday"
    " the 3rd and texted his girlfriend Mia Roberts from 07700 900987; email me at k.lewis@example.org.",
    "Ms Joanne McBride from the children's home says Kacey Brown and Leah Morgan went missing together again;"
    " Leah's dad Steven Morgan (07700 900555) thinks they're at 48 Derby Street, Crewe CW1 2AB.",
)
