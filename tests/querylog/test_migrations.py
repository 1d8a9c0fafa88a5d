"""The Alembic migrations, from an empty database on SQLite and on a real PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

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


NEW_COLUMNS = {"runner_up_intent", "runner_up_confidence", "did_you_mean", "chosen_topic", "rephrased"}
OLD_ROW = {"message_id": "before-0004", "created_at": "2024-03-01 12:00:00", "channel": "rest", "sender": "p",
           "partnership": "pan_cheshire", "practitioner_role": None, "text": "logged before 0004",
           "intent": "nlu_fallback", "confidence": 0.4, "topic": None, "fell_back": True, "is_button": False,
           "helpful": False}


def _columns(url: str) -> set:
    return {column["name"] for column in inspect(engine_for(url)).get_columns("query_log")}


def test_0004_adds_the_runner_up_and_the_signals_and_keeps_the_rows(empty_database_url) -> None:
    migrate.upgrade(empty_database_url, "0003")
    assert not NEW_COLUMNS & _columns(empty_database_url)
    names = ", ".join(OLD_ROW)
    with engine_for(empty_database_url).begin() as connection:
        connection.execute(text(f"INSERT INTO query_log ({names}) VALUES ({', '.join(':' + n for n in OLD_ROW)})"),
                           OLD_ROW)

    migrate.upgrade(empty_database_url, "0004")
    assert NEW_COLUMNS <= _columns(empty_database_url)
    columns = {column["name"]: column for column in inspect(engine_for(empty_database_url)).get_columns("query_log")}
    assert all(columns[name]["nullable"] for name in NEW_COLUMNS)
    with engine_for(empty_database_url).connect() as connection:
        row = connection.execute(text("SELECT * FROM query_log")).mappings().one()
    assert row["message_id"] == "before-0004" and row["helpful"] in (False, 0)
    assert all(row[name] is None for name in NEW_COLUMNS)
    # indexes survive SQLite's batch mode, which recreates the table
    indexes = {index["name"] for index in inspect(engine_for(empty_database_url)).get_indexes("query_log")}
    assert {"ix_query_log_message_id", "ix_query_log_created_at", "ix_query_log_topic"} <= indexes

    migrate.downgrade(empty_database_url, "0003")
    assert migrate.current(empty_database_url) == "0003"
    assert not NEW_COLUMNS & _columns(empty_database_url)
    with engine_for(empty_database_url).connect() as connection:
        assert connection.execute(text("SELECT message_id FROM query_log")).scalars().all() == ["before-0004"]
    migrate.upgrade(empty_database_url)
    assert NEW_COLUMNS <= _columns(empty_database_url)
