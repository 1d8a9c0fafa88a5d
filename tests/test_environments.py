"""The two environments: the public tier (.venv-web) on current Python and SQLAlchemy 2, without Rasa, exactly
as its lock says; the Rasa runtime (.venv) on Python 3.10 and SQLAlchemy 1.4. Runs under either interpreter
(make test-python and make test-web), asking each environment itself."""
from __future__ import annotations

import json
import re
import subprocess
from typing import Dict

import pytest

from bot import serve, settings

WEB_LOCK = settings.ROOT / "requirements-web.lock"
WEB_IN = settings.ROOT / "requirements-web.in"
# Rasa and what only the Rasa runtime needs: none of it may be importable by the public tier.
RASA_ONLY = ("rasa", "rasa_sdk", "sanic", "tensorflow", "keras", "spacy", "thinc")


def ask(python: str, code: str) -> str:
    result = subprocess.run([python, "-c", code], cwd=settings.ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> Dict[str, str]:
    return {normalised(name): version for name, version in re.findall(r"^([^#\s=]+)==(\S+)$", text, re.MULTILINE)}


@pytest.mark.parametrize("module", RASA_ONLY)
def test_the_public_tier_cannot_import_rasa(module: str) -> None:
    """Fails if the public tier's environment can import Rasa or anything only Rasa needs."""
    found = ask(serve.web_python(), f"import importlib.util; print(importlib.util.find_spec({module!r}) is not None)")
    assert found.strip() == "False", f"{module} is importable in the public tier's environment ({serve.web_python()})"


def test_the_whole_public_tier_imports_without_rasa() -> None:
    """Every module of the web app and the dashboard, and the command that starts them, in .venv-web."""
    code = """
import importlib, json, pkgutil, sys
import bot.cli, bot.serve, bot.web, bot.review
for package in (bot.web, bot.review):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""
    loaded = set(json.loads(ask(serve.web_python(), code)))
    assert loaded & set(RASA_ONLY) == set()
    assert {"aiohttp", "sqlalchemy", "matplotlib", "aiohttp_session"} <= loaded


def test_the_public_tier_is_on_current_python_and_sqlalchemy_2_and_the_rasa_runtime_on_3_10_and_1_4() -> None:
    """The shared code's tests run under both, so both must really be what they are said to be."""
    code = ("import json, sys, sqlalchemy, aiohttp; "
            "print(json.dumps([sys.version_info[:2], sqlalchemy.__version__, aiohttp.__version__]))")
    (web_python, web_sqlalchemy, web_aiohttp) = json.loads(ask(serve.web_python(), code))
    (rasa_python, rasa_sqlalchemy, _) = json.loads(ask(serve.rasa_python(), code))
    assert tuple(web_python) >= (3, 11) and int(web_sqlalchemy.split(".")[0]) >= 2
    assert tuple(rasa_python) == (3, 10) and rasa_sqlalchemy.startswith("1.4.")
    assert web_aiohttp == pins(WEB_LOCK.read_text(encoding="utf-8"))["aiohttp"]


def test_the_public_tier_is_exactly_its_lock() -> None:
    """Every pin installed at its version and nothing else (but pip): `make install` rebuilds it on a new lock."""
    listed = json.loads(subprocess.run(
        [serve.web_python(), "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
        capture_output=True, text=True, timeout=300, check=True).stdout)
    installed = {normalised(row["name"]): row["version"] for row in listed if normalised(row["name"]) != "pip"}
    assert installed == pins(WEB_LOCK.read_text(encoding="utf-8")), "run `make install` after changing the lock"


def test_every_direct_dependency_is_in_the_lock() -> None:
    locked = pins(WEB_LOCK.read_text(encoding="utf-8"))
    direct = [normalised(re.split(r"[\[<>=!~ ]", line, maxsplit=1)[0])
              for line in WEB_IN.read_text(encoding="utf-8").splitlines() if line.strip() and line[0] != "#"]
    assert direct and [name for name in direct if name not in locked] == []


def test_a_missing_environment_is_named_with_what_to_run(tmp_path) -> None:
    env = {settings.WEB_PYTHON.name: str(tmp_path / "nowhere" / "python")}
    with pytest.raises(serve.ConfigurationError, match="WEB_PYTHON: no interpreter .* Run `make install`"):
        serve.web_command(env=env)


def test_the_web_app_refuses_to_start_in_the_rasa_runtime() -> None:
    """`python -m bot web` on the Rasa runtime's interpreter would serve port 8080 on its old libraries."""
    result = subprocess.run([serve.rasa_python(), "-m", "bot", "web", "--port", "1"], cwd=settings.ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "runs only in the public tier's environment" in result.stderr and serve.web_python() in result.stderr
