"""How current the content is: check dates, sign-off and overdue local guidance."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bot.content import topics


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
