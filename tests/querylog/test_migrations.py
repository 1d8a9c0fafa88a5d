"""The Alembic migrations, from an empty database on SQLite and on a real PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import migrate
from bot.db.engine import engine_for
from bot.db.tables import metadata


def test_upgrade_creates_the_table_and_indexes(empty_database_url) -> None:
    assert migrate.current(empty_database_url) is None
    migrate.upgrade(empty_database_url, "0001")
    assert migrate.current(empty_database_url) == "0001"
    migrate.upgrade(empty_database_url)
    assert migrate.current(empty_database_url) == migrate.head()
    inspector = inspect(engine_for(empty_database_url))
    assert "query_log" in inspector.get_table_names()
    indexes = {index["name"]: index for index in inspector.get_indexes("query_log")}
    assert indexes["ix_query_log_message_id"]["unique"]
    assert indexes["ix_query_log_message_id"]["column_names"] == ["message_id"]
    assert indexes["ix_query_log_created_at"]["column_names"] == ["created_at"]
    assert indexes["ix_query_log_topic"]["column_names"] == ["topic"]


def test_upgrade_is_repeatable_and_downgrade_removes_the_table(empty_database_url) -> None:
    migrate.upgrade(empty_database_url)
    migrate.upgrade(empty_database_url)
    migrate.downgrade(empty_database_url, "base")
    assert migrate.current(empty_database_url) is None
    assert inspect(engine_for(empty_database_url)).get_table_names() == ["alembic_version"]


def test_the_review_tables(empty_database_url) -> None:
    migrate.upgrade(empty_database_url, "0002")
    inspector = inspect(engine_for(empty_database_url))
    assert {"review_account", "review_audit"} <= set(inspector.get_table_names())
    indexes = {index["name"]: index for index in inspector.get_indexes("review_account")}
    assert indexes["ix_review_account_name"]["unique"]
    migrate.downgrade(empty_database_url, "0001")
    assert not {"review_account", "review_audit"} & set(inspect(engine_for(empty_database_url)).get_table_names())
    assert "query_log" in inspect(engine_for(empty_database_url)).get_table_names()


def test_the_migrations_match_the_model(empty_database_url) -> None:
    migrate.upgrade(empty_database_url)
    with engine_for(empty_database_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
