from __future__ import annotations

import yaml

from bot.content.build import build
from bot.content.rules import FORMS


def test_build_assembles_domain_and_data(tmp_path, catalogue) -> None:
    out = build("bscb", tmp_path / "bscb")
    responses = yaml.safe_load((out / "domain" / "responses.yml").read_text(encoding="utf-8"))["responses"]
    assert set(f"utter_{key}" for key in catalogue.topics) <= set(responses)
    assert (out / "domain" / "domain.yml").exists()
    assert (out / "data" / "nlu" / "conversation.yml").exists()

    rules = yaml.safe_load((out / "data" / "generated" / "topic_rules.yml").read_text(encoding="utf-8"))["rules"]
    for topic in catalogue.topics:
        answered = [r for r in rules if r["steps"][0] == {"intent": topic}]
        assert any("condition" not in r for r in answered), topic
        assert {r["condition"][0]["active_loop"] for r in answered if "condition" in r} == set(FORMS)

    synonyms = yaml.safe_load((out / "data" / "generated" / "synonyms.yml").read_text(encoding="utf-8"))["nlu"]
    school = next(item for item in synonyms if item["synonym"] == "school")
    assert "- dsl" in school["examples"].splitlines()


def test_partnership_choice_changes_the_answers(tmp_path) -> None:
    def escalation(pack_id: str) -> str:
        out = build(pack_id, tmp_path / pack_id)
        responses = yaml.safe_load((out / "domain" / "responses.yml").read_text(encoding="utf-8"))
        return responses["responses"]["utter_escalation"][0]["text"]

    assert "Pan Cheshire Escalation Policy" in escalation("pan_cheshire")
    assert "BSCB escalation guidance" in escalation("bscb")
