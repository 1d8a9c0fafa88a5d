from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import migrate
from bot.db.engine import engine_for
from bot.db.tables import metadata


def test_upgrade_creates_the_table_and_indexes(db_url) -> None:
    assert migrate.current(db_url) is None
    migrate.upgrade(db_url, "0001")
    assert migrate.current(db_url) == "0001"
    migrate.upgrade(db_url)
    assert migrate.current(db_url) == migrate.head()
    inspector = inspect(engine_for(db_url))
    assert "query_log" in inspector.get_table_names()
    indexes = {index["name"]: index for index in inspector.get_indexes("query_log")}
    assert indexes["ix_query_log_message_id"]["unique"]
    assert indexes["ix_query_log_message_id"]["column_names"] == ["message_id"]
    assert indexes["ix_query_log_created_at"]["column_names"] == ["created_at"]
    assert indexes["ix_query_log_topic"]["column_names"] == ["topic"]


def test_upgrade_is_repeatable_and_downgrade_removes_the_table(db_url) -> None:
    migrate.upgrade(db_url)
    migrate.upgrade(db_url)
    migrate.downgrade(db_url, "base")
    assert migrate.current(db_url) is None
    assert inspect(engine_for(db_url)).get_table_names() == ["alembic_version"]


def test_the_review_tables(db_url) -> None:
    migrate.upgrade(db_url, "0002")
    inspector = inspect(engine_for(db_url))
    assert {"review_account", "review_audit"} <= set(inspector.get_table_names())
    indexes = {index["name"]: index for index in inspector.get_indexes("review_account")}
    assert indexes["ix_review_account_name"]["unique"]
    migrate.downgrade(db_url, "0001")
    assert not {"review_account", "review_audit"} & set(inspect(engine_for(db_url)).get_table_names())
    assert "query_log" in inspect(engine_for(db_url)).get_table_names()


def test_the_migrations_match_the_model(db_url) -> None:
    migrate.upgrade(db_url)
    with engine_for(db_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
