"""Alembic environment for the project's database: bot/db/migrate.py passes the connection to run on."""
from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bot.db.tables import metadata


def run_migrations(connection: Connection) -> None:
    # Batch mode lets later migrations alter columns on SQLite, which has almost no ALTER TABLE.
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite"
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if context.is_offline_mode() or connection is None:
    raise RuntimeError("run the project's migrations through bot.db.migrate (python -m bot db upgrade)")
run_migrations(connection)
