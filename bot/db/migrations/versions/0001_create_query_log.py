"""Create the query_log table.

Revision ID: 0001
Revises:
Create Date: 2024-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "query_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String, nullable=False),
        sa.Column("sender", sa.String, nullable=False),
        sa.Column("partnership", sa.String, nullable=False),
        sa.Column("practitioner_role", sa.String, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("intent", sa.String, nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("topic", sa.String, nullable=True),
        sa.Column("fell_back", sa.Boolean, nullable=False),
        sa.Column("is_button", sa.Boolean, nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=True),
    )
    op.create_index("ix_query_log_message_id", "query_log", ["message_id"], unique=True)
    op.create_index("ix_query_log_created_at", "query_log", ["created_at"])
    op.create_index("ix_query_log_topic", "query_log", ["topic"])


def downgrade() -> None:
    op.drop_table("query_log")
