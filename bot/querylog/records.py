"""The record written to the query log for each message, and the signals learnt later about it."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from typing import Any, Dict, Mapping

MAX_TEXT_LENGTH = 2000
# What the practitioner did with a "did you mean" reply (the did_you_mean column).
CHOSEN = "chosen"  # pressed one of the suggested topics
REFUSED = "refused"  # pressed "None of these"
DID_YOU_MEAN = (CHOSEN, REFUSED)


@dataclass(frozen=True)
class QueryRecord:
    message_id: str  # Rasa message id, unique -> idempotency
    created_at: datetime  # timezone-aware; normalised to UTC
    channel: str
    sender: str  # already pseudonymised (keyed hash) by the caller
    partnership: str
    practitioner_role: str | None
    text: str  # already redacted by the caller; the store caps it at MAX_TEXT_LENGTH
    intent: str | None  # the classifier's top intent, also when the message fell back (never nlu_fallback)
    confidence: float | None
    topic: str | None  # what was answered, e.g. "child_missing", "missing_walkthrough_form"
    fell_back: bool
    is_button: bool
    helpful: bool | None = None
    # Fields added later have defaults, so that spooled lines written before them still load.
    runner_up_intent: str | None = None  # the classifier's second intent, and its confidence
    runner_up_confidence: float | None = None
    # Signals of a miss, known only when the next message arrives (see Signal); None until then, or never.
    did_you_mean: str | None = None  # CHOSEN or REFUSED: what the "did you mean" reply to this message led to
    chosen_topic: str | None = None  # the suggested topic pressed, when CHOSEN
    rephrased: bool | None = None  # True: the next message was typed within a minute of this answered one

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


@dataclass(frozen=True)
class Signal:
    """What the next message says about an earlier one, set on that one's row (an idempotent update).

    Only the fields that are not None are written: a signal never clears what another one set.
    """

    message_id: str
    did_you_mean: str | None = None
    chosen_topic: str | None = None
    rephrased: bool | None = None

    def __post_init__(self) -> None:
        if self.did_you_mean is not None and self.did_you_mean not in DID_YOU_MEAN:
            raise ValueError(f"did_you_mean must be one of {DID_YOU_MEAN}, got {self.did_you_mean!r}")
        if not self.values():
            raise ValueError("a signal must set something")

    def values(self) -> Dict[str, Any]:
        """The columns this signal sets."""
        return {field.name: getattr(self, field.name) for field in fields(self)
                if field.name != "message_id" and getattr(self, field.name) is not None}

    @classmethod
    def from_values(cls, message_id: str, values: Mapping[str, Any]) -> Signal:
        """Unknown keys (from a newer version) are ignored."""
        names = {field.name for field in fields(cls)} - {"message_id"}
        return cls(message_id, **{key: value for key, value in values.items() if key in names})


def parse_timestamp(value: str) -> datetime:
    # Python 3.10's fromisoformat does not accept the "Z" suffix other tools write.
    return datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
