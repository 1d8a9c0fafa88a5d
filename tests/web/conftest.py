"""One real assistant for the web tests: action server, Rasa server (HTTP API on, with a token) and web app."""
from __future__ import annotations

from typing import Iterator

import pytest

from bot import serve
from tests.browser import launched_chromium
from tests.fixtures import free_port
from tests.servers import running, web_app
from tests.web.helpers import API_TOKEN, Assistant


@pytest.fixture(scope="package")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    directory = tmp_path_factory.mktemp("web")
    web_port = free_port()
    extra = {"RASA_ENABLE_API": "true", "RASA_API_TOKEN": API_TOKEN, "ALLOWED_ORIGINS": f"http://127.0.0.1:{web_port}",
             # every test talks from 127.0.0.1, as many clients behind one address would: the rate limits
             # are tested on web apps of their own (test_front_door.py, test_door_inprocess.py)
             "WEB_MESSAGES_PER_MINUTE": "10000", "WEB_REQUESTS_PER_MINUTE": "100000"}
    with running(directory, extra_env=extra) as servers:
        yield Assistant(servers, servers.start_web(web_port), directory)


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    yield from launched_chromium()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture(scope="package")
def lonely_web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app with no Rasa server behind it."""
    port, nobody = free_port(), free_port()
    env = {**serve.environment(), "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
    with web_app(port, nobody, env, tmp_path_factory.mktemp("lonely") / "web.log") as url:
        yield url
