from __future__ import annotations

import json
import re

import pytest

from bot.content import partnership
from bot.content.phone_numbers import NATIONAL_NUMBERS, invented_numbers
from bot.content.render import Renderer, literal


def texts(responses: dict) -> list:
    return [variation["text"] for variations in responses.values() for variation in variations]


@pytest.mark.parametrize("pack_id", partnership.available())
def test_every_placeholder_is_filled(pack_id: str, catalogue) -> None:
    for text in texts(Renderer(partnership.load(pack_id), catalogue).responses()):
        assert "{" not in text and "}" not in text, text


LOCAL_DOCUMENTS = r"( Local documents? \(the partnership's own, not checked here\): [^\n]+\.)?"


def test_every_topic_and_checklist_names_its_source_and_review_date(catalogue) -> None:
    responses = Renderer(partnership.load("pan_cheshire"), catalogue).responses()
    entries = {**{key: catalogue.topics[key] for key in catalogue.topics},
               "missing_checklist": catalogue.responses["missing_checklist"],
               "found_checklist": catalogue.responses["found_checklist"]}
    for key, entry in entries.items():
        national = [source for source in entry.sources if not source.startswith("local:")]
        line = (r"\nSource: [^\n]+\. Checked against these sources on \d{1,2} \w+ \d{4}\." + LOCAL_DOCUMENTS
                if national else r"\nSource: local documents? \(the partnership's own, not checked here\): [^\n]+\.")
        for variation in responses[f"utter_{key}"]:
            assert re.search(line + r"(\n|$)", variation["text"]), key


def test_local_documents_are_not_claimed_as_checked(catalogue) -> None:
    """The check date was given for the partnership's protocol, escalation policy and toolkit too, which no one
    here has seen: 'Source: Pan Cheshire Missing from Home Protocol 2016-2017; ... Checked against these sources'."""
    for pack_id in partnership.available():
        pack = partnership.load(pack_id)
        local = [document.name for document in pack.documents.values() if document.name]
        for variations in Renderer(pack, catalogue).responses().values():
            for variation in variations:
                for line in variation["text"].splitlines():
                    if "Checked against these sources" in line:
                        checked = line.split("Checked against these sources")[0]
                        assert not any(name in checked for name in local), (pack_id, line)


def test_local_document_is_cited_by_its_local_name(catalogue) -> None:
    responses = Renderer(partnership.load("pan_cheshire"), catalogue).responses()
    cited = "Local document (the partnership's own, not checked here): Pan Cheshire Escalation Policy."
    assert cited in responses["utter_escalation"][0]["text"]
    bscb = Renderer(partnership.load("bscb"), catalogue).responses()
    assert "not checked here): BSCB escalation guidance." in bscb["utter_escalation"][0]["text"]


@pytest.mark.parametrize("pack_id", partnership.available())
def test_source_lines_do_not_name_a_board_as_today_s_body(catalogue, pack_id: str) -> None:
    """A document the pack leaves unnamed was cited as 'West Cheshire Local Safeguarding Children Board local
    content'; boards were replaced in 2019. Audits keep their old names."""
    for variations in Renderer(partnership.load(pack_id), catalogue).responses().values():
        for variation in variations:
            for line in variation["text"].splitlines():
                assert "local content" not in line, line
                if line.startswith("Source:"):
                    line = re.sub(r"[^;:.]*LSCB multi-agency audit[^;.]*", "", line)
                    assert not re.search(r"Safeguarding Children Board|\bLSCB\b", line), line


def test_unset_contact_is_said_honestly(catalogue) -> None:
    responses = Renderer(partnership.load("pan_cheshire"), catalogue).responses()
    text = responses["utter_local_contacts"][0]["text"]
    assert "- Emergency Duty Team (out of hours social care): not set up\n" in text
    assert "- Return home interview provider: Catch22 (number not set up)\n" in text
    missing = responses["utter_child_missing"][0]["text"]
    assert "the children's services front door (number not set up)" in missing
    assert "(out of hours, the Emergency Duty Team, number not set up)" in missing


def test_one_line_after_the_answer_lists_what_is_not_set_up(catalogue) -> None:
    text = Renderer(partnership.load("pan_cheshire"), catalogue).responses()["utter_child_missing"][0]["text"]
    lines = [line for line in text.splitlines() if line.startswith("Not yet set up")]
    assert lines == ["Not yet set up for this area: children's services front door number, Emergency Duty Team"
                     " number, link to the Pan Cheshire Missing from Home Protocol 2016-2017 — ask your"
                     " safeguarding lead. Can't reach children's social care and worried about a child? Tell the"
                     " police (999 in immediate danger, otherwise 101): police notify children's social care when a"
                     " child is reported missing."]
    assert text.index(lines[0]) > text.index("Your own manager")  # after the answer, not in it


def test_no_not_set_up_line_once_the_answer_has_its_values(pack_data: dict, write_pack, catalogue) -> None:
    pack_data["contacts"]["front_door"] = {"name": "Front Door", "phone": "0300 123 4567"}
    text = Renderer(write_pack(pack_data), catalogue).responses()["utter_default"][0]["text"]
    assert "Front Door, 0300 123 4567" in text
    assert "not set up" not in text


def test_configured_values_reach_the_answers(pack_data: dict, write_pack, catalogue) -> None:
    pack_data["contacts"]["emergency_duty_team"] = {"name": "Out of Hours Team", "phone": "01234 567890"}
    pack_data["timescales"]["strategy_meeting_threshold"] = "3 episodes in 30 days"
    pack_data["timescales"]["escalation_stages"] = ["Practitioners talk", "Managers meet"]
    responses = Renderer(write_pack(pack_data), catalogue).responses()
    assert "Out of Hours Team, 01234 567890" in responses["utter_local_contacts"][0]["text"]
    assert "3 episodes in 30 days" in responses["utter_repeat_missing"][0]["text"]
    assert "Practitioners talk; Managers meet" in responses["utter_escalation"][0]["text"]


def test_only_national_and_configured_numbers_appear(pack_data: dict, write_pack, catalogue) -> None:
    pack_data["contacts"]["front_door"] = {"name": "MASH", "phone": "0300 123 4567"}
    pack = write_pack(pack_data)
    allowed = NATIONAL_NUMBERS | {"03001234567"}
    for text in texts(Renderer(pack, catalogue).responses()):
        assert invented_numbers(text, allowed) == [], text


def test_invented_numbers_are_caught() -> None:
    assert invented_numbers("Ring 0161 555 0199 now", NATIONAL_NUMBERS) == ["0161 555 0199"]
    assert invented_numbers("Call 999, text 116 000 or ring 0800 1111", NATIONAL_NUMBERS) == []


def test_immediate_danger_answer_puts_999_first(catalogue) -> None:
    responses = Renderer(partnership.load("pan_cheshire"), catalogue).responses()
    assert responses["utter_immediate_danger"][0]["text"].startswith("📞 Call 999 now")
    for name in ("utter_child_missing", "utter_child_found"):
        assert "call 999" in responses[name][0]["text"].splitlines()[0]
    assert "If a child is in immediate danger, call 999." in responses["utter_default"][0]["text"]


def test_role_answer_has_a_variation_per_role(catalogue) -> None:
    variations = Renderer(partnership.load("pan_cheshire"), catalogue).responses()["utter_role_responsibilities"]
    conditions = [v["condition"][0]["value"] for v in variations if "condition" in v]
    assert set(conditions) == {"police", "social_care", "carer", "school", "health", "youth_justice", "edt"}
    assert "condition" not in variations[-1], "the last variation is the default"


def test_button_payloads_survive_rasa_interpolation(catalogue) -> None:
    from rasa.core.nlg.interpolator import interpolate_text

    payload = '/inform{"care_status":"at_home","asked_in":"walkthrough"}'
    assert interpolate_text(literal(payload), {"care_status": None}) == payload
    buttons = Renderer(partnership.load("pan_cheshire"), catalogue).responses()["utter_ask_care_status"][0]["buttons"]
    assert interpolate_text(buttons[0]["payload"], {"requested_slot": None}) == payload


def test_clarify_buttons_are_filled_from_suggestion_slots(catalogue) -> None:
    from rasa.core.nlg.interpolator import interpolate

    buttons = Renderer(partnership.load("pan_cheshire"), catalogue).responses()["utter_clarify"][0]["buttons"]
    filled = interpolate(buttons, {"suggestion_1": "escalation", "suggestion_1_title": "Escalating",
                                   "suggestion_2": "training", "suggestion_2_title": "Training",
                                   "suggestion_3": "definitions", "suggestion_3_title": "Definitions"})
    assert filled[0] == {"title": "Escalating", "payload": "/escalation"}
    assert filled[-1] == {"title": "None of these", "payload": "/none_of_these"}


SITUATION_TOPICS = ["unaccompanied_trafficked", "missing_education", "left_hospital", "supported_accommodation",
                    "care_leaver_missing", "police_report_details", "police_decline", "strategy_discussion"]


@pytest.mark.parametrize("topic", SITUATION_TOPICS)
def test_situation_answers_put_999_first(catalogue, topic: str) -> None:
    text = Renderer(partnership.load("pan_cheshire"), catalogue).responses()[f"utter_{topic}"][-1]["text"]
    first = text.splitlines()[0]
    assert first.startswith("If ") and "call 999 now" in first, first


def test_strategy_discussion_leaves_threshold_chair_and_timescale_to_the_area(pack_data: dict, write_pack,
                                                                              catalogue) -> None:
    entry = catalogue.topics["strategy_discussion"]
    assert "timescale:strategy_meeting_threshold" in entry.local_values()
    pack_data["timescales"]["strategy_meeting_threshold"] = "3 episodes in 30 days"
    text = Renderer(write_pack(pack_data), catalogue).responses()["utter_strategy_discussion"][-1]["text"]
    assert "3 episodes in 30 days" in text
    assert "convenes" in text and "Who chairs it and how quickly it meets are set locally" in text


def _slot_values(name: str) -> set:
    import yaml

    from bot import settings

    return set(yaml.safe_load(settings.DOMAIN_FILE.read_text(encoding="utf-8"))["slots"][name]["values"])


@pytest.mark.parametrize("walkthrough", ["missing", "found"])
def test_each_situation_offered_after_a_checklist_adds_its_own_lines(catalogue, walkthrough: str) -> None:
    from rasa.core.nlg.interpolator import interpolate_text

    responses = Renderer(partnership.load("pan_cheshire"), catalogue).responses()
    offered = [json.loads(interpolate_text(b["payload"], {}).removeprefix("/inform"))["situation"]
               for b in responses[f"utter_{walkthrough}_situation_question"][0]["buttons"]]
    assert offered[-1] == "none" and set(offered) <= _slot_values("situation")
    variations = {v["condition"][0]["value"]: v["text"] for v in responses[f"utter_{walkthrough}_situation"]
                  if "condition" in v}
    assert set(variations) == set(offered) - {"none"}
    assert len(set(variations.values())) == len(variations)


def test_a_care_leaver_gets_the_adult_checklist(catalogue) -> None:
    responses = Renderer(partnership.load("pan_cheshire"), catalogue).responses()
    assert "care_leaver_adult" in _slot_values("care_status")
    for checklist in ("utter_missing_checklist", "utter_found_checklist"):
        [text] = [v["text"] for v in responses[checklist]
                  if v.get("condition", [{}])[0].get("value") == "care_leaver_adult"]
        assert "personal adviser" in text and "consent" in text and "section 42" in text, checklist
