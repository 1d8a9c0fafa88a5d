"""The record written to the query log for each message."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from typing import Any, Dict, Mapping

MAX_TEXT_LENGTH = 2000


@dataclass(frozen=True)
class QueryRecord:
    message_id: str  # Rasa message id, unique -> idempotency
    created_at: datetime  # timezone-aware; normalised to UTC
    channel: str
    sender: str  # already pseudonymised (keyed hash) by the caller
    partnership: str
    practitioner_role: str | None
    text: str  # already redacted by the caller; the store caps it at MAX_TEXT_LENGTH
    intent: str | None
    confidence: float | None
    topic: str | None  # what was answered, e.g. "child_missing", "missing_walkthrough_form"
    fell_back: bool
    is_button: bool
    helpful: bool | None = None

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise ValueError(f"created_at must be timezone-aware, got {self.created_at!r}")
        object.__setattr__(self, "created_at", self.created_at.astimezone(timezone.utc))

    def to_dict(self) -> Dict[str, Any]:
        """JSON-safe: the timestamp as ISO 8601 with its UTC offset."""
        return {**asdict(self), "created_at": self.created_at.isoformat()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QueryRecord:
        names = {field.name for field in fields(cls)}
        values = {key: value for key, value in data.items() if key in names}
        values["created_at"] = parse_timestamp(values["created_at"])
        return cls(**values)


def parse_timestamp(value: str) -> datetime:
    # Python 3.10's fromisoformat does not accept the "Z" suffix other tools write.
    return datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
