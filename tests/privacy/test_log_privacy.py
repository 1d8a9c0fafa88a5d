"""Rasa's structured log events lose their conversation fields before they are written."""
from __future__ import annotations

import json
import logging

import pytest
import structlog

from bot.privacy import log_privacy


@pytest.fixture
def json_structlog() -> None:
    previous = structlog.get_config()
    structlog.configure(processors=[structlog.processors.JSONRenderer()],
                        logger_factory=structlog.stdlib.LoggerFactory(), cache_logger_on_first_use=True)
    yield
    structlog.configure(**previous)


def test_message_text_is_withheld_even_from_loggers_made_before(json_structlog: None,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    logger = structlog.get_logger("rasa.core.channels.rest")
    logger.error("before", text="Jayden Smith 14 missing")  # first use caches this logger
    log_privacy.install()
    log_privacy.install()  # idempotent
    with caplog.at_level(logging.ERROR):
        logger.error("rest.message.received.failure", text="Jayden Smith 14 missing", sender_id="abc")
    record = json.loads(caplog.records[-1].getMessage())
    assert record == {"event": "rest.message.received.failure", "text": "[withheld]", "sender_id": "abc"}
    assert structlog.get_config()["processors"].count(log_privacy.withhold_conversation) == 1
