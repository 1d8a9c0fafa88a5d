"""The quiz scenarios: the shipped ones, and the checks that refuse broken scenario files."""
from __future__ import annotations

import copy
import re

import pytest

from bot.__main__ import main
from bot.content import partnership
from bot.content import scenarios as quiz_scenarios
from bot.content.scenarios import ScenarioError
from bot.quiz import validate as quiz_validate

PACKS = partnership.available()
GOOD_SCENARIO = {
    "id": "sample_case",
    "title": "A sample case",
    "situation": "A child comes back after a night missing.",
    "question": "What happens next?",
    "choices": [
        {"text": "A return interview within 72 hours", "correct": True},
        {"text": "Nothing", "feedback": "A return home interview is offered every time."},
        {"text": "A letter home"},
    ],
    "explanation": "Offered within 72 hours. Provider: {{contact:return_interview_provider}}.",
    "sources": ["dfe_2014", "local:missing_protocol"],
    "reviewed": "2026-11-22",
}


def scenario(**changes) -> dict:
    return {**copy.deepcopy(GOOD_SCENARIO), **changes}


def test_shipped_scenarios_load_and_validate_for_every_pack(catalogue) -> None:
    loaded = quiz_scenarios.load()
    assert len(loaded) >= 15
    assert len({s.id for s in loaded}) == len(loaded)
    assert all(sum(c.correct for c in s.choices) == 1 for s in loaded)
    assert quiz_validate.check(PACKS, catalogue) == []


def test_the_issue_s_example_cases_are_there() -> None:
    ids = {s.id for s in quiz_scenarios.load()}
    assert {"out_of_area_return", "boy_new_phone", "police_no_safe_and_well", "girl_refuses_to_talk",
            "gp_never_told"} <= ids


def test_every_immediate_danger_scenario_puts_999_first() -> None:
    danger = [s for s in quiz_scenarios.load() if s.theme == quiz_scenarios.DANGER_THEME]
    assert danger
    for case in danger:
        right = case.choice(case.correct_letter).text
        assert right.lower().startswith("call 999"), (case.id, right)
        assert "999" in case.explanation.split(".")[0], case.id  # the explanation's first sentence
        wrong = [choice.text for choice in case.choices if not choice.correct]
        assert not any("999" in text for text in wrong), case.id


def test_a_wrong_answer_in_an_emergency_scenario_leads_with_999(monkeypatch) -> None:
    from bot.quiz import engine
    from bot.quiz.render import quiz_renderer

    case = quiz_scenarios.by_id(quiz_scenarios.load())["held_in_a_flat"]
    wrong = next(letter for letter in case.letters() if letter != case.correct_letter)
    text = quiz_renderer("pan_cheshire").feedback(engine.mark(case, wrong)).text
    assert text.startswith("📞 Call 999 now") and "Not quite" not in text


HARM = re.compile(r"danger|injur|harm|hurt|abus|assault|won't let (him|her) leave", re.IGNORECASE)
ACTS = re.compile(r"999|refer|social care|police", re.IGNORECASE)


def test_a_scenario_about_danger_or_harm_acts_on_it() -> None:
    """Where the situation suggests danger, injury or harm, the right answer itself must act (999, a referral,
    telling social care or the police), not only teach a process, and the explanation must say 999 or refer."""
    harmed = [s for s in quiz_scenarios.load() if HARM.search(s.situation) or s.theme == quiz_scenarios.DANGER_THEME]
    assert {"police_no_safe_and_well", "emergency_department", "held_in_a_flat"} <= {s.id for s in harmed}
    for case in harmed:
        right = case.choice(case.correct_letter).text
        assert ACTS.search(right), (case.id, right)
        assert re.search(r"999|refer", case.explanation, re.IGNORECASE), case.id


def test_sources_support_the_statements() -> None:
    """Local documents are cited only where the scenario points at them, not for national or audit facts."""
    loaded = quiz_scenarios.by_id(quiz_scenarios.load())
    for key in ("police_tell_social_care", "pupil_not_in_school", "wait_24_hours", "repeat_episodes"):
        assert "local:missing_protocol" not in loaded[key].sources, key
    assert "audit_bscb" in loaded["repeat_episodes"].sources
    assert "care_planning_regs" not in loaded["out_of_area_return"].sources
    assert "not the test" not in str(loaded["repeat_episodes"].dict())


def test_a_good_file_loads(scenario_file, catalogue) -> None:
    path = scenario_file(scenario())
    [loaded] = quiz_scenarios.load([path])
    assert loaded.correct_letter == "a" and loaded.letters() == ["a", "b", "c"]
    assert quiz_validate.check(PACKS, catalogue, [path]) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"choices": [{"text": "x", "correct": True}, {"text": "y", "correct": True}, {"text": "z"}]},
         "2 choices are marked correct"),
        ({"choices": [{"text": "x"}, {"text": "y"}, {"text": "z"}]}, "0 choices are marked correct"),
        ({"choices": [{"text": "x", "correct": True}, {"text": "y"}]}, "2 choices: give 3 or 4"),
        ({"sources": []}, "names no source"),
        ({"id": "Bad Id"}, "must be lowercase"),
        ({"reviewed": "someday"}, "reviewed"),
        ({"colour": "red"}, "extra fields not permitted"),
    ],
)
def test_schema_problems_are_reported(scenario_file, changes, message) -> None:
    with pytest.raises(ScenarioError, match=message):
        quiz_scenarios.load([scenario_file(scenario(**changes))])


def test_duplicate_ids_across_files_are_refused(scenario_file) -> None:
    first = scenario_file(scenario(), name="a.yml")
    second = scenario_file(scenario(), name="b.yml")
    with pytest.raises(ScenarioError, match="sample_case' already used in a.yml"):
        quiz_scenarios.load([first, second])


def test_broken_yaml_is_reported(tmp_path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("scenarios:\n  - id: x\n    title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="broken.yml: not valid YAML"):
        quiz_scenarios.load([path])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sources": ["made_up"]}, "unknown source 'made_up'"),
        ({"sources": ["local:leaflet"]}, "unknown local document 'local:leaflet'"),
        ({"explanation": "Ring {{contact:nowhere}}."}, "explanation"),
        ({"explanation": "Ring the team on 0151 555 0199."}, "gives a number not in the pack: 0151 555 0199"),
        ({"choices": [{"text": "x" * 61, "correct": True}, {"text": "y"}, {"text": "z"}]},
         "choice a is 61 characters, too long for a button (at most 60)"),
    ],
)
def test_content_problems_are_reported_for_every_pack(scenario_file, catalogue, changes, message) -> None:
    errors = quiz_validate.check(PACKS, catalogue, [scenario_file(scenario(**changes))])
    assert any(message in error for error in errors), errors


def test_national_numbers_are_allowed(scenario_file, catalogue) -> None:
    path = scenario_file(scenario(explanation="Call 999, or 101; Missing People 116 000."))
    assert quiz_validate.check(PACKS, catalogue, [path]) == []


def test_python_m_bot_validate_fails_on_a_broken_scenario_file(scenario_file, monkeypatch, capsys) -> None:
    broken = scenario_file(scenario(sources=["made_up"]))
    monkeypatch.setattr(quiz_scenarios, "paths", lambda data_dir=None: [broken])
    assert main(["validate", "--all"]) == 1
    assert "ERROR scenarios: scenario sample_case: unknown source 'made_up'" in capsys.readouterr().out
