"""Fixtures for content tests; the fixtures every package shares come from the tests.fixtures plugin."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable

import pytest
import yaml

from bot import settings
from bot.content import partnership, topics

pytest_plugins = ["tests.fixtures"]


@pytest.fixture(scope="session")
def catalogue() -> topics.Catalogue:
    return topics.load()


@pytest.fixture
def pack_data() -> dict:
    path = settings.PARTNERSHIPS_DIR / "pan_cheshire.yml"
    return copy.deepcopy(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.fixture
def write_pack(tmp_path: Path) -> Callable[[dict], partnership.Partnership]:
    """Writes a pack dict to a temporary partnerships folder and loads it."""

    def write(data: dict) -> partnership.Partnership:
        (tmp_path / f"{data['id']}.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
        return partnership.load(data["id"], tmp_path)

    return write

