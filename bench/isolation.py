"""Our bot with query logging on, against databases of its own in a scratch directory.

The same isolation as the end-to-end tests (tests/servers.py): the query log, the tracker store,
the spool and the pseudonym key all live in the bench's temporary directory, never in var/.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict

from bot import settings
from tests.servers import isolated_environment

MIGRATE_TIMEOUT_SECONDS = 120


def environment(directory: Path) -> Dict[str, str]:
    """DATABASE_URL, TRACKER_DATABASE_URL, QUERYLOG_SPOOL and PSEUDONYM_KEY_FILE under `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    return isolated_environment(directory)


def migrate(env: Dict[str, str], log: Path) -> None:
    """`python -m bot db upgrade` on the isolated query log database."""
    with log.open("w") as handle:
        subprocess.run(
            [sys.executable, "-m", "bot", "db", "upgrade"], cwd=settings.ROOT, env=env,
            stdout=handle, stderr=subprocess.STDOUT, check=True, timeout=MIGRATE_TIMEOUT_SECONDS,
        )


def spooled_records(spool: Path) -> int:
    """Records waiting in the spool (written while the database was unavailable); feedback lines excluded."""
    try:
        lines = spool.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return 0
    count = 0
    for line in filter(str.strip, lines):
        try:
            count += json.loads(line).get("kind") == "record"
        except (ValueError, AttributeError):
            continue
    return count


def logged_rows(env: Dict[str, str]) -> Dict[str, int]:
    """Rows in the query log plus records still in the spool."""
    from bot.db.engine import dispose_engines
    from bot.querylog.store import QueryLog

    try:
        rows = QueryLog(settings.DATABASE_URL.get(env)).count()
    finally:
        dispose_engines()  # no connection left open on the servers' database between counts
    spooled = spooled_records(Path(settings.QUERYLOG_SPOOL.get(env)))
    return {"database_rows": rows, "spooled_records": spooled, "total": rows + spooled}
