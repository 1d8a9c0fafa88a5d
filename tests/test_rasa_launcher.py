"""Rasa's API token and JWT secret reach Rasa through its environment, never a command line (bot/rasa_launcher.py);
the end-to-end check, every process's /proc/<pid>/cmdline while the servers run, is in tests/test_serve.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot import rasa_launcher, serve

SECRETS = {"RASA_ENABLE_API": "true", "RASA_API_TOKEN": "token-1b7e", "RASA_JWT_SECRET": "jwt-secret-9c2d"}


def test_rasa_is_started_through_the_launcher_with_no_secret_on_its_command_line() -> None:
    env = {**serve.environment(), **SECRETS}
    command = serve.rasa_command(Path("model.tar.gz"), env=env)
    assert command[:3] == [serve.rasa_python(env), "-m", "bot.rasa_launcher"] and command[3] == "run"
    assert "--enable-api" in command
    assert not {"--auth-token", "--jwt-secret", SECRETS["RASA_API_TOKEN"], SECRETS["RASA_JWT_SECRET"]} & set(command)


def test_the_launcher_adds_the_secrets_inside_the_process_only_when_the_api_is_on() -> None:
    argv = ["run", "--model", "m.tar.gz", "--enable-api"]
    assert rasa_launcher.rasa_argv(argv, SECRETS) == [
        "rasa", *argv, "--auth-token", "token-1b7e", "--jwt-secret", "jwt-secret-9c2d", "--jwt-method", "HS256"]
    assert rasa_launcher.rasa_argv(["run", "--model", "m.tar.gz"], SECRETS) == ["rasa", "run", "--model", "m.tar.gz"]
    assert rasa_launcher.rasa_argv(["run", "actions"], {}) == ["rasa", "run", "actions"]


def test_the_launcher_refuses_an_open_api() -> None:
    with pytest.raises(serve.ConfigurationError, match="RASA_API_TOKEN"):
        rasa_launcher.rasa_argv(["run", "--enable-api"], {"RASA_ENABLE_API": "true"})


@pytest.mark.parametrize("argument", ["--auth-token", "--jwt-secret", "--jwt-secret=s3cret", "--ssl-password"])
def test_the_launcher_refuses_a_secret_on_its_own_command_line(argument: str) -> None:
    with pytest.raises(rasa_launcher.SecretOnCommandLine, match="must not be given on the command line"):
        rasa_launcher.rasa_argv(["run", "--enable-api", argument, "s3cret"], SECRETS)


def test_the_action_server_and_the_web_app_never_get_the_secrets() -> None:
    env = {**serve.environment(), **SECRETS}
    for name, command, environment in [
        ("action server", serve.actions_command(env=env), serve.actions_environment(env)),
        ("web app", serve.web_command(env=env), serve.web_environment(env)),
    ]:
        assert not {"RASA_API_TOKEN", "RASA_JWT_SECRET"} & set(environment), name
        assert not {SECRETS["RASA_API_TOKEN"], SECRETS["RASA_JWT_SECRET"]} & set(command), name
    assert serve.web_command(env=env)[0] == serve.web_python(env)
