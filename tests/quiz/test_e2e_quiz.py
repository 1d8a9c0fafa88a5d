"""End to end: the quiz through the real Rasa and action servers over REST (as Teams or the web chat would).

`rasa test core` (tests/conversations/test_quiz.yml) cannot run custom actions, so what the quiz
says, scores and stores is proven here. QUIZ_ORDER=fixed and QUIZ_LENGTH=3 make the run the
first three scenarios of data/scenarios/core.yml: answers b, c, b.
"""
from __future__ import annotations

import uuid
from typing import Iterator, List

import pytest
from sqlalchemy import create_engine, select

from bot.content import scenarios
from bot.db.tables import query_log
from bot.quiz import results
from bot.quiz.classes import Classes
from tests.servers import Servers, answer_button, joined, running


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[Servers]:
    extra = {"QUIZ_ORDER": "fixed", "QUIZ_LENGTH": "3", "PSEUDONYM_SECRET": "quiz-e2e"}
    with running(tmp_path_factory.mktemp("quiz"), extra_env=extra) as servers:
        yield servers


def sender() -> str:
    return f"quiz-{uuid.uuid4().hex}"




def log_rows(servers: Servers) -> List[tuple]:
    engine = create_engine(servers.env["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return connection.execute(select(query_log.c.text, query_log.c.topic, query_log.c.is_button,
                                             query_log.c.intent).order_by(query_log.c.id)).all()
    finally:
        engine.dispose()


def test_a_class_quiz_with_a_question_mid_way(servers: Servers) -> None:
    code = Classes(servers.env["DATABASE_URL"]).create("Session 12 Nov").code
    trainee = sender()
    welcome = joined(servers.say(trainee, f"join class {code.lower()}"))
    assert f"You've joined class {code} (Session 12 Nov)" in welcome

    started = servers.say(trainee, "quiz me")
    assert started[0]["text"].startswith("Quiz mode: practice scenarios on the West Cheshire")
    assert f"Class {code}: your answers are added" in joined(started)
    assert "Question 1 of 3: Placed from another county, back after two nights" in joined(started)

    first = servers.say(trainee, answer_button(started, "a"))
    assert "❌ Not quite." in first[0]["text"] and "The answer is **B." in first[0]["text"]
    assert "Why: When a child placed out of area returns" in first[0]["text"] and "Source: " in first[0]["text"]
    assert "Question 2 of 3" in joined(first)

    mid = joined(servers.say(trainee, "who do I tell if a child goes missing?"))
    assert "Who to notify when a child goes missing" in mid or "Police: report the child missing" in mid
    back = servers.say(trainee, "continue quiz")
    assert back[0]["text"].startswith("Back to the quiz:") and "Question 2 of 3" in back[0]["text"]

    second = servers.say(trainee, answer_button(back, "c"))
    assert second[0]["text"].startswith("✅ Correct")
    finished = joined(servers.say(trainee, answer_button(second, "b")))
    assert "Quiz finished. Your score: 2 out of 3 (67%)." in finished
    assert f"count towards class {code}'s results" in finished

    # a second trainee in the same class stops after one answer
    other = sender()
    servers.say(other, f"join class {code}")
    again = servers.say(other, "/start_quiz")
    servers.say(other, answer_button(again, "a"))
    assert "Quiz stopped. Your score so far: 0 out of 1" in joined(servers.say(other, "stop"))
    assert "OK, I've stopped" in joined(servers.say(other, "stop"))  # no quiz now: the ordinary stop

    found = results.class_results(code, scenarios.load(), Classes(servers.env["DATABASE_URL"]))
    assert found.participants == 2
    first_scenario = found.scenarios[0]
    assert (first_scenario.scenario_id, first_scenario.answered, first_scenario.correct) == ("out_of_area_return", 2, 0)
    assert [(w.choice, w.count) for w in first_scenario.common_wrong] == [("a", 2)]

    rows = log_rows(servers)
    quiz_rows = [row for row in rows if row.topic == "quiz"]
    assert any(row.is_button and row.intent == "quiz_answer" for row in quiz_rows)
    assert any(row.intent == "join_class" for row in quiz_rows)
    assert any(row.topic == "child_missing" for row in rows)


def test_an_old_button_and_answers_outside_a_class(servers: Servers) -> None:
    user = sender()
    started = servers.say(user, "test me")
    old = answer_button(started, "b")
    servers.say(user, old)
    assert "That button was for an earlier question" in joined(servers.say(user, old))


def test_without_the_action_server_the_quiz_says_it_is_unavailable(servers: Servers) -> None:
    servers.stop_actions()
    try:
        replies = servers.say(sender(), "quiz me")
        assert len(replies) == 1
        assert "If no question appears in a few seconds, quiz mode is not available just now" in replies[0]["text"]
        assert "within 72 hours" in joined(servers.say(sender(), "who carries out the return home interview"))
    finally:
        servers.start_actions()


def test_typed_letters_answer_and_an_ended_quiz_says_so(servers: Servers) -> None:
    user = sender()
    outside = joined(servers.say(user, "b"))
    assert "haven't taken that as a quiz answer" in outside and "Correct" not in outside

    started = servers.say(user, "quiz me")
    first = servers.say(user, "b")
    assert first[0]["text"].startswith("✅ Correct: B.") and "Question 2 of 3" in joined(first)
    unsure = joined(servers.say(user, "not sure"))
    assert unsure.startswith("No problem: take your best guess.") and "Question 2 of 3" in unsure
    second = servers.say(user, "the third one")
    assert second[0]["text"].startswith("✅ Correct: C.") and "Question 3 of 3" in joined(second)
    finished = joined(servers.say(user, "B."))
    assert "Quiz finished. Your score: 3 out of 3 (100%)." in finished

    stale = servers.say(user, answer_button(started, "b"))
    assert stale[0]["text"].startswith("That quiz has ended, so this answer doesn't count.")
    assert [button["payload"] for button in stale[0]["buttons"]] == ["/start_quiz"]
    assert "haven't taken that as a quiz answer" in joined(servers.say(user, "the second one"))
