"""The architecture contracts in pyproject.toml ([tool.importlinter]) hold, and would catch a new cycle."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

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


def test_a_new_upward_import_breaks_the_layers(tmp_path) -> None:
    copy_of_the_project(tmp_path)
    engine = tmp_path / "bot" / "db" / "engine.py"
    # The database layer reaching up into the query log: a cycle, since the query log uses the database.
    engine.write_text(engine.read_text(encoding="utf-8") + "\nfrom bot.querylog import store  # noqa\n",
                      encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "bot.db is not allowed to import bot.querylog" in result.stdout


def test_bot_importing_the_custom_actions_breaks_the_layers(tmp_path) -> None:
    copy_of_the_project(tmp_path)
    types = tmp_path / "bot" / "db" / "types.py"
    # The actions are the top layer, thin wrappers over bot/: nothing in bot/ may depend on them.
    types.write_text(types.read_text(encoding="utf-8") + "\nfrom actions import quiz  # noqa\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "bot.db is not allowed to import actions" in result.stdout


def test_the_public_tier_would_be_caught_importing_rasa(tmp_path) -> None:
    copy_of_the_project(tmp_path)
    web_app = tmp_path / "bot" / "web" / "app.py"
    web_app.write_text(web_app.read_text(encoding="utf-8") + "\nimport rasa_sdk  # noqa\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "bot.web is not allowed to import rasa_sdk" in result.stdout
