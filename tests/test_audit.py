"""`make audit`'s judgement, on pip's own JSON: direct dependencies of the public tier behind their latest release
fail unless held back, with a reason, at exactly the installed version; exceptions that no longer apply fail."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot import audit

INSTALLED = [{"name": "aiohttp", "version": "3.14.5"}, {"name": "SQLAlchemy", "version": "2.1.8"},
             {"name": "multidict", "version": "7.0.0"}, {"name": "pip", "version": "26.3"}]
OUTDATED = [{"name": "sqlalchemy", "version": "2.1.8", "latest_version": "2.1.9", "latest_filetype": "wheel"},
            {"name": "multidict", "version": "7.0.0", "latest_version": "7.2.1", "latest_filetype": "wheel"}]
DIRECT = ["aiohttp", "sqlalchemy"]


def held(*lines: str, tmp_path: Path) -> dict:
    path = tmp_path / "audit-exceptions.txt"
    path.write_text("# comment\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return audit.read_exceptions(path)


def test_every_package_is_listed_with_its_latest_release() -> None:
    rows = audit.packages(INSTALLED, OUTDATED)
    assert [(row.name, row.version, row.latest) for row in rows] == [
        ("aiohttp", "3.14.5", "3.14.5"), ("multidict", "7.0.0", "7.2.1"), ("pip", "26.3", "26.3"),
        ("SQLAlchemy", "2.1.8", "2.1.9")]
    shown = audit.table("public tier", rows, DIRECT)
    assert "2 behind" in shown and "SQLAlchemy" in shown and "BEHIND" in shown


def test_a_direct_dependency_behind_fails_and_a_transitive_one_does_not() -> None:
    failures = audit.judge(audit.packages(INSTALLED, OUTDATED), DIRECT, {})
    assert len(failures) == 1
    assert "SQLAlchemy 2.1.8 is behind its latest release 2.1.9" in failures[0]


def test_an_exception_at_the_installed_version_with_a_reason_passes(tmp_path: Path) -> None:
    exceptions = held("SQLAlchemy==2.1.8  2.1.9 changes the psycopg pool; waiting for the fix", tmp_path=tmp_path)
    assert audit.judge(audit.packages(INSTALLED, OUTDATED), DIRECT, exceptions) == []


def test_an_exception_for_another_version_does_not_apply_and_fails(tmp_path: Path) -> None:
    exceptions = held("sqlalchemy==2.1.7  an older hold", tmp_path=tmp_path)
    failures = audit.judge(audit.packages(INSTALLED, OUTDATED), DIRECT, exceptions)
    assert any("behind its latest release" in failure for failure in failures)
    assert any("sqlalchemy==2.1.7 no longer applies (installed at 2.1.8)" in failure for failure in failures)


def test_an_exception_for_a_current_package_must_be_removed(tmp_path: Path) -> None:
    exceptions = held("aiohttp==3.14.5  held for a reason now gone", tmp_path=tmp_path)
    failures = audit.judge(audit.packages(INSTALLED, []), DIRECT, exceptions)
    assert failures == ["audit-exceptions.txt: aiohttp==3.14.5 no longer applies (current): remove it"]


def test_an_exception_for_a_package_that_is_not_direct_fails(tmp_path: Path) -> None:
    exceptions = held("multidict==7.0.0  transitive", tmp_path=tmp_path)
    failures = audit.judge(audit.packages(INSTALLED, []), DIRECT, exceptions)
    assert failures == ["audit-exceptions.txt: multidict is not a direct dependency of the public tier"]


@pytest.mark.parametrize("line", ["SQLAlchemy==2.1.8", "SQLAlchemy 2.1.8 reason", "SQLAlchemy>=2.1 reason"])
def test_an_exception_without_a_pinned_version_and_a_reason_is_refused(line: str, tmp_path: Path) -> None:
    with pytest.raises(audit.AuditError, match="audit-exceptions.txt:3"):
        held(line, tmp_path=tmp_path)


def test_a_direct_dependency_not_installed_fails() -> None:
    failures = audit.judge(audit.packages(INSTALLED, []), [*DIRECT, "jinja2"], {})
    assert failures == ["jinja2 is a direct dependency (requirements-web.in) but is not installed: run `make install`"]


def test_the_direct_dependencies_are_read_from_requirements_web_in(tmp_path: Path) -> None:
    path = tmp_path / "requirements-web.in"
    path.write_text("# comment\naiohttp\nSQLAlchemy>=2  # why\npsycopg[binary]>=3\nMarkup_Safe\n", encoding="utf-8")
    assert audit.direct_dependencies(path) == ["aiohttp", "sqlalchemy", "psycopg", "markup-safe"]
    assert "aiohttp" in audit.direct_dependencies() and "sqlalchemy" in audit.direct_dependencies()


def test_the_checked_in_exceptions_file_reads(tmp_path: Path) -> None:
    exceptions = audit.read_exceptions()
    assert all(exception.reason for exception in exceptions.values())


def test_an_environment_that_drifted_from_its_lock_is_reported(tmp_path: Path) -> None:
    lock = tmp_path / "requirements-web.lock"
    lock.write_text("# header\naiohttp==3.14.5\nSQLAlchemy==2.1.9\nyarl==1.25.1\n", encoding="utf-8")
    drift = audit.lock_drift(audit.packages(INSTALLED, OUTDATED), lock)
    assert drift == ["requirements-web.lock: sqlalchemy==2.1.9 is installed as 2.1.8: run `make install`",
                     "requirements-web.lock: yarl==1.25.1 is installed as nothing: run `make install`"]
