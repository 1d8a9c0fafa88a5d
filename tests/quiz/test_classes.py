from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.content import scenarios
from bot.db.csv_file import safe_cell
from bot.db.tables import quiz_answers
from bot.privacy.pseudonym import is_pseudonym, pseudonymise
from bot.quiz import codes, results
from bot.quiz.classes import ClassError, Classes
from bot.quiz.classes import participant as class_participant


def test_codes_are_six_unambiguous_characters_with_a_letter_and_a_digit() -> None:
    made = {codes.new_code() for _ in range(300)}
    assert len(made) > 290
    for code in made:
        assert len(code) == 6 and set(code) <= set(codes.ALPHABET)
        assert codes.find_code(f"join class {code.lower()}") == code
    assert not set("0O1IL") & set(codes.ALPHABET)


def test_codes_in_text() -> None:
    assert codes.find_code("join class k7p2qx please") == "K7P2QX"
    assert codes.find_code("join the police class") is None  # words are not codes
    assert codes.find_code("ring 116000") is None  # nor are numbers
    assert codes.normalise(" r8tu2c ") == "R8TU2C" and codes.normalise("R8TU2") is None


def test_create_list_get_and_close(classes: Classes) -> None:
    first = classes.create("  Session   12 Nov ")
    second = classes.create()
    assert first.name == "Session 12 Nov" and second.name is None and first.is_open
    assert first.created_at.tzinfo is not None
    assert [c.code for c in classes.list()] == [first.code, second.code]
    assert classes.get(first.code.lower()) == first
    assert classes.get("ZZZZ99") is None
    closed = classes.close(first.code)
    assert not closed.is_open and classes.get(first.code).closed_at == closed.closed_at
    assert classes.close(first.code).closed_at == closed.closed_at  # closing twice keeps the first time
    try:
        classes.close("ZZZZ99")
    except ClassError as error:
        assert "no class with code ZZZZ99" in str(error)
    else:
        raise AssertionError("closing an unknown class must fail")


def test_answers_are_pseudonymous_once_each_and_only_for_an_open_class(classes: Classes, db_url: str) -> None:
    open_class, closed_class = classes.create("open"), classes.create("closed")
    classes.close(closed_class.code)
    assert classes.record_answer(open_class.code, "teams-conversation-1", "boy_new_phone", "a", False)
    # a re-answer (second run, old button) does not count twice: the first answer stands
    assert not classes.record_answer(open_class.code, "teams-conversation-1", "boy_new_phone", "c", True)
    assert not classes.record_answer(closed_class.code, "teams-conversation-1", "boy_new_phone", "c", True)
    assert not classes.record_answer("ZZZZ99", "teams-conversation-1", "boy_new_phone", "c", True)
    with classes.engine.connect() as connection:
        rows = connection.execute(select(quiz_answers)).all()
    assert len(rows) == 1
    row = rows[0]
    assert is_pseudonym(row.participant)
    assert row.participant == class_participant(open_class.code, "teams-conversation-1")
    # not the query log's pseudonym for the same sender, so class answers can't be linked to logged questions
    assert row.participant != pseudonymise("teams-conversation-1")
    assert "teams-conversation-1" not in str(tuple(row))
    assert (row.class_code, row.scenario_id, row.choice, row.correct) == (open_class.code, "boy_new_phone", "a", False)
    assert row.answered_at.tzinfo == dt.timezone.utc


def test_class_aggregates(classes: Classes) -> None:
    quiz_class = classes.create("Session 12 Nov")
    answers = {  # participant: {scenario: choice}
        "p1": {"boy_new_phone": "c", "gp_never_told": "c"},
        "p2": {"boy_new_phone": "a", "gp_never_told": "b"},
        "p3": {"boy_new_phone": "a", "gp_never_told": "c"},
        "p4": {"boy_new_phone": "b"},
    }
    by_id = scenarios.by_id(scenarios.load())
    for participant, chosen in answers.items():
        for scenario_id, letter in chosen.items():
            correct = letter == by_id[scenario_id].correct_letter
            assert classes.record_answer(quiz_class.code, participant, scenario_id, letter, correct)
    other = classes.create("another class")
    classes.record_answer(other.code, "p9", "boy_new_phone", "c", True)

    found = results.class_results(quiz_class.code.lower(), scenarios.load(), classes)
    assert (found.participants, found.answers, found.percent_correct) == (4, 7, 42.9)
    phone, gp = found.scenarios  # in content order
    assert (phone.scenario_id, phone.answered, phone.correct, phone.percent_correct) == ("boy_new_phone", 4, 1, 25.0)
    assert [(w.choice, w.count) for w in phone.common_wrong] == [("a", 2), ("b", 1)]
    assert phone.common_wrong[0].text == by_id["boy_new_phone"].choices[0].text
    assert (gp.answered, gp.correct, gp.percent_correct, gp.correct_choice) == (3, 2, 66.7, "c")
    assert [(w.choice, w.count) for w in gp.common_wrong] == [("b", 1)]

    text = results.as_text(found)
    assert "4 participants, 7 answers, 42.9% correct" in text
    assert "25% correct (1 of 4); answer C" in text and "wrong A: 2 x Note it" in text
    csv_text = results.as_csv(found)
    assert csv_text.splitlines()[0] == ",".join(results.CSV_FIELDS)
    assert f"{quiz_class.code},Session 12 Nov,boy_new_phone," in csv_text


def test_aggregate_orders_wrong_answers_and_keeps_removed_scenarios() -> None:
    by_id = scenarios.by_id(scenarios.load())
    rows = [("held_in_a_flat", "b", False, 2), ("held_in_a_flat", "c", False, 2), ("held_in_a_flat", "d", False, 5),
            ("held_in_a_flat", "a", True, 1), ("retired_case", "a", True, 3)]
    flat, retired = results.aggregate(rows, by_id, limit=2)
    assert [(w.choice, w.count) for w in flat.common_wrong] == [("d", 5), ("b", 2)]
    assert flat.percent_correct == 10.0
    assert (retired.title, retired.percent_correct, retired.common_wrong) == ("retired_case", 100.0, [])


def test_empty_class_results(classes: Classes) -> None:
    found = results.class_results(classes.create().code, scenarios.load(), classes)
    assert found.scenarios == [] and found.percent_correct == 0.0
    assert "No answers yet." in results.as_text(found)


def test_csv_cells_cannot_become_formulas() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("Session") == "Session"


def test_participant_pseudonyms_are_specific_to_a_class(db_url: str) -> None:
    first, second = class_participant("K7P2QX", "web-1"), class_participant("HT4M8R", "web-1")
    assert is_pseudonym(first) and is_pseudonym(second) and first != second
    assert first == class_participant("K7P2QX", "web-1") and first != pseudonymise("web-1")
    # an already-pseudonymous sender too
    assert class_participant("K7P2QX", pseudonymise("web-1")) != pseudonymise("web-1")
