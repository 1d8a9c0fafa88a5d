"""Applies the Alembic migrations in migrations/; the configuration is built here, no alembic.ini."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from bot.db.engine import engine_for

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """migrations/env.py runs on the connection passed here."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head") -> None:
    with engine_for(url).begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(url: str, revision: str) -> None:
    with engine_for(url).begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def current(url: str) -> str | None:
    """The revision the database is at; None before the first upgrade."""
    with engine_for(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head() -> str:
    """The newest revision in migrations/versions/."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
