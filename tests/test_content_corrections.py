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

# "early help assessment (formerly CAF)", once, so a reader who knows only the old name recognises it.
OLD_NAMES = re.compile(r"(?<!formerly )\bCAF\b|\bLSCBs?\b|Safeguarding Children Board|safeguarding partnership\b",
                       re.IGNORECASE)


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
    assert "before he leaves" in right_answer(case) and "social care" in right_answer(case)
    assert "discharged home" not in case.situation
    for needed in ("Before he leaves", "safeguarding team", "children's social care", "police", "crime"):
        assert needed in case.explanation, needed


# -- second review (7 December 2026): errors ---------------------------------------------------------

def rendered(catalogue, pack_id: str) -> Dict[str, List[dict]]:
    return Renderer(partnership.load(pack_id), catalogue).responses()


def walkthrough_checklists(responses) -> List[tuple]:
    return [(f"{name} {v.get('condition', [{}])[0].get('value')}", body(v["text"]))
            for name in ("utter_missing_checklist", "utter_found_checklist")
            for v in responses[name]]


def test_risk_grading_does_not_send_readers_to_the_2016_17_protocol(responses) -> None:
    """'Your local police may word them differently: see the Pan Cheshire Missing from Home Protocol 2016-2017',
    a protocol of the 'no apparent risk (absent)' era."""
    text = answer(responses, "risk_grading")
    assert "Protocol" not in text and "protocol on record" not in text
    assert "ask them which words they use" in text


OFFERED_ONLY = re.compile(r"offered (with)?in 72 hours|offered in 72|offered within 72", re.IGNORECASE)
RHI_ANSWERS = [("child_found", None), ("safe_and_well_check", None), ("return_interview", None),
               ("role_responsibilities", "social_care"), ("role_responsibilities", "carer"),
               ("supported_accommodation", None), ("found_checklist", None), ("found_checklist", "in_care"),
               ("found_checklist", "at_home_social_worker"), ("found_situation", "supported_accommodation")]


def test_return_home_interviews_are_carried_out_within_72_hours(responses, scenarios) -> None:
    """'Must be offered within 72 hours' is met by an offer at hour 71: the interview is offered every time
    and carried out within 72 hours of the return."""
    for name, text in every_answer(responses):
        assert not OFFERED_ONLY.search(text), name
    for case in scenarios.values():
        assert not OFFERED_ONLY.search(scenario_text(case)), case.id
    for name, when in RHI_ANSWERS:
        text = answer(responses, name, when)
        assert re.search(r"carried out within 72 hours", text), (name, when)
    assert "carried out within 72 hours" in scenarios["key_worker_interview"].explanation
    safe_and_well = scenarios["safe_and_well_is_enough"]
    assert "happen within 72 hours" in right_answer(safe_and_well)
    assert "carried out within 72 hours" in safe_and_well.explanation


CAWN_ANSWERS = [("cse_indicators", None), ("criminal_exploitation", None),
                ("missing_situation", "exploitation"), ("found_situation", "exploitation")]


@pytest.mark.parametrize(("name", "when"), CAWN_ANSWERS)
def test_warning_notices_cover_any_child_under_16(responses, name, when) -> None:
    """'Under 16, or under 18 on a care order ... (not section 20)' read as if a 14-year-old accommodated under
    section 20 were not covered."""
    text = answer(responses, name, when)
    assert "any child under 16" in text
    assert "16- or 17-year-old" in text and "16–17-year-old accommodated under section 20" in text
    assert "(not section 20)" not in text and "not for a child accommodated" not in text


def test_the_out_of_area_finding_stays_with_west_cheshire(catalogue) -> None:
    """The BSCB build said 'Follow the out-of-area part of the BSCB procedure ... The West Cheshire audit found this
    protocol was not always followed': that audit did not look at the BSCB procedure, which has no known
    out-of-area part."""
    bscb = rendered(catalogue, "bscb")
    texts = [body(v["text"]) for name in ("utter_out_of_area", "utter_child_missing", "utter_missing_checklist")
             for v in bscb[name]]
    for text in texts:
        assert "out-of-area part" not in text
        for sentence in re.split(r"(?<=[.;])\s", text):
            if "BSCB procedure" in sentence:
                assert "West Cheshire" not in sentence and "audit" not in sentence, sentence
    assert "in West Cheshire found the out-of-area missing protocol there" in answer(bscb, "out_of_area")


def test_the_return_interview_provider_is_not_asserted_as_current(responses, scenarios) -> None:
    """'Provider: Catch22' came from the 2016/17 audit and read as today's provider."""
    mentions = [(name, line) for name, text in every_answer(responses) for line in text.splitlines()
                if "Catch22" in line]
    assert mentions
    for name, line in mentions:
        if not line.startswith("- Return home interview provider:"):  # the contacts list: the pack's entry
            assert "who provides them now" in line, (name, line)
    assert "who provides them now" in scenarios["key_worker_interview"].explanation


def test_core_training_is_not_claimed_for_every_area(responses) -> None:
    """'Missing children is part of the safeguarding children partnership's core safeguarding training' was a
    2013 BSCB finding, stated for West Cheshire too."""
    text = answer(responses, "training")
    assert "is part of the safeguarding children partnership's core" not in text
    assert "on record: local training on missing children, not set up" in text
    assert "2013" in text.splitlines()[-1]  # the BSCB finding, as evidence, last


# -- second review: omissions -------------------------------------------------------------------------

IN_CARE = ["in_care", "in_care_out_of_area", "in_care_from_other_area"]


@pytest.mark.parametrize("status", IN_CARE)
def test_in_care_checklists_keep_the_default_steps_and_say_what_to_do_if_whereabouts_are_known(responses,
                                                                                               status) -> None:
    """They assumed the whereabouts were unknown, and dropped 'keep making enquiries', 'tell your manager' and
    (placed out, placed here) the police-decline step."""
    text = answer(responses, "missing_checklist", status)
    assert "away from placement without authorisation" in text
    assert re.search(r"act(s)? to get them back safely", text) and "who they are with" in text
    assert "as soon as" in text and "risk changes" in text
    assert "Keep making enquiries alongside the report" in text
    assert "Tell your manager or safeguarding lead" in text
    assert "duty sergeant or inspector" in text


def test_the_host_area_carer_is_not_left_without_anyone_to_call(responses) -> None:
    """'the placing council's Emergency Duty Team, not ours' left a carer at 2 a.m. with nobody to call."""
    for checklist in ("missing_checklist", "found_checklist"):
        text = answer(responses, checklist, "in_care_from_other_area")
        assert "not ours" not in text
        assert "Can't reach them?" in text and "police" in text.split("Can't reach them?")[1]


@pytest.mark.parametrize(("name", "when"), [("cse_indicators", None), ("missing_situation", "exploitation"),
                                            ("found_situation", "exploitation"), ("care_leaver_missing", None)])
def test_nrm_answers_say_first_responders_refer(responses, name, when) -> None:
    """'Refer to the National Referral Mechanism' was said to carers, schools and health staff, who cannot."""
    text = answer(responses, name, when)
    assert "first responders" in text.lower()
    assert re.search(r"local authority or the police", text)


def test_a_suspected_crime_goes_to_the_police_as_well_as_social_care(responses, scenarios) -> None:
    """'refer it now to the children's services front door ... or the police': a 14-year-old staying with a
    22-year-old who gives her alcohol and money means social care and the police."""
    for name, when in (("act_on_child_info", None), ("found_situation", None)):
        text = answer(responses, name, when)
        assert "or the police" not in text and "and tell the police" in text, name
    assert "share what you know with the police" in answer(responses, "criminal_exploitation")
    explanation = scenarios["disclosure_older_man"].explanation
    assert "and tell the police" in explanation and "or the police" not in explanation
    assert "Child Abduction Warning Notice" in explanation and "exploitation team" in explanation


def test_repeat_episodes_gives_the_police_the_history_now(scenarios) -> None:
    """He is missing now: the earlier episodes change the police's risk grading."""
    explanation = scenarios["repeat_episodes"].explanation
    assert re.search(r"tell the police[^.]*four earlier episodes", explanation)
    assert "grade the risk" in explanation


def test_emergency_department_closes_the_report_and_arranges_the_interview(scenarios) -> None:
    case = scenarios["emergency_department"]
    assert "tell the police he has been found" in case.explanation
    assert "safe and well check" in case.explanation and "72 hours" in case.explanation
    assert ";" not in right_answer(case)  # it was "Safeguard before discharge; social care, police if crime"


def test_what_to_give_the_police_matches_the_risk_factors(responses) -> None:
    """Self-harm and mental health, out of character and the social worker's contact were missing."""
    text = answer(responses, "police_report_details")
    for needed in ("self-harm or mental health", "out of character", "social worker"):
        assert needed in text, needed
    for status in (None, "at_home_social_worker", *IN_CARE):
        step = next(line for line in answer(responses, "missing_checklist", status).splitlines()
                    if "Give the police" in line)
        for needed in ("self-harm or mental health", "out of character", "social worker"):
            assert needed in step, (status, needed)


def test_absent_is_answered_directly(responses) -> None:
    text = answer(responses, "definitions")
    line = next(line for line in text.splitlines() if line.startswith('Is "absent" still'))
    assert "June 2016" in line and "very low" in line


def test_school_role_names_caf_and_the_absence_duties(responses) -> None:
    text = answer(responses, "role_responsibilities", "school")
    assert "early help assessment (formerly CAF)" in text
    assert "10 or more school days" in text and "children absent from education" in text


def test_left_hospital_does_not_wait_for_the_ward_and_covers_informal_patients(responses) -> None:
    text = answer(responses, "left_hospital")
    assert "Don't let the ward's own search delay the police report" in text
    assert "not detained under the Act is reported as a missing child" in text


# -- second review: wording ---------------------------------------------------------------------------

FRAGMENT = re.compile(r"(^|[-:.] )(Front door|Provider|Repeat episodes|Local threshold[a-z ]*|Exploitation team"
                      r"|Missing person coordinator|Local stages|Local provider|Your local stages and timescales)"
                      r" \((number )?not set up\)", re.MULTILINE)


@pytest.mark.parametrize("pack_id", partnership.available())
def test_unset_values_read_as_sentences(catalogue, scenarios, pack_id) -> None:
    """'Repeat episodes (not set up)', 'Front door (number not set up)', 'Provider (number not set up)'."""
    texts = rendered(catalogue, pack_id)
    for name, text in every_answer(texts):
        assert not FRAGMENT.search(text), (name, FRAGMENT.search(text).group(0))
    renderer = Renderer(partnership.load(pack_id), catalogue)
    for case in scenarios.values():
        filled = renderer.fill(scenario_text(case))
        assert not FRAGMENT.search(filled), (case.id, FRAGMENT.search(filled).group(0))


def test_checklists_do_not_speak_as_the_council(responses) -> None:
    """'we placed them', 'our Emergency Duty Team', 'We are the host authority': most readers placed no one."""
    for name, text in walkthrough_checklists(responses):
        assert not re.search(r"\bwe placed\b|\bour (Emergency|children's|front)|\bWe are\b|\bus\b", text), name


def test_police_decline_says_what_stands_and_what_not_to_wait_for(responses) -> None:
    text = answer(responses, "police_decline")
    assert "Your report stands" in text and "999 if urgent" in text
    assert "don't wait for escalation timescales" in text
    assert "A carer's duty to report stands" not in text


def test_smaller_points(responses, scenarios, catalogue) -> None:
    line = next(line for line in answer(responses, "child_missing").splitlines() if "child protection plan" in line)
    assert "Emergency Duty Team (number not set up)" in line
    assert not answer(responses, "role_responsibilities").endswith("Tell me your role for the detail.")
    assert "early help record" not in scenarios["pupil_not_in_school"].explanation
    for pack_id in partnership.available():
        assert "protocol" not in answer(rendered(catalogue, pack_id), "greet").splitlines()[0]
    situation = answer(responses, "missing_situation", "supported_accommodation")
    assert "for looked-after children and care leavers placed by a local authority" in situation
    assert "worried" in scenarios["away_without_authorisation"].situation
    wait = scenarios["wait_24_hours"]
    assert "delays the report" in wait.choice("b").feedback
