from __future__ import annotations

import datetime as dt

import pytest

from bot.content import partnership
from bot.content.pydantic_compat import ValidationError


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


def test_seed_dates_are_only_those_the_audits_state() -> None:
    cheshire, bscb = partnership.load("pan_cheshire"), partnership.load("bscb")
    # The protocol's title states its period, 2016-2017: written down, not read from the name.
    assert cheshire.documents["missing_protocol"].valid_until == dt.date(2017, 3, 31)
    # The 2013 audit: the procedure to be signed off in November 2013, the training reviewed in autumn 2013.
    assert bscb.documents["missing_protocol"].review_due == dt.date(2013, 11, 30)
    assert bscb.documents["training"].review_due == dt.date(2013, 11, 30)
    dated = {(pack.id, key, field) for pack in (cheshire, bscb) for key, document in pack.documents.items()
             for field in ("version", "date", "review_due", "valid_until") if getattr(document, field)}
    assert dated == {("pan_cheshire", "missing_protocol", "valid_until"), ("bscb", "missing_protocol", "review_due"),
                     ("bscb", "training", "review_due")}


@pytest.mark.parametrize("pack_id", partnership.available())
def test_no_shipped_pack_claims_a_sign_off_and_each_names_a_role(pack_id: str) -> None:
    pack = partnership.load(pack_id)
    assert pack.signed_off is None and pack.review_due is None
    assert pack.owner == "Partnership business manager"


def test_an_internal_review_date_is_refused(pack_data: dict, write_pack) -> None:
    pack_data["reviewed"] = "2026-11-22"
    with pytest.raises(ValidationError, match="an internal review is not a sign-off"):
        write_pack(pack_data)


@pytest.mark.parametrize("section, key", [("documents", "escalation_policy"), ("contacts", "front_door")])
def test_links_must_be_https(pack_data: dict, write_pack, section: str, key: str) -> None:
    pack_data[section][key]["link"] = "http://example.org/policy"
    with pytest.raises(ValidationError, match="must start with https://"):
        write_pack(pack_data)
    pack_data[section][key]["link"] = "https://example.org/policy"
    assert getattr(write_pack(pack_data), section)[key].link == "https://example.org/policy"


def test_every_document_declares_its_version_date_and_review_date(pack_data: dict, write_pack) -> None:
    del pack_data["documents"]["training"]["review_due"]
    with pytest.raises(ValidationError, match="review_due"):
        write_pack(pack_data)


def test_a_pack_without_a_name_loads_only_as_a_draft(pack_data: dict, write_pack, tmp_path) -> None:
    pack_data["name"] = None
    with pytest.raises(ValueError, match="fill in name before building"):
        write_pack(pack_data)
    draft = partnership.load("pan_cheshire", tmp_path, draft=True)
    assert "name: the pack: no name (the partnership's full name)" in draft.unset_values()


def test_no_shipped_pack_invents_a_phone_number() -> None:
    # The seeds give no local numbers, so none may appear until a partnership supplies them.
    for pack_id in partnership.available():
        assert all(contact.phone is None for contact in partnership.load(pack_id).contacts.values())


def test_unset_values_are_listed(pack_data: dict, write_pack) -> None:
    pack = write_pack(pack_data)
    unset = pack.unset_values()
    assert "contacts.front_door: Children's services front door (MASH): no phone, e-mail or link" in unset
    assert "timescales.strategy_meeting_threshold: the threshold for a strategy meeting after repeat episodes:" \
           " not given" in unset
    assert "signed_off: the pack: not yet signed off by the partnership" in unset

    pack_data["contacts"]["front_door"] = {"name": "Front Door", "phone": "0300 123 4567"}
    pack_data["timescales"]["strategy_meeting_threshold"] = "3 episodes in 30 days"
    pack_data["signed_off"] = "2026-01-05"
    filled = write_pack(pack_data).unset_values()
    assert not any(item.startswith(("contacts.front_door", "timescales.strategy_meeting_threshold", "signed_off"))
                   for item in filled)


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
