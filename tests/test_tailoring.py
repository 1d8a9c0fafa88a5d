"""Tailored first answers: who is typing and the child's situation, understood from the message, and the one
answer variation each state of the slots gets, as Rasa picks it; follow-ups answered in context."""
from __future__ import annotations

import asyncio
import itertools
import re
from typing import Any, Dict, List

import pytest
import yaml
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa_sdk.executor import CollectingDispatcher
from spacy.language import Language

from actions.context import ActionAnswerInContext
from bot import settings
from bot.content import partnership, topics, vocabulary
from bot.content.followup import last_answer, situation_given
from bot.content.render import ROLE_BUTTONS, Renderer, domain_slot_values
from bot.content.validate import check_leads
from bot.nlu import spacy_pipeline
from bot.nlu.entity_precedence import keep_most_specific
from bot.nlu.situation_entities import situation_entities
from tests.fixtures import tracker_for

ROLES = [role for role in vocabulary.PRACTITIONER_ROLES]
TAILORED = ["child_missing", "child_found", "return_interview", "out_of_area"]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy_pipeline.build()


def understood(nlp, text: str) -> Dict[str, str]:
    """Entity -> value, as the pipeline leaves them (one care status and one concern per message)."""
    found = keep_most_specific(situation_entities(nlp(text)), vocabulary.MOST_SPECIFIC_FIRST)
    return {entity["entity"]: entity["value"] for entity in found}


@pytest.fixture(scope="module")
def responses(catalogue) -> Dict[str, List[dict]]:
    return Renderer(partnership.load("pan_cheshire"), catalogue).responses()


# -- understanding: who is typing ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "role"), [
    ("PC here, a 13 year old hasn't come home", "police"),
    ("Police. We've found a 14 year old reported missing from a children's home", "police"),
    ("I'm a police officer, what do I need to do", "police"),
    ("Response officer on lates - mum has reported her son missing", "police"),
    ("sw here, 14 yr old on a plan not back from school", "social_care"),
    ("I'm her social worker and she's not come back", "social_care"),
    ("IRO. One of my children has gone missing four times", "social_care"),
    ("PA here - one of my young people hasn't been seen since Tuesday", "social_care"),
    ("Foster carer. My 12 year old hasn't come home", "carer"),
    ("I’m a foster carer and she’s not back", "carer"),
    ("Residential worker here, one of our lads has gone", "carer"),
    ("my foster son hasn't come home from school", "carer"),
    ("I work in a children's home, a girl has left through a window", "carer"),
    ("As the DSL, who do I notify", "school"),
    ("DSL - a pupil hasn't come in and mum says she didn't come home", "school"),
    ("Head of year here, one of our pupils is missing", "school"),
    ("attendance officer. a family has taken the kids off roll", "school"),
    ("School nurse here - a girl hasn't been home", "health"),
    ("gp here, a mum says her son is missing", "health"),
    ("as a CAMHS clinician what do I do if a patient goes missing", "health"),
    ("Paeds ward nurse. A 14 year old walked off the ward", "health"),
    ("YOT worker here, a lad on my list has gone missing", "youth_justice"),
    ("A 16 year old on my YOS caseload didn't turn up", "youth_justice"),
    ("EDT here, a children's home rang about a missing 13 year old", "edt"),
    ("EDT worker, 02:30, a foster carer rang", "edt"),
    ("I'm the out of hours social worker tonight", "edt"),
    ("Hi, health visitor here. A mum told me her son hasn't been home", "health"),
    ("PC Ashworth, response. A dad's 13yo hasn't come home", "police"),
    ("DS O'Neill: 15yo misper located", "police"),
    ("EDT duty worker. Call from a foster carer at 2am", "edt"),
    ("I'm the manager of a children's home. One of our girls has walked out", "carer"),
    ("Residential team leader. Our 16yo is back", "carer"),
    ("night staff at a kids home - YP back, who arranges the RHI?", "carer"),
    ("EDT duty - foster carer rang at 2am about a 15yo not back", "edt"),
    ("I'm a kinship foster carer for my granddaughter", "carer"),
    ("my looked after child has gone missing. I'm the allocated social worker", "social_care"),
    ("on EDT tonight. foster carer reporting 15yo lad not returned", "edt"),
    ("Night waking staff at the home. Our 15yo was brought back by police", "carer"),
    ("Hi - foster carer in Dunmere. My 14 yr old is looked after by a different council", "carer"),
    ("lad missing from our home - who do we tell apart from the police?", "carer"),
    # a role's name as a sentence of its own, after another sentence
    ("he's gone again tonight, 3rd time since easter. foster carer. same as before - police then EDT?", "carer"),
    ("RHI came back saying he's scared of his stepdad. Social worker here. Next steps?", "social_care"),
    ("she hasn't come home and it's 2am. Police.", "police"),
    ("School attendance officer here. A stepdad rang this morning", "school"),
])
def test_a_self_description_names_who_is_typing(nlp, text: str, role: str) -> None:
    assert understood(nlp, text).get("practitioner_role") == role


@pytest.mark.parametrize(("text", "role", "said", "implied"), [
    ("Foster carer. My 12yo still hasn't been found", "carer", None, "in_care"),
    ("Resi worker on a sleep-in, our 14yo was brought back at 3am", "carer", None, "in_care"),
    ("Residential manager. We thought we'd found her but it wasn't her", "carer", None, "in_care"),
    ("Teacher. A year 8 pupil went missing on the school residential trip", "school", None, None),
    ("EDT worker. Call from a foster carer at 01:15, her 12yo hasn't turned up", "edt", None, "in_care"),
    ("Police. 15yo misper located, returned to foster carer", "police", None, "in_care"),
    ("Registered manager, Saturday. One of our lads (15) slipped off during the cinema trip", "carer", None,
     "in_care"),
    ("Foster carer. He's gone off with an older man not known to us", "carer", None, "in_care"),
    # a care status said is never overridden by what the carer's name implies
    ("Foster carer. She's placed here by another council", "carer", "in_care_from_other_area", None),
    ("youth offending worker, lad 16 missed his curfew", "youth_justice", None, None),
    ("School DSL. Parent rang to say her son didn't come home", "school", None, None),
])
def test_a_foster_carer_or_home_named_implies_a_child_in_care(nlp, text: str, role: str, said: str | None,
                                                              implied: str | None) -> None:
    found = understood(nlp, text)
    assert (found.get("practitioner_role"), found.get("care_status"), found.get("implied_care_status")) == (
        role, said, implied)


@pytest.mark.parametrize(("text", "mentioned"), [
    ("should I tell the social worker?", "social_care"),
    ("the police have found her in town", "police"),
    ("Police have just brought him back to the home", "police"),
    ("do we tell agencies such as the police and the school", "police"),
    ("as the police said, she's low risk", "police"),
    ("who is the missing coordinator here", "police"),
    ("Who should ring the parents? The social worker.", "social_care"),
    ("Who rings the parents? Police. We just record it", "police"),
    ("She's back. Who needs to know? Parents. Social worker. Police.", "social_care"),
    ("She's back. Tell the parents. Social worker. Police.", "police"),
    ("She went to the police. Social worker says nothing", "social_care"),
    ("what should the foster carer check before ringing 101", "carer"),
    ("ring EDT or the police?", "police"),
    ("Foster carer Jane, who looks after her, rang", "carer"),
    ("Social worker Tom, from the other LA, rang to say she's missing", "social_care"),
    ("Social worker today told me she's low risk", "social_care"),
])
def test_a_role_only_mentioned_is_not_taken_for_the_writer(nlp, text: str, mentioned: str) -> None:
    found = understood(nlp, text)
    assert "practitioner_role" not in found, found
    assert vocabulary.ROLE_MENTION in found


def test_only_the_first_self_description_counts(nlp) -> None:
    assert understood(nlp, "I'm a foster carer, and as her carer I rang the police")["practitioner_role"] == "carer"


# -- understanding: the child's care status and the concern -----------------------------------------

@pytest.mark.parametrize(("text", "status"), [
    ("our LAC absconded last night", "in_care"),
    ("she is CiC and not back", "in_care"),
    ("a CLA child missing over 24 hours", "in_care"),
    ("missing from placement since tea time", "in_care"),
    ("14 year old on a CP plan not home", "at_home_social_worker"),
    ("he's open to us as child in need", "at_home_social_worker"),
    ("CIN case, not come home", "at_home_social_worker"),
    ("it's an S47 and she's gone", "at_home_social_worker"),
    ("section 17 family, the boy is missing", "at_home_social_worker"),
    ("she has a social worker but lives with mum", "at_home_social_worker"),
    ("lives at home, not known to social care", "at_home"),
    ("she's not in care, she lives with her dad", "at_home"),
    ("placed here by Wirral council and missing since Friday", "in_care_from_other_area"),
    ("a lad placed with us by a council 200 miles away", "in_care_from_other_area"),
    ("he's from another local authority, placed on our patch", "in_care_from_other_area"),
    ("out of area placement, placed here by Cheshire East", "in_care_from_other_area"),
    ("LAC placed out of county", "in_care_out_of_area"),
    ("OOA placement gone missing", "in_care_out_of_area"),
    ("we placed him in another county", "in_care_out_of_area"),
    ("17 year old in semi-independent accommodation", "supported_accommodation"),
    ("16+ accommodation, young person not back", "supported_accommodation"),
    ("care leaver in supported accommodation aged 17", "supported_accommodation"),
    ("a 20 year old care leaver hasn't been seen", "care_leaver_adult"),
    ("PA here, 19yo missing", "care_leaver_adult"),
    ("EDT - child back at resi 1am", "in_care"),
    ("a boy placed with us by our own local authority", "in_care"),
    ("14yo placed there by another local authority", "in_care_from_other_area"),
    ("Assessed by another council last year, lives with mum", "at_home"),
    ("She hasn't got an allocated social worker", "at_home"),
    ("My 14 yr old is looked after by a different council, not this one", "in_care_from_other_area"),
    ("SW here. My CP child, a 13 year old boy, was found by police", "at_home_social_worker"),
    ("kid done a runner from our unit", "in_care"),
    ("The boy was placed with me by a council 50 miles away", "in_care_from_other_area"),
    ("She's back at her mum's. She's got a social worker", "at_home_social_worker"),
    ("She hasn't got a social worker", "at_home"),
    ("The family has never had any social care involvement", "at_home"),
    ("She isn't known to social care as far as I can see", "at_home"),
    ("misper from resi who do i ring 1st", "in_care"),
    ("No social services involvement as far as she knows", "at_home"),
    ("A police notification for a 10 year old. Nothing open to us, no previous referrals", "at_home"),
    ("missing since 4, 11yrs, lives w mum, no services involved", "at_home"),
])
def test_the_care_status_is_understood_the_most_specific_first(nlp, text: str, status: str) -> None:
    assert understood(nlp, text).get("care_status") == status


@pytest.mark.parametrize(("text", "concern"), [
    ("UASC gone missing from placement", "trafficking"),
    ("an unaccompanied asylum-seeking child has gone", "trafficking"),
    ("we think she's been trafficked", "trafficking"),
    ("think it's county lines, he keeps turning up in other towns", "exploitation"),
    ("CSE concerns, she goes off with older men", "exploitation"),
    ("NRM for a county lines kid", "exploitation"),  # the NRM is for county lines too
    ("a 13 year old left A&E before being seen", "hospital"),
    ("teenager walked off the ward during handover", "hospital"),
    ("14yo absconded from ED", "hospital"),
    ("MHA detained 15yo AWOL from unit", "hospital"),
    ("is a child who is CME missing?", "education"),
    ("pupil taken off roll and no new school", "education"),
    ("she hasn't been in school for two weeks", "education"),
])
def test_the_concern_is_understood(nlp, text: str, concern: str) -> None:
    assert understood(nlp, text).get("concern") == concern


def test_longest_phrases_win(nlp) -> None:
    assert understood(nlp, "school nurse here")["practitioner_role"] == "health"
    assert understood(nlp, "she's not in care")["care_status"] == "at_home"
    assert "concern" not in understood(nlp, "exploitation team contact please")


def test_values_are_the_canonical_ones_whatever_the_spelling(nlp) -> None:
    for text in ("I'm the DSL", "I’m the dsl", "im the Designated Safeguarding Lead"):
        assert understood(nlp, text)["practitioner_role"] == "school", text


def test_synonyms_never_rename_a_canonical_value() -> None:
    canonical = {value for values in vocabulary.ENTITIES.values() for value in values}
    assert not canonical & {phrase for phrases in vocabulary.synonyms().values() for phrase in phrases}


def test_vocabulary_values_are_the_slots_values() -> None:
    domain = yaml.safe_load(settings.DOMAIN_FILE.read_text(encoding="utf-8"))["slots"]
    for slot, values in vocabulary.SLOT_VALUES.items():
        assert set(domain[slot]["values"]) == set(values), slot
    assert set(domain["asked_role"]["values"]) == {*vocabulary.PRACTITIONER_ROLES, "none"}
    assert [value for _, value in ROLE_BUTTONS] == vocabulary.SLOT_VALUES["practitioner_role"]


# -- the answers: exactly one variation for every state of the slots ----------------------------------

def conditioned_slots(variations: List[dict]) -> List[str]:
    return sorted({item["name"] for v in variations for item in v.get("condition") or []})


def slot_states(slot: str, slot_values: Dict[str, List[Any]]) -> List[Any]:
    return [None, *slot_values[slot], "not-a-value"]


@pytest.mark.parametrize("pack_id", partnership.available())
def test_exactly_one_variation_matches_every_slot_state(catalogue, pack_id: str) -> None:
    """Rasa picks at random among the matching variations: for every answer with conditions, every
    combination of its slots' values (and unset, and a value the slot does not list) gets exactly one."""
    rendered = Renderer(partnership.load(pack_id), catalogue).responses()
    filter_ = ResponseVariationFilter(rendered)
    slot_values = domain_slot_values()
    checked = 0
    for name, variations in rendered.items():
        slots = conditioned_slots(variations)
        if not slots:
            continue
        for combination in itertools.product(*(slot_states(slot, slot_values) for slot in slots)):
            state = dict(zip(slots, combination, strict=True))
            matching = filter_.responses_for_utter_action(name, "rest", state)
            assert len(matching) == 1, (name, state, len(matching))
            checked += 1
    assert checked > 1200


def picked(responses: Dict[str, List[dict]], name: str, **slots: Any) -> str:
    """The text Rasa says for utter_<name> with these slots (the rest unset)."""
    [variation] = ResponseVariationFilter(responses).responses_for_utter_action(f"utter_{name}", "rest", slots)
    return variation["text"].split("\n\n")[0]


def lines_before(text: str, heading: str) -> List[str]:
    lines = text.splitlines()
    return lines[:next(i for i, line in enumerate(lines) if line.startswith(heading))]


@pytest.mark.parametrize("name", TAILORED)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_its_lead_line(responses, name: str, role: str) -> None:
    text = picked(responses, name, practitioner_role=role)
    assert re.search(r"^As (police|the|a|an|children's)\b", text, re.MULTILINE), (name, role)
    assert text != picked(responses, name), (name, role)


def test_a_dsl_gets_the_schools_part_first(responses) -> None:
    lead = lines_before(picked(responses, "child_missing", practitioner_role="school"), "Who to notify")
    assert lead[0] == "If the child is in immediate danger, call 999 now."
    assert lead[1].startswith("As the school or DSL:") and "report to the police" in lead[1]


def test_the_host_area_case_tells_the_placing_council(responses) -> None:
    for name in ("child_missing", "out_of_area"):
        text = picked(responses, name, care_status="in_care_from_other_area")
        assert "Placed here by another council: tell the placing council's social worker (out of hours, their " \
               "Emergency Duty Team) as well as the police, and agree who does the return home interview." in text
    found = picked(responses, "child_found", care_status="in_care_from_other_area")
    assert "agree with them who does the return home interview" in found


def test_an_unaccompanied_child_gets_trafficking_and_the_nrm_first(responses) -> None:
    text = picked(responses, "child_missing", concern="trafficking", care_status="in_care", practitioner_role="carer")
    lead = lines_before(text, "Who to notify")
    assert lead[0].startswith("If the child is in immediate danger, call 999")
    assert lead[1].startswith("Child in care:")
    assert "trafficking concern" in lead[2] and "National Referral Mechanism" in lead[2]
    assert "no consent is needed for a child" in lead[2] and "first responders" in lead[2]
    buttons = [b["title"] for b in ResponseVariationFilter(responses).responses_for_utter_action(
        "utter_child_missing", "rest", {"concern": "trafficking"})[0]["buttons"]]
    assert buttons[0] == "Unaccompanied and trafficked children"


def test_an_adult_care_leaver_is_not_told_no_consent_is_needed(responses) -> None:
    for name in ("child_missing", "child_found"):
        text = picked(responses, name, concern="trafficking", care_status="care_leaver_adult")
        assert "needs their consent" in text and "no consent is needed for a child" not in text.split("Who to")[0]
        assert "Care leaver aged 18 or over" in text
        assert "Children missing education" not in picked(responses, name, concern="education",
                                                          care_status="care_leaver_adult")


def test_with_a_concern_the_concern_and_care_lines_come_and_the_role_waits(responses) -> None:
    text = picked(responses, "child_missing", concern="exploitation", care_status="at_home_social_worker",
                  practitioner_role="police")
    lead = lines_before(text, "Who to notify")
    assert lead[1].startswith("Child at home with a social worker") and lead[2].startswith("Exploitation suspected")
    assert not any(line.startswith("As police") for line in lead)
    both = lines_before(picked(responses, "child_missing", care_status="in_care", practitioner_role="police"),
                        "Who to notify")
    assert both[1].startswith("Child in care:") and both[2].startswith("As police:")


@pytest.mark.parametrize("name", TAILORED)
def test_999_stays_first_and_the_general_answer_follows(responses, name: str, catalogue) -> None:
    general = catalogue.topics[name].answer.strip().splitlines()
    for variation in responses[f"utter_{name}"]:
        text = variation["text"].split("\n\n")[0]
        if "999" in general[0]:
            assert text.splitlines()[0] == general[0]
        assert general[1].split("{{")[0] in text and general[-1].split("{{")[0] in text


def test_lead_sources_are_cited_and_checked(responses, catalogue) -> None:
    text = ResponseVariationFilter(responses).responses_for_utter_action(
        "utter_child_missing", "rest", {"concern": "trafficking"})[0]["text"]
    source = next(line for line in text.splitlines() if line.startswith("Source:"))
    assert catalogue.sources["ho_nrm"] in source and catalogue.sources["dfe_uasc_2017"] in source
    assert "Checked against these sources on 7 December 2026" in source


def test_the_role_asked_about_wins_over_the_writers_role(responses) -> None:
    asked = picked(responses, "role_responsibilities", asked_role="youth_justice", practitioner_role="police")
    assert asked.startswith("As a youth justice")
    own = picked(responses, "role_responsibilities", asked_role="none", practitioner_role="edt")
    assert own.startswith("As the Emergency Duty Team")


def test_rasa_says_the_tailored_answer_without_the_action_server(responses) -> None:
    """Rasa's own response generator, given the slots the message set: no custom action involved."""
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_path(settings.DOMAIN_FILE)
    tracker = DialogueStateTracker.from_events("p", [SlotSet("practitioner_role", "school"),
                                                     SlotSet("care_status", "in_care_from_other_area")],
                                               slots=domain.slots)
    generated = asyncio.run(TemplatedNaturalLanguageGenerator(responses).generate("utter_child_missing", tracker,
                                                                                   "rest"))
    lines = generated["text"].splitlines()
    assert lines[1].startswith("Placed here by another council") and lines[2].startswith("As the school or DSL")


# -- content checks --------------------------------------------------------------------------------

def test_the_leads_validate(catalogue) -> None:
    intents = set(yaml.safe_load(settings.DOMAIN_FILE.read_text(encoding="utf-8"))["intents"])
    for key, entry in catalogue.entries().items():
        if entry.tailoring:
            assert check_leads(key, entry.tailoring, catalogue, intents) == [], key


def test_a_wrong_lead_is_refused(catalogue) -> None:
    tailoring = topics.Tailoring.parse_obj({
        "layers": [["care_status"]],
        "lines": {"care_status": {"in_kare": {"text": "x", "sources": ["no_such_source"], "buttons": ["nope"]}}},
    })
    errors = " ".join(check_leads("child_missing", tailoring, catalogue, {"child_missing"}))
    assert "cannot hold" in errors and "unknown source" in errors and "unknown intent" in errors
    with pytest.raises(ValueError, match="not in its layer"):
        topics.Tailoring.parse_obj({"layers": [["concern"], ["care_status"]], "lines": {
            "concern": {"trafficking": {"text": "x", "sources": [], "instead": {
                "care_status": {"care_leaver_adult": {"text": "", "sources": []}}}}},
            "care_status": {}}})


# -- follow-ups in context ------------------------------------------------------------------------

def user(text: str = "x") -> Dict[str, Any]:
    return {"event": "user", "text": text}


def said(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def test_the_last_answer_is_the_last_turn_that_answered() -> None:
    events = [user(), said("utter_child_missing"), said("action_log_query"), user(), said("utter_thank"),
              said("action_log_query"), user(), slot("care_status", "in_care")]
    assert last_answer(events) == ["utter_child_missing"]
    walkthrough = [user(), said("utter_missing_checklist"), said("utter_role_responsibilities"),
                   said("utter_missing_situation_question"), user()]
    assert last_answer(walkthrough) == ["utter_missing_checklist", "utter_role_responsibilities"]
    by_action = [user(), {"event": "bot", "metadata": {"utter_action": "utter_return_interview"}}, user()]
    assert last_answer(by_action) == ["utter_return_interview"]
    assert last_answer([user(), said("utter_child_found"), {"event": "session_started"}, user()]) == []


def test_only_a_situation_set_by_the_latest_message_counts() -> None:
    assert situation_given([user(), slot("practitioner_role", "school")])
    assert not situation_given([slot("practitioner_role", "school"), user(), slot("asked_role", "none")])


def answer_in_context(events: List[Dict[str, Any]]) -> List[str]:
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ActionAnswerInContext().run(dispatcher, tracker_for("follow_up", events=events), {}))
    assert result == []
    return [message["response"] for message in dispatcher.messages]


def test_a_follow_up_gets_the_last_answer_again() -> None:
    events = [user("who do I tell"), said("utter_child_missing"), said("action_log_query"),
              user("and if she was placed here by another council?"), slot("care_status", "in_care_from_other_area")]
    assert answer_in_context(events) == ["utter_child_missing"]


def test_before_any_answer_a_follow_up_is_asked_what_they_would_like_to_know() -> None:
    assert answer_in_context([user("I'm the DSL"), slot("practitioner_role", "school")]) == ["utter_inform"]


def test_a_follow_up_with_nothing_new_says_what_would_change_the_answer(responses) -> None:
    events = [user(), said("utter_child_missing"), user("and what about at night?")]
    assert answer_in_context(events) == ["utter_context_unclear"]
    assert "call 999" in responses["utter_context_unclear"][0]["text"]


@pytest.mark.parametrize("name", TAILORED)
def test_an_implied_child_in_care_gets_the_in_care_answer_and_a_care_status_said_wins(responses, name: str) -> None:
    in_care = picked(responses, name, care_status="in_care", practitioner_role="carer")
    assert picked(responses, name, implied_care_status="in_care", practitioner_role="carer") == in_care
    placed_here = picked(responses, name, care_status="in_care_from_other_area", practitioner_role="carer")
    assert picked(responses, name, care_status="in_care_from_other_area", implied_care_status="in_care",
                  practitioner_role="carer") == placed_here
