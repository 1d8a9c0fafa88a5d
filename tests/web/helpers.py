"""What the web tests share besides fixtures: the assistant they run against and its API token."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.servers import Servers

API_TOKEN = "test-api-token"


@dataclass
class Assistant:
    servers: Servers
    web_url: str
    directory: Path
