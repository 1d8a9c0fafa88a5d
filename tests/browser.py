"""Debian's chromium, driven by Playwright: no browser is ever downloaded."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Chromium on a machine with no way out: no background calls home, no GPU.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def launched_chromium() -> Iterator[object]:
    """Playwright's browser on Debian's chromium, closed when the caller's fixture ends.

    Each test package holds its own (a package-scoped fixture): Playwright's sync API keeps an event
    loop running while it is open, which other packages' asyncio.run() calls must not meet.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run `make browser` (Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
