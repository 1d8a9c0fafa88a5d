"""Review accounts: a random session nonce, so that a session cannot outlive its account.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

A dashboard session is valid only while the account's session_nonce is the one the session was given at
login. The nonce is random, made new when the account is added, logs out, or gets a new password: a removed
account's session does not come back when an account of the same name is added again (session_version
restarted at 0, so the old session's version matched). Existing accounts get a nonce each; their sessions
end (everyone logs in again once).
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review_account") as batch:
        batch.add_column(sa.Column("session_nonce", sa.String, nullable=True))
    accounts = sa.table("review_account", sa.column("id", sa.Integer), sa.column("session_nonce", sa.String))
    connection = op.get_bind()
    for (account_id,) in connection.execute(sa.select(accounts.c.id)).all():
        connection.execute(accounts.update().where(accounts.c.id == account_id)
                           .values(session_nonce=secrets.token_urlsafe(24)))


def downgrade() -> None:
    with op.batch_alter_table("review_account") as batch:
        batch.drop_column("session_nonce")
