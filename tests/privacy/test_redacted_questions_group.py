"""The board groups unanswered questions by the words redaction keeps: "autism" and "respite" survive it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.privacy.redactor import Redactor
from bot.review import gaps
from bot.review.gaps import Question

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
AUTISM_RESPITE = [
    "Jayden has autism and went missing from respite at 4 Elm Road",
    "Amira Khan (13) has autism and walked out of her respite placement in Wigan",
    "Tyler Ward has autism and went missing from respite last night, who do I tell",
    "respite carer here, Grace has autism and has gone missing again",
    "Kai Hall has autism, missing from respite, what do we do",
]
HOTEL = [
    "Mohammed Ali is missing from the hotel the Home Office placed him in",
    "asylum hotel, 16 year old Ahmed Noor not back since Friday",
    "the hotel staff say Daniel Haile left with two men",
]
OTHER = ["how do I book the training", "who chairs a strategy meeting", "thanks, that helped"]


def test_autism_and_respite_questions_group_together_after_redaction() -> None:
    redactor = Redactor()
    texts = [redactor.redact(text) for text in AUTISM_RESPITE + HOTEL + OTHER]
    assert all("autis" in text and "respite" in text for text in texts[:len(AUTISM_RESPITE)])
    found = gaps.cluster([Question(n, T0 + timedelta(hours=n), text, True, None, None, f"p_{n}")
                          for n, text in enumerate(texts)])
    biggest = found.groups[0]
    assert sorted(q.text for q in biggest.questions) == sorted(texts[:len(AUTISM_RESPITE)])
    assert {"respite", "autism"} & set(biggest.terms)
