"""Query log: the classifier's runner-up intent, and the signals of a misunderstanding.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

runner_up_intent and runner_up_confidence sit beside intent and confidence (which from now on hold the
classifier's own top intent, also when the message fell back). did_you_mean ("chosen" / "refused"),
chosen_topic and rephrased are set on a row when the next message of the conversation arrives.
All nullable: rows logged before stay as they were.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (
    ("runner_up_intent", sa.String),
    ("runner_up_confidence", sa.Float),
    ("did_you_mean", sa.String),
    ("chosen_topic", sa.String),
    ("rephrased", sa.Boolean),
)


def upgrade() -> None:
    # batch mode (env.py) recreates the table on SQLite where ALTER TABLE cannot
    with op.batch_alter_table("query_log") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("query_log") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
