"""Roles and what each may see. Every page and export names the permission it needs (routes.py)."""
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

_READER = frozenset({VIEW_OVERVIEW, VIEW_GAPS, VIEW_TOPIC, EXPORT_CSV, EXPORT_NLU, EXPORT_HTML})

# Board staff and trainers review the same questions for the same purpose, so they see the same; the
# audit trail (who looked at what) is for admins, who can also do everything else.
PERMISSIONS: Dict[str, FrozenSet[str]] = {
    "board": _READER,
    "trainer": _READER,
    "admin": _READER | {VIEW_AUDIT},
}


def allowed(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, frozenset())
