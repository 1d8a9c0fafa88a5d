"""Memory-sampling the servers under test (bot.supervisor starts and stops them)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Set

RSS_INTERVAL_SECONDS = 0.2


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
