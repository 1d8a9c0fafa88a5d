"""What a guided walkthrough forgets when it starts again.

Danger is asked afresh every time: a second walkthrough must never reuse an
old "not in danger" answer. The practitioner's role is kept; where the child
lives is asked again for a new missing episode, which may be another child,
unless the message that started the walkthrough says it. The situation asked
after each checklist is cleared too, so an old answer never adds its lines to
a new checklist.
"""
from __future__ import annotations

from typing import Dict, Iterable, List

SLOTS_TO_RESET: Dict[str, List[str]] = {
    "start_missing_walkthrough": ["in_immediate_danger", "care_status", "situation"],
    "start_found_walkthrough": ["harmed_or_at_risk", "situation"],
}


def slots_to_reset(intent: str, mentioned_entities: Iterable[str] = ()) -> List[str]:
    """Slots to clear for this start intent, keeping any the same message just gave."""
    mentioned = set(mentioned_entities)
    return [slot for slot in SLOTS_TO_RESET.get(intent, []) if slot not in mentioned]
