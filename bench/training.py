"""Training both bots from scratch (empty Rasa cache) and timing it."""
from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List

from bot import serve, settings

BENCH_DIR = Path(__file__).resolve().parent
PEER_DIR = BENCH_DIR / "peer"
PEER_MODELS = PEER_DIR / "models"
PEER_SECONDS_FILE = PEER_DIR / "train_seconds.txt"
TRAIN_TIMEOUT_SECONDS = 1800


def _timed(command: List[str], cwd: Path, log: Path) -> float:
    """Runs a training command with a fresh, empty Rasa cache so nothing is reused; returns seconds."""
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache, log.open("w") as handle:
        env = {**serve.environment(), "RASA_CACHE_DIRECTORY": cache}
        started = time.monotonic()
        subprocess.run(
            command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT,
            check=True, timeout=TRAIN_TIMEOUT_SECONDS,
        )
        return round(time.monotonic() - started, 1)


def train_ours(out_dir: Path, log: Path) -> float:
    """The same `rasa train` as `make train`, into a scratch directory, as model `bench.tar.gz`."""
    build = settings.build_dir(settings.partnership_id())
    command = [
        serve.rasa_executable(), "train", "--domain", str(build / "domain"), "--data", str(build / "data"),
        "--config", "config.yml", "--out", str(out_dir), "--fixed-model-name", "bench",
    ]
    return _timed(command, settings.ROOT, log)


def latest_peer_model() -> Path | None:
    models = sorted(PEER_MODELS.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    return models[-1] if models else None


def train_peer(log: Path) -> float:
    """`rasa init --no-prompt` (which trains) the first time; `rasa train` in bench/peer afterwards."""
    if not (PEER_DIR / "config.yml").exists():
        PEER_DIR.mkdir(parents=True, exist_ok=True)
        command = [serve.rasa_executable(), "init", "--no-prompt", "--init-dir", str(PEER_DIR)]
    else:
        for old in PEER_MODELS.glob("*.tar.gz"):
            old.unlink()
        command = [serve.rasa_executable(), "train", "--out", "models"]
    seconds = _timed(command, PEER_DIR, log)
    PEER_SECONDS_FILE.write_text(f"{seconds}\n", encoding="utf-8")
    return seconds


def recorded_seconds(path: Path) -> float | None:
    try:
        return float(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def training_entry(seconds: float | None, source: str) -> Dict[str, object]:
    return {"training_s": seconds, "training_source": source if seconds is not None else "not measured"}
