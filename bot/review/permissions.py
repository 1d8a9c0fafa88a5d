"""Roles and what each may see. Every page and export names the permission it needs (views/)."""
from __future__ import annotations

from typing import Dict, FrozenSet

ROLES = ("board", "trainer", "admin")

VIEW_OVERVIEW = "view overview"
VIEW_GAPS = "view gaps"
VIEW_TOPIC = "view topic"
VIEW_AUDIT = "view audit"
EXPORT_CSV = "export csv"
EXPORT_NLU = "export nlu"
EXPORT_HTML = "export html"
VIEW_CLASSES = "view classes"
VIEW_CLASS = "view class"
CREATE_CLASS = "create class"
CLOSE_CLASS = "close class"
EXPORT_CLASS_CSV = "export class csv"
VIEW_HEALTH = "view content health"

_READER = frozenset({VIEW_OVERVIEW, VIEW_GAPS, VIEW_TOPIC, EXPORT_CSV, EXPORT_NLU, EXPORT_HTML})
_TRAINING = frozenset({VIEW_CLASSES, VIEW_CLASS, CREATE_CLASS, CLOSE_CLASS, EXPORT_CLASS_CSV})

# Board staff and trainers review the same questions for the same purpose, so they see the same. Training
# classes (codes, and how a class answered the quiz) are the trainers' working tool, not the board's
# oversight of the service: board accounts do not see them. The audit trail (who looked at what) is for
# admins, who can also do everything else. Content health (what in the partnership's pack is overdue or
# not set up) is for the board, which signs the pack off, and admins.
PERMISSIONS: Dict[str, FrozenSet[str]] = {
    "board": _READER | {VIEW_HEALTH},
    "trainer": _READER | _TRAINING,
    "admin": _READER | _TRAINING | {VIEW_AUDIT, VIEW_HEALTH},
}

# Account changes, made on the command line (python -m bot users); audited, not permissions.
ADD_ACCOUNT = "add account"
REMOVE_ACCOUNT = "remove account"
UNLOCK_ACCOUNT = "unlock account"
SET_PASSWORD = "set password"
ACCOUNT_CHANGES = (ADD_ACCOUNT, REMOVE_ACCOUNT, UNLOCK_ACCOUNT, SET_PASSWORD)

# Logging in and out; audited, not permissions. A failed login names the account only when there is one.
LOG_IN = "log in"
FAILED_LOGIN = "failed login"
LOG_OUT = "log out"
LOGINS = (LOG_IN, FAILED_LOGIN, LOG_OUT)

# Every action the audit trail records, in the order the audit page's readers meet them.
ACTIONS = (VIEW_OVERVIEW, VIEW_GAPS, VIEW_TOPIC, VIEW_AUDIT, EXPORT_CSV, EXPORT_NLU, EXPORT_HTML,
           VIEW_CLASSES, VIEW_CLASS, CREATE_CLASS, CLOSE_CLASS, EXPORT_CLASS_CSV, VIEW_HEALTH, *ACCOUNT_CHANGES,
           *LOGINS)


def allowed(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, frozenset())
