"""The query_log table and the review dashboard's tables. Schema changes go through a new migration in
migrations/versions/."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Float, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    SQLite keeps no offset (it stores the UTC wall time) and PostgreSQL answers in the session's
    time zone, so both directions are normalised here rather than by every caller.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the query log needs timezone-aware times")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


metadata = MetaData()

# Strings are unbounded (VARCHAR without a length on PostgreSQL): a length limit would turn one
# overlong value into a row the spool could never replay.
query_log = Table(
    "query_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("channel", String, nullable=False),
    Column("sender", String, nullable=False),
    Column("partnership", String, nullable=False),
    Column("practitioner_role", String, nullable=True),
    Column("text", Text, nullable=False),
    Column("intent", String, nullable=True),
    Column("confidence", Float, nullable=True),
    Column("topic", String, nullable=True),
    Column("fell_back", Boolean, nullable=False),
    Column("is_button", Boolean, nullable=False),
    Column("helpful", Boolean, nullable=True),
    Index("ix_query_log_message_id", "message_id", unique=True),
    Index("ix_query_log_created_at", "created_at"),
    Index("ix_query_log_topic", "topic"),
)

# The review dashboard's tables (bot/review/), in the same database as the query log; migration 0002.
# Accounts of board staff, trainers and admins: a name, a role and an argon2 hash, nothing else about
# the person. session_version goes up on log-out and password changes, ending every session of the account.
review_account = Table(
    "review_account",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String, nullable=False),
    Column("role", String, nullable=False),
    Column("password_hash", String, nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("session_version", Integer, nullable=False, default=0),
    Index("ix_review_account_name", "name", unique=True),
)

# Who viewed or exported what, and when: the action and the filter used, nothing else.
review_audit = Table(
    "review_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("user_name", String, nullable=False),
    Column("action", String, nullable=False),
    Column("filter", Text, nullable=False),
    Index("ix_review_audit_at", "at"),
)
