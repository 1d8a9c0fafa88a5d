"""The audit trail: who viewed or exported what, and when (table review_audit).

A row holds the UTC time, the account name, the action (permissions.ACTIONS: "view overview", "export csv",
"view classes", "view class", "create class", "close class", "export class csv", and the command line's
"add account", "remove account", "unlock account", "set password") and the filter used, as compact JSON
(for a class, its code; for an account change, the account name and role). Nothing else: no addresses,
no browser details, no query text.
"""
from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, List, Mapping

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from bot.db.engine import database_url, engine_for
from bot.db.tables import review_audit


def command_line_actor() -> str:
    """How the audit trail names whoever runs a command: the system account, as "command line (name)"."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this process's user
        who = "unknown"
    return f"command line ({who})"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user_name: str
    action: str
    filter: str


class AuditTrail:
    def __init__(self, url: str | None = None, clock: Callable[[], datetime] | None = None) -> None:
        self.engine: Engine = engine_for(url or database_url())
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def record(self, user_name: str, action: str, used_filter: Mapping[str, Any]) -> None:
        row = dict(at=self.clock(), user_name=user_name, action=action,
                   filter=json.dumps(dict(used_filter), sort_keys=True, separators=(",", ":"), default=str))
        with self.engine.begin() as connection:
            connection.execute(insert(review_audit).values(**row))

    def entries(self, since: datetime | None = None, until: datetime | None = None,
                limit: int = 500) -> List[AuditEntry]:
        """Newest first, since <= at < until."""
        query = select(review_audit).order_by(review_audit.c.at.desc(), review_audit.c.id.desc()).limit(limit)
        if since is not None:
            query = query.where(review_audit.c.at >= since)
        if until is not None:
            query = query.where(review_audit.c.at < until)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [AuditEntry(row.at, row.user_name, row.action, row.filter) for row in rows]
