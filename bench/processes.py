"""Spawning, probing, memory-sampling and stopping the servers under test."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Set

import requests

POLL_SECONDS = 0.25
RSS_INTERVAL_SECONDS = 0.2
STOP_GRACE_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spawn(command: List[str], cwd: Path, env: Dict[str, str], log: Path) -> subprocess.Popen:
    """Starts a server in its own session so that stopping it also stops whatever it forked."""
    handle = log.open("w")
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def _raise_if_exited(process: subprocess.Popen, what: str) -> None:
    if process.poll() is not None:
        raise RuntimeError(f"{what}: server exited with {process.returncode}")


def wait_for_get(url: str, process: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        _raise_if_exited(process, url)
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{url} did not answer 200 in time")


def wait_for_reply(webhook: str, process: subprocess.Popen, deadline: float) -> None:
    """Waits until the REST channel answers a real message (the model is loaded, not just the port)."""
    while time.monotonic() < deadline:
        _raise_if_exited(process, webhook)
        try:
            response = requests.post(webhook, json={"sender": "bench-startup", "message": "hi"}, timeout=30)
            if response.status_code == 200 and isinstance(response.json(), list):
                return
        except (requests.RequestException, ValueError):
            pass
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{webhook} did not reply in time")


def stop(processes: Iterable[subprocess.Popen]) -> None:
    """SIGTERM each server's own process group, then SIGKILL whatever is still there."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        _signal_group(process, signal.SIGTERM)
    for process in running:
        try:
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=STOP_GRACE_SECONDS)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _parent_map() -> Dict[int, int]:
    parents: Dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def process_tree(root: int) -> Set[int]:
    parents = _parent_map()
    tree = {root}
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return tree


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(root: int) -> int:
    """Resident memory of a process and its descendants, in KiB (1024 bytes, as /proc reports it)."""
    return sum(rss_kib(pid) for pid in process_tree(root))


def kib_to_mb(kib: int) -> float:
    """MB = 10^6 bytes (the unit of the 1200 MB target), to 0.1."""
    return round(kib * 1024 / 1e6, 1)


def kib_to_mib(kib: int) -> float:
    """MiB = 2^20 bytes, to 0.1."""
    return round(kib / 1024, 1)


@dataclass
class RssSampler:
    """Samples the RSS of some process trees every 0.2 s in a thread and keeps the peak of each, in KiB."""

    roots: Dict[str, int] = field(default_factory=dict)
    peaks_kib: Dict[str, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def watch(self, name: str, pid: int) -> None:
        self.roots[name] = pid
        self.peaks_kib.setdefault(name, 0)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(RSS_INTERVAL_SECONDS):
            for name, pid in list(self.roots.items()):
                self.peaks_kib[name] = max(self.peaks_kib[name], tree_rss_kib(pid))
