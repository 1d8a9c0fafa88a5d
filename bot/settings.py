"""Every setting the project reads from the environment, declared once, and the project's paths.

Each `Setting` names its environment variable, its type (through its parser), its default and what it
means; code reads a value with `settings.QUIZ_ORDER.get()` (or `.get(env)` with a mapping of its own,
as the tests and the process supervisor do). `python -m bot settings` lists them all, secrets masked,
and docs/it.md's settings table is checked against `ALL` by a test.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Generic, List, Mapping, Tuple, TypeVar

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
PARTNERSHIPS_DIR = DATA_DIR / "partnerships"
TOPICS_DIR = DATA_DIR / "topics"
BUILD_DIR = ROOT / "build"
VAR_DIR = ROOT / "var"
DOMAIN_FILE = ROOT / "domain.yml"
RASA_DATA_DIRS = ("nlu", "rules", "stories")

T = TypeVar("T")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
_STRICT_TRUE = ("1", "true", "yes")


class ConfigurationError(ValueError):
    """A setting that cannot be used; the message names it and says what is expected."""


@dataclass(frozen=True)
class Setting(Generic[T]):
    name: str
    default: T
    meaning: str
    parse: Callable[[str, str], T]  # (name, the non-empty value as typed) -> the typed value
    secret: bool = False  # never printed; any other value has a password in a URL masked

    def get(self, env: Mapping[str, str] | None = None) -> T:
        """The value in env (os.environ by default), or the default when unset or blank."""
        raw = (os.environ if env is None else env).get(self.name, "").strip()
        return self.parse(self.name, raw) if raw else self.default

    def shown(self, env: Mapping[str, str] | None = None) -> str:
        raw = (os.environ if env is None else env).get(self.name, "").strip()
        if not raw:
            default = rendered(self.default)
            return f"{default} (default)" if default else "(not set)"
        if self.secret:
            return "(set, hidden)"
        return masked(raw)


def rendered(value: object) -> str:
    """A typed value as `python -m bot settings` and docs/it.md write it: true/false, lists comma-separated."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(value)
    return "" if value is None else str(value)


# A password in any form a database address takes: user:password@host, ?password=… or &password=… in the
# query, and libpq's key=value string (password=… or password='…').
_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)\S*@")  # up to the last @: a password may hold one
_PASSWORD_IN_QUERY = re.compile(r"([?&][\w.-]*password=)[^&#\s]*", re.IGNORECASE)
_PASSWORD_IN_KEYWORDS = re.compile(r"((?:^|\s)\w*password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|\S*)", re.IGNORECASE)


def masked(value: str) -> str:
    """value with any password in it replaced by ***."""
    value = _PASSWORD_IN_URL.sub(r"\1***@", value)
    value = _PASSWORD_IN_QUERY.sub(r"\1***", value)
    return _PASSWORD_IN_KEYWORDS.sub(r"\1***", value)


def text(_name: str, value: str) -> str:
    return value


def flag(name: str, value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}")


def strict_true(_name: str, value: str) -> bool:
    """Only 1, true or yes (any case) turn it on; any other value leaves it off. For switches that open
    something up, such as the HTTP API or http:// reply addresses: a mistyped value must not."""
    return value.lower() in _STRICT_TRUE


def whole_number(most: int) -> Callable[[str, str], int]:
    def parse(name: str, value: str) -> int:
        if not value.isdigit() or not 1 <= int(value) <= most:
            raise ConfigurationError(f"{name} must be a whole number from 1 to {most}, not {value!r}")
        return int(value)

    return parse


def comma_list(_name: str, value: str) -> Tuple[str, ...]:
    return tuple(item.strip().rstrip("/") for item in value.split(",") if item.strip())


def database_url(_name: str, value: str) -> str:
    # Hosting platforms hand out postgres://, which SQLAlchemy 1.4 no longer accepts.
    return "postgresql://" + value[len("postgres://"):] if value.startswith("postgres://") else value


def path(_name: str, value: str) -> str:
    return value


def redis_url(name: str, value: str) -> str:
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError(f"{name} must be a redis://, rediss:// or unix:// address, not {masked(value)!r}")
    return value


# -- which partnership, where its data lives --------------------------------------------------------------
PARTNERSHIP = Setting("PARTNERSHIP", "pan_cheshire",
                      "Whose local protocol the assistant speaks for: a pack in data/partnerships/", text)
DATABASE_URL = Setting("DATABASE_URL", "",
                       "Query log, review accounts and quiz classes; empty: SQLite file var/querylog.db",
                       database_url)
TRACKER_DATABASE_URL = Setting("TRACKER_DATABASE_URL", "",
                               "Rasa's redacting tracker store; empty: DATABASE_URL, else var/tracker.db",
                               database_url)
REDIS_URL = Setting("REDIS_URL", "",
                    "Redis for Rasa's lock store, shared by several Rasa servers; empty: in memory (one server)",
                    redis_url)
QUERYLOG_SPOOL = Setting("QUERYLOG_SPOOL", str(VAR_DIR / "spool" / "querylog.jsonl"),
                         "Where query-log rows wait while the database is down", path)
QUERYLOG_RETENTION_DAYS = Setting("QUERYLOG_RETENTION_DAYS", "365",
                                  "How long `python -m bot purge` keeps query-log rows (e.g. 365d, 52w, 1y)", text)
# -- privacy ----------------------------------------------------------------------------------------------
PSEUDONYM_SECRET = Setting("PSEUDONYM_SECRET", "",
                           "Key for pseudonymising senders; empty: generated into PSEUDONYM_KEY_FILE", text,
                           secret=True)
PSEUDONYM_KEY_FILE = Setting("PSEUDONYM_KEY_FILE", str(VAR_DIR / "pseudonym.key"),
                             "File holding the pseudonym key, created on first run (owner-only)", path)
REDACTION_MODEL = Setting("REDACTION_MODEL", str(BUILD_DIR / "spacy" / "en_redaction"),
                          "The name recogniser used for redaction (built by make install)", path)
SPACY_MODEL = Setting("SPACY_MODEL", "build/spacy/en_safeguarding",
                      "The spaCy pipeline config.yml loads for NLU (built by make install)", path)
# -- servers ----------------------------------------------------------------------------------------------
WEB_HOST = Setting("WEB_HOST", "0.0.0.0", "Address the web app (port 8080) listens on", text)
ALLOWED_ORIGINS = Setting("ALLOWED_ORIGINS", ("http://localhost:8080", "http://127.0.0.1:8080"),
                          "Web origins allowed to use the chat from a browser, comma-separated", comma_list)
WEB_TRUSTED_PROXIES = Setting("WEB_TRUSTED_PROXIES", (),
                              "Reverse proxies (addresses or networks) whose X-Forwarded-For names the client",
                              comma_list)
WEB_REQUESTS_PER_MINUTE = Setting("WEB_REQUESTS_PER_MINUTE", 300,
                                  "Requests to /socket.io/ and the REST webhook per client address per minute",
                                  whole_number(100_000))
WEB_MESSAGES_PER_MINUTE = Setting("WEB_MESSAGES_PER_MINUTE", 30,
                                  "Chat and REST messages per client address per minute", whole_number(100_000))
WEB_TEAMS_REQUESTS_PER_MINUTE = Setting("WEB_TEAMS_REQUESTS_PER_MINUTE", 600,
                                        "Requests to the Teams webhook per client address per minute",
                                        whole_number(100_000))
RASA_HOST = Setting("RASA_HOST", "127.0.0.1", "Address the Rasa server listens on (keep it local)", text)
ACTIONS_HOST = Setting("ACTIONS_HOST", "127.0.0.1", "Address the action server listens on (keep it local)", text)
RASA_CREDENTIALS = Setting("RASA_CREDENTIALS", "credentials.yml", "Rasa's channel credentials file", path)
RASA_ENABLE_API = Setting("RASA_ENABLE_API", False,
                          "Turn on Rasa's HTTP API (needs RASA_API_TOKEN or RASA_JWT_SECRET)", strict_true)
RASA_API_TOKEN = Setting("RASA_API_TOKEN", "", "Token for Rasa's HTTP API", text, secret=True)
RASA_JWT_SECRET = Setting("RASA_JWT_SECRET", "", "JWT secret for Rasa's HTTP API", text, secret=True)
RASA_JWT_METHOD = Setting("RASA_JWT_METHOD", "HS256", "JWT algorithm for Rasa's HTTP API", text)
RASA_TELEMETRY_ENABLED = Setting("RASA_TELEMETRY_ENABLED", "false",
                                 "Rasa's usage reporting; off, as nothing may leave the machine", text)
TF_CPP_MIN_LOG_LEVEL = Setting("TF_CPP_MIN_LOG_LEVEL", "2", "TensorFlow's log level under Rasa (2: errors only)", text)
# -- the two environments (make install builds both) -------------------------------------------------------
RASA_PYTHON = Setting("RASA_PYTHON", str(ROOT / ".venv" / "bin" / "python"),
                      "Interpreter of the Rasa runtime (Python 3.10, Rasa 3.6): Rasa and the action server", path)
WEB_PYTHON = Setting("WEB_PYTHON", str(ROOT / ".venv-web" / "bin" / "python"),
                     "Interpreter of the public tier (current Python and libraries): the web app on port 8080", path)
# -- training mode ----------------------------------------------------------------------------------------
QUIZ_LENGTH = Setting("QUIZ_LENGTH", "5", "Scenarios in one quiz: a number, or all", text)
QUIZ_ORDER = Setting("QUIZ_ORDER", "", "fixed: scenarios in file order (classes); empty: shuffled", text)
# -- review dashboard -------------------------------------------------------------------------------------
REVIEW_COOKIE_SECURE = Setting("REVIEW_COOKIE_SECURE", True,
                               "Dashboard cookies only over HTTPS (false only for a local trial)", flag)
REVIEW_SESSION_IDLE_MINUTES = Setting("REVIEW_SESSION_IDLE_MINUTES", 30,
                                      "Dashboard log-out after this many idle minutes", whole_number(24 * 60))
REVIEW_SESSION_HOURS = Setting("REVIEW_SESSION_HOURS", 8, "Longest dashboard session, in hours",
                               whole_number(24 * 7))
REVIEW_SESSION_KEY = Setting("REVIEW_SESSION_KEY", "",
                             "Dashboard cookie key (32+ characters); empty: generated into REVIEW_SESSION_KEY_FILE",
                             text, secret=True)
REVIEW_SESSION_KEY_FILE = Setting("REVIEW_SESSION_KEY_FILE", str(VAR_DIR / "review_session.key"),
                                  "File holding the dashboard cookie key, created on first run", path)
REVIEW_LOGIN_ATTEMPTS = Setting("REVIEW_LOGIN_ATTEMPTS", 10,
                                "Dashboard login attempts per client address per 15 minutes (good ones not counted)",
                                whole_number(10_000))
# -- Microsoft Teams --------------------------------------------------------------------------------------
MICROSOFT_APP_ID = Setting("MICROSOFT_APP_ID", "", "The Azure Bot's Microsoft App ID (a GUID)", text)
MICROSOFT_APP_PASSWORD = Setting("MICROSOFT_APP_PASSWORD", "", "The Azure Bot's client secret", text,
                                 secret=True)
MICROSOFT_APP_TENANT_ID = Setting("MICROSOFT_APP_TENANT_ID", "",
                                  "Tenant of a single-tenant Azure Bot; empty: multi-tenant", text)
TEAMS_OPENID_METADATA_URL = Setting("TEAMS_OPENID_METADATA_URL",
                                    "https://login.botframework.com/v1/.well-known/openidconfiguration",
                                    "Where Bot Framework's token-signing keys are published (tests only)", text)
TEAMS_TOKEN_URL = Setting("TEAMS_TOKEN_URL", "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
                          "Where the bot gets its own token (tests only)", text)
TEAMS_TOKEN_ISSUER = Setting("TEAMS_TOKEN_ISSUER", "https://api.botframework.com",
                             "The issuer Bot Framework tokens must name (tests only)", text)
TEAMS_ALLOW_HTTP_SERVICE_URL = Setting("TEAMS_ALLOW_HTTP_SERVICE_URL", False,
                                       "Accept an http:// serviceUrl (tests with a local fake only)", strict_true)
TEAMS_APP_VERSION = Setting("TEAMS_APP_VERSION", "1.0.0", "Version in the Teams app package", text)
TEAMS_APP_NAME = Setting("TEAMS_APP_NAME", "", "Full name in the Teams app package", text)
TEAMS_APP_SHORT_NAME = Setting("TEAMS_APP_SHORT_NAME", "", "Short name in the Teams app package", text)
TEAMS_DEVELOPER_NAME = Setting("TEAMS_DEVELOPER_NAME", "", "Organisation publishing the Teams app", text)
TEAMS_WEBSITE_URL = Setting("TEAMS_WEBSITE_URL", "", "https website named in the Teams app package", text)
TEAMS_PRIVACY_URL = Setting("TEAMS_PRIVACY_URL", "", "https privacy notice named in the Teams app package", text)
TEAMS_TERMS_URL = Setting("TEAMS_TERMS_URL", "", "https terms of use named in the Teams app package", text)
TEAMS_ICON_COLOR = Setting("TEAMS_ICON_COLOR", "", "192x192 PNG colour icon; empty: one is drawn", path)
TEAMS_ICON_OUTLINE = Setting("TEAMS_ICON_OUTLINE", "", "32x32 PNG outline icon; empty: one is drawn", path)

ALL: List[Setting] = [value for value in list(globals().values()) if isinstance(value, Setting)]
BY_NAME: Dict[str, Setting] = {setting.name: setting for setting in ALL}


def partnership_id() -> str:
    """The one setting that chooses whose local protocol the assistant speaks for."""
    return PARTNERSHIP.get()


def build_dir(partnership: str) -> Path:
    return BUILD_DIR / partnership


def allowed_origins(env: Mapping[str, str] | None = None) -> list[str]:
    """Web origins that may use the chat and REST channels from a browser."""
    return list(ALLOWED_ORIGINS.get(env))
