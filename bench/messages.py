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
