from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.immediate_danger import ImmediateDangerOverride, describes_immediate_danger


@pytest.mark.parametrize(
    "text",
    [
        "yp says shes taken a load of paracetamol an hour ago",
        "she's on the roof of the home saying she'll jump",
        "someone is dragging a girl into a van outside school",
        "i think she's going to be killed",
        "14 yr old being beaten up right now in the car park",
        "he's got a knife and is threatening staff",
        "she texted that she wants to kill herself",
        "he's unconscious in the park",
        "the child is in immediate danger",
        "a man won't let her leave his flat",
        "she's cutting herself in the bathroom",
        "not in danger from us but he has a knife",
        "child in immediate danger, no risk to staff",
        "she just rang me screaming that someone is hurting her",
        "her boyfriend's hitting her, I can hear it on the phone",
        "a man is threatening him outside the shop, it's happening now.",
        "yp missing sent a pic of pills saying goodbye",
        "missing girl 13 just seen getting into a van with adult male 5 mins ago",
        "her mum's boyfriend is hitting her right now", "the lads are beating him up outside",
        "seen getting into a car with two men 5 mins ago", "she texted me goodbye",
        "she's texted saying she wants to die", "he's going to end it all tonight",
        "sent a photo of her cut wrists",
        "she posted a goodbye message on snapchat an hour ago",
    ],
)
def test_emergencies_are_recognised(text: str) -> None:
    assert describes_immediate_danger(text)


@pytest.mark.parametrize(
    "text",
    [
        "who do I notify if a child goes missing",
        "no, she's not in immediate danger",
        "what are the signs of criminal exploitation",
        "when does the RHI have to happen",
        "he has two phones and cash",
        "no immediate risk, she's with her nan",
        "what is a Child Abduction Warning Notice?",
        "can police issue a child abduction warning notice to her boyfriend",
        "what's happening now she's back?",
        "she said someone was hurting her last year",
        "what is happening now with the return interview?",
        "she said goodbye to her key worker and left for school",
        "she left the unit without saying goodbye", "her knee is hurting her after she fell",
        "not sure what's happening now", "she was screaming that she hates us before she left yesterday",
    ],
)
def test_ordinary_questions_are_left_to_the_classifier(text: str) -> None:
    assert not describes_immediate_danger(text)


def test_override_puts_immediate_danger_first() -> None:
    message = Message.build(text="she's just said she's going to jump off the bridge")
    message.set("intent", {"name": "why_missing", "confidence": 0.4})
    message.set("intent_ranking", [{"name": "why_missing", "confidence": 0.4},
                                   {"name": "immediate_danger", "confidence": 0.3}])
    [processed] = ImmediateDangerOverride({}).process([message])
    assert processed.get("intent") == {"name": "immediate_danger", "confidence": 1.0}
    names = [entry["name"] for entry in processed.get("intent_ranking")]
    assert names == ["immediate_danger", "why_missing"]


def test_button_payloads_are_not_overridden() -> None:
    message = Message.build(text="/deny")
    message.set("intent", {"name": "deny", "confidence": 1.0})
    [processed] = ImmediateDangerOverride({}).process([message])
    assert processed.get("intent")["name"] == "deny"
