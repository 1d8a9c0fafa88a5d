"""The cluster scenarios of `make bench`: the same load against 1 and then 2 replicas behind nginx, in one run.

- `scale_ratio`: throughput with 2 replicas ÷ with 1, under the saturating REST load of the main scenarios
  (10 users, each sending as soon as answered). On a 2-core machine every replica, nginx and the load
  generator share the same cores, so expect well under 2.
- the large class: 300 practitioners at once with 2-6 s between messages (bench/large_class.py),
  p50/p95/errors with 1 and 2 replicas; target p95 < 500 ms and no errors.

Each cluster runs on a new database of the machine's PostgreSQL (dropped afterwards) and its Redis, as
`make run-cluster` does; the door's per-address limits are lifted (every simulated user is 127.0.0.1).
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Dict, Sequence

from sqlalchemy import create_engine

from bench import large_class, load
from bench.messages import PRACTITIONER_MESSAGES, WARMUP_COUNT
from tests.cluster_servers import started_cluster
from tests.fixtures import POSTGRES_ADMIN_URL, TEST_REDIS_URL, new_postgres_database

REPLICA_COUNTS = (1, 2)
THROUGHPUT_USERS = 10
CLASS_SIZE = 300
CLASS_P95_TARGET_MS = 500.0
UNLIMITED = {"WEB_MESSAGES_PER_MINUTE": "100000", "WEB_REQUESTS_PER_MINUTE": "100000"}


def run(messages: int, scenario_timeout: float, replica_counts: Sequence[int] = REPLICA_COUNTS,
        class_size: int = CLASS_SIZE) -> Dict[str, object]:
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    runs: Dict[str, Dict[str, object]] = {}
    try:
        for replicas in replica_counts:
            print(f"  cluster of {replicas}: {THROUGHPUT_USERS} users, {messages} messages; then a class of "
                  f"{class_size}", flush=True)
            with tempfile.TemporaryDirectory(prefix="bench-cluster-") as scratch, \
                    new_postgres_database(admin, "bench_cluster") as database_url, \
                    started_cluster(Path(scratch), database_url, TEST_REDIS_URL, UNLIMITED, replicas) as cluster:
                webhook = f"{cluster.url}/webhooks/rest/webhook"
                load.warm_up(webhook, PRACTITIONER_MESSAGES, WARMUP_COUNT)
                runs[f"{replicas}_replicas"] = {
                    "replicas": replicas,
                    "throughput": load.run_scenario(webhook, PRACTITIONER_MESSAGES, THROUGHPUT_USERS, messages,
                                                    scenario_timeout),
                    "large_class": large_class.run_scenario(webhook, class_size, limit=scenario_timeout * 2),
                }
    finally:
        admin.dispose()
    return summarise(runs)


def summarise(runs: Dict[str, Dict[str, object]]) -> Dict[str, object]:
    def throughput(name: str) -> float | None:
        run = runs.get(name, {}).get("throughput")
        return run.get("throughput_msg_s") if isinstance(run, dict) else None  # type: ignore[return-value]

    one, two = throughput("1_replicas"), throughput("2_replicas")
    classes = {name: run["large_class"] for name, run in runs.items()}
    met = {name: isinstance(run, dict) and run.get("errors") == 0 and not run.get("timed_out")
           and isinstance(run.get("p95_ms"), (int, float)) and run["p95_ms"] < CLASS_P95_TARGET_MS
           for name, run in classes.items()}
    return {
        "runs": runs,
        "scale_ratio": round(two / one, 3) if one and two else None,
        "large_class_p95_target_ms": CLASS_P95_TARGET_MS,
        "large_class_met": met,
        "setup": "python -m bot serve --replicas N behind nginx, on the machine's PostgreSQL (a new database) and "
                 "Redis; the load generator on the same machine",
    }
