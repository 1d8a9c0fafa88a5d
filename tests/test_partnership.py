from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.content import partnership


@pytest.mark.parametrize("pack_id", partnership.available())
def test_every_shipped_pack_loads(pack_id: str) -> None:
    pack = partnership.load(pack_id)
    assert pack.id == pack_id
    assert set(pack.contacts) == set(partnership.CONTACT_LABELS)
    assert set(pack.documents) == set(partnership.DOCUMENT_LABELS)


def test_both_seed_partnerships_are_shipped() -> None:
    assert {"pan_cheshire", "bscb"} <= set(partnership.available())


def test_seed_values_come_from_the_audits() -> None:
    cheshire = partnership.load("pan_cheshire")
    assert cheshire.documents["missing_protocol"].name == "Pan Cheshire Missing from Home Protocol 2016-2017"
    assert cheshire.documents["escalation_policy"].name == "Pan Cheshire Escalation Policy"
    assert cheshire.contacts["return_interview_provider"].name == "Catch22"
    assert partnership.load("bscb").documents["referral_pathway"].name == "Missing Children referral pathway"


def test_no_shipped_pack_invents_a_phone_number() -> None:
    # The seeds give no local numbers, so none may appear until a partnership supplies them.
    for pack_id in partnership.available():
        assert all(contact.phone is None for contact in partnership.load(pack_id).contacts.values())


def test_unset_values_are_listed(pack_data: dict, write_pack) -> None:
    pack = write_pack(pack_data)
    unset = pack.unset_values()
    assert any(item.startswith("contacts.front_door ") for item in unset)
    assert "timescales.strategy_meeting_threshold (threshold for a strategy meeting after repeat episodes)" in unset

    pack_data["contacts"]["front_door"] = {"name": "Front Door", "phone": "0300 123 4567"}
    pack_data["timescales"]["strategy_meeting_threshold"] = "3 episodes in 30 days"
    filled = write_pack(pack_data).unset_values()
    assert not any(item.startswith("contacts.front_door") for item in filled)
    assert not any(item.startswith("timescales.strategy_meeting_threshold") for item in filled)


def test_a_pack_missing_a_key_is_rejected(pack_data: dict, write_pack) -> None:
    del pack_data["contacts"]["emergency_duty_team"]
    with pytest.raises(ValidationError, match="missing keys"):
        write_pack(pack_data)


def test_an_unknown_key_is_rejected(pack_data: dict, write_pack) -> None:
    pack_data["contacts"]["helpdesk"] = {"name": "x"}
    with pytest.raises(ValidationError, match="unknown keys"):
        write_pack(pack_data)


def test_a_phone_without_digits_is_rejected(pack_data: dict, write_pack) -> None:
    pack_data["contacts"]["front_door"]["phone"] = "ring the office"
    with pytest.raises(ValidationError, match="does not look like a phone number"):
        write_pack(pack_data)


def test_an_unknown_partnership_names_the_available_ones() -> None:
    with pytest.raises(FileNotFoundError, match="pan_cheshire"):
        partnership.load("atlantis")
