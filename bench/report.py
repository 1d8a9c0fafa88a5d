"""The JSON report: machine, both bots, ratios, targets, and the printed table."""
from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List

TARGETS: Dict[str, float] = {
    "throughput_ratio_min": 0.8,
    "p95_ratio_max": 1.3,
    "rasa_rss_mb_max": 1200.0,  # 1.2 GB = 1200 MB of 10^6 bytes (about 1144 MiB)
    "training_s_max": 180.0,
    "logged_fraction": 1.0,  # exactly: every message logged once
}
# A key's unit is given by how it ends; memory is never a bare "MB" that might mean MiB.
UNITS_BY_KEY_SUFFIX: Dict[str, str] = {
    "_mb": "megabytes, 10^6 bytes",
    "_mib": "mebibytes, 2^20 = 1048576 bytes",
    "_s": "seconds",
    "_ms": "milliseconds",
    "_msg_s": "messages per second",
    "messages_per_second": "messages per second",
}
RATIO_SCENARIO = "10_users"

Entry = Dict[str, object]


def load_average() -> List[float]:
    return [round(value, 2) for value in os.getloadavg()]


def _proc_field(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def machine(load_before: List[float]) -> Entry:
    memory = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "cpu_model": _proc_field("/proc/cpuinfo", "model name"),
        "memory_total_mb": round(int(memory.split()[0]) * 1024 / 1e6) if memory else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_before": load_before,
        "load_average_after": load_average(),
    }


def ratio(ours: object, peer: object) -> float | None:
    if not isinstance(ours, (int, float)) or not isinstance(peer, (int, float)) or not peer:
        return None
    return round(ours / peer, 3)


def scenario_ratios(ours: Entry, peer: Entry) -> Dict[str, Entry]:
    ours_runs, peer_runs = ours["scenarios"], peer["scenarios"]
    assert isinstance(ours_runs, dict) and isinstance(peer_runs, dict)
    return {
        name: _compare(ours_runs[name], peer_runs[name]) for name in ours_runs if name in peer_runs
    }


def _compare(ours: Dict[str, object], peer: Dict[str, object]) -> Entry:
    return {
        "ours": ours,
        "peer": peer,
        "throughput_ratio": ratio(ours["throughput_msg_s"], peer["throughput_msg_s"]),
        "p95_ratio": ratio(ours["p95_ms"], peer["p95_ms"]),
    }


def socketio_against_rest(ours: Entry) -> Dict[str, Entry]:
    """Ours over socket.io (through the web app) against ours over REST, scenario by scenario."""
    socketio_runs, rest_runs = ours.get("socketio_scenarios") or {}, ours["scenarios"]
    assert isinstance(socketio_runs, dict) and isinstance(rest_runs, dict)
    return {
        name: {
            "throughput_msg_s": run["throughput_msg_s"],
            "p95_ms": run["p95_ms"],
            "throughput_vs_rest": ratio(run["throughput_msg_s"], rest_runs[name]["throughput_msg_s"]),
            "p95_vs_rest": ratio(run["p95_ms"], rest_runs[name]["p95_ms"]),
        }
        for name, run in socketio_runs.items() if name in rest_runs
    }


def _at_most(value: object, limit: float) -> bool | None:
    return value <= limit if isinstance(value, (int, float)) else None


def _at_least(value: object, limit: float) -> bool | None:
    return value >= limit if isinstance(value, (int, float)) else None


def _equal(value: object, expected: float) -> bool | None:
    return value == expected if isinstance(value, (int, float)) else None


def meets_targets(results: Entry) -> Dict[str, bool | None]:
    ours = results["ours"]
    assert isinstance(ours, dict)
    return {
        "throughput_ratio": _at_least(results["throughput_ratio"], TARGETS["throughput_ratio_min"]),
        "p95_ratio": _at_most(results["p95_ratio"], TARGETS["p95_ratio_max"]),
        "rasa_rss": _at_most(ours.get("peak_rss_mb"), TARGETS["rasa_rss_mb_max"]),
        "training_time": _at_most(ours.get("training_s"), TARGETS["training_s_max"]),
        "query_logging": _equal(results["logged_fraction"], TARGETS["logged_fraction"]),
    }


def build(settings: Entry, ours: Entry, peer: Entry, redaction: Entry, load_before: List[float],
          cluster: Entry | None = None) -> Entry:
    scenarios = scenario_ratios(ours, peer)
    headline = scenarios.get(RATIO_SCENARIO) or (list(scenarios.values())[-1] if scenarios else {})
    results: Entry = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(load_before),
        "settings": settings,
        "ours": ours,
        "peer": peer,
        "scenarios": scenarios,
        "ratios_from_scenario": RATIO_SCENARIO if RATIO_SCENARIO in scenarios else None,
        "throughput_ratio": headline.get("throughput_ratio"),
        "p95_ratio": headline.get("p95_ratio"),
        "logged_fraction": ours.get("logged_fraction"),
        "socketio": socketio_against_rest(ours),
        "redaction_messages_per_second": redaction.get("messages_per_second"),
        # the kept-word rules' cost: with them / without them, in the same run (target >= 0.8)
        "redaction_ratio": ratio(redaction.get("messages_per_second"),
                                  (redaction.get("without_kept_words") or {}).get("messages_per_second")),
        "redaction": redaction,
        # 1 and 2 replicas behind nginx (bench/cluster_bench.py); None when skipped
        "cluster": cluster,
        "scale_ratio": (cluster or {}).get("scale_ratio"),
        "targets": TARGETS,
        "units_by_key_suffix": UNITS_BY_KEY_SUFFIX,
    }
    results["meets_targets"] = meets_targets(results)
    return results


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def _rows(results: Entry) -> List[List[str]]:
    ours, peer = results["ours"], results["peer"]
    assert isinstance(ours, dict) and isinstance(peer, dict)
    rows = [[label, _cell(ours.get(key)), _cell(peer.get(key))] for label, key in (
        ("training (s)", "training_s"), ("start-up (s)", "startup_s"),
        ("peak Rasa RSS (MB, 10^6 B)", "peak_rss_mb"), ("peak Rasa RSS (MiB, 2^20 B)", "peak_rss_mib"),
        ("action server RSS (MB)", "actions_peak_rss_mb"),
    )]
    for name, run in results["scenarios"].items():  # type: ignore[union-attr]
        for label, key in (("p50 (ms)", "p50_ms"), ("p95 (ms)", "p95_ms"),
                           ("throughput (msg/s)", "throughput_msg_s"), ("errors", "errors")):
            rows.append([f"{name} {label}", _cell(run["ours"][key]), _cell(run["peer"][key])])
    return rows


def print_table(results: Entry) -> None:
    print(f"\n{'':28}{'ours':>12}{'peer':>12}")
    for label, ours, peer in _rows(results):
        print(f"{label:28}{ours:>12}{peer:>12}")
    print(f"\nthroughput_ratio {results['throughput_ratio']}  p95_ratio {results['p95_ratio']}"
          f"  (from {results['ratios_from_scenario']})")
    ours_entry, redaction = results["ours"], results["redaction"]
    assert isinstance(ours_entry, dict) and isinstance(redaction, dict)
    query_log = ours_entry.get("query_log") or {}
    print(f"logged_fraction {results['logged_fraction']}  ({query_log.get('rows_logged')} rows logged"
          f" for {query_log.get('messages_sent')} messages sent to ours)")
    for name, run in results["socketio"].items():  # type: ignore[union-attr]
        print(f"socket.io {name}: {run['throughput_msg_s']} msg/s, p95 {run['p95_ms']} ms; against ours over"
              f" REST: throughput {run['throughput_vs_rest']}, p95 {run['p95_vs_rest']}")
    print(f"redaction_messages_per_second {results['redaction_messages_per_second']}"
          f"  ({redaction.get('distinct_messages')} distinct messages, {redaction.get('elapsed_s')} s);"
          f" redaction_ratio {results.get('redaction_ratio')} (with the kept words / without)")
    cluster = results.get("cluster")
    if isinstance(cluster, dict):
        print(f"scale_ratio {cluster['scale_ratio']} (throughput with 2 replicas / with 1, behind nginx)")
        for name, run in cluster["runs"].items():
            large = run["large_class"]
            print(f"  {name}: large class of {large['users']}: p50 {large['p50_ms']} ms, p95 {large['p95_ms']} ms,"
                  f" errors {large['errors']}, {large['messages_ok']} answered")
    machine = results["machine"]
    assert isinstance(machine, dict)
    print(f"load average (1, 5, 15 min) before {machine['load_average_before']}"
          f" after {machine['load_average_after']} on {machine['nproc']} CPUs")
    for name, met in results["meets_targets"].items():  # type: ignore[union-attr]
        verdict = "not measured" if met is None else ("met" if met else "MISSED")
        print(f"  target {name:18} {verdict}")
