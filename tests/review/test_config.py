from __future__ import annotations

import stat
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet

from bot.review import config
from bot.review.config import ConfigurationError


def test_defaults_secure_cookies_and_a_generated_key(tmp_path) -> None:
    key_file = tmp_path / "var" / "review_session.key"
    settings = config.from_environment({"REVIEW_SESSION_KEY_FILE": str(key_file)})
    assert settings.cookie_secure is True
    assert (settings.idle, settings.lifetime) == (timedelta(minutes=30), timedelta(hours=8))
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    Fernet(settings.session_key)  # a usable key
    again = config.from_environment({"REVIEW_SESSION_KEY_FILE": str(key_file)})
    assert again.session_key == settings.session_key  # kept across restarts


def test_settings_from_the_environment(tmp_path) -> None:
    env = {"REVIEW_COOKIE_SECURE": "false", "REVIEW_SESSION_IDLE_MINUTES": "10", "REVIEW_SESSION_HOURS": "2",
           "REVIEW_SESSION_KEY": "x" * 32, "REVIEW_SESSION_KEY_FILE": str(tmp_path / "unused.key")}
    settings = config.from_environment(env)
    assert not settings.cookie_secure and settings.idle == timedelta(minutes=10)
    assert settings.lifetime == timedelta(hours=2)
    assert settings.session_key != config.from_environment(env | {"REVIEW_SESSION_KEY": "y" * 32}).session_key
    assert not (tmp_path / "unused.key").exists()


@pytest.mark.parametrize("env, message", [
    ({"REVIEW_COOKIE_SECURE": "maybe"}, "REVIEW_COOKIE_SECURE must be true or false"),
    ({"REVIEW_SESSION_IDLE_MINUTES": "0"}, "REVIEW_SESSION_IDLE_MINUTES must be a whole number"),
    ({"REVIEW_SESSION_HOURS": "eight"}, "REVIEW_SESSION_HOURS must be a whole number"),
    ({"REVIEW_SESSION_KEY": "too short"}, "at least 32 characters"),
])
def test_unusable_settings_are_refused(tmp_path, env, message) -> None:
    with pytest.raises(ConfigurationError, match=message):
        config.from_environment({"REVIEW_SESSION_KEY_FILE": str(tmp_path / "k"), **env})
