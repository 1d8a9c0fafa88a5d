"""Redaction throughput: the redactor every stored text goes through, in the bench process itself."""
from __future__ import annotations

import time
from typing import Dict, Sequence

from bench.messages import PRACTITIONER_MESSAGES, REDACTION_MESSAGES

DEFAULT_SECONDS = 5.0


def throughput(
    texts: Sequence[str] = PRACTITIONER_MESSAGES + REDACTION_MESSAGES, seconds: float = DEFAULT_SECONDS,
    keep_field_words: bool = True,
) -> Dict[str, object]:
    """Loads the Redactor once, then redacts `texts` in whole rounds until `seconds` have passed.

    Without `keep_field_words`, the redactor runs with no kept-word list: the peer the kept words' cost
    is measured against, in the same run."""
    from bot.privacy.field_words import FieldWords
    from bot.privacy.redactor import Redactor

    began = time.perf_counter()
    redactor = Redactor() if keep_field_words else Redactor(field=FieldWords(frozenset()))
    for text in texts:  # one untimed round: first-call costs are not throughput
        redactor.redact(text)
    load_s = time.perf_counter() - began
    redacted, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for text in texts:
            redactor.redact(text)
        redacted += len(texts)
    elapsed = time.perf_counter() - started
    return {
        "messages_per_second": round(redacted / elapsed, 1),
        "messages_redacted": redacted,
        "elapsed_s": round(elapsed, 2),
        "distinct_messages": len(texts),
        "mean_message_chars": round(sum(map(len, texts)) / len(texts), 1),
        "load_and_first_round_s": round(load_s, 2),
    }
