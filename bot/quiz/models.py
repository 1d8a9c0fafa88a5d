"""The quiz tables, in the query-log database (same MetaData, so migrations compare them too).

Schema changes go through a new migration in bot/querylog/migrations/versions/ (0003_quiz.py
created these). No free text from a practitioner is stored: the class name is the trainer's,
participants are keyed-hash pseudonyms, choices are letters.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table

from bot.querylog.models import UTCDateTime, metadata

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
