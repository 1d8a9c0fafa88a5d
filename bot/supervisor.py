"""Starts servers in order, waits until each is ready, watches them and stops them together.

Each server runs in its own session, so stopping one also stops whatever it forked (Sanic workers): its
whole process group gets SIGTERM (in reverse order of starting) and, once the leaders have exited or one
shared grace period is over, SIGKILL: nothing a server forked outlives the stop.
Used by `python -m bot serve`, the end-to-end tests and the benchmark.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Callable, Dict, Iterable, Iterator, List, Mapping, Sequence, Set

import requests

POLL_SECONDS = 0.25
READY_TIMEOUT_SECONDS = 240.0
STOP_GRACE_SECONDS = 30.0

Check = Callable[[], bool]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class HttpGet:
    """Ready when GET url answers below 500 (the server is up), or exactly 200 with require_200."""

    url: str
    require_200: bool = False

    def __call__(self) -> bool:
        try:
            status = requests.get(self.url, timeout=2).status_code
        except requests.RequestException:
            return False
        return status == 200 if self.require_200 else status < 500

    def __str__(self) -> str:
        return f"GET {self.url}"


@dataclass(frozen=True)
class RestReply:
    """Ready when Rasa's REST channel answers a real message: the model is loaded, not just the port open."""

    webhook: str
    sender: str = "startup-probe"
    message: str = "hi"

    def __call__(self) -> bool:
        try:
            response = requests.post(self.webhook, json={"sender": self.sender, "message": self.message}, timeout=30)
            return response.status_code == 200 and isinstance(response.json(), list)
        except (requests.RequestException, ValueError):
            return False

    def __str__(self) -> str:
        return f"a reply from {self.webhook}"


@dataclass(frozen=True)
class Service:
    """One server: how to start it and how to tell it is ready. env None inherits ours; log None inherits stdout."""

    name: str
    command: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: Path | None = None
    ready: Sequence[Check] = ()
    log: Path | None = None
    timeout: float = READY_TIMEOUT_SECONDS


@dataclass(frozen=True)
class Exit:
    name: str
    code: int


class ServiceExited(RuntimeError):
    def __init__(self, name: str, code: int, waiting_for: object) -> None:
        super().__init__(f"{name} exited with code {code} while waiting for {waiting_for}")
        self.name, self.code = name, code


class ServiceTimeout(TimeoutError):
    def __init__(self, name: str, waiting_for: object, timeout: float) -> None:
        super().__init__(f"{name}: no {waiting_for} within {timeout:g} s")
        self.name = name


def wait_until_ready(name: str, process: subprocess.Popen, checks: Iterable[Check], timeout: float) -> None:
    """Each check in turn within one timeout; fails at once if the process exits."""
    deadline = time.monotonic() + timeout
    for check in checks:
        while True:
            if process.poll() is not None:
                raise ServiceExited(name, process.returncode, check)
            if check():
                break
            if time.monotonic() >= deadline:
                raise ServiceTimeout(name, check, timeout)
            time.sleep(POLL_SECONDS)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


class Supervisor:
    """Services started in the order added and stopped in reverse; on_start(name, pid) follows each spawn."""

    def __init__(
        self,
        services: Iterable[Service] = (),
        grace: float = STOP_GRACE_SECONDS,
        on_start: Callable[[str, int], None] | None = None,
    ) -> None:
        self.services: Dict[str, Service] = {}
        self.grace = grace
        self.on_start = on_start
        self._processes: Dict[str, subprocess.Popen] = {}
        self._stopped: Set[str] = set()  # stopped on purpose: their exit is no failure
        self._cleared: Set[str] = set()  # stopped, and their whole group killed: never signalled again
        for service in services:
            self.add(service)

    def __contains__(self, name: object) -> bool:
        return name in self.services

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop_all()

    def add(self, service: Service) -> None:
        if service.name in self.services:
            raise ValueError(f"a service named {service.name!r} is already supervised")
        self.services[service.name] = service

    def replace(self, service: Service) -> None:
        """A new definition (another port, say) for a service that is not running; it keeps its place in the order."""
        if service.name not in self.services:
            raise KeyError(f"no service named {service.name!r} is supervised")
        if self.alive()[service.name]:
            raise RuntimeError(f"{service.name} is running: stop it before replacing it")
        self.services[service.name] = service

    def start_all(self) -> None:
        """Each service in order, ready before the next starts; if one fails, those started are stopped."""
        try:
            for name in self.services:
                self.start(name)
        except BaseException:
            self.stop_all()
            raise

    def start(self, name: str) -> None:
        service = self.services[name]
        if self.alive().get(name):
            raise RuntimeError(f"{name} is already running")
        process = self._spawn(service)
        if self.on_start:
            self.on_start(name, process.pid)
        try:
            wait_until_ready(name, process, service.ready, service.timeout)
        except BaseException:
            self.stop(name)
            raise

    def _spawn(self, service: Service) -> subprocess.Popen:
        # A restarted service's log goes on after its earlier run's.
        log = service.log.open("a" if service.name in self._processes else "w") if service.log else None
        try:
            process = subprocess.Popen(
                list(service.command), cwd=service.cwd, env=None if service.env is None else dict(service.env),
                stdout=log, stderr=subprocess.STDOUT if log else None, start_new_session=True,
            )
        finally:
            if log:
                log.close()
        self._processes[service.name] = process
        self._stopped.discard(service.name)
        self._cleared.discard(service.name)
        return process

    def wait_until(self, name: str, check: Check, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """One more readiness check on a running service (e.g. a first reply once its port is open)."""
        wait_until_ready(name, self._processes[name], [check], timeout)

    def alive(self) -> Dict[str, bool]:
        """Every service by name: True while its process runs."""
        return {name: name in self._processes and self._processes[name].poll() is None for name in self.services}

    def exited(self) -> List[Exit]:
        """Services that were started, were not stopped on purpose, and whose process has exited."""
        return [Exit(name, process.returncode) for name, process in self._processes.items()
                if name not in self._stopped and process.poll() is not None]

    def stop(self, name: str) -> int | None:
        """SIGTERM to the service's process group, SIGKILL after the grace period; returns its exit code."""
        self._stop([name])
        process = self._processes.get(name)
        return None if process is None else process.returncode

    def stop_all(self) -> None:
        """Every service at once, SIGTERM sent in reverse order, within one grace period for all."""
        self._stop(list(reversed(list(self.services))))

    def _stop(self, names: Sequence[str]) -> None:
        """SIGTERM to each group in order, then one shared grace period, then SIGKILL to each group.

        The group is signalled even when its leader has already exited (a crash can leave children behind), and
        killed once the leader is gone, so that no child that ignores SIGTERM, or that outlived its leader,
        survives the stop.
        """
        deadline = time.monotonic() + self.grace
        stopping = []
        for name in names:
            process = self._processes.get(name)
            if process is None or name in self._cleared:
                continue
            self._stopped.add(name)
            _signal_group(process, signal.SIGTERM)
            stopping.append(name)
        for name in stopping:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._processes[name].wait(timeout=max(0.0, deadline - time.monotonic()))
        for name in stopping:
            process = self._processes[name]
            _signal_group(process, signal.SIGKILL)
            process.wait()
            self._cleared.add(name)

    def run_until_any_exits(self, should_stop: Callable[[], bool] = lambda: False) -> Exit | None:
        """Until a started service exits (returned) or should_stop() (None); then stops all the others."""
        watched = [name for name in self._processes if name not in self._stopped]
        try:
            while not should_stop():
                for name in watched:
                    code = self._processes[name].poll()
                    if code is not None:
                        return Exit(name, code)
                time.sleep(POLL_SECONDS)
            return None
        finally:
            self.stop_all()


@contextlib.contextmanager
def stop_requested_by_signals(*signums: signal.Signals) -> Iterator[Callable[[], bool]]:
    """Yields a should_stop() that turns True on any of these signals, instead of dying with the children left."""
    received: List[int] = []
    previous = {signum: signal.signal(signum, lambda number, _frame: received.append(number)) for signum in signums}
    try:
        yield lambda: bool(received)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
