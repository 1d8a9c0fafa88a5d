"""What differs between SQLAlchemy 1.4 (the Rasa runtime's pin) and 2.x (the public tier), in one place.

The code under bot/db, bot/querylog and bot/quiz runs on both; its tests run under both environments.
"""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy.sql.base import Executable

E = TypeVar("E", bound=Executable)


def counted(statement: E) -> E:
    """The statement, asking for its result's rowcount to be kept.

    SQLAlchemy 2 keeps rowcount unasked only for UPDATE and DELETE (with psycopg 3 an INSERT ... ON CONFLICT
    DO NOTHING reports -1); 1.4 always keeps it and ignores the option.
    """
    return statement.execution_options(preserve_rowcount=True)
