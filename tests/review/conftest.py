"""The review dashboard's tests: a seeded query log, accounts, and the real web app serving /review."""
from __future__ import annotations

from typing import Callable, Dict, Iterator

import pytest

from bot import serve
from bot.db import migrate
from bot.db.engine import dispose_engines
from bot.querylog.store import QueryLog
from bot.review.accounts import Accounts
from tests.browser import launched_chromium
from tests.fixtures import free_port
from tests.review import seed
from tests.review.helpers import PASSWORD, Dashboard, fast_hasher
from tests.servers import web_app

ACCOUNTS = {"board.member": "board", "trainer.one": "trainer", "admin.one": "admin", "locked.out": "board",
            "leaving.soon": "board"}


@pytest.fixture
def accounts(sqlite_url: str) -> Accounts:
    return Accounts(sqlite_url, hasher=fast_hasher())


@pytest.fixture(scope="package")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """`python -m bot web` (no Rasa behind it) on a seeded SQLite query log, with plain-HTTP cookies."""
    directory = tmp_path_factory.mktemp("review")
    database_url = f"sqlite:///{directory / 'querylog.db'}"
    migrate.upgrade(database_url)
    QueryLog(database_url).record(seed.records())
    accounts = Accounts(database_url)
    for name, role in ACCOUNTS.items():
        accounts.add(name, role, PASSWORD)
    port = free_port()
    env: Dict[str, str] = {
        **serve.environment(), "DATABASE_URL": database_url, "REVIEW_COOKIE_SECURE": "false",
        "REVIEW_SESSION_KEY_FILE": str(directory / "review_session.key"), "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}",
        # the suite logs in from one address many times; the limit itself is tested on a server of its own
        "REVIEW_LOGIN_ATTEMPTS": "1000",
    }
    env.pop("REVIEW_SESSION_KEY", None)
    try:
        with web_app(port, free_port(), env, directory / "web.log") as url:
            yield Dashboard(url, database_url, directory)
    finally:
        dispose_engines()


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    yield from launched_chromium()


@pytest.fixture
def new_page(browser: object) -> Iterator[Callable[..., object]]:
    """Pages in fresh browser contexts (no shared cookies), closed afterwards."""
    contexts = []

    def make(**options: object) -> object:
        context = browser.new_context(accept_downloads=True, **options)  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield make
    for context in contexts:
        context.close()
