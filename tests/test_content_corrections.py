"""Corrections a safeguarding lead asked for, checked on the answers as practitioners see them.

Each test names what was wrong and fails on the earlier text. Answers are rendered for
pan_cheshire; the national wording is the same for every partnership.
"""
from __future__ import annotations

import re
from typing import Dict, List

import pytest

from bot.content import partnership
from bot.content import scenarios as quiz_scenarios
from bot.content.render import Renderer

PACK = "pan_cheshire"


@pytest.fixture(scope="module")
def responses(catalogue) -> Dict[str, List[dict]]:
    return Renderer(partnership.load(PACK), catalogue).responses()


@pytest.fixture(scope="module")
def scenarios() -> dict:
    return quiz_scenarios.by_id(quiz_scenarios.load())


def body(text: str) -> str:
    """An answer without the lines after it (what is not set up, sources, currency)."""
    return text.split("\n\n")[0]


def answer(responses: Dict[str, List[dict]], name: str, when: str | None = None) -> str:
    """The text of utter_<name> that Rasa gives when the slot has the value `when` (None: no value)."""
    variations = responses[f"utter_{name}"]
    for variation in variations:
        condition = variation.get("condition")
        if condition and condition[0]["value"] == when:
            return body(variation["text"])
    default = variations[-1]
    assert "condition" not in default, f"utter_{name} has no default"
    return body(default["text"])


def every_answer(responses: Dict[str, List[dict]]) -> List[tuple]:
    return [(name, body(v["text"])) for name, variations in responses.items() for v in variations]


def scenario_text(case) -> str:
    parts = [case.situation, case.question, case.explanation]
    parts += [choice.text + " " + (choice.feedback or "") for choice in case.choices]
    return "\n".join(parts)


# -- away from placement without authorisation ---------------------------------------------------

def test_away_from_placement_is_defined_in_full_and_says_what_to_do(responses, scenarios) -> None:
    """It was a label only: 'you know where they are but they are not where they should be'."""
    text = answer(responses, "definitions")
    assert "carer has concerns" in text and "notified to the local authority or the police" in text
    assert "social worker" in text and "Emergency Duty Team" in text
    assert re.search(r"get (the child|them) back safely", text)
    assert "who they are with" in text
    assert re.search(r"report (them|the child) missing[^.]*as soon as you are worried or the risk changes", text)
    explanation = scenarios["away_without_authorisation"].explanation
    assert "concerns" in explanation and "social worker" in explanation
    assert re.search(r"report[^.]*missing[^.]*worried", explanation)


# -- a child at home with a social worker ----------------------------------------------------------

def test_a_child_at_home_with_a_social_worker_means_telling_the_social_worker(responses) -> None:
    """Only children in care were given the 'tell the social worker' line."""
    line = next(line for line in answer(responses, "child_missing").splitlines() if "child protection plan" in line)
    assert "child in need" in line and "social worker" in line and "Emergency Duty Team" in line
    for checklist in ("missing_checklist", "found_checklist"):
        text = answer(responses, checklist, "at_home_social_worker")
        assert "social worker" in text and "Emergency Duty Team" in text, checklist
    for role in ("school", "health"):
        assert "social worker" in answer(responses, "role_responsibilities", role), role


# -- out-of-area placements: who tells whom --------------------------------------------------------

def test_the_placing_authority_tells_the_host_authority(responses) -> None:
    """The answers had the social worker informing 'the placing authority', which is their own employer."""
    for name, text in every_answer(responses):
        assert not re.search(r"\binforms?\b[^.\n]*\bthe placing authority\b", text), name
    for name in ("child_missing", "out_of_area"):
        text = answer(responses, name)
        assert re.search(r"social worker works for the placing[^.\n]*authority", text), name
        assert re.search(r"placing[^.\n]*authority[^.\n]*tells the host authority", text), name
    social_care = answer(responses, "role_responsibilities", "social_care")
    assert "host authority" in social_care


def test_the_host_area_home_contacts_the_placing_council(scenarios) -> None:
    """out_of_area_return had the home in the host area 'tell ... the host authority', that is itself."""
    explanation = scenarios["out_of_area_return"].explanation
    assert "social worker at the placing council" in explanation
    assert "agrees with them who does the interview" in explanation
    assert "and the host authority" not in explanation


# -- the walkthrough's care-status question --------------------------------------------------------

IN_CARE_CHOICES = {"in_care", "in_care_out_of_area", "in_care_from_other_area"}
AT_HOME_CHOICES = {"at_home", "at_home_social_worker"}


def care_status_choices(responses) -> Dict[str, str]:
    """Button title by care_status value, from the walkthrough's question."""
    choices = {}
    for button in responses["utter_ask_care_status"][-1]["buttons"]:
        found = re.search(r'"care_status":"(\w+)"', button["payload"])
        if found:
            choices[found.group(1)] = button["title"]
    return choices


def test_the_care_status_question_has_three_in_care_choices(responses) -> None:
    """It had one in-care choice per direction only: 'placed in our area' and 'placed out of area'."""
    import yaml

    from bot import settings

    choices = care_status_choices(responses)
    assert IN_CARE_CHOICES | AT_HOME_CHOICES <= set(choices)
    assert "another council" in choices["in_care_from_other_area"]
    domain = yaml.safe_load(settings.DOMAIN_FILE.read_text(encoding="utf-8"))
    assert set(choices) <= set(domain["slots"]["care_status"]["values"])


@pytest.mark.parametrize("checklist", ["missing_checklist", "found_checklist"])
def test_each_care_status_has_its_own_checklist(responses, checklist) -> None:
    texts = {value: answer(responses, checklist, value) for value in care_status_choices(responses)}
    assert len(set(texts.values())) == len(texts), "two care statuses share a checklist"
    host = texts["in_care_from_other_area"]
    assert "placing council" in host and "Emergency Duty Team" in host
    agreed = r"return home interview[^\n]*agree[^.\n]*who does it|agree[^.\n]*who does the return home interview"
    assert re.search(agreed, host, re.IGNORECASE)
    placed_out = texts["in_care_out_of_area"]
    assert re.search(r"tells? the host authority", placed_out, re.IGNORECASE)
    assert "host authority" not in texts["in_care"]


# -- exploitation: NRM and Child Abduction Warning Notices ----------------------------------------

@pytest.mark.parametrize("topic", ["criminal_exploitation", "cse_indicators"])
def test_exploitation_answers_name_the_nrm_and_warning_notices(responses, topic) -> None:
    """They gave a referral to children's services only."""
    text = answer(responses, topic)
    assert "front door" in text
    assert "National Referral Mechanism" in text and "no consent is needed for a child" in text
    assert "Child Abduction Warning Notice" in text
    for condition in ("under 16", "care order", "emergency protection order", "police protection", "section 20"):
        assert condition in text, condition
    assert re.search(r"not[^.\n]*section 20", text)


def test_the_county_lines_scenario_mentions_the_nrm(scenarios) -> None:
    assert "National Referral Mechanism" in scenarios["county_lines"].explanation


# -- reasonable enquiries: alongside the report, never before it ------------------------------------

BEFORE_REPORTING = re.compile(r"enquiries first|enquiries,? then report|before (you )?report|checks first",
                              re.IGNORECASE)


def test_enquiries_run_alongside_the_report(responses, scenarios, catalogue) -> None:
    """'Parents and carers make reasonable enquiries first' read as a step before reporting a child at risk."""
    first = answer(responses, "reasonable_enquiries").splitlines()[0]
    assert re.search(r"report[^.]*now", first, re.IGNORECASE) and "keep checking" in first
    for name, text in every_answer(responses):
        assert not BEFORE_REPORTING.search(text), name
    for key, entry in catalogue.entries().items():
        assert not BEFORE_REPORTING.search(entry.title or ""), key
    for case in scenarios.values():
        assert not BEFORE_REPORTING.search(scenario_text(case)), case.id
    assert "alongside" in answer(responses, "role_responsibilities", "carer")
    right = scenarios["wait_24_hours"].choice(scenarios["wait_24_hours"].correct_letter).text
    assert re.search(r"report[^.]*now", right, re.IGNORECASE), right


# -- police risk grading ---------------------------------------------------------------------------

CURRENT_SCALE = "very low, low, medium and high"
OLD_STEP = re.compile(r"no apparent risk", re.IGNORECASE)


def test_risk_grading_uses_the_current_scale_and_leaves_the_grade_to_the_police(responses, scenarios) -> None:
    """The answers gave the old list 'no apparent risk, low, medium or high' as the current one."""
    text = answer(responses, "risk_grading")
    assert CURRENT_SCALE in text and "College of Policing" in text
    assert re.search(r"police grade the risk[^.\n]*their decision", text, re.IGNORECASE)
    assert "risk factor" in text
    old = [line for line in text.splitlines() if OLD_STEP.search(line)]
    assert old and all(re.search(r"older protocols", line, re.IGNORECASE) and "(absent)" in line for line in old)
    police = answer(responses, "role_responsibilities", "police")
    assert "very low, low, medium, high" in police
    for name, text in every_answer(responses):
        for line in text.splitlines():
            assert not OLD_STEP.search(line) or "older protocols" in line.lower(), (name, line)
    for case in scenarios.values():
        assert not OLD_STEP.search(scenario_text(case)), case.id


# -- today's names: early help assessment, safeguarding children partnership -----------------------

OLD_NAMES = re.compile(r"\bCAF\b|\bLSCBs?\b|Safeguarding Children Board|safeguarding partnership\b", re.IGNORECASE)


@pytest.mark.parametrize("pack_id", partnership.available())
def test_answers_use_todays_names(catalogue, scenarios, pack_id) -> None:
    """Answers said 'early help (CAF)' and called the partnership by the 2016 board's name."""
    rendered = Renderer(partnership.load(pack_id), catalogue).responses()
    for name, text in every_answer(rendered):
        assert not OLD_NAMES.search(text), (name, OLD_NAMES.search(text).group(0))
    for case in scenarios.values():
        assert not OLD_NAMES.search(scenario_text(case)), case.id
    assert "early help assessment" in answer(rendered, "role_responsibilities", "school")
    assert "safeguarding children partnership" in answer(rendered, "escalation")


# -- action first, evidence after ------------------------------------------------------------------

EVIDENCE = re.compile(r"audit|\d+%|found only|went down|quarter of", re.IGNORECASE)


@pytest.mark.parametrize(("topic", "verb"),
                         [("return_interview", "Make sure"), ("voice_of_child", '"Stick with the child"')])
def test_answers_lead_with_the_action(responses, topic, verb) -> None:
    """Return interviews and the voice of the child opened with statements or audit findings."""
    lines = answer(responses, topic).splitlines()
    assert lines[0].startswith(verb), lines[0]
    assert not any(EVIDENCE.search(line) for line in lines[:3]), lines[:3]
    assert EVIDENCE.search(lines[-1]), "the evidence comes last"


# -- quiz scenarios a safeguarding trainer would not dispute -----------------------------------------

def right_answer(case) -> str:
    return case.choice(case.correct_letter).text


def test_repeat_episodes_means_a_referral_screening_and_a_strategy_discussion(scenarios) -> None:
    """The right answer was only 'a lead professional and a multi-agency plan'."""
    case = scenarios["repeat_episodes"]
    assert "social care" in right_answer(case) and "exploitation" in right_answer(case)
    for needed in ("children's social care", "exploitation", "strategy discussion", "significant harm",
                   "{{timescale:strategy_meeting_threshold}}", "lead professional"):
        assert needed in case.explanation, needed
    assert "wt_2023" in case.sources


def test_key_worker_interview_lets_the_child_choose(scenarios) -> None:
    """The right answer was a flat 'no', though the child may choose an adult they trust."""
    case = scenarios["key_worker_interview"]
    assert re.search(r"independent[^.]*unless he chooses", right_answer(case)), right_answer(case)
    assert "may choose an adult he trusts" in case.explanation


def test_emergency_department_safeguards_before_discharge(scenarios) -> None:
    """The case had the child discharged first and everyone told afterwards."""
    case = scenarios["emergency_department"]
    assert "before discharge" in right_answer(case) and "police" in right_answer(case)
    assert "discharged home" not in case.situation
    for needed in ("Before he leaves", "safeguarding team", "children's social care", "police", "crime"):
        assert needed in case.explanation, needed
