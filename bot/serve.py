"""Starts the action server, the Rasa server and the web app together, and stops them together.

Only the web app (port 8080) listens beyond this machine by default: it serves the chat
page and forwards socket.io and channel webhooks to Rasa, which listens on localhost,
as does the action server. Rasa's HTTP API stays off unless asked for, and then only
with a token or a JWT secret, which reach Rasa through its environment (bot/rasa_launcher.py),
never its command line.

Two environments: Rasa and the action server run on the Rasa runtime's interpreter (RASA_PYTHON,
.venv: Python 3.10, Rasa 3.6 and its pins), the web app on the public tier's (WEB_PYTHON,
.venv-web: current Python and libraries, no Rasa), whichever interpreter runs this module.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Sequence

import yaml

from bot import settings
from bot.supervisor import Service, Supervisor, stop_requested_by_signals

RASA_PORT = 5005
ACTIONS_PORT = 5055
WEB_PORT = 8080
STOP_GRACE_SECONDS = 20
# Closing the terminal (SIGHUP) stops the servers too: they run in sessions of their own and would live on.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT)


class ConfigurationError(settings.ConfigurationError):
    """A setting that would leave the server open or broken; the message says what to set."""


ENDPOINTS = settings.ROOT / "endpoints.yml"


def environment() -> Dict[str, str]:
    env = dict(os.environ)
    for setting in (settings.RASA_TELEMETRY_ENABLED, settings.TF_CPP_MIN_LOG_LEVEL):
        env[setting.name] = setting.get(env)
    return env


# Rasa's lock store when REDIS_URL is set: ours, which reads the address from the environment itself.
REDIS_LOCK_STORE = "bot.lock_store.AtomicRedisLockStore"


def endpoints_config(actions_port: int, env: Mapping[str, str] | None = None) -> Dict[str, object]:
    """The project's endpoints.yml (tracker store included), with the action server on actions_port, and the
    Redis lock store when REDIS_URL is set (by class name only: the address, which may hold a password, is
    read from the environment, never written to a file)."""
    endpoints = yaml.safe_load(ENDPOINTS.read_text(encoding="utf-8"))
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{actions_port}/webhook"
    if settings.REDIS_URL.get(env):
        endpoints["lock_store"] = {"type": REDIS_LOCK_STORE}
    return endpoints


def write_endpoints(path: Path, actions_port: int, env: Mapping[str, str] | None = None) -> Path:
    """endpoints_config() written to path, for Rasa's --endpoints."""
    endpoints = endpoints_config(actions_port, env)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return path


# Held by Rasa alone: the other servers get an environment without them.
SECRETS_FOR_RASA = (settings.RASA_API_TOKEN.name, settings.RASA_JWT_SECRET.name)


def interpreter(setting: settings.Setting[str], env: Mapping[str, str] | None = None) -> str:
    """The interpreter a setting names (RASA_PYTHON or WEB_PYTHON); `make install` builds both."""
    path = Path(setting.get(env))
    if not path.is_absolute():
        path = settings.ROOT / path
    if not os.access(path, os.X_OK):
        raise ConfigurationError(f"{setting.name}: no interpreter at {path}. Run `make install`, which builds "
                                 "both environments, or point it at one.")
    return str(path)


def rasa_python(env: Mapping[str, str] | None = None) -> str:
    return interpreter(settings.RASA_PYTHON, env)


def web_python(env: Mapping[str, str] | None = None) -> str:
    return interpreter(settings.WEB_PYTHON, env)


def rasa_executable(env: Mapping[str, str] | None = None) -> str:
    """The Rasa runtime's `rasa` script (training, rasa init); servers start through the launcher."""
    return str(Path(rasa_python(env)).with_name("rasa"))


def actions_command(port: int = ACTIONS_PORT, env: Mapping[str, str] | None = None) -> List[str]:
    return [rasa_executable(env), "run", "actions", "--actions", "actions", "--port", str(port)]


def without_secrets(env: Mapping[str, str]) -> Dict[str, str]:
    return {name: value for name, value in env.items() if name not in SECRETS_FOR_RASA}


def actions_environment(env: Dict[str, str]) -> Dict[str, str]:
    """rasa-sdk binds to SANIC_HOST, all interfaces unless told; ACTIONS_HOST overrides localhost."""
    return {**without_secrets(env), "SANIC_HOST": settings.ACTIONS_HOST.get(env)}


def api_arguments(env: Mapping[str, str]) -> List[str]:
    """Rasa's HTTP API: off by default; RASA_ENABLE_API=true needs RASA_API_TOKEN or RASA_JWT_SECRET.

    Secrets included: only "--enable-api" goes on Rasa's command line; bot/rasa_launcher.py adds the rest
    inside the Rasa process, from its environment.
    """
    if not settings.RASA_ENABLE_API.get(env):
        return []
    token, secret = settings.RASA_API_TOKEN.get(env), settings.RASA_JWT_SECRET.get(env)
    if not token and not secret:
        raise ConfigurationError(
            "RASA_ENABLE_API is set but neither RASA_API_TOKEN nor RASA_JWT_SECRET is: "
            "the HTTP API would be open to anyone. Set one of them, or unset RASA_ENABLE_API."
        )
    arguments = ["--enable-api"]
    if token:
        arguments += ["--auth-token", token]
    if secret:
        arguments += ["--jwt-secret", secret, "--jwt-method", settings.RASA_JWT_METHOD.get(env)]
    return arguments


def rasa_command(
    model: Path, port: int = RASA_PORT, endpoints: Path = ENDPOINTS, env: Dict[str, str] | None = None
) -> List[str]:
    """`rasa run` through bot/rasa_launcher.py, run with env (which holds the API's secrets, if any)."""
    env = environment() if env is None else env
    return [
        rasa_python(env), "-m", "bot.rasa_launcher", "run", "--model", str(model), "--port", str(port),
        "--interface", settings.RASA_HOST.get(env),
        "--endpoints", str(endpoints), "--credentials", settings.RASA_CREDENTIALS.get(env),
        "--cors", *settings.allowed_origins(env),
        *api_arguments(env)[:1],
    ]


def web_command(port: int = WEB_PORT, rasa_port: int = RASA_PORT, env: Mapping[str, str] | None = None,
                host: str | None = None) -> List[str]:
    """`python -m bot web` on the public tier's interpreter (on WEB_HOST unless host is given)."""
    return [web_python(env), "-m", "bot", "web", "--port", str(port), "--rasa-url", f"http://127.0.0.1:{rasa_port}",
            *(["--host", host] if host else [])]


def web_environment(env: Mapping[str, str]) -> Dict[str, str]:
    return without_secrets(env)


# What `python -m bot serve --servers` may name, in the order they start.
SERVERS = ("actions", "rasa", "web")


def parse_servers(value: str) -> tuple[str, ...]:
    """--servers: a comma-separated subset of SERVERS (the Rasa runtime's container image runs rasa,actions)."""
    named = {name.strip() for name in value.split(",") if name.strip()}
    unknown = sorted(named - set(SERVERS))
    if not named or unknown:
        raise ConfigurationError(f"--servers takes a comma-separated list of {', '.join(SERVERS)}, not {value!r}")
    return tuple(name for name in SERVERS if name in named)


def services(
    model: Path, rasa_port: int, actions_port: int, web_port: int, env: Dict[str, str],
    servers: Sequence[str] = SERVERS,
) -> List[Service]:
    """No readiness waits: all start at once, and the chat page answers while Rasa loads its model. Only the
    servers named are built, so the public tier's interpreter is needed only when the web app is one of them."""
    built: List[Service] = []
    if "actions" in servers:
        built.append(Service("action server", actions_command(actions_port, env), actions_environment(env),
                             settings.ROOT))
    if "rasa" in servers:
        endpoints = ENDPOINTS
        if actions_port != ACTIONS_PORT or settings.REDIS_URL.get(env):
            endpoints = write_endpoints(settings.BUILD_DIR / f"endpoints-{actions_port}.yml", actions_port, env)
        built.append(Service("Rasa server", rasa_command(model, rasa_port, endpoints, env), env, settings.ROOT))
    if "web" in servers:
        built.append(Service("web app", web_command(web_port, rasa_port, env), web_environment(env),
                             settings.ROOT))
    return built


def serve(
    model: Path, rasa_port: int = RASA_PORT, actions_port: int = ACTIONS_PORT, web_port: int = WEB_PORT,
    servers: Sequence[str] = SERVERS,
) -> int:
    """Runs until any of them stops (or a signal): one alone would be a broken service."""
    env = environment()
    if web_port != WEB_PORT and settings.ALLOWED_ORIGINS.name not in env:
        env[settings.ALLOWED_ORIGINS.name] = f"http://localhost:{web_port},http://127.0.0.1:{web_port}"
    try:
        started = services(model, rasa_port, actions_port, web_port, env, servers)
    except settings.ConfigurationError as error:
        print(f"Not started: {error}", file=sys.stderr)
        return 2
    with stop_requested_by_signals(*STOP_SIGNALS) as signalled, \
            Supervisor(started, grace=STOP_GRACE_SECONDS) as supervisor:
        supervisor.start_all()
        if "web" in servers:
            print(f"Assistant starting: web chat at http://localhost:{web_port}/ "
                  f"(REST channel at http://localhost:{web_port}/webhooks/rest/webhook)")
        else:
            print(f"Starting: {', '.join(service.name for service in started)}"
                  + (f" (REST channel at http://localhost:{rasa_port}/webhooks/rest/webhook)"
                     if "rasa" in servers else ""))
        exited = supervisor.run_until_any_exits(signalled)
    # Asked to stop: a server that exited meanwhile (on the same signal, say) is no failure.
    if exited is None or signalled():
        return 0
    print(f"The {exited.name} stopped (exit code {exited.code}); the others were stopped too.", file=sys.stderr)
    return exited.code or 1
