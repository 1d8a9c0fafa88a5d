"""The architecture contracts in pyproject.toml ([tool.importlinter]) hold, and would catch a new cycle."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot import settings

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    # import-linter reads [tool.importlinter] from pyproject.toml in the working directory and finds
    # the `bot` and `actions` packages there; --no-cache so a copied tree is analysed afresh.
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=300)


def test_the_contracts_hold() -> None:
    result = lint_imports(settings.ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def copy_of_the_project(directory: Path) -> Path:
    """bot/, actions/ and pyproject.toml: every root package the contracts name."""
    for package in ("bot", "actions"):
        shutil.copytree(settings.ROOT / package, directory / package, ignore=shutil.ignore_patterns(
            "node_modules", "static", "templates", "__pycache__"))
    shutil.copy(settings.ROOT / "pyproject.toml", directory / "pyproject.toml")
    return directory


@pytest.mark.parametrize(("module", "added", "broken"), [
    # the database layer reaching up into the query log: a cycle, since the query log uses the database
    ("bot/db/engine.py", "from bot.querylog import store", "bot.db is not allowed to import bot.querylog"),
    # the actions are the top layer, thin wrappers over bot/: nothing in bot/ may depend on them
    ("bot/db/types.py", "from actions import quiz", "bot.db is not allowed to import actions"),
    # the public tier runs in an environment without Rasa
    ("bot/web/app.py", "import rasa_sdk", "bot.web is not allowed to import rasa_sdk"),
])
def test_a_deliberate_wrong_import_breaks_the_contracts(tmp_path, module, added, broken) -> None:
    copy_of_the_project(tmp_path)
    path = tmp_path / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{added}  # noqa\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert broken in result.stdout
