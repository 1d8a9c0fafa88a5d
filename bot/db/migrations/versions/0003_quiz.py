"""Scenario quiz classes and their answers (training mode).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quiz_classes",
        sa.Column("code", sa.String(6), primary_key=True),
        sa.Column("name", sa.String, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("class_code", sa.String(6), sa.ForeignKey("quiz_classes.code", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("participant", sa.String, nullable=False),
        sa.Column("scenario_id", sa.String, nullable=False),
        sa.Column("choice", sa.String(1), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_quiz_answers_once", "quiz_answers", ["class_code", "participant", "scenario_id"],
                    unique=True)


def downgrade() -> None:
    op.drop_table("quiz_answers")
    op.drop_table("quiz_classes")
