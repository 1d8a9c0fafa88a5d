"""`python -m bot serve --replicas N` (`make run-cluster`): N Rasa replicas behind nginx, on one machine.

    nginx :8080 ── /socket.io/ (ip_hash) ──┬─► replica 1: door (web app) ─► Rasa ─► action server
                ── webhooks (round robin) ──┴─► replica 2: door (web app) ─► Rasa ─► action server
                ── everything else ─────────► web tier (web app): chat page, dashboard, /health

Each replica is a door (the web app, forwarding only the chat paths, after its checks), a Rasa server and its
own action server. The replicas share the conversations through PostgreSQL (the redacting tracker store,
DATABASE_URL or TRACKER_DATABASE_URL) and Redis (the lock store, REDIS_URL, bot/lock_store.py), and load the
same model file. Everything but nginx listens on 127.0.0.1, on ports chosen free at start; nginx's
configuration is written from deploy/nginx.conf.template into build/cluster/. The database is migrated once
before anything starts, and each Rasa replica is ready (the first one has created the tracker store's tables)
before the next starts. A replica that fails is stopped whole and started again while nginx sends its messages
to the others; everything stops together on a signal, or when nginx or the web tier exits.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Sequence

from bot import serve, settings
from bot.supervisor import (
    POLL_SECONDS,
    Exit,
    HttpGet,
    Service,
    ServiceExited,
    ServiceTimeout,
    Supervisor,
    free_port,
    stop_requested_by_signals,
)

TEMPLATE = settings.ROOT / "deploy" / "nginx.conf.template"
RUN_DIR = settings.BUILD_DIR / "cluster"
MAX_REPLICAS = 16
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Replica:
    number: int
    rasa_port: int
    actions_port: int
    door_port: int


@dataclass(frozen=True)
class Plan:
    """Who listens where: nginx on listen_port (on WEB_HOST), everything else on loopback."""

    listen_port: int
    web_port: int
    replicas: Sequence[Replica]
    run_dir: Path


def plan(replicas: int, listen_port: int = serve.WEB_PORT, run_dir: Path | None = None) -> Plan:
    """Free ports for every server; nginx's files in build/cluster/<its port>/ unless run_dir is given."""
    if not 1 <= replicas <= MAX_REPLICAS:
        raise serve.ConfigurationError(f"--replicas must be from 1 to {MAX_REPLICAS}, not {replicas}")
    return Plan(listen_port, free_port(),
                [Replica(number, free_port(), free_port(), free_port()) for number in range(1, replicas + 1)],
                run_dir or RUN_DIR / str(listen_port))


def check_environment(env: Mapping[str, str]) -> None:
    """Several Rasa servers need a shared tracker store on a database server, and a shared lock store."""
    tracker = settings.TRACKER_DATABASE_URL.get(env) or settings.DATABASE_URL.get(env)
    if not tracker.startswith("postgresql"):
        raise serve.ConfigurationError(
            "Rasa replicas share their conversations through PostgreSQL: set DATABASE_URL (or "
            "TRACKER_DATABASE_URL) to a postgresql:// address (`make run-cluster` uses the machine's).")
    if not settings.REDIS_URL.get(env):
        raise serve.ConfigurationError(
            "Rasa replicas keep each conversation's messages in order through Redis: set REDIS_URL "
            "(`make run-cluster` uses the machine's).")


def nginx_executable() -> str:
    found = shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                           if os.access(path, os.X_OK)), None)
    if not found:
        raise serve.ConfigurationError("nginx is not installed: `make run-cluster` installs it "
                                       "(Debian's package, `apt-get install nginx`).")
    return found


def nginx_config(layout: Plan, host: str) -> str:
    """deploy/nginx.conf.template with this cluster's addresses filled in."""
    def servers(ports: Sequence[int]) -> str:
        # A replica that fails is left alone for 10 s, then tried again.
        return "\n".join(f"        server {LOOPBACK}:{port} max_fails=1 fail_timeout=10s;" for port in ports)

    listen = f"{host}:{layout.listen_port}" if host not in ("", "0.0.0.0") else str(layout.listen_port)
    values = {
        "run_dir": str(layout.run_dir),
        "user": "user root;" if os.geteuid() == 0 else "",  # workers must reach build/cluster, as we do
        "listen": listen,
        "replica_servers": servers([replica.door_port for replica in layout.replicas]),
        "web_servers": servers([layout.web_port]),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def write_nginx_config(layout: Plan, host: str) -> Path:
    layout.run_dir.mkdir(parents=True, exist_ok=True)
    path = layout.run_dir / "nginx.conf"
    path.write_text(nginx_config(layout, host), encoding="utf-8")
    return path


def nginx_command(config: Path, run_dir: Path) -> List[str]:
    return [nginx_executable(), "-c", str(config), "-p", str(run_dir), "-g", "daemon off;"]


def check_nginx_config(config: Path, run_dir: Path) -> None:
    result = subprocess.run([*nginx_command(config, run_dir)[:-2], "-t", "-q"], capture_output=True, text=True,
                            timeout=60)
    if result.returncode != 0:
        raise serve.ConfigurationError(f"nginx refused {config}: {result.stderr.strip()}")


def cluster_environment(env: Mapping[str, str], layout: Plan) -> Dict[str, str]:
    """The web apps behind nginx: they trust its X-Forwarded-For (the client's address, for the rate limits),
    and the chat's origin is nginx's port."""
    env = dict(env)
    env.setdefault(settings.WEB_TRUSTED_PROXIES.name, LOOPBACK)
    if layout.listen_port != serve.WEB_PORT:
        env.setdefault(settings.ALLOWED_ORIGINS.name,
                       f"http://localhost:{layout.listen_port},http://127.0.0.1:{layout.listen_port}")
    return env


def replica_services(model: Path, replica: Replica, env: Dict[str, str], run_dir: Path) -> List[Service]:
    """Its action server, its Rasa server, and, once Rasa answers, its door (ready when it answers too): nginx
    never sends a message to a door whose Rasa is still loading."""
    endpoints = serve.write_endpoints(run_dir / f"endpoints-{replica.number}.yml", replica.actions_port, env)
    rasa_ready = (HttpGet(f"http://{LOOPBACK}:{replica.rasa_port}/"),)
    name = f"replica {replica.number}"
    return [
        Service(f"{name} action server", serve.actions_command(replica.actions_port, env),
                serve.actions_environment(env), settings.ROOT),
        Service(f"{name} Rasa server", serve.rasa_command(model, replica.rasa_port, endpoints, env), env,
                settings.ROOT, rasa_ready),
        Service(f"{name} door", serve.web_command(replica.door_port, replica.rasa_port, env, LOOPBACK),
                serve.web_environment(env), settings.ROOT,
                (HttpGet(f"http://{LOOPBACK}:{replica.door_port}/health", require_200=True),)),
    ]


def services(model: Path, layout: Plan, env: Dict[str, str], host: str) -> List[Service]:
    """The web tier, then each replica in turn, its Rasa ready before the next starts (so that the tracker
    store's tables are created once, and the model loads use the cores one at a time), then nginx."""
    config = write_nginx_config(layout, host)
    check_nginx_config(config, layout.run_dir)
    first = layout.replicas[0]
    found: List[Service] = [
        Service("web tier", serve.web_command(layout.web_port, first.rasa_port, env, LOOPBACK),
                serve.web_environment(env), settings.ROOT,
                (HttpGet(f"http://{LOOPBACK}:{layout.web_port}/health", require_200=True),)),
    ]
    for replica in layout.replicas:
        found += replica_services(model, replica, env, layout.run_dir)
    found.append(Service("nginx", nginx_command(config, layout.run_dir), serve.web_environment(env), settings.ROOT,
                         (HttpGet(f"http://{LOOPBACK}:{layout.listen_port}/health", require_200=True),)))
    return found


def replica_names(number: int) -> List[str]:
    """A replica's services, in the order they start."""
    return [f"replica {number} {part}" for part in ("action server", "Rasa server", "door")]


def replica_of(service: str, layout: Plan) -> Replica | None:
    return next((replica for replica in layout.replicas if service in replica_names(replica.number)), None)


def run_until_front_exits(supervisor: Supervisor, layout: Plan, should_stop: Callable[[], bool]) -> Exit | None:
    """Until nginx or the web tier exits (returned) or should_stop() (None); then stops everything.

    A replica whose process exits (its Rasa server killed, say) is stopped whole, door included, so nginx sends
    its messages to the other replicas, and is started again, its door last, once its Rasa server answers.
    A replica that cannot be started again stops everything (ServiceExited or ServiceTimeout).
    """
    try:
        while not should_stop():
            for exited in supervisor.exited():
                replica = replica_of(exited.name, layout)
                if replica is None:
                    return exited
                print(f"The {exited.name} stopped (exit code {exited.code}): replica {replica.number} is restarted; "
                      "nginx sends its messages to the other replicas meanwhile.", file=sys.stderr, flush=True)
                names = replica_names(replica.number)
                for name in reversed(names):  # the door first: nginx stops sending it messages at once
                    supervisor.stop(name)
                for name in names:
                    supervisor.start(name)
                print(f"Replica {replica.number} is back.", file=sys.stderr, flush=True)
            time.sleep(POLL_SECONDS)
        return None
    finally:
        supervisor.stop_all()


def migrate(env: Mapping[str, str]) -> None:
    """The database's migrations, once, before any replica starts."""
    subprocess.run([serve.rasa_python(env), "-m", "bot", "db", "upgrade"], cwd=settings.ROOT, env=dict(env),
                   check=True, timeout=300)


def serve_cluster(model: Path, replicas: int, listen_port: int = serve.WEB_PORT) -> int:
    """Runs until a signal, or until nginx or the web tier stops (a replica that stops is restarted), then stops
    them all."""
    env = serve.environment()
    try:
        check_environment(env)
        layout = plan(replicas, listen_port)
        env = cluster_environment(env, layout)
        servers = services(model, layout, env, settings.WEB_HOST.get(env))
    except settings.ConfigurationError as error:
        print(f"Not started: {error}", file=sys.stderr)
        return 2
    try:
        migrate(env)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        print("Not started: the database could not be migrated (`python -m bot db upgrade`, above).", file=sys.stderr)
        return 2
    with stop_requested_by_signals(*serve.STOP_SIGNALS) as signalled, \
            Supervisor(servers, grace=serve.STOP_GRACE_SECONDS) as supervisor:
        print(f"Starting {replicas} Rasa replica(s) behind nginx, one after the other.", flush=True)
        supervisor.start_all()
        addresses = ", ".join(f"replica {replica.number}: Rasa :{replica.rasa_port}, actions "
                              f":{replica.actions_port}, door :{replica.door_port}" for replica in layout.replicas)
        print(f"Assistant starting: web chat at http://localhost:{listen_port}/ through nginx "
              f"(web tier :{layout.web_port}; {addresses}; nginx log in {layout.run_dir})", flush=True)
        try:
            exited = run_until_front_exits(supervisor, layout, signalled)
        except (ServiceExited, ServiceTimeout) as error:
            print(f"A replica could not be restarted ({error}); the others were stopped too.", file=sys.stderr)
            return 1
    if exited is None or signalled():
        return 0
    print(f"The {exited.name} stopped (exit code {exited.code}); the others were stopped too.", file=sys.stderr)
    return exited.code or 1
