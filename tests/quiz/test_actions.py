"""The quiz actions, on trackers from tests.fixtures.tracker_for and an isolated SQLite database."""
from __future__ import annotations

import asyncio
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.quiz import (
    ActionQuizAnswer,
    ActionQuizContinue,
    ActionQuizJoinClass,
    ActionQuizStart,
    ActionQuizStop,
)
from bot.quiz import service
from bot.quiz.classes import Classes
from bot.quiz.engine import QuizState
from tests.fixtures import tracker_for

RUN = ["out_of_area_return", "boy_new_phone", "police_no_safe_and_well"]  # the file order; answers b, c, b


@pytest.fixture(autouse=True)
def fixed_quiz(monkeypatch) -> None:
    monkeypatch.setenv("QUIZ_ORDER", "fixed")
    monkeypatch.setenv("QUIZ_LENGTH", "3")
    monkeypatch.setenv("PARTNERSHIP", "pan_cheshire")


def answer(letter: str, number: int, scenario: str | None = None) -> list:
    """The entities of an answer button; by default the button of question `number` of RUN."""
    return [{"entity": "quiz_choice", "value": letter}, {"entity": "quiz_question", "value": str(number)},
            {"entity": "quiz_scenario", "value": scenario or RUN[(number - 1) % len(RUN)]}]


def running(position: int = 0, **changes) -> dict:
    state = QuizState(run=RUN, position=position, runs=1, **changes)
    return {"quiz_active": True, "quiz_state": state.to_slot()}


def run(action, tracker_: Tracker) -> tuple:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return events, dispatcher.messages


def slot(events: list, name: str):  # noqa: ANN201
    values = [event["value"] for event in events if event.get("event") == "slot" and event["name"] == name]
    return values[-1] if values else "unset"


def test_start_asks_the_first_question_with_answer_buttons() -> None:
    events, messages = run(ActionQuizStart(), tracker_for("start_quiz"))
    assert slot(events, "quiz_active") is True
    assert QuizState.from_slot(slot(events, "quiz_state")).run == RUN
    [question] = messages
    assert question["text"].startswith("**Question 1 of 3: Placed from another county, back after two nights**")
    payloads = [button["payload"] for button in question["buttons"]]
    assert payloads[:4] == [f'/quiz_answer{{"quiz_choice":"{letter}","quiz_question":"1",'
                            f'"quiz_scenario":"out_of_area_return"}}' for letter in "abcd"]
    assert payloads[-1] == "/stop"
    assert question["buttons"][1]["title"] == "B. The placing authority's social care, within 72 hours"
    assert all(json.loads(p.split("/quiz_answer", 1)[1]) for p in payloads[:4])


def test_a_full_quiz_is_scored() -> None:
    slots = running()
    for number, letter in enumerate("bab", start=1):
        events, messages = run(ActionQuizAnswer(),
                               tracker_for("quiz_answer", entities=answer(letter, number), slots=slots))
        slots = {**slots, **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
    assert slots["quiz_active"] is False
    feedback, score = messages
    assert feedback["text"].startswith("✅ Correct: B. Refer your concern now and challenge the decision.")
    assert "a referral in its own right" in feedback["text"]
    assert "escalation policy (Pan Cheshire Escalation Policy" in feedback["text"]  # {{document:...}} filled
    assert "Source: DfE statutory guidance" in feedback["text"] and "College of Policing APP" in feedback["text"]
    reviewed = service.scenarios_by_id()["police_no_safe_and_well"].reviewed
    assert f"Last reviewed {reviewed:%d %B %Y}" in feedback["text"]
    assert score["text"].startswith("Quiz finished. Your score: 2 out of 3 (67%).")
    assert "14-year-old boy back with a new phone" in score["text"]  # the one to go over
    assert [b["payload"] for b in score["buttons"]] == ["/start_quiz", "/help"]


def test_a_wrong_answer_explains_why_with_local_values() -> None:
    events, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=answer("a", 1), slots=running()))
    feedback, next_question = messages
    text = feedback["text"]
    assert text.startswith("❌ Not quite. You chose A. The host area's police, within 7 days.")
    assert "The answer is **B. The placing authority's social care, within 72 hours**." in text
    assert "Source: DfE statutory guidance" in text and "West Cheshire LSCB multi-agency audit" in text
    assert "{{" not in text
    assert next_question["text"].startswith("**Question 2 of 3:")
    state = QuizState.from_slot(slot(events, "quiz_state"))
    assert (state.position, state.correct, state.answered) == (1, 0, 1)
    assert slot(events, "quiz_active") == "unset"


def test_an_old_button_does_not_answer_the_current_question() -> None:
    events, messages = run(ActionQuizAnswer(),
                           tracker_for("quiz_answer", entities=answer("b", 1), slots=running(position=1)))
    assert events == []
    assert messages[0]["text"].startswith("That button was for an earlier question or quiz, so it doesn't count.")
    assert "Question 2 of 3" in messages[0]["text"]


@pytest.mark.parametrize("scenario", ["gp_never_told", None])
def test_a_button_from_another_run_is_not_scored_or_stored(db_url, scenario) -> None:
    """Question 2 of an earlier run was another scenario: its button must not answer this run's question 2,
    nor be stored for the class (nor a button without a scenario, from before they carried one)."""
    code = Classes(db_url).create().code
    slots = {**running(position=1, class_code=code), "quiz_class": code}
    entities = [e for e in answer("a", 2, scenario) if scenario or e["entity"] != "quiz_scenario"]
    events, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=entities, slots=slots))
    assert events == []
    [message] = messages
    assert message["text"].startswith("That button was for an earlier question or quiz")
    assert "Question 2 of 3: 14-year-old boy back with a new phone" in message["text"]
    from bot.content import scenarios
    from bot.quiz import results

    assert results.class_results(code, scenarios.load(), Classes(db_url)).participants == 0


def test_an_answer_with_no_quiz_running() -> None:
    events, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=answer("b", 1)))
    assert events == [] and "There is no quiz running" in messages[0]["text"]
    events, _ = run(ActionQuizAnswer(),
                    tracker_for("quiz_answer", entities=answer("b", 4), slots=running(position=3)))
    assert slot(events, "quiz_active") is False


def test_continue_shows_the_current_question_again() -> None:
    events, messages = run(ActionQuizContinue(), tracker_for("continue_quiz", slots=running(position=2)))
    assert events == [] and messages[0]["text"].startswith("Back to the quiz:\n\n**Question 3 of 3:")
    events, messages = run(ActionQuizContinue(), tracker_for("continue_quiz"))
    assert "There is no quiz running" in messages[0]["text"]


def test_stop_gives_the_score_so_far() -> None:
    slots = running(position=1, correct=1, answered=1)
    events, messages = run(ActionQuizStop(), tracker_for("stop", slots=slots))
    assert events == [SlotSet("quiz_active", False)]
    assert messages[0]["text"].startswith("Quiz stopped. Your score so far: 1 out of 1 (100%), with 2 questions")
    _, messages = run(ActionQuizStop(), tracker_for("stop", slots=running()))
    assert messages[0]["text"].startswith("Quiz stopped before any answers.")


def test_joining_a_class_and_answering_in_it(db_url) -> None:
    classes = Classes(db_url)
    code = classes.create("Session 12 Nov").code
    events, messages = run(ActionQuizJoinClass(), tracker_for(
        "join_class", entities=[{"entity": "class_code", "value": code.lower()}], text=f"join class {code.lower()}"))
    assert events == [SlotSet("quiz_class", code)]
    assert f"You've joined class {code} (Session 12 Nov)" in messages[0]["text"]
    assert "never stored" in messages[0]["text"]

    _, messages = run(ActionQuizStart(), tracker_for("start_quiz", slots={"quiz_class": code}))
    assert messages[0]["text"].startswith(f"Class {code}: your answers are added")

    slots = {**running(class_code=code), "quiz_class": code}
    run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=answer("a", 1), slots=slots, sender="teams-conv-7"))
    from bot.content import scenarios
    from bot.quiz import results

    found = results.class_results(code, scenarios.load(), classes)
    assert found.participants == 1 and found.scenarios[0].common_wrong[0].choice == "a"

    classes.close(code)
    _, messages = run(ActionQuizJoinClass(), tracker_for("join_class", text=f"join class {code}"))
    assert f"Class {code} has closed" in messages[0]["text"]
    assert "call 999" in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/start_quiz", "/child_missing", "/help"]
    _, messages = run(ActionQuizStart(), tracker_for("start_quiz", slots={"quiz_class": code}))
    assert f"Class {code} has closed, so these answers are for your own practice only." in messages[0]["text"]


@pytest.mark.parametrize("closed", [True, False])
def test_starting_in_a_closed_or_unknown_class_leaves_the_class(db_url, closed) -> None:
    classes = Classes(db_url)
    code = classes.create().code if closed else "ZZZZ99"
    if closed:
        classes.close(code)
    events, messages = run(ActionQuizStart(), tracker_for("start_quiz", slots={"quiz_class": code}))
    assert slot(events, "quiz_class") is None
    assert QuizState.from_slot(slot(events, "quiz_state")).class_code is None
    assert "for your own practice only" in messages[0]["text"]
    # answering and finishing never claim the answers count for the class
    slots = {"quiz_active": True, "quiz_state": slot(events, "quiz_state"), "quiz_class": None}
    state = QuizState.from_slot(slots["quiz_state"])
    for number, scenario_id in enumerate(state.run, start=1):
        events, messages = run(ActionQuizAnswer(),
                               tracker_for("quiz_answer", entities=answer("a", number, scenario_id), slots=slots))
        slots = {**slots, **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
    assert messages[-1]["text"].startswith("Quiz finished.")
    assert "count towards class" not in messages[-1]["text"]


def test_a_class_closed_mid_run_stops_counting_and_says_so(db_url) -> None:
    classes = Classes(db_url)
    code = classes.create().code
    slots = {**running(class_code=code), "quiz_class": code}
    events, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=answer("b", 1), slots=slots))
    slots = {**slots, **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
    assert QuizState.from_slot(slots["quiz_state"]).stored == 1
    classes.close(code)
    events, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=answer("c", 2), slots=slots))
    assert slot(events, "quiz_class") is None
    assert f"Class {code} has closed, so your answers from now on are for your own practice only." in \
        messages[0]["text"]
    slots = {**slots, **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
    _, messages = run(ActionQuizStop(), tracker_for("stop", slots=slots))
    assert f"1 of your 2 answers count towards class {code}'s results" in messages[0]["text"]


def test_a_second_run_in_a_class_does_not_claim_to_count(db_url) -> None:
    code = Classes(db_url).create().code
    slots = {**running(class_code=code), "quiz_class": code}
    run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=answer("b", 1), slots=slots))
    # the same scenario again in a later run: the first answer stands, and the score says so
    events, _ = run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=answer("a", 1), slots=slots))
    stop_slots = {**slots, **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
    assert slot(events, "quiz_class") == "unset"  # the class is still open
    _, messages = run(ActionQuizStop(), tracker_for("stop", slots=stop_slots))
    assert f"These answers were not added to class {code}'s results" in messages[0]["text"]
    assert "count towards class" not in messages[0]["text"]


def test_joining_an_unknown_class_or_without_a_code(db_url) -> None:
    events, messages = run(ActionQuizJoinClass(), tracker_for("join_class", text="join class ZZZZ99"))
    assert events == [] and "I can't find a class with the code ZZZZ99" in messages[0]["text"]
    assert "If a child is in immediate danger, call 999." in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/child_missing", "/help"]
    events, messages = run(ActionQuizJoinClass(), tracker_for("join_class", text="how do I join a class"))
    assert events == [] and "type the code your trainer gave you" in messages[0]["text"]
    assert "call 999" in messages[0]["text"] and messages[0]["buttons"][0]["payload"] == "/child_missing"


def test_joining_when_the_database_is_down(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'q.db'}")
    events, messages = run(ActionQuizJoinClass(), tracker_for("join_class", text="join class K7P2QX"))
    assert events == [] and "I can't reach the class list just now" in messages[0]["text"]
    # and an answer in a class still gets its feedback
    slots = {**running(), "quiz_class": "K7P2QX"}
    _, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=answer("b", 1), slots=slots))
    assert messages[0]["text"].startswith("✅ Correct")
    assert service.record_answer("K7P2QX", "s", "x", "a", True) is False


@pytest.mark.parametrize("text", ["my postcode area is ab12cd and she's missing",
                                  "ref AB12CD - child missing from placement",
                                  "the child in class 4B2KQX hasn't come home"])
def test_a_missing_child_message_read_as_joining_gets_who_to_notify(db_url, text) -> None:
    """The NLU is trained not to do this (tests/conversations/test_quiz.yml); if it ever does, the answer is the
    child-missing one, not a reply about class codes."""
    events, messages = run(ActionQuizJoinClass(), tracker_for("join_class", text=text))
    assert events == []
    assert messages[0]["response"] == "utter_child_missing"
    assert "join class" in messages[1]["text"] and "can't find a class" not in str(messages)


@pytest.mark.parametrize("text", ["join class K7P2QX", "my class code is hp7x3m",
                                  "join class K7P2QX for the missing children training"])
def test_joining_is_not_taken_for_a_missing_child(db_url, text) -> None:
    _, messages = run(ActionQuizJoinClass(), tracker_for("join_class", text=text))
    assert "I can't find a class with the code" in messages[0]["text"]


@pytest.mark.parametrize("text, letter", [("b", "b"), ("B.", "b"), ("answer c", "c"), ("the second one", "b"),
                                          ("first", "a"), ("option 3", "c"), ("D", "d")])
def test_a_typed_letter_answers_the_current_question(text: str, letter: str) -> None:
    events, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", text=text, slots=running()))
    state = QuizState.from_slot(slot(events, "quiz_state"))
    assert state.position == 1 and state.answered == 1 and state.correct == int(letter == "b")
    assert messages[0]["text"].startswith("✅ Correct: B." if letter == "b" else "❌ Not quite.")
    assert f"{letter.upper()}. " in messages[0]["text"].splitlines()[0]


def test_a_typed_message_that_names_no_answer_asks_again() -> None:
    events, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", text="b and c", slots=running()))
    assert events == []
    assert messages[0]["text"].startswith("Please choose one of the answer buttons, or type its letter.")
    assert "Question 1 of 3" in messages[0]["text"]


def test_a_typed_letter_with_no_quiz_running_is_not_an_answer() -> None:
    events, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", text="b"))
    assert events == []
    assert "There is no quiz running just now, so I haven't taken that as a quiz answer." in messages[0]["text"]


@pytest.mark.parametrize("slots", [
    {"quiz_active": False, "quiz_state": QuizState(run=RUN, position=3, runs=1).to_slot()},  # finished
    {"quiz_active": False, "quiz_state": QuizState(run=RUN, position=1, runs=1).to_slot()},  # stopped
])
def test_a_button_from_an_ended_quiz_says_it_ended_and_offers_another(slots: dict) -> None:
    events, messages = run(ActionQuizAnswer(), tracker_for("quiz_answer", entities=answer("b", 2), slots=slots))
    assert events == []
    [message] = messages
    assert message["text"].startswith("That quiz has ended, so this answer doesn't count. Would you like to start")
    assert message["buttons"] == [{"title": "Start the quiz again", "payload": "/start_quiz"}]
    _, messages = run(ActionQuizContinue(), tracker_for("continue_quiz", slots=slots))
    assert messages[0]["text"].startswith("That quiz has ended. Would you like to start again?")


def test_not_sure_mid_quiz_shows_the_question_with_encouragement() -> None:
    events, messages = run(ActionQuizContinue(), tracker_for("unsure", text="not sure", slots=running(position=1)))
    assert events == []
    assert messages[0]["text"].startswith("No problem: take your best guess.")
    assert "Question 2 of 3" in messages[0]["text"]
