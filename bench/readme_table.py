"""The figures table in bench/README.md, rewritten from a results file (bench/results/latest.json).

Only the text between the two marker comments is replaced; the rest of the README is kept as it is.
`python -m bench.readme_table [RESULTS] [README]` does it by hand; bench/run.py does it after each run.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Sequence

from bench import report

BENCH_DIR = Path(__file__).resolve().parent
README = BENCH_DIR / "README.md"
RESULTS = BENCH_DIR / "results" / "latest.json"
START = "<!-- bench-table:start -->"
END = "<!-- bench-table:end -->"
BYTES_PER_MB, BYTES_PER_GIB = 10**6, 2**30

# (label, key in each bot's entry) for the first rows of the comparison table
BOT_ROWS = (
    ("training (s)", "training_s"),
    ("start-up (s)", "startup_s"),
    ("peak Rasa server memory (MB)", "peak_rss_mb"),
    ("peak action server memory (MB)", "actions_peak_rss_mb"),
)
# (label, key in each scenario run)
SCENARIO_ROWS = (
    ("p50 (ms)", "p50_ms"),
    ("p95 (ms)", "p95_ms"),
    ("throughput (msg/s)", "throughput_msg_s"),
    ("errors", "errors"),
)
# (label, key in each socket.io run of ours; the starter bot has no socket.io channel)
SOCKETIO_ROWS = (
    ("p95 (ms)", "p95_ms"),
    ("throughput (msg/s)", "throughput_msg_s"),
    ("p95 ÷ ours over REST", "p95_vs_rest"),
    ("throughput ÷ ours over REST", "throughput_vs_rest"),
)


class MarkersMissing(ValueError):
    """The README lacks the start or end marker, or has them in the wrong order."""


def _cell(value: object) -> str:
    return "–" if value is None else str(value)


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _scenario_label(name: str) -> str:
    return name.replace("_", " ")


def measured_on(results: Mapping[str, object]) -> str:
    """One line: when the figures were measured, and on what machine."""
    machine = _mapping(results.get("machine"))
    date = str(results.get("generated_at") or "unknown date")[:10]
    parts: List[str] = []
    if machine.get("nproc") is not None:
        parts.append(f"{machine['nproc']} CPU cores")
    memory_mb = machine.get("memory_total_mb")
    if isinstance(memory_mb, (int, float)):
        parts.append(f"{round(memory_mb * BYTES_PER_MB / BYTES_PER_GIB)} GiB memory")
    if machine.get("cpu_model"):
        parts.append(str(machine["cpu_model"]))
    if machine.get("python"):
        parts.append(f"Python {machine['python']}")
    where = f"a machine with {', '.join(parts)}" if parts else "an unrecorded machine"
    return f"Measured {date} on {where}."


def comparison_rows(results: Mapping[str, object]) -> List[List[str]]:
    """Ours against the starter bot; a row with no figure on either side is left out."""
    ours, peer = _mapping(results.get("ours")), _mapping(results.get("peer"))
    rows = [[label, ours.get(key), peer.get(key)] for label, key in BOT_ROWS]
    for name, run in _mapping(results.get("scenarios")).items():
        ours_run, peer_run = _mapping(_mapping(run).get("ours")), _mapping(_mapping(run).get("peer"))
        for label, key in SCENARIO_ROWS:
            rows.append([f"{_scenario_label(name)}: {label}", ours_run.get(key), peer_run.get(key)])
    for name, run in _mapping(results.get("socketio")).items():
        for label, key in SOCKETIO_ROWS:
            rows.append([f"socket.io, {_scenario_label(name)}: {label}", _mapping(run).get(key), None])
    return [[str(label), _cell(a), _cell(b)] for label, a, b in rows if a is not None or b is not None]


def _limit(value: object) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else _cell(value)


def _verdict(met: object) -> str:
    if met is None:
        return "not measured"
    return "met" if met else "missed"


def headline_rows(results: Mapping[str, object]) -> List[List[str]]:
    """The figures with targets, and the redactor's speed."""
    ours = _mapping(results.get("ours"))
    met = _mapping(results.get("meets_targets"))
    targets = _mapping(results.get("targets")) or report.TARGETS
    query_log = _mapping(ours.get("query_log"))
    logged = _cell(results.get("logged_fraction"))
    if query_log.get("messages_sent") is not None:
        logged += f" ({_cell(query_log.get('rows_logged'))} of {query_log['messages_sent']} messages)"
    scenario = _scenario_label(str(results.get("ratios_from_scenario") or report.RATIO_SCENARIO))
    return [
        [f"`throughput_ratio` (ours ÷ starter bot, {scenario})", _cell(results.get("throughput_ratio")),
         f"≥ {_limit(targets.get('throughput_ratio_min'))}", _verdict(met.get("throughput_ratio"))],
        [f"`p95_ratio` (ours ÷ starter bot, {scenario})", _cell(results.get("p95_ratio")),
         f"≤ {_limit(targets.get('p95_ratio_max'))}", _verdict(met.get("p95_ratio"))],
        ["`logged_fraction` (REST and socket.io)", logged, "exactly 1.0", _verdict(met.get("query_logging"))],
        ["our peak Rasa server memory (MB)", _cell(ours.get("peak_rss_mb")),
         f"≤ {_limit(targets.get('rasa_rss_mb_max'))}", _verdict(met.get("rasa_rss"))],
        ["our training from scratch (s)", _cell(ours.get("training_s")),
         f"≤ {_limit(targets.get('training_s_max'))}", _verdict(met.get("training_time"))],
        ["redaction, one core (msg/s)", _cell(results.get("redaction_messages_per_second")), "none", "–"],
        ["`redaction_ratio` (with the kept words ÷ without)", _cell(results.get("redaction_ratio")), "≥ 0.8",
         _verdict(None if results.get("redaction_ratio") is None else results["redaction_ratio"] >= 0.8)],
        *cluster_rows(_mapping(results.get("cluster"))),
    ]


def cluster_rows(cluster: Mapping[str, object]) -> List[List[str]]:
    """`scale_ratio` and the large class with each number of replicas; none when the cluster was skipped."""
    if not cluster:
        return []
    rows = [["`scale_ratio` (2 replicas ÷ 1, behind nginx)", _cell(cluster.get("scale_ratio")),
             "none: report as it is (< 2 on 2 cores)", "–"]]
    met = _mapping(cluster.get("large_class_met"))
    for name, run in _mapping(cluster.get("runs")).items():
        large = _mapping(_mapping(run).get("large_class"))
        rows.append([f"large class of {_cell(large.get('users'))}, {_cell(_mapping(run).get('replicas'))} "
                     "replica(s): p95 ms (p50; errors)",
                     f"{_cell(large.get('p95_ms'))} ({_cell(large.get('p50_ms'))}; {_cell(large.get('errors'))})",
                     f"< {_limit(cluster.get('large_class_p95_target_ms'))}, no errors",
                     _verdict(met.get(name))])
    return rows


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def render(results: Mapping[str, object]) -> str:
    """The Markdown that goes between the markers (no markers, no surrounding blank lines)."""
    lines = [measured_on(results), ""]
    lines += _table(("", "ours", "starter bot"), comparison_rows(results))
    lines.append("")
    lines += _table(("figure", "value", "target", "result"), headline_rows(results))
    return "\n".join(lines)


def replace_between_markers(text: str, content: str) -> str:
    """text with everything between START and END replaced by content; the markers stay."""
    start = text.find(START)
    end = text.find(END, start + len(START)) if start >= 0 else -1
    if start < 0 or end < 0:
        raise MarkersMissing(f"the README needs {START} and then {END}")
    return text[: start + len(START)] + "\n" + content.strip("\n") + "\n" + text[end:]


def update_readme(results_path: Path = RESULTS, readme_path: Path = README) -> None:
    """Rewrites the table in readme_path from the results file at results_path."""
    results: Dict[str, object] = json.loads(results_path.read_text(encoding="utf-8"))
    text = readme_path.read_text(encoding="utf-8")
    readme_path.write_text(replace_between_markers(text, render(results)), encoding="utf-8")


def main(argv: Sequence[str]) -> int:
    results_path = Path(argv[0]) if argv else RESULTS
    readme_path = Path(argv[1]) if len(argv) > 1 else README
    update_readme(results_path, readme_path)
    print(f"Rewrote the figures table in {readme_path} from {results_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
