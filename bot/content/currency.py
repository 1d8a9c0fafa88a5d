"""Whether a partnership's local guidance is current: review dates and stated ends that have passed.

"Today" is the day the answers are built (they live in the trained model), so a scheduled rebuild
keeps the overdue line in the answers current; docs/business-manager.md says how.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List

from bot.content.partnership import DOCUMENT_LABELS, Partnership

DUE_FOR_REVIEW = "This area's local guidance is due for review: check with your safeguarding lead."


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Overdue:
    path: str  # the pack key whose date has passed
    what: str  # the pack or the document, by name
    since: dt.date
    reason: str

    def __str__(self) -> str:
        return f"{self.what}: {self.reason} ({self.path})"


def overdue(pack: Partnership, today: dt.date) -> List[Overdue]:
    """Every review date or stated end in the pack that is before `today`."""
    found = []
    if pack.review_due and pack.review_due < today:
        found.append(Overdue("review_due", f"the {pack.short_name or pack.id} pack", pack.review_due,
                             f"its review was due on {long_date(pack.review_due)}"))
    for key, document in pack.documents.items():
        what = document.name or f"the {DOCUMENT_LABELS[key]}"
        if document.review_due and document.review_due < today:
            found.append(Overdue(f"documents.{key}.review_due", what, document.review_due,
                                 f"its review was due on {long_date(document.review_due)}"))
        if document.valid_until and document.valid_until < today:
            found.append(Overdue(f"documents.{key}.valid_until", what, document.valid_until,
                                 f"the period it states ended on {long_date(document.valid_until)}"))
    return found
