"""How current the content is: check dates, sign-off and overdue local guidance."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bot.content import partnership, topics
from bot.content.currency import DUE_FOR_REVIEW, long_date, overdue
from bot.content.render import NOT_CONFIRMED, Renderer


def write_topics(directory: Path, topic: dict) -> topics.Catalogue:
    (directory / "sources.yml").write_text(
        yaml.safe_dump({"reviewed": "2026-01-10", "sources": {"dfe_2014": "DfE 2014"}}), encoding="utf-8")
    (directory / "topics.yml").write_text(yaml.safe_dump({"topics": {"escalation": topic}}), encoding="utf-8")
    return topics.load(directory)


def test_a_topic_without_its_own_check_date_falls_back_to_the_file_level_one(tmp_path: Path) -> None:
    catalogue = write_topics(tmp_path, {"title": "Escalating", "sources": ["dfe_2014"], "answer": "Challenge."})
    assert catalogue.checked(catalogue.topics["escalation"]) == dt.date(2026, 1, 10)


def test_a_topic_checked_date_wins(tmp_path: Path) -> None:
    catalogue = write_topics(tmp_path, {"title": "Escalating", "sources": ["dfe_2014"], "answer": "Challenge.",
                                        "checked": "2026-12-01"})
    assert catalogue.checked(catalogue.topics["escalation"]) == dt.date(2026, 12, 1)


# -- in the answers ----------------------------------------------------------------------------------------

TODAY = dt.date(2026, 12, 7)
LOCAL = "utter_escalation"  # uses the escalation policy and stages from the pack
NATIONAL = "utter_philomena_protocol"  # uses nothing from the pack, and has no check date of its own


def rendered(pack: partnership.Partnership, catalogue: topics.Catalogue, today: dt.date = TODAY) -> Dict[str, str]:
    return {name: variations[-1]["text"] for name, variations in Renderer(pack, catalogue, today).responses().items()}


def local_answers(catalogue: topics.Catalogue) -> List[str]:
    return [f"utter_{key}" for key, entry in catalogue.entries().items() if entry.local_values()]


def current(pack_data: dict) -> dict:
    """The pack with every date in the future of TODAY: nothing overdue."""
    pack_data["documents"]["missing_protocol"]["valid_until"] = None
    return pack_data


def test_answers_show_the_topic_check_date(catalogue: topics.Catalogue) -> None:
    checked = catalogue.copy(deep=True)
    checked.topics["escalation"].checked = dt.date(2026, 12, 1)
    texts = rendered(partnership.load("pan_cheshire"), checked)
    assert "Checked against these sources on 1 December 2026." in texts[LOCAL]
    assert f"Checked against these sources on {long_date(catalogue.reviewed)}." in texts[NATIONAL]


def test_a_pack_never_signed_off_says_so_once_in_answers_using_local_details(catalogue) -> None:
    texts = rendered(partnership.load("pan_cheshire"), catalogue)
    for name in local_answers(catalogue):
        assert texts[name].count(NOT_CONFIRMED) == 1, name
        assert texts[name].endswith(NOT_CONFIRMED), name
    assert NOT_CONFIRMED not in texts[NATIONAL]
    assert NOT_CONFIRMED not in texts["utter_greet"]


def test_a_signed_off_pack_shows_its_sign_off_date(pack_data: dict, write_pack, catalogue) -> None:
    pack_data["signed_off"] = "2026-03-05"
    texts = rendered(write_pack(pack_data), catalogue)
    assert texts[LOCAL].endswith("Local details signed off by the safeguarding children partnership on 5 March 2026.")
    assert NOT_CONFIRMED not in texts[LOCAL]
    assert "signed off" not in texts[NATIONAL]


def test_answers_show_no_date_but_check_and_sign_off_dates(pack_data: dict, write_pack, catalogue) -> None:
    pack_data["signed_off"] = "2026-03-05"
    pack_data["review_due"] = "2027-03-05"
    pack_data["documents"]["escalation_policy"].update(date="2025-06-01", review_due="2027-06-01")
    allowed = {long_date(catalogue.checked(entry)) for entry in catalogue.entries().values()} | {"5 March 2026"}
    allowed.add("31 March 2017")  # the end of the period the missing protocol states, named where it is used
    for text in rendered(write_pack(pack_data), catalogue).values():
        shown = set(re.findall(r"\d{1,2} (?:January|February|March|April|May|June|July|August|September|October"
                               r"|November|December) \d{4}", text))
        assert shown <= allowed | {"1 June 2025"}, text  # the escalation policy's own date, as cited


def test_a_cited_document_names_its_version_and_date(pack_data: dict, write_pack, catalogue) -> None:
    pack_data["documents"]["escalation_policy"].update(version="v2", date="2025-06-01")
    text = rendered(write_pack(pack_data), catalogue)[LOCAL]
    cited = "Local document (the partnership's own, not checked here): Pan Cheshire Escalation Policy (v2, 1 June 2025)"
    assert cited in text


EXPIRED = {
    "pan_cheshire": "The Pan Cheshire Missing from Home Protocol 2016-2017 covered a period that ended on"
                    " 31 March 2017, so it is due for review: ask your safeguarding lead for the current version.",
    "bscb": "The BSCB procedure for missing children was due for review on 30 November 2013: ask your safeguarding"
            " lead for the current version.",
}


def test_shipped_packs_are_overdue_in_every_answer_using_local_details(catalogue) -> None:
    for pack_id in ("pan_cheshire", "bscb"):
        texts = rendered(partnership.load(pack_id), catalogue, dt.date.today())
        for name in local_answers(catalogue):
            assert "due for review" in texts[name], (pack_id, name)  # the general line, or the document named
            assert texts[name].count(DUE_FOR_REVIEW) <= 1, (pack_id, name)
        assert DUE_FOR_REVIEW not in texts[NATIONAL] and EXPIRED[pack_id] not in texts[NATIONAL]


@pytest.mark.parametrize("pack_id", ["pan_cheshire", "bscb"])
def test_an_expired_protocol_is_named_in_every_answer_that_uses_it(catalogue, pack_id: str) -> None:
    """The only warning was the general 'This area's local guidance is due for review', while answers told people
    to follow the 2016-2017 protocol, or the BSCB procedure due for review in 2013, as if current."""
    texts = rendered(partnership.load(pack_id), catalogue, dt.date.today())
    using = catalogue.uses("document:missing_protocol")
    assert {"child_missing", "out_of_area", "definitions", "missing_checklist"} <= set(using)
    for key in using:
        assert texts[f"utter_{key}"].count(EXPIRED[pack_id]) == 1, key
        assert DUE_FOR_REVIEW not in texts[f"utter_{key}"], key
    for key, entry in catalogue.entries().items():
        if entry.local_values() and key not in using:
            assert EXPIRED[pack_id] not in texts[f"utter_{key}"], key


def test_a_current_pack_says_nothing_about_review(pack_data: dict, write_pack, catalogue) -> None:
    texts = rendered(write_pack(current(pack_data)), catalogue)
    assert not any(DUE_FOR_REVIEW in text for text in texts.values())


@pytest.mark.parametrize("where, field", [
    (("documents", "escalation_policy"), "review_due"),
    (("documents", "voice_of_child_toolkit"), "valid_until"),
    ((), "review_due"),
])
def test_any_passed_date_makes_the_pack_due_for_review(pack_data: dict, write_pack, catalogue,
                                                        where: tuple, field: str) -> None:
    section = current(pack_data)
    for key in where:
        section = section[key]
    section[field] = "2026-12-06"
    pack = write_pack(pack_data)
    named = "The Pan Cheshire Escalation Policy was due for review on 6 December 2026"  # the answer uses it
    warning = named if where == ("documents", "escalation_policy") else DUE_FOR_REVIEW
    assert warning in rendered(pack, catalogue)[LOCAL]
    assert warning not in rendered(pack, catalogue, dt.date(2026, 12, 6))[LOCAL]  # due today: not yet past
    [item] = overdue(pack, TODAY)
    assert item.path == ".".join([*where, field]) and item.since == dt.date(2026, 12, 6)
