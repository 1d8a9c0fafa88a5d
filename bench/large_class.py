"""A large class: hundreds of practitioners at once, each pausing 2-6 s between messages, as people do.

Each simulated practitioner does one of three things over REST, through the front door: asks a run of
questions, works through the missing-child walkthrough, or takes a quiz (pressing the answer buttons the
assistant offers). Latency is from sending a message to its whole answer; think time is not counted.
"""
from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from typing import Dict, List, Sequence

import aiohttp

from bench.load import REQUEST_TIMEOUT_SECONDS, Tally, summarise
from bench.messages import PRACTITIONER_MESSAGES

THINK_SECONDS = (2.0, 6.0)
QUESTIONS_PER_PRACTITIONER = 5
WALKTHROUGH = ("/start_missing_walkthrough", "/deny", '/inform{"practitioner_role":"carer"}',
               '/inform{"care_status":"in_care"}')
QUIZ_QUESTIONS = 3


def _quiz_answer(replies: object, rng: random.Random) -> str | None:
    """A quiz answer button's payload from the last answer, chosen at random; None if there is none."""
    payloads = [button.get("payload", "") for reply in (replies if isinstance(replies, list) else [])
                for button in reply.get("buttons", []) if isinstance(button, dict)]
    answers = [payload for payload in payloads if payload.startswith("/quiz_answer")]
    return rng.choice(answers) if answers else None


class Practitioner:
    def __init__(self, session: aiohttp.ClientSession, webhook: str, tally: Tally, rng: random.Random) -> None:
        self.session, self.webhook, self.tally, self.rng = session, webhook, tally, rng
        self.sender = f"class-{uuid.uuid4().hex[:12]}"

    async def say(self, text: str) -> object:
        self.tally.sent += 1
        started = time.perf_counter()
        try:
            async with self.session.post(self.webhook, json={"sender": self.sender, "message": text}) as response:
                body = await response.json(content_type=None)
                ok = response.status == 200 and isinstance(body, list)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            ok, body = False, None
        if not ok:
            self.tally.errors += 1
            return None
        self.tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.tally.empty_replies += 0 if body else 1
        return body

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(*THINK_SECONDS))

    async def run(self, kind: str) -> None:
        await asyncio.sleep(self.rng.uniform(0, THINK_SECONDS[1]))  # not everyone starts at once
        if kind == "walkthrough":
            texts: Sequence[str] = WALKTHROUGH
        elif kind == "quiz":
            replies = await self.say("quiz me")
            for _ in range(QUIZ_QUESTIONS):
                answer = _quiz_answer(replies, self.rng)
                if answer is None:
                    return
                await self.think()
                replies = await self.say(answer)
            return
        else:
            texts = self.rng.sample(PRACTITIONER_MESSAGES, QUESTIONS_PER_PRACTITIONER)
        for number, text in enumerate(texts):
            if number:
                await self.think()
            await self.say(text)


def kinds(practitioners: int) -> List[str]:
    """Half ask questions, a quarter walk through, a quarter take a quiz."""
    return [("questions", "questions", "walkthrough", "quiz")[n % 4] for n in range(practitioners)]


async def _class(webhook: str, practitioners: int, seed: int, limit: float) -> Dict[str, object]:
    tally, rng = Tally(), random.Random(seed)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=practitioners)
    started, timed_out = time.perf_counter(), False
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        people = [Practitioner(session, webhook, tally, random.Random(rng.random())) for _ in range(practitioners)]
        try:
            await asyncio.wait_for(asyncio.gather(*(person.run(kind) for person, kind in
                                                    zip(people, kinds(practitioners), strict=True))), limit)
        except asyncio.TimeoutError:
            timed_out = True
    summary = summarise(tally, time.perf_counter() - started, practitioners, tally.sent, timed_out)
    summary["think_time_s"] = list(THINK_SECONDS)
    summary["mix"] = "half questions (5 each), a quarter the walkthrough (4 steps), a quarter a quiz (4 messages)"
    return summary


def run_scenario(webhook: str, practitioners: int, seed: int = 7, limit: float = 600) -> Dict[str, object]:
    return asyncio.run(_class(webhook, practitioners, seed, limit))


def describe(summary: Dict[str, object]) -> str:
    return json.dumps({key: summary[key] for key in ("messages_ok", "errors", "p50_ms", "p95_ms")})
