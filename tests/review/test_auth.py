"""Where a login may send the browser afterwards: dashboard pages only."""
from __future__ import annotations

import pytest

from bot.review.auth import safe_next


@pytest.mark.parametrize("target", ["/review/", "/review/gaps?since=2026-01-01", "/review/topics/child_found"])
def test_dashboard_pages_are_kept(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [
    None, "", "https://evil.example/review/", "//evil.example/review/", "/review/../evil", "/review/%2e%2e/evil",
    "/review/..%2Fevil", "/reviewer", "/review\\evil", "/review/login", "/review/\nx",
])
def test_anything_else_goes_to_the_overview(target: str | None) -> None:
    assert safe_next(target) == "/review/"
