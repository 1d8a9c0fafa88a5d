"""Every environment variable is declared once in bot/settings.py, listed by `python -m bot settings`,
documented in docs/it.md, and read nowhere else."""
from __future__ import annotations

import re

import pytest

from bot import serve, settings
from bot.__main__ import main

DOCS = settings.ROOT / "docs" / "it.md"
# A literal variable name read straight from an environment mapping (not a value set for a child process):
# what the settings module exists to do.
DIRECT_READ = re.compile(
    r"""(?:environ|env)(?:\.(?:get|setdefault|pop)\(|\[)\s*["'][A-Z][A-Z0-9_]+["'](?!\]\s*=[^=])|getenv\(""")
SCANNED = ("bot", "actions", "bench")


def test_the_settings_command_lists_every_variable_and_hides_secrets(monkeypatch, capsys) -> None:
    monkeypatch.setenv("RASA_API_TOKEN", "token-that-must-not-show")
    monkeypatch.setenv("DATABASE_URL", "postgresql://assistant:db-password@127.0.0.1/assistant")
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    listed = {line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")}
    assert listed == set(settings.BY_NAME)
    assert "token-that-must-not-show" not in out and "db-password" not in out
    assert "postgresql://assistant:***@127.0.0.1/assistant" in out


@pytest.mark.parametrize("url, shown", [
    ("postgresql://assistant:pw-1@db.internal/assistant", "postgresql://assistant:***@db.internal/assistant"),
    ("postgresql://assistant:pw@1@db.internal/assistant", "postgresql://assistant:***@db.internal/assistant"),
    ("postgresql://db.internal/assistant?password=pw-1", "postgresql://db.internal/assistant?password=***"),
    ("postgresql://db.internal/assistant?user=assistant&password=pw-1&sslmode=require",
     "postgresql://db.internal/assistant?user=assistant&password=***&sslmode=require"),
    ("host=db.internal user=assistant password=pw-1 dbname=assistant",
     "host=db.internal user=assistant password=*** dbname=assistant"),
    ("host=db.internal password = 'pw-1 with spaces' dbname=assistant",
     "host=db.internal password = *** dbname=assistant"),
    ("password=pw-1", "password=***"),
])
def test_the_settings_command_masks_a_password_in_any_form_of_address(monkeypatch, capsys, url: str,
                                                                      shown: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    assert "pw-1" not in out and "pw@1" not in out
    assert out.count(shown) == 2


def test_the_docs_settings_table_matches_the_settings_module() -> None:
    table = DOCS.read_text(encoding="utf-8").split("| Variable | Default | Meaning |", 1)[1]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", table, re.MULTILINE))
    assert documented == set(settings.BY_NAME)


def test_the_docs_give_each_default_the_settings_module_gives() -> None:
    """Where a setting has a default of its own, docs/it.md names it, written as `python -m bot settings` does."""
    table = DOCS.read_text(encoding="utf-8").split("| Variable | Default | Meaning |", 1)[1]
    wrong = []
    for name, cell in re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \| ([^|]*) \|", table, re.MULTILINE):
        default = settings.rendered(settings.BY_NAME[name].default).replace(f"{settings.ROOT}/", "")
        if default and cell.strip() != f"`{default}`":
            wrong.append(f"{name}: documented {cell.strip()}, default `{default}`")
    assert wrong == []


def test_the_settings_command_writes_booleans_as_the_docs_do(monkeypatch, capsys) -> None:
    monkeypatch.delenv("RASA_ENABLE_API", raising=False)
    monkeypatch.delenv("REVIEW_COOKIE_SECURE", raising=False)
    assert main(["settings"]) == 0
    shown = {line.split()[0]: line.split(None, 1)[1] for line in capsys.readouterr().out.splitlines()
             if line and not line.startswith(" ")}
    assert shown["RASA_ENABLE_API"] == "false (default)"
    assert shown["REVIEW_COOKIE_SECURE"] == "true (default)"


def test_no_module_reads_a_variable_past_the_settings_module() -> None:
    offenders = []
    for path in sorted(path for package in SCANNED for path in (settings.ROOT / package).rglob("*.py")):
        if path == settings.ROOT / "bot" / "settings.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DIRECT_READ.search(line):
                offenders.append(f"{path.relative_to(settings.ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_typed_values_and_clear_errors() -> None:
    assert settings.REVIEW_SESSION_HOURS.get({"REVIEW_SESSION_HOURS": "2"}) == 2
    assert settings.REVIEW_COOKIE_SECURE.get({}) is True
    assert settings.ALLOWED_ORIGINS.get({"ALLOWED_ORIGINS": "https://a.example/, https://b.example"}) == (
        "https://a.example", "https://b.example")
    assert settings.DATABASE_URL.get({"DATABASE_URL": "postgres://h/db"}) == "postgresql://h/db"
    with pytest.raises(settings.ConfigurationError, match="REVIEW_SESSION_HOURS must be a whole number"):
        settings.REVIEW_SESSION_HOURS.get({"REVIEW_SESSION_HOURS": "eight"})
    with pytest.raises(settings.ConfigurationError, match="REVIEW_COOKIE_SECURE must be true or false"):
        settings.REVIEW_COOKIE_SECURE.get({"REVIEW_COOKIE_SECURE": "maybe"})
    assert settings.REVIEW_COOKIE_SECURE.get({"REVIEW_COOKIE_SECURE": "off"}) is False
    assert settings.REVIEW_COOKIE_SECURE.get({"REVIEW_COOKIE_SECURE": "on"}) is True


@pytest.mark.parametrize("setting", [settings.RASA_ENABLE_API, settings.TEAMS_ALLOW_HTTP_SERVICE_URL])
@pytest.mark.parametrize("value, on", [
    ("1", True), ("true", True), ("TRUE", True), ("yes", True), (" Yes ", True),
    ("on", False), ("y", False), ("maybe", False), ("0", False), ("false", False), ("off", False), ("", False),
])
def test_switches_that_open_something_up_take_only_1_true_or_yes(setting: settings.Setting, value: str,
                                                                 on: bool) -> None:
    assert setting.get({setting.name: value}) is on


def test_rasa_api_stays_off_for_any_other_value() -> None:
    token = {"RASA_API_TOKEN": "a-token"}
    assert serve.api_arguments({"RASA_ENABLE_API": "on", **token}) == []
    assert serve.api_arguments({"RASA_ENABLE_API": "maybe", **token}) == []
    assert serve.api_arguments({"RASA_ENABLE_API": "yes", **token})[0] == "--enable-api"
