from __future__ import annotations

from typing import Iterator

import pytest

from tests.teams.fake_botframework import FakeBotFramework
from tests.teams.helpers import APP_ID, APP_PASSWORD


@pytest.fixture
def fake() -> Iterator[FakeBotFramework]:
    with FakeBotFramework(APP_ID, APP_PASSWORD) as server:
        yield server
