"""Trains, starts and loads both bots, checks our query log, times the redactor, then writes
bench/results/latest.json and prints a table."""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from bench import cluster_bench, isolation, load, processes, redaction, report, socketio_load, training
from bench.messages import PEER_MESSAGES, PRACTITIONER_MESSAGES, WARMUP_COUNT
from bot import serve, settings
from bot.supervisor import HttpGet, RestReply, Service, Supervisor, free_port

RESULTS_DIR = training.BENCH_DIR / "results"
MEASURED = "measured this run"
QUERY_LOG_DRAIN_SECONDS = 60.0
QUERY_LOG_QUIET_SECONDS = 5.0


@dataclass
class Bot:
    name: str
    model: Path
    cwd: Path
    texts: Sequence[str]
    info: Dict[str, object]
    port: int = field(default_factory=free_port)
    scenarios: Dict[str, Dict[str, object]] = field(default_factory=dict)

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/rest/webhook"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    default_model = Path("models") / f"{settings.partnership_id()}.tar.gz"
    add = parser.add_argument
    add("--model", type=Path, default=default_model, help="our model, served with --skip-training")
    add("--messages", type=int, default=200, help="messages per scenario (not counting warm-up)")
    add("--users", type=int, nargs="+", default=[1, 10], help="concurrent users, one scenario each")
    add("--scenario-timeout", type=float, default=300, help="hard limit per scenario, seconds")
    add("--startup-timeout", type=float, default=300, help="hard limit per server start, seconds")
    add("--sanic-workers", type=int, default=1, help="SANIC_WORKERS for both Rasa servers")
    add("--skip-training", action="store_true", help="reuse existing models; training not timed")
    add("--skip-cluster", action="store_true", help="leave out the 1- and 2-replica cluster scenarios")
    add("--class-size", type=int, default=cluster_bench.CLASS_SIZE, help="practitioners in the large class")
    add("--out", type=Path, default=RESULTS_DIR / "latest.json", help="where the JSON report goes")
    return parser.parse_args(argv)


def scenario_name(users: int) -> str:
    return "1_user" if users == 1 else f"{users}_users"


def prepare_models(args: argparse.Namespace, scratch: Path, logs: Path) -> Tuple[Bot, Bot]:
    """Trains both bots (or reuses their models) and describes how long training took."""
    if args.skip_training:
        ours_model = args.model.resolve()
        ours_info = training.training_entry(None, "")
    else:
        print("Training ours (empty cache)...", flush=True)
        seconds = training.train_ours(scratch, logs / "train-ours.log")
        ours_model, ours_info = scratch / "bench.tar.gz", training.training_entry(seconds, MEASURED)
    peer_model = training.latest_peer_model()
    if args.skip_training and peer_model is not None:
        recorded = training.recorded_seconds(training.PEER_SECONDS_FILE)
        peer_info = training.training_entry(recorded, f"recorded in {training.PEER_SECONDS_FILE.name}")
    else:
        print("Training the peer, Rasa's starter bot (empty cache)...", flush=True)
        seconds = training.train_peer(logs / "train-peer.log")
        peer_model, peer_info = training.latest_peer_model(), training.training_entry(seconds, MEASURED)
    if peer_model is None:
        raise RuntimeError(f"no peer model in {training.PEER_MODELS}")
    ours = Bot("ours", ours_model, settings.ROOT, PRACTITIONER_MESSAGES, ours_info)
    peer = Bot("peer", peer_model, training.PEER_DIR, PEER_MESSAGES, peer_info)
    return ours, peer


def server_env(args: argparse.Namespace) -> Dict[str, str]:
    """The environment of both Rasa servers (ours adds its isolated databases to it)."""
    env = serve.environment()
    env["SANIC_WORKERS"] = str(args.sanic_workers)
    env[settings.SPACY_MODEL.name] = settings.SPACY_MODEL.get(env)
    return env


class Runner:
    """Owns every server it starts (under one Supervisor) and the RSS sampler watching them."""

    def __init__(self, args: argparse.Namespace, scratch: Path, logs: Path) -> None:
        self.args = args
        self.scratch = scratch
        self.logs = logs
        self.actions_port = free_port()
        self.web_port = free_port()
        self.env = server_env(args)
        # Every simulated user talks from 127.0.0.1: the door's per-address rate limits would refuse
        # most of the load, so the bench lifts them (a real deployment counts each practitioner apart).
        self.ours_env = {**self.env, **isolation.environment(scratch / "ours-data"),
                         "ALLOWED_ORIGINS": self.web_url, "WEB_MESSAGES_PER_MINUTE": "100000",
                         "WEB_REQUESTS_PER_MINUTE": "100000"}
        self.ours_sent = 0
        self.sampler = processes.RssSampler()
        # The sampler watches each server from its spawn, so start-up memory counts too.
        self.supervisor = Supervisor(on_start=self.sampler.watch)

    def start(self, service: Service) -> float:
        """Seconds from spawning the service until its readiness checks pass."""
        began = time.monotonic()
        self.supervisor.add(service)
        self.supervisor.start(service.name)
        return round(time.monotonic() - began, 2)

    def start_actions(self) -> float:
        ready = HttpGet(f"http://127.0.0.1:{self.actions_port}/health", require_200=True)
        return self.start(Service(
            "ours_actions", serve.actions_command(self.actions_port), serve.actions_environment(self.ours_env),
            settings.ROOT, (ready,), self.logs / "ours-actions.log", self.args.startup_timeout,
        ))

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start_web(self, ours: Bot) -> None:
        """Our web app (chat page, socket.io forwarded to our Rasa server), for the socket.io scenarios."""
        self.start(Service(
            "ours_web", serve.web_command(self.web_port, ours.port), self.ours_env, settings.ROOT,
            (HttpGet(f"{self.web_url}/health", require_200=True),), self.logs / "ours-web.log",
            self.args.startup_timeout,
        ))

    def load_socketio(self, bot: Bot, users: int) -> None:
        print(f"  {bot.name} over socket.io: {users} user(s), {self.args.messages} messages", flush=True)
        result = socketio_load.run_scenario(self.web_url, self.web_url, bot.texts, users, self.args.messages,
                                            self.args.scenario_timeout)
        bot.info.setdefault("socketio_scenarios", {})[scenario_name(users)] = result  # type: ignore[index]
        self.count_sent(bot, result)

    def rasa_command(self, bot: Bot) -> List[str]:
        """Both with --credentials credentials.yml from their own directory; ours with its real endpoints."""
        if bot.name != "ours":
            return serve.rasa_command(bot.model, bot.port, Path("endpoints.yml"), self.env)
        endpoints = serve.write_endpoints(self.scratch / "endpoints.yml", self.actions_port)
        return serve.rasa_command(bot.model, bot.port, endpoints, self.ours_env)

    def start_rasa(self, bot: Bot) -> None:
        """Start-up time: from spawning `rasa run` until GET / is 200 and a first message is answered."""
        print(f"Starting {bot.name} on port {bot.port}...", flush=True)
        began = time.monotonic()
        deadline = began + self.args.startup_timeout
        env = self.ours_env if bot.name == "ours" else self.env
        up = HttpGet(f"http://127.0.0.1:{bot.port}/", require_200=True)
        self.start(Service(bot.name, self.rasa_command(bot), env, bot.cwd, (up,), self.logs / f"{bot.name}-rasa.log",
                           self.args.startup_timeout))
        bot.info["http_up_s"] = round(time.monotonic() - began, 2)
        reply = RestReply(bot.webhook, sender="bench-startup")
        self.supervisor.wait_until(bot.name, reply, deadline - time.monotonic())
        bot.info["startup_s"] = round(time.monotonic() - began, 2)

    def load(self, bot: Bot, users: int) -> None:
        print(f"  {bot.name}: {users} user(s), {self.args.messages} messages", flush=True)
        args = self.args
        result = load.run_scenario(bot.webhook, bot.texts, users, args.messages, args.scenario_timeout)
        bot.scenarios[scenario_name(users)] = result
        self.count_sent(bot, result)

    def count_sent(self, bot: Bot, result: Dict[str, object]) -> None:
        if bot.name == "ours":
            sent = result["messages_sent"]
            assert isinstance(sent, int)
            self.ours_sent += sent

    def run(self, ours: Bot, peer: Bot) -> None:
        self.sampler.start()
        isolation.migrate(self.ours_env, self.logs / "ours-db-upgrade.log")
        try:
            self.start_rasa(peer)
            ours.info["actions_startup_s"] = self.start_actions()
            self.start_rasa(ours)
            self.start_web(ours)
            # The start-up probe's messages are logged too; only what follows is counted.
            logged_before = isolation.logged_rows(self.ours_env)["total"]
            for bot in (peer, ours):
                self.count_sent(bot, load.warm_up(bot.webhook, bot.texts, WARMUP_COUNT))
            for users in self.args.users:
                for bot in (peer, ours):
                    self.load(bot, users)
                self.load_socketio(ours, users)
            self.wait_for_query_log(logged_before)
        finally:
            self.supervisor.stop_all()
            self.sampler.stop()
        query_log = self.query_log(logged_before)
        ours.info.update(logged_fraction=query_log["logged_fraction"], query_log=query_log)
        ours.info.update(self.peak_rss("ours", "peak_rss"))
        ours.info.update(self.peak_rss("ours_actions", "actions_peak_rss"))
        ours.info.update(self.peak_rss("ours_web", "web_peak_rss"))
        peer.info.update(self.peak_rss("peer", "peak_rss"))

    def wait_for_query_log(self, logged_before: int) -> None:
        """A socket.io client has its answer before the query-log action that follows it has run: let the last
        ones finish before the servers stop (a row still missing after a quiet spell is counted as lost)."""
        deadline, last, quiet_since = time.monotonic() + QUERY_LOG_DRAIN_SECONDS, -1, time.monotonic()
        while time.monotonic() < deadline:
            logged = isolation.logged_rows(self.ours_env)["total"] - logged_before
            if logged >= self.ours_sent:
                return
            if logged != last:
                last, quiet_since = logged, time.monotonic()
            elif time.monotonic() - quiet_since > QUERY_LOG_QUIET_SECONDS:
                return
            time.sleep(0.5)

    def peak_rss(self, name: str, key: str) -> Dict[str, float]:
        """`<key>_mb` in MB (10^6 bytes) and `<key>_mib` in MiB (2^20 bytes)."""
        kib = self.sampler.peaks_kib[name]
        return {f"{key}_mb": processes.kib_to_mb(kib), f"{key}_mib": processes.kib_to_mib(kib)}

    def query_log(self, logged_before: int) -> Dict[str, object]:
        """Rows our bot logged for the warm-up and scenario messages (after the servers stopped)."""
        after = isolation.logged_rows(self.ours_env)
        logged = after["total"] - logged_before
        return {
            "messages_sent": self.ours_sent,
            "rows_logged": logged,
            "logged_fraction": round(logged / self.ours_sent, 6) if self.ours_sent else None,
            "rows_before_warmup": logged_before,
            "spooled_records_at_end": after["spooled_records"],
            "database": "SQLite in a temporary directory (tests/servers.py isolated_environment)",
        }


def entry(bot: Bot) -> Dict[str, object]:
    try:
        model = str(bot.model.relative_to(settings.ROOT))
    except ValueError:
        model = f"{bot.model.name} (trained this run into a scratch directory)"
    return {"model": model, **bot.info, "scenarios": bot.scenarios}


def run_settings(args: argparse.Namespace) -> Dict[str, object]:
    return {
        "messages_per_scenario": args.messages,
        "warmup_messages": WARMUP_COUNT,
        "users": args.users,
        "sanic_workers": args.sanic_workers,
        "scenario_timeout_s": args.scenario_timeout,
        "request_timeout_s": load.REQUEST_TIMEOUT_SECONDS,
        "channel": "REST (POST /webhooks/rest/webhook on 127.0.0.1): ours bot.channels.rest.SafeRestInput, "
                   "the peer Rasa's RestInput, each from its own credentials.yml",
        "socketio": "ours only (the starter bot has no socket.io channel): websocket clients of the web app, "
                    "which forwards to ours; latency to the first bot_uttered event; next message after "
                    f"{socketio_load.SETTLE_SECONDS} s of quiet; compared with ours over REST in the same run",
        "ours_query_logging": "on: action_log_query after every answer, RedactingTrackerStore; both in SQLite "
                              "files of a temporary directory",
        "order": "peer then ours, alternating per scenario; both servers up during all scenarios",
        "training": "skipped" if args.skip_training else "both trained from scratch with an empty Rasa cache",
    }


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    logs = RESULTS_DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    load_before = report.load_average()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        ours, peer = prepare_models(args, scratch, logs)
        Runner(args, scratch, logs).run(ours, peer)
    print(f"Redacting practitioner messages for {redaction.DEFAULT_SECONDS:g} s...", flush=True)
    redacted = redaction.throughput()
    redacted["without_kept_words"] = redaction.throughput(keep_field_words=False)
    cluster = None
    if not args.skip_cluster:
        print("Cluster scenarios: 1, then 2 replicas behind nginx...", flush=True)
        cluster = cluster_bench.run(args.messages, args.scenario_timeout, class_size=args.class_size)
    results = report.build(run_settings(args), entry(ours), entry(peer), redacted, load_before, cluster)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    report.print_table(results)
    print(f"\nWrote {args.out}")
    return 0
