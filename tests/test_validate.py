from __future__ import annotations

from bot.__main__ import main
from bot.content import partnership
from bot.content.validate import check_catalogue, unexpected_rasa_warnings, validate


def test_shipped_content_is_valid(catalogue) -> None:
    assert check_catalogue(catalogue) == []
    results = validate(partnership.available())
    assert all(report.errors == [] for report in results.values())


def test_validate_lists_unset_values_and_strict_fails(capsys) -> None:
    assert main(["validate", "--all"]) == 0
    out = capsys.readouterr().out
    assert "pan_cheshire:" in out and "contacts.emergency_duty_team" in out
    assert main(["validate", "--all", "--strict"]) == 1


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
