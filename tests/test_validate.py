from __future__ import annotations

import yaml

from bot.__main__ import main
from bot.content import partnership
from bot.content.validate import check_catalogue, unexpected_rasa_warnings, validate
from tests.test_pack_cli import complete


def test_shipped_content_is_valid(catalogue) -> None:
    assert check_catalogue(catalogue) == []
    results = validate(partnership.available())
    assert all(report.errors == [] for report in results.values())


def test_validate_lists_unset_values_and_strict_fails(capsys) -> None:
    assert main(["validate", "--all"]) == 0
    out = capsys.readouterr().out
    assert "pan_cheshire:" in out and "contacts.emergency_duty_team" in out
    assert main(["validate", "--all", "--strict"]) == 1


def test_validate_warns_of_overdue_guidance_but_passes(capsys) -> None:
    assert main(["validate", "--all"]) == 0
    out = capsys.readouterr().out
    assert "WARNING pan_cheshire: overdue: Pan Cheshire Missing from Home Protocol 2016-2017: the period it states" \
           " ended on 31 March 2017 (documents.missing_protocol.valid_until)" in out
    assert "WARNING bscb: overdue: BSCB procedure for missing children: its review was due on 30 November 2013" in out
    assert "Content valid." in out


def test_strict_fails_on_overdue_guidance_alone(tmp_path, monkeypatch, pack_data: dict, capsys) -> None:
    from bot import settings

    data = complete(pack_data)
    data["review_due"] = "2020-01-01"
    (tmp_path / "anytown.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(settings, "PARTNERSHIPS_DIR", tmp_path)
    assert main(["validate", "--partnership", "anytown"]) == 0
    assert "WARNING anytown: overdue: the West Cheshire pack: its review was due on 1 January 2020" \
           in capsys.readouterr().out
    assert main(["validate", "--partnership", "anytown", "--strict"]) == 1
    data["review_due"] = "2099-01-01"
    (tmp_path / "anytown.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["validate", "--partnership", "anytown", "--strict"]) == 0


def test_a_broken_pack_fails_validation(tmp_path, monkeypatch, capsys) -> None:
    from bot import settings

    (tmp_path / "broken.yml").write_text("id: broken\nname: x\n", encoding="utf-8")
    monkeypatch.setattr(settings, "PARTNERSHIPS_DIR", tmp_path)
    assert main(["validate", "--partnership", "broken"]) == 1
    assert "ERROR broken" in capsys.readouterr().out


def test_only_the_known_form_false_positive_is_ignored() -> None:
    log = (
        "UserWarning: The utterance 'utter_ask_care_status' is not used in any story or rule.\n"
        "UserWarning: The utterance 'utter_ask_favourite_colour' is not used in any story or rule.\n"
        "UserWarning: Intent 'greet' has only 3 training examples!\n"
        "WARNING: The intent 'feedback_helpful' is listed in the domain file, but is not found in the NLU training"
        " data.\n"
        "WARNING: The intent 'greet' is listed in the domain file, but is not found in the NLU training data.\n"
    )
    assert unexpected_rasa_warnings(log) == [
        "The utterance 'utter_ask_favourite_colour' is not used in any story or rule.",
        "Intent 'greet' has only 3 training examples!",
        "The intent 'greet' is listed in the domain file, but is not found in the NLU training data.",
    ]
