"""Simulated practitioners for the cluster's failure tests: each works through a walkthrough or a quiz over
REST, giving every message its own `message_id` and sending it again, as the assistant asks, after a
refusal (502/503) or a lost connection, until it is answered."""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, List, Tuple

import requests

from bot.channels.rest import stored_message_id
from tests.servers import answer_button, joined

RETRYABLE = (502, 503)
GIVE_UP_SECONDS = 600.0

WALKTHROUGH = ["/start_missing_walkthrough", "/deny", '/inform{"practitioner_role":"carer"}',
               '/inform{"care_status":"in_care"}']
WALKTHROUGH_END = "Checklist — child in care missing"
# QUIZ_ORDER=fixed, QUIZ_LENGTH=3 (tests/cluster_servers.py): the answers are b, c, b; a is wrong.
QUIZ_LETTERS = ["a", "c", "b"]
QUIZ_END = "Quiz finished. Your score: 2 out of 3 (67%)."


@dataclass
class Practitioner:
    url: str
    kind: str  # "walkthrough" or "quiz"
    pause: float = 0.3
    sender: str = field(default_factory=lambda: f"load-{uuid.uuid4().hex}")
    sent: List[Tuple[str, str]] = field(default_factory=list)  # client message ids and texts, in order
    refusals: List[Tuple[int, str]] = field(default_factory=list)  # status, error text
    lost_connections: int = 0
    last_answer: str = ""
    error: BaseException | None = None

    def stored_ids(self) -> List[str]:
        return [stored_message_id(self.sender, client_id, text) for client_id, text in self.sent]

    def say(self, message: str) -> List[dict]:
        client_id = f"m{len(self.sent) + 1}"
        self.sent.append((client_id, message))
        deadline = time.monotonic() + GIVE_UP_SECONDS
        while True:
            try:
                response = requests.post(f"{self.url}/webhooks/rest/webhook", timeout=120,
                                         json={"sender": self.sender, "message": message, "message_id": client_id})
            except requests.ConnectionError:
                self.lost_connections += 1
            else:
                if response.status_code == 200 and response.json():
                    return response.json()
                self.refusals.append((response.status_code, _error(response)))
                if response.status_code not in RETRYABLE:
                    raise AssertionError(f"{message!r}: {response.status_code} {response.text[:300]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{message!r} was not answered in {GIVE_UP_SECONDS:.0f} s")
            time.sleep(0.5)

    def run(self, answered: Callable[[], None]) -> None:
        """The whole conversation; `answered` is called after each answer (the test's clock for failures)."""
        try:
            if self.kind == "walkthrough":
                for message in WALKTHROUGH:
                    self.last_answer = joined(self.say(message))
                    answered()
                    time.sleep(self.pause)
            else:
                replies = self.say("quiz me")
                answered()
                for letter in QUIZ_LETTERS:
                    time.sleep(self.pause)
                    replies = self.say(answer_button(replies, letter))
                    answered()
                self.last_answer = joined(replies)
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error

    @property
    def finished(self) -> bool:
        return (WALKTHROUGH_END if self.kind == "walkthrough" else QUIZ_END) in self.last_answer


def _error(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    return str(body.get("error", body)) if isinstance(body, dict) else str(body)[:200]


def run_all(practitioners: List[Practitioner], when_under_way: Callable[[], None], after_answers: int
            ) -> Tuple[int, int]:
    """Runs everyone at once; calls `when_under_way` (the failure) once `after_answers` answers have come.
    Returns how many answers had come when the failure began, and how many in all."""
    count, lock, under_way = [0], threading.Lock(), threading.Event()

    def answered() -> None:
        with lock:
            count[0] += 1
            if count[0] >= after_answers:
                under_way.set()

    threads = [threading.Thread(target=p.run, args=(answered,), daemon=True) for p in practitioners]
    for thread in threads:
        thread.start()
    assert under_way.wait(timeout=600), "the load never got under way"
    with lock:
        before_failure = count[0]
    when_under_way()
    for thread in threads:
        thread.join(timeout=GIVE_UP_SECONDS + 300)
    return before_failure, count[0]
