"""Paths and the few settings the project reads from the environment."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
PARTNERSHIPS_DIR = DATA_DIR / "partnerships"
TOPICS_DIR = DATA_DIR / "topics"
BUILD_DIR = ROOT / "build"
DOMAIN_FILE = ROOT / "domain.yml"
RASA_DATA_DIRS = ("nlu", "rules", "stories")

DEFAULT_PARTNERSHIP = "pan_cheshire"


def partnership_id() -> str:
    """The one setting that chooses whose local protocol the assistant speaks for."""
    return os.environ.get("PARTNERSHIP", DEFAULT_PARTNERSHIP).strip() or DEFAULT_PARTNERSHIP


def build_dir(partnership: str) -> Path:
    return BUILD_DIR / partnership


DEFAULT_ALLOWED_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")


def allowed_origins(env: Mapping[str, str] | None = None) -> list[str]:
    """Web origins that may use the chat and REST channels from a browser (ALLOWED_ORIGINS, comma-separated)."""
    configured = (os.environ if env is None else env).get("ALLOWED_ORIGINS", "")
    origins = [origin.strip().rstrip("/") for origin in configured.split(",") if origin.strip()]
    return origins or list(DEFAULT_ALLOWED_ORIGINS)
