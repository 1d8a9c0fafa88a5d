"""The end-to-end tests' server helpers (tests/servers.py): the address they return is where the server runs."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.supervisor import HttpGet
from tests.servers import Servers, free_port, isolated_environment


def test_the_web_app_started_again_on_another_port_runs_there(tmp_path: Path) -> None:
    servers = Servers(free_port(), free_port(), tmp_path, isolated_environment(tmp_path))
    try:
        first = servers.start_web()
        assert HttpGet(f"{first}/health", require_200=True)()
        with pytest.raises(RuntimeError, match="stop it before"):
            servers.start_web(free_port())  # refused while it runs elsewhere, rather than a wrong address
        servers.supervisor.stop("web")
        second = servers.start_web(free_port())
        assert second != first
        assert HttpGet(f"{second}/health", require_200=True)()
        assert not HttpGet(f"{first}/health")()
        servers.supervisor.stop("web")
        assert servers.start_web() == second  # no port asked for: where it ran last
    finally:
        servers.stop()
