"""The process supervisor, with real child processes."""
from __future__ import annotations

import os
import select
import signal
import sys
import time
from pathlib import Path
from typing import List

import pytest

from bot import supervisor as supervisor_module
from bot.supervisor import Exit, HttpGet, Service, ServiceExited, Supervisor, free_port
from tests.servers import gone

# Records its name on SIGTERM (so the stop order can be read back), then says it is ready.
RECORDS_SIGTERM = """
import pathlib, signal, sys, time
name, ready, record = sys.argv[1:]
def stop(*_):
    with open(record, "a") as handle:
        handle.write(name + "\\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
print("started", flush=True)
pathlib.Path(ready).touch()
while True:
    time.sleep(1)
"""

IGNORES_SIGTERM = """
import pathlib, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
pathlib.Path(sys.argv[1]).touch()
while True:
    time.sleep(1)
"""

# Starts a child that ignores SIGTERM, writes its pid, and exits at once on SIGTERM itself.
LEADER_OF_A_STUBBORN_CHILD = f"""
import signal, subprocess, sys, time
child, ready = sys.argv[1:]
stubborn = subprocess.Popen([sys.executable, "-c", {IGNORES_SIGTERM!r}, ready])
with open(child, "w") as handle:
    handle.write(str(stubborn.pid))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
while True:
    time.sleep(1)
"""


def python(code: str, *arguments: object) -> List[str]:
    return [sys.executable, "-c", code, *map(str, arguments)]


def recorder(directory: Path, name: str) -> Service:
    ready = directory / f"{name}.ready"
    ready.unlink(missing_ok=True)
    return Service(name, python(RECORDS_SIGTERM, name, ready, directory / "stopped"),
                   ready=(ready.exists,), log=directory / f"{name}.log")


def stopped(directory: Path) -> List[str]:
    """Names in the order their SIGTERM handlers ran: services stopped together may finish in any order."""
    return (directory / "stopped").read_text().split()


def pid_in(path: Path, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while not path.exists() or not path.read_text().strip():
        assert time.monotonic() < deadline, f"no pid in {path}"
        time.sleep(0.05)
    return int(path.read_text())


def sigterm_order(monkeypatch: pytest.MonkeyPatch, supervisor: Supervisor) -> List[str]:
    """Records, by service name, each process group the supervisor sends SIGTERM to, as it sends it."""
    names = {}
    supervisor.on_start = lambda name, pid: names.__setitem__(pid, name)
    order: List[str] = []
    real_killpg = os.killpg

    def killpg(pgid: int, sig: int) -> None:
        if sig == signal.SIGTERM and pgid in names:
            order.append(names[pgid])
        real_killpg(pgid, sig)

    monkeypatch.setattr(supervisor_module.os, "killpg", killpg)
    return order


def test_waits_until_the_server_answers(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = Service("files", [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                     cwd=tmp_path, ready=(HttpGet(url, require_200=True),), log=tmp_path / "files.log")
    with Supervisor([server]) as supervisor:
        supervisor.start_all()
        assert HttpGet(url)()
        assert supervisor.alive() == {"files": True}
    assert supervisor.alive() == {"files": False}


def test_a_process_that_exits_before_it_is_ready_fails_with_its_name_and_code(tmp_path: Path) -> None:
    first = recorder(tmp_path, "first")
    doomed = Service("doomed", python("raise SystemExit(3)"), ready=(HttpGet(f"http://127.0.0.1:{free_port()}/"),))
    supervisor = Supervisor([first, doomed])
    with pytest.raises(ServiceExited, match="doomed exited with code 3") as raised:
        supervisor.start_all()
    assert (raised.value.name, raised.value.code) == ("doomed", 3)
    assert supervisor.alive() == {"first": False, "doomed": False}
    assert stopped(tmp_path) == ["first"]


def test_sends_sigterm_in_the_reverse_order_of_starting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Supervisor([recorder(tmp_path, name) for name in ("a", "b", "c")]) as supervisor:
        sent = sigterm_order(monkeypatch, supervisor)
        supervisor.start_all()
        assert supervisor.alive() == {"a": True, "b": True, "c": True}
    assert sent == ["c", "b", "a"]
    assert sorted(stopped(tmp_path)) == ["a", "b", "c"]
    assert supervisor.alive() == {"a": False, "b": False, "c": False}


def test_stopping_all_takes_one_grace_period_not_one_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three servers that ignore SIGTERM: all get it before the supervisor waits for any of them."""
    services = [Service(name, python(IGNORES_SIGTERM, tmp_path / f"{name}.ready"),
                        ready=((tmp_path / f"{name}.ready").exists,)) for name in ("a", "b", "c")]
    supervisor = Supervisor(services, grace=3)
    sent = sigterm_order(monkeypatch, supervisor)
    supervisor.start_all()
    started = time.monotonic()
    supervisor.stop_all()
    # Stopped one after the other, they would take three grace periods (9 s).
    assert time.monotonic() - started < 2 * supervisor.grace
    assert sent == ["c", "b", "a"]
    assert supervisor.alive() == {"a": False, "b": False, "c": False}


def test_when_one_dies_the_others_are_stopped_and_it_is_named(tmp_path: Path) -> None:
    with Supervisor([recorder(tmp_path, "a"), recorder(tmp_path, "b"),
                     Service("short-lived", python("raise SystemExit(4)"))]) as supervisor:
        supervisor.start_all()
        assert supervisor.run_until_any_exits() == Exit("short-lived", 4)
        assert supervisor.alive() == {"a": False, "b": False, "short-lived": False}
    assert sorted(stopped(tmp_path)) == ["a", "b"]


def test_asked_to_stop_it_stops_everything_and_names_nobody(tmp_path: Path) -> None:
    with Supervisor([recorder(tmp_path, "a")]) as supervisor:
        supervisor.start_all()
        assert supervisor.run_until_any_exits(lambda: True) is None
        assert supervisor.alive() == {"a": False}


def test_one_service_stops_and_starts_again_alone(tmp_path: Path) -> None:
    with Supervisor([recorder(tmp_path, "a"), recorder(tmp_path, "b")]) as supervisor:
        supervisor.start_all()
        assert supervisor.stop("a") == 0
        assert supervisor.alive() == {"a": False, "b": True}
        (tmp_path / "a.ready").unlink()
        supervisor.start("a")
        assert supervisor.alive() == {"a": True, "b": True}
    assert stopped(tmp_path)[0] == "a" and sorted(stopped(tmp_path)[1:]) == ["a", "b"]
    assert (tmp_path / "a.log").read_text().split() == ["started", "started"]


def test_a_process_ignoring_sigterm_is_killed_after_the_grace_period(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    stubborn = Service("stubborn", python(IGNORES_SIGTERM, ready), ready=(ready.exists,))
    with Supervisor([stubborn], grace=0.5) as supervisor:
        supervisor.start_all()
        assert supervisor.stop("stubborn") == -signal.SIGKILL
        assert supervisor.alive() == {"stubborn": False}


def test_stopping_reaches_what_the_service_forked(tmp_path: Path) -> None:
    """The forked sleep holds the only writing end of a FIFO: reading it ends when the sleep is gone."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    forks = Service("forks", ["sh", "-c", f"sleep 600 > {fifo} & wait"])
    with Supervisor([forks]) as supervisor:
        supervisor.start_all()
        reader = os.open(fifo, os.O_RDONLY)  # returns once the sleep has opened its end
    try:
        readable, _, _ = select.select([reader], [], [], 60)
        assert readable and os.read(reader, 1) == b""
    finally:
        os.close(reader)


def test_a_crashed_leader_leaves_no_child_behind(tmp_path: Path) -> None:
    child = tmp_path / "child.pid"
    crashes = Service("crashes", ["sh", "-c", f"sleep 600 & echo $! > {child}; exit 5"])
    with Supervisor([crashes], grace=5) as supervisor:
        supervisor.start_all()
        orphan = pid_in(child)
        assert supervisor.run_until_any_exits() == Exit("crashes", 5)
    assert gone(orphan), f"the crashed leader's child {orphan} is still running"


def test_a_child_ignoring_sigterm_does_not_outlive_its_leader(tmp_path: Path) -> None:
    """The leader exits on SIGTERM at once; its child ignores SIGTERM and must still be gone."""
    child, ready = tmp_path / "child.pid", tmp_path / "child.ready"
    leader = python(LEADER_OF_A_STUBBORN_CHILD, child, ready)
    with Supervisor([Service("leader", leader, ready=(ready.exists,))], grace=60) as supervisor:
        supervisor.start_all()
        stubborn = pid_in(child)
        started = time.monotonic()
        assert supervisor.stop("leader") == 0
        assert time.monotonic() - started < 30, "the group is killed when its leader exits, not after the grace"
    assert gone(stubborn), f"the child {stubborn} that ignores SIGTERM is still running"


def test_a_stopped_service_can_be_replaced_and_keeps_its_place(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with Supervisor([recorder(tmp_path, "a"), recorder(tmp_path, "b")]) as supervisor:
        sent = sigterm_order(monkeypatch, supervisor)
        supervisor.start_all()
        with pytest.raises(RuntimeError, match="a is running"):
            supervisor.replace(recorder(tmp_path, "a"))
        with pytest.raises(KeyError):
            supervisor.replace(recorder(tmp_path, "c"))
        supervisor.stop("a")
        stubborn = tmp_path / "stubborn.ready"
        supervisor.replace(Service("a", python(IGNORES_SIGTERM, stubborn), ready=(stubborn.exists,)))
        supervisor.start("a")
        assert stubborn.exists() and supervisor.alive() == {"a": True, "b": True}
        supervisor.grace = 1
    assert sent == ["a", "b", "a"]  # still stopped after b, as it was started before b
    assert supervisor.alive() == {"a": False, "b": False}
