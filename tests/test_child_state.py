"""What a message says about the child now, and the checklist it may never get."""
from __future__ import annotations

import pytest

from bot.nlu.child_state import (
    ASK_INTENT,
    DOUBT,
    FOUND_INTENT,
    MISSING_INTENT,
    ChildState,
    ChildStateGuard,
    about_a_thing,
    child_state,
    corrected_intent,
)


@pytest.mark.parametrize("text", [
    "child missing", "my foster child is missing", "he hasn't come back", "still not home", "we haven't found her",
    "she's not been found yet, police are looking", "until he's found who is in charge", "lad missing 3 days",
    "he was meant to be back at 9, it's now 1am", "misper 15yo", "done a runner from the unit",
    "girl has left via the window", "no sign of him since lunch", "no one has found him yet",
    # a found-word about an earlier episode
    "he's missing again. He's 13 and was found in a crack house last time",
    "missing since 6pm, she usually turns up at her nan's",
    "she said she'd be back for tea, it's 10pm. She was found at a party last time and came back fine, but who "
    "do I tell tonight?",
    "son didn't come home last night. He's come back on his own before, but he isn't at his cousin's",
    "he's not home. He walked out once in year 8 and turned up at his nan's. Who do we contact now?",
    "still isn't back, it's gone 10. She went missing twice last year but came back both times by morning.",
    "she went missing last week and came back, now shes gone again tonight and not answering",
    "he's off again, came home on his own last time",
    "she's not home",
    "Just picked up a case from a colleague. The 15yo hasn't been home since Friday. Nobody's seen him.",
    "She ran off in the holidays and came back fine after a night. This time she's been gone since teatime.",
    "We found her phone on the bed and her bag's gone.",
    # words of the found kind about something else
    "Missing 14yo, she's home educated", "She's not come back, is her home safe to return to?",
    "Police found her friend but we don't know where she ran off to",
    "15yo missing since 8pm, seen being picked up by an older man in a car",
    "One of our lads hasn't come back from his home visit, he was due back at 6 and mum says he left at 3",
    "CLA 14 not back in placement, gone 6 hrs. been missing b4 and found at older boyfriends",
    # gone again now: the return told beside it was an earlier one
    "Police found our lad in a flat in another town last month. Now he's missing from the home again.",
    "Got him back last month after 4 days, now he hasn't turned up since yesterday.",
    "mum came home and she still isn't back",
    # someone or something else came in
    "Police notification just come in for a 12 year old reported missing by dad at 6am",
    "Two of our young people went out together straight after tea and neither has come back.",
    "He went to the cinema with mates at 3 and the mates all came home at 6 without him. They say he went off with "
    "some older boys.",
    "kid gone from foster placement", "she never came back from the dentist, mum dropped her off at 2",
])
def test_still_missing(text) -> None:
    assert child_state(text) is ChildState.MISSING


@pytest.mark.parametrize("text", [
    "found him", "Child found", "she turned up at school", "came back last night", "he's back",
    "was missing overnight, came home at 7am", "police located her at 11pm", "no longer awol",
    "he's not missing anymore", "back home after being missing since tuesday", "was missing, now home",
    "last time it took a week, but she came back this morning",
    "my foster son came home after being out all night, what now",
    # a found-word said of now, even beside an earlier episode
    "She went missing last week and was found this morning.", "He turned up this morning, like he always does.",
    "Police found him in a crack house, like last time.", "He came home yesterday after going missing the week before.",
    "She has come back.", "He has come home.",
    "she came back before midnight",
    "carer rang to say the yp we logged missing earlier is home", "she's home", "they're home safe",
    "back from missing, what now", "hes back. police have closed the misper", "police picked her up at 3am",
    "child home safe after missing, do I still tell the SW?",
    "back but phone missing", "back, what now",
    "girl came back to school and told me why she ran away, it's her stepdad",
    # words of the missing kind about another time or someone else
    "She came back this morning. How do we stop her going missing again?",
    "He's back. What should I do if he goes missing again?",
    "She's back now, she had been gone since Friday", "Police found her this morning, she'd been gone three days",
    "He came home last night but hasn't been seen by a doctor yet",
    "He came back. His phone is still missing though",
    "Police found her this morning but her bag is missing", "She came back but her stuff is gone",
    "S&W not done, back since yesterday", "14yo missing for 36 hours, back this morning, CSE concerns",
    "she went missing again on Friday and came back on Sunday, RHI?",
    "police found him on Saturday night. He's home with us now. This is the first time he's ever gone missing.",
    "the 12 year old who went missing yesterday after school was found by her dad and taken back to placement",
    "A 15 year old boy reported missing by his mum two days ago has just walked up to the front counter",
    "15 year old brought in by police after being found in a car park, he'd been a misper for about a day",
    "she never came back that night, police found her on Sunday",
    "During a catch-up after her missing episode last week, a Year 7 girl told me why she goes to her nan's",
    "A girl in Year 9 has gone missing from home four times this term. She's at home and in school now.",
])
def test_found_or_back(text) -> None:
    assert child_state(text) is ChildState.FOUND


@pytest.mark.parametrize("text", [
    "what is a return home interview", "who do i notify", "missing from education", "I found out he was in care",
    "police said ring back in 24hrs",
    "Foster carer got home at 5 and she wasn't there", "Police checked dad's address, dad was home",
    "found my car keys lol ignore", "his phone turned up in the park", "we found the number for the EDT",
    "push back on that", "worried he's been taken back by traffickers",
    "she had gone from home twice before",
])
def test_not_said(text) -> None:
    assert child_state(text) is ChildState.UNCLEAR


def ranking(*pairs: tuple) -> list:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_the_found_checklist_is_never_given_for_a_child_still_missing() -> None:
    guess = ranking((FOUND_INTENT, 0.8), (MISSING_INTENT, 0.1))
    assert corrected_intent("we haven't found her yet, what else should I do", FOUND_INTENT, guess) == MISSING_INTENT
    # asking ahead for the found checklist is allowed
    assert corrected_intent("she's still missing, when she's found what do I do", FOUND_INTENT, guess) is None
    assert corrected_intent("when she turns up what do I do, she's still out there", FOUND_INTENT, guess) is None


def test_the_missing_checklist_is_never_given_for_a_child_found() -> None:
    guess = ranking((MISSING_INTENT, 0.7), (FOUND_INTENT, 0.2))
    assert corrected_intent("was missing overnight, came home at 7am", MISSING_INTENT, guess) == FOUND_INTENT


def test_asking_ahead_but_needing_to_know_now_gets_the_missing_checklist() -> None:
    guess = ranking((FOUND_INTENT, 0.6), (MISSING_INTENT, 0.3))
    text = "Her bag's gone. When she comes back do we do anything special? Right now I need to know who to tell."
    assert corrected_intent(text, FOUND_INTENT, guess) == MISSING_INTENT


def test_a_checklist_the_learned_state_contradicts_becomes_one_quick_question() -> None:
    text = "School nurse. During a catch-up after her missing episode last week she told me why she goes"
    guess = ranking((MISSING_INTENT, 0.6), (FOUND_INTENT, 0.2))
    doubting = {"missing": 0.1, "found": DOUBT + 0.05, "other": 0.25}
    assert corrected_intent("a year 7 girl told me something", MISSING_INTENT, guess, second_opinion=doubting) == (
        ASK_INTENT)
    # the rules' own correction is doubted too: the answer given, not the classifier's first guess, is checked
    assert corrected_intent("she has come back", MISSING_INTENT, guess,
                            second_opinion={"missing": DOUBT + 0.1, "found": 0.1, "other": 0.2}) == ASK_INTENT
    # agreeing, unsure, absent, or asked ahead: no question
    agreeing = {"missing": 0.05, "found": 0.9, "other": 0.05}
    assert corrected_intent(text, FOUND_INTENT, ranking((FOUND_INTENT, 0.6)), second_opinion=agreeing) is None
    unsure = {"missing": 0.4, "found": DOUBT - 0.05, "other": 0.05}
    assert corrected_intent("a year 7 girl told me something", MISSING_INTENT, guess, second_opinion=unsure) is None
    assert corrected_intent("a year 7 girl told me something", MISSING_INTENT, guess) is None
    ahead = "she's still missing, when she's found what do I do"
    assert corrected_intent(ahead, FOUND_INTENT, ranking((FOUND_INTENT, 0.8)),
                            second_opinion={"missing": 0.9, "found": 0.05, "other": 0.05}) is None
    # only the two checklists are doubted
    assert corrected_intent("who do I notify", "who_to_notify", ranking(("who_to_notify", 0.8)),
                            second_opinion={"missing": 0.9, "found": 0.05, "other": 0.05}) is None


def test_the_walkthrough_for_the_other_state_is_never_started() -> None:
    guess = ranking(("start_missing_walkthrough", 0.77), ("start_found_walkthrough", 0.15))
    assert corrected_intent("back from missing checklist?", "start_missing_walkthrough", guess) == \
        "start_found_walkthrough"
    assert corrected_intent("missing checklist please", "start_missing_walkthrough", guess) is None
    found_guess = ranking(("start_found_walkthrough", 0.7), ("start_missing_walkthrough", 0.2))
    assert corrected_intent("still not back, walk me through it", "start_found_walkthrough", found_guess) == \
        "start_missing_walkthrough"


def test_a_close_call_with_no_state_said_asks_once() -> None:
    close = ranking((MISSING_INTENT, 0.41), (FOUND_INTENT, 0.35), ("return_interview", 0.1))
    assert corrected_intent("who do i tell", MISSING_INTENT, close) == ASK_INTENT
    clear = ranking((MISSING_INTENT, 0.7), (FOUND_INTENT, 0.2))
    assert corrected_intent("who do i tell", MISSING_INTENT, clear) is None
    other_topic = ranking(("return_interview", 0.5), (FOUND_INTENT, 0.45))
    assert corrected_intent("who does it", "return_interview", other_topic) is None


def test_a_short_message_that_says_the_state_is_taken_at_its_word_when_the_classifier_is_unsure() -> None:
    unsure = ranking(("training", 0.3), (MISSING_INTENT, 0.25), (FOUND_INTENT, 0.2))
    assert corrected_intent("child missing", "training", unsure) == MISSING_INTENT
    assert corrected_intent("found him", "training", unsure) == FOUND_INTENT
    assert corrected_intent("found him", "greet", ranking(("greet", 0.38), ("affirm", 0.15))) == FOUND_INTENT
    low = ranking((MISSING_INTENT, 0.23), ("training", 0.11))
    assert corrected_intent("child missing", MISSING_INTENT, low) == MISSING_INTENT  # lifted clear of the fallback
    sure = ranking(("return_interview", 0.8), (MISSING_INTENT, 0.1))
    assert corrected_intent("missing child rhi", "return_interview", sure) is None
    long_message = "the child is missing and I need to know about the training course dates for next month please"
    assert corrected_intent(long_message, "training", unsure) is None


def test_a_short_message_keeps_a_more_specific_missing_answer_or_the_walkthrough_it_asked_for() -> None:
    unsure = ranking(("left_hospital", 0.3), (MISSING_INTENT, 0.25), (FOUND_INTENT, 0.1))
    assert corrected_intent("14yo absconded from ED", "left_hospital", unsure, {"hospital"}) == "left_hospital"
    # a fragment that names no hospital: the classifier's guess at a kind is noise
    assert corrected_intent("missing since friday", "left_hospital", unsure) == MISSING_INTENT
    # found, not missing: the found checklist still wins over an answer for a child missing from a ward
    assert corrected_intent("she's back from A&E", "left_hospital", unsure, {"hospital"}) == FOUND_INTENT
    walkthrough = ranking(("start_missing_walkthrough", 0.3), (MISSING_INTENT, 0.25))
    assert corrected_intent("still missing, walk me through it", "start_missing_walkthrough", walkthrough) == \
        "start_missing_walkthrough"


def test_the_guard_lifts_the_kept_answer_clear_and_drops_the_found_checklist() -> None:
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": "14yo absconded from ED",
                            "intent": {"name": "left_hospital", "confidence": 0.3},
                            "entities": [{"entity": "concern", "value": "hospital", "start": 19, "end": 22}],
                            "intent_ranking": ranking(("left_hospital", 0.3), (FOUND_INTENT, 0.28),
                                                      (MISSING_INTENT, 0.25))})
    ChildStateGuard({}).process([message])
    assert message.get("intent") == {"name": "left_hospital", "confidence": 0.5}
    assert FOUND_INTENT not in [item["name"] for item in message.get("intent_ranking")]


@pytest.mark.parametrize("text", [
    "Our team laptop charger has gone missing from the office again - who do I report it to?",
    "My dog slipped its lead on the field this morning and hasn't come back. Who do I call?",
    "found my car keys lol ignore",
])
def test_a_thing_or_a_pet_missing_with_no_child_named_is_out_of_scope(text) -> None:
    guess = ranking((MISSING_INTENT, 0.6), ("out_of_scope", 0.2))
    assert corrected_intent(text, MISSING_INTENT, guess) == "out_of_scope"


@pytest.mark.parametrize("text", [
    "his phone has gone missing and so has he", "the dog came back but my son hasn't", "our 14yo took the dog and "
    "hasn't come back", "she's gone missing with her bag", "misper with a dog",
    # a pronoun may be the child's: never declined on a guess
    "missing. found his phone in his room though", "My dog slipped her lead and hasn't come back",
])
def test_a_child_named_beside_a_thing_keeps_the_checklist(text) -> None:
    guess = ranking((MISSING_INTENT, 0.6), ("out_of_scope", 0.2))
    assert corrected_intent(text, MISSING_INTENT, guess) != "out_of_scope"


@pytest.mark.parametrize("text", [
    "hes missing again, only came back last week after 4 days",
    "She's awol again. Police brought her back last night",
    "Hes gone missing again last night, police found him in Leeds and brought him back",
])
def test_gone_again_now_beside_a_return_told_after_it_asks_rather_than_guess(text) -> None:
    assert child_state(text) is ChildState.UNCLEAR
    for checklist in (MISSING_INTENT, FOUND_INTENT):
        assert corrected_intent(text, checklist, ranking((checklist, 0.8), ("repeat_missing", 0.1))) == ASK_INTENT


@pytest.mark.parametrize(("text", "state"), [
    # someone else arrested, or walking in to report, is not the child found
    ("Still missing. Police went to the address and the man was arrested.", ChildState.MISSING),
    ("No sign of her since Sunday. The adult she was seen with has been arrested.", ChildState.MISSING),
    ("Her foster carer walked into the police station to report her missing", ChildState.MISSING),
    ("I walked into the station to report him missing", ChildState.MISSING),
    ("15yo should have been back yesterday by 9pm, no contact since", ChildState.MISSING),
    # how the episode began, told beside a return, is not the state now
    ("Found her this morning. She was last seen on Friday at the bus station, what goes in the RHI?",
     ChildState.FOUND),
    ("Came home at 3am. Last seen by staff at 9pm.", ChildState.FOUND),
    ("She's back now; she went off with an older male", ChildState.FOUND),
    ("Back now. Went out the fire door at 10pm", ChildState.FOUND),
    ("She's back home but she's missing school a lot", ChildState.FOUND),
    # a sibling or friend coming back with the child, or police returning the child
    ("Ran off Friday with her sister, her and her sister came home today", ChildState.FOUND),
    ("Police returned him to placement at 4am", ChildState.FOUND),
    ("Res worker. YP returned at 11pm with a new jacket nobody's seen before. Who needs informing?",
     ChildState.FOUND),
])
def test_the_review_s_readings(text, state) -> None:
    assert child_state(text) is state


@pytest.mark.parametrize("text", [
    "Amira missing since 6pm, phone off", "Missing since 10pm, phone switched off",
    "Tyler hasn't come back to placement, what's the policy?",
    "What information do police need for a missing from care report?", "AWOL from placement, who do I email?",
    "Ellie turned up, what paperwork?", "Jack found safe, who do I email?",
])
def test_a_child_named_only_by_name_is_never_taken_for_a_thing(text) -> None:
    assert not about_a_thing(text)
