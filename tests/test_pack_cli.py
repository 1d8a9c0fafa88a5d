"""`python -m bot pack init` and `pack check`: a partnership fills in its pack without a developer."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from bot import settings
from bot.__main__ import main
from bot.content import partnership
from bot.content.pack_template import template


@pytest.fixture
def packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pack_data: dict) -> Path:
    """An empty partnerships folder (after pack_data has read the shipped pack it starts from)."""
    monkeypatch.setattr(settings, "PARTNERSHIPS_DIR", tmp_path)
    return tmp_path


def complete(pack_data: dict, pack_id: str = "anytown") -> dict:
    """A pack with every value set, signed off, and nothing due for review yet."""
    today = dt.date.today()
    pack_data.update(id=pack_id, owner="Partnership business manager", signed_off=str(today - dt.timedelta(days=30)),
                     review_due=str(today + dt.timedelta(days=335)))
    for n, contact in enumerate(pack_data["contacts"].values()):
        contact.update(name=f"Team {n}", phone=f"0300 123 456{n}")
    for key, document in pack_data["documents"].items():
        document.update(name=f"Anytown {key}", version="v1", date="2026-01-01", valid_until=None,
                        review_due=str(today + dt.timedelta(days=200)), link=f"https://example.org/{key}")
    pack_data["timescales"] = {"strategy_meeting_threshold": "3 episodes in 30 days",
                               "escalation_stages": ["Practitioners talk", "Managers meet"]}
    return pack_data


def write(directory: Path, data: dict) -> None:
    (directory / f"{data['id']}.yml").write_text(yaml.safe_dump(data), encoding="utf-8")


# -- init --------------------------------------------------------------------------------------------------

def test_init_writes_every_key_with_a_comment_above_it(packs: Path, capsys) -> None:
    assert main(["pack", "init", "anytown"]) == 0
    text = (packs / "anytown.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"\s*\w+:", line):
            assert lines[number - 1].lstrip().startswith("#"), line
    data = yaml.safe_load(text)
    assert set(data) == set(partnership.Partnership.__fields__)
    assert set(data["documents"]) == set(partnership.DOCUMENT_LABELS)
    assert all(set(document) == set(partnership.Document.__fields__) for document in data["documents"].values())
    assert all(set(contact) == set(partnership.Contact.__fields__) for contact in data["contacts"].values())
    assert "pack check anytown" in capsys.readouterr().out


def test_a_new_pack_loads_as_a_draft_with_everything_unset(packs: Path) -> None:
    main(["pack", "init", "anytown"])
    draft = partnership.load("anytown", draft=True)
    assert draft.id == "anytown" and draft.signed_off is None
    assert draft.missing_identity() == ["name", "short_name", "area"]
    with pytest.raises(ValueError, match="before building"):
        partnership.load("anytown")


def test_init_refuses_to_overwrite_a_pack(packs: Path, capsys) -> None:
    (packs / "anytown.yml").write_text("id: anytown\n", encoding="utf-8")
    assert main(["pack", "init", "anytown"]) == 1
    assert (packs / "anytown.yml").read_text(encoding="utf-8") == "id: anytown\n"
    assert "not overwritten" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["../evil", "Anytown", "any town", "1town", "a", "x" * 41, "anytown.yml"])
def test_init_refuses_an_unsafe_name(packs: Path, name: str) -> None:
    assert main(["pack", "init", name]) == 2
    assert list(packs.iterdir()) == []


def test_the_template_is_the_one_init_writes(packs: Path) -> None:
    main(["pack", "init", "anytown"])
    assert (packs / "anytown.yml").read_text(encoding="utf-8") == template("anytown")


# -- check -------------------------------------------------------------------------------------------------

def test_check_of_a_new_pack_lists_the_gaps_and_the_answers_they_affect(packs: Path, capsys) -> None:
    main(["pack", "init", "anytown"])
    capsys.readouterr()
    assert main(["pack", "check", "anytown"]) == 1
    out = capsys.readouterr().out
    assert "- Emergency Duty Team (out of hours social care): no phone, e-mail or link; no name." in out
    assert "contacts.emergency_duty_team: answers say its number is not set up." in out
    assert re.search(r"Used in \d+ answers: [^\n]*Who to notify when a child goes missing", out)
    assert "signed_off: answers that use local details say they are not yet confirmed by the partnership." in out
    assert "name: the pack cannot be built until it is filled in." in out


def test_check_names_what_is_overdue(pack_data: dict, packs: Path, capsys) -> None:
    data = complete(pack_data)
    data["documents"]["missing_protocol"]["valid_until"] = "2017-03-31"
    write(packs, data)
    assert main(["pack", "check", "anytown"]) == 1
    out = capsys.readouterr().out
    assert "Not set up" not in out
    assert "- Anytown missing_protocol [documents.missing_protocol.valid_until]: the period it states ended on" \
           " 31 March 2017." in out


def test_check_passes_a_complete_current_signed_off_pack(pack_data: dict, packs: Path, capsys) -> None:
    write(packs, complete(pack_data))
    assert main(["pack", "check", "anytown"]) == 0
    assert "complete and current" in capsys.readouterr().out


def test_check_fails_a_pack_not_yet_signed_off(pack_data: dict, packs: Path, capsys) -> None:
    data = complete(pack_data)
    data["signed_off"] = None
    write(packs, data)
    assert main(["pack", "check", "anytown"]) == 1
    assert "- The pack: not yet signed off by the partnership." in capsys.readouterr().out


@pytest.mark.parametrize("change, problem", [
    (lambda data: data["contacts"]["front_door"].update(phone="ring the office"), "does not look like a phone"),
    (lambda data: data["documents"]["training"].update(link="http://example.org"), "must start with https://"),
    (lambda data: data.update(reviewed="2026-11-22"), "an internal review is not a sign-off"),
])
def test_check_says_plainly_what_cannot_be_read(pack_data: dict, packs: Path, capsys, change, problem: str) -> None:
    data = complete(pack_data)
    change(data)
    write(packs, data)
    assert main(["pack", "check", "anytown"]) == 1
    out = capsys.readouterr().out
    assert "cannot be read" in out and problem in out


def test_check_catches_a_sign_off_in_the_future(pack_data: dict, packs: Path, capsys) -> None:
    data = complete(pack_data)
    data["signed_off"] = str(dt.date.today() + dt.timedelta(days=1))
    write(packs, data)
    assert main(["pack", "check", "anytown"]) == 1
    assert "is in the future" in capsys.readouterr().out


@pytest.mark.parametrize("pack_id", ["pan_cheshire", "bscb"])
def test_the_shipped_packs_are_not_complete(pack_id: str, capsys) -> None:
    assert main(["pack", "check", pack_id]) == 1
    assert "Overdue (" in capsys.readouterr().out
