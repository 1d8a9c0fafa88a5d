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

    @property
    def document(self) -> str | None:
        """The pack key of the document whose date has passed; None for the pack's own review date."""
        parts = self.path.split(".")
        return parts[1] if parts[0] == "documents" else None

    def notice(self) -> str:
        """What an answer that uses this document says about it: the document by name, and what to do."""
        name = self.what if self.what.lower().startswith("the ") else f"the {self.what}"
        name = name[0].upper() + name[1:]
        if self.path.endswith(".valid_until"):
            ended = f"covered a period that ended on {long_date(self.since)}, so it is due for review"
        else:
            ended = f"was due for review on {long_date(self.since)}"
        return f"{name} {ended}: ask your safeguarding lead for the current version."


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
