"""Every table of the project's database, on one MetaData, so that migrations compare them all.

Schema changes go through a new migration in bot/db/migrations/versions/. No table holds raw personal data:
practitioners' text is redacted and senders are keyed-hash pseudonyms before anything is written.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text

from bot.db.types import UTCDateTime

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
    # migration 0004: the classifier's runner-up, and the signals of a miss learnt from the next message
    Column("runner_up_intent", String, nullable=True),
    Column("runner_up_confidence", Float, nullable=True),
    Column("did_you_mean", String, nullable=True),  # "chosen" / "refused"
    Column("chosen_topic", String, nullable=True),
    Column("rephrased", Boolean, nullable=True),
    Index("ix_query_log_message_id", "message_id", unique=True),
    Index("ix_query_log_created_at", "created_at"),
    Index("ix_query_log_topic", "topic"),
)

# The review dashboard's tables (bot/review/); migration 0002.
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
    # migration 0005: random, new on add, log-out and password change; a session holds it (bot/review/auth.py)
    Column("session_nonce", String, nullable=True),
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

# Training classes (bot/quiz/); migration 0003. No free text from a practitioner is stored: the class name is
# the trainer's, participants are keyed-hash pseudonyms, choices are letters.
quiz_classes = Table(
    "quiz_classes",
    metadata,
    Column("code", String(6), primary_key=True),
    Column("name", String, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
)

# One row per class, participant and scenario: the first answer counts, a re-answer is ignored.
quiz_answers = Table(
    "quiz_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_code", String(6), ForeignKey("quiz_classes.code", ondelete="CASCADE"), nullable=False),
    Column("participant", String, nullable=False),
    Column("scenario_id", String, nullable=False),
    Column("choice", String(1), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
    Index("ix_quiz_answers_once", "class_code", "participant", "scenario_id", unique=True),
)
