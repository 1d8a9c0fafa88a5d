"""Review dashboard: accounts and the audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_account",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("password_hash", sa.String, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_version", sa.Integer, nullable=False),
    )
    op.create_index("ix_review_account_name", "review_account", ["name"], unique=True)
    op.create_table(
        "review_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("filter", sa.Text, nullable=False),
    )
    op.create_index("ix_review_audit_at", "review_audit", ["at"])


def downgrade() -> None:
    op.drop_table("review_audit")
    op.drop_table("review_account")
