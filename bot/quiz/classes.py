"""Training classes: a trainer's code, and the answers given by pseudonymous participants.

A code is 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L), with at least one
letter and one digit so the assistant can tell it from a word, drawn with `secrets`. Answers are
stored only for an open class; the first answer a participant gives to a scenario counts, and a
re-answer (a second run, an old button pressed again) is ignored, so a class's figures are its
first attempts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Dict, List

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.db.compat import counted
from bot.db.engine import database_url, engine_for
from bot.db.tables import quiz_answers, quiz_classes
from bot.privacy.pseudonym import pseudonymise
from bot.quiz.codes import new_code, normalise

NAME_LIMIT = 80
_INSERTS: Dict[str, Callable] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


class ClassError(ValueError):
    """A class command cannot go ahead; the message says why."""


@dataclass(frozen=True)
class QuizClass:
    code: str
    name: str | None
    created_at: datetime
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def participant(code: str, sender_id: str) -> str:
    """A class-specific pseudonym: not the query log's pseudonym for the same sender, so class answers
    cannot be joined to the questions that person asked, nor across classes."""
    return pseudonymise(f"quiz:{code}:{sender_id}")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _row(row) -> QuizClass:  # noqa: ANN001 - a SQLAlchemy Row
    return QuizClass(row.code, row.name, row.created_at, row.closed_at)


class Classes:
    """The quiz tables of one database (DATABASE_URL by default); database errors propagate."""

    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.url = url or database_url()
        self.engine = engine or engine_for(self.url)

    def create(self, name: str | None = None) -> QuizClass:
        name = " ".join((name or "").split())[:NAME_LIMIT] or None
        for _ in range(20):  # 31^6 codes: a clash is rare, and retried
            created = QuizClass(new_code(), name, _now(), None)
            try:
                with self.engine.begin() as connection:
                    connection.execute(quiz_classes.insert().values(
                        code=created.code, name=created.name, created_at=created.created_at, closed_at=None))
                return created
            except IntegrityError:
                continue
        raise ClassError("could not find an unused class code; try again")

    def get(self, code: str) -> QuizClass | None:
        code = normalise(code) or ""
        with self.engine.connect() as connection:
            row = connection.execute(select(quiz_classes).where(quiz_classes.c.code == code)).first()
        return _row(row) if row else None

    def list(self) -> List[QuizClass]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(quiz_classes).order_by(quiz_classes.c.created_at)).all()
        return [_row(row) for row in rows]

    def close(self, code: str) -> QuizClass:
        found = self.get(code)
        if found is None:
            raise ClassError(f"no class with code {code}")
        if found.closed_at is not None:
            return found
        closed_at = _now()
        with self.engine.begin() as connection:
            connection.execute(update(quiz_classes).where(quiz_classes.c.code == found.code)
                               .values(closed_at=closed_at))
        return QuizClass(found.code, found.name, found.created_at, closed_at)

    def record_answer(self, code: str, sender_id: str, scenario_id: str, choice: str, correct: bool,
                      answered_at: datetime | None = None) -> bool:
        """Stores an answer for an open class; False if the class is closed or unknown or it was answered before."""
        found = self.get(code)
        if found is None or not found.is_open:
            return False
        values = dict(class_code=found.code, participant=participant(found.code, sender_id), scenario_id=scenario_id,
                      choice=choice, correct=correct, answered_at=answered_at or _now())
        insert = _INSERTS.get(self.engine.dialect.name)
        with self.engine.begin() as connection:
            if insert is None:  # another database: the unique index still refuses a second answer
                try:
                    connection.execute(quiz_answers.insert().values(**values))
                    return True
                except IntegrityError:
                    return False
            statement = insert(quiz_answers).values(**values).on_conflict_do_nothing(
                index_elements=["class_code", "participant", "scenario_id"])
            return connection.execute(counted(statement)).rowcount == 1
