"""bench/readme_table.py: the figures table in bench/README.md is rebuilt from a results file."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest

from bench import readme_table


def fake_results() -> Dict[str, object]:
    return {
        "generated_at": "2030-01-02T03:04:05+00:00",
        "machine": {"nproc": 4, "memory_total_mb": 17180, "cpu_model": "Test CPU", "python": "3.10.13"},
        "ours": {"training_s": 99.5, "peak_rss_mb": 1001, "query_log": {"messages_sent": 12, "rows_logged": 11}},
        "peer": {"training_s": 88.25, "peak_rss_mb": 1100},
        "scenarios": {
            "10_users": {
                "ours": {"p50_ms": 400, "p95_ms": 777, "throughput_msg_s": 19.5, "errors": 0},
                "peer": {"p50_ms": 500, "p95_ms": 888, "throughput_msg_s": 15.0, "errors": 0},
            },
        },
        "ratios_from_scenario": "10_users",
        "throughput_ratio": 1.3,
        "p95_ratio": 0.875,
        "logged_fraction": 0.916667,
        "socketio": {"10_users": {"p95_ms": 999, "throughput_msg_s": 18.1}},
        "redaction_messages_per_second": 321.5,
        "meets_targets": {"throughput_ratio": True, "p95_ratio": True, "query_logging": False,
                          "rasa_rss": True, "training_time": True},
    }


README = f"""# Title

Text before the table.

{readme_table.START}
| old | table |
|---|---|
| 1.43 | stale figure |
{readme_table.END}

Text after the table.
"""


def test_render_states_date_machine_and_figures() -> None:
    table = readme_table.render(fake_results())

    assert table.startswith(
        "Measured 2030-01-02 on a machine with 4 CPU cores, 16 GiB memory, Test CPU, Python 3.10.13.\n"
    )
    assert "| training (s) | 99.5 | 88.25 |" in table
    assert "| 10 users: p95 (ms) | 777 | 888 |" in table
    assert "| socket.io, 10 users: throughput (msg/s) | 18.1 | – |" in table
    assert "| 0.916667 (11 of 12 messages) | exactly 1.0 | missed |" in table
    assert "| redaction, one core (msg/s) | 321.5 |" in table
    assert "start-up" not in table  # no figure on either side: no row


def test_only_the_text_between_the_markers_is_replaced(tmp_path: Path) -> None:
    results, readme = tmp_path / "latest.json", tmp_path / "README.md"
    results.write_text(json.dumps(fake_results()), encoding="utf-8")
    readme.write_text(README, encoding="utf-8")

    readme_table.update_readme(results, readme)

    text = readme.read_text(encoding="utf-8")
    before, rest = text.split(readme_table.START)
    inside, after = rest.split(readme_table.END)
    assert before == "# Title\n\nText before the table.\n\n"
    assert after == "\n\nText after the table.\n"
    assert "stale figure" not in text
    assert inside == "\n" + readme_table.render(fake_results()) + "\n"


def test_rewriting_twice_gives_the_same_file(tmp_path: Path) -> None:
    results, readme = tmp_path / "latest.json", tmp_path / "README.md"
    results.write_text(json.dumps(fake_results()), encoding="utf-8")
    readme.write_text(README, encoding="utf-8")

    readme_table.update_readme(results, readme)
    once = readme.read_text(encoding="utf-8")
    readme_table.update_readme(results, readme)

    assert readme.read_text(encoding="utf-8") == once


@pytest.mark.parametrize("text", [
    "no markers at all\n",
    f"only the start {readme_table.START}\n",
    f"{readme_table.END} end before start {readme_table.START}\n",
])
def test_a_readme_without_both_markers_is_refused(text: str) -> None:
    with pytest.raises(readme_table.MarkersMissing):
        readme_table.replace_between_markers(text, "table")


def test_the_project_readme_has_the_markers() -> None:
    text = readme_table.README.read_text(encoding="utf-8")
    assert text.index(readme_table.START) < text.index(readme_table.END)


def test_the_cluster_rows_show_the_scale_ratio_and_each_large_class_with_its_verdict() -> None:
    cluster = {"scale_ratio": 1.234, "large_class_p95_target_ms": 500.0,
               "large_class_met": {"1_replicas": False, "2_replicas": True},
               "runs": {"1_replicas": {"replicas": 1, "large_class": {"users": 300, "p95_ms": 812.5, "p50_ms": 90.1,
                                                                        "errors": 0}},
                        "2_replicas": {"replicas": 2, "large_class": {"users": 300, "p95_ms": 421.0, "p50_ms": 70.2,
                                                                        "errors": 0}}}}
    rows = readme_table.cluster_rows(cluster)
    assert rows[0][:2] == ["`scale_ratio` (2 replicas ÷ 1, behind nginx)", "1.234"]
    assert rows[1][1:] == ["812.5 (90.1; 0)", "< 500, no errors", "missed"]
    assert rows[2][0].startswith("large class of 300, 2 replica(s)") and rows[2][3] == "met"
    assert readme_table.cluster_rows({}) == []
    assert "scale_ratio" in readme_table.render({**fake_results(), "cluster": cluster})
