"""A realistic, redacted query log for the dashboard tests, dated relative to today (UTC).

Answered questions on a handful of topics over the last 45 days, across three channels, several roles
and two partnerships; three themes of unanswered questions (fell back, or marked not helpful) plus
unrelated noise; and two rows whose text is markup, to prove it is shown as text.
"""
from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta, timezone
from typing import List

from bot.querylog.records import QueryRecord

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
CHANNELS = ("socketio", "rest", "teams")
ROLES = ("police", "social_worker", "foster_carer", "teacher", None)
PARTNERSHIPS = ("pan_cheshire", "pan_cheshire", "bscb")

ANSWERED = {
    "child_missing": ["a child has gone missing from care, who do I tell?", "who do I notify when [NAME] goes missing",
                      "child not come home from school who do I call"],
    "child_found": ["[NAME] has been found, what now?", "what do I do when the child is found"],
    "return_interview": ["when does the return home interview happen", "who does the return interview"],
    "philomena_protocol": ["what is the philomena protocol", "where is the philomena form"],
    "escalation": ["how do I escalate a disagreement with social care"],
}
# Three themes of unanswered questions, the biggest first, and noise like no other question.
THEME_HOTEL = [
    "unaccompanied asylum seeking child missing from hotel accommodation",
    "unaccompanied asylum seeking child went missing from the hotel",
    "asylum seeking child missing from hotel at [ADDRESS]",
    "unaccompanied asylum seeking young person left the hotel overnight",
    "who to inform when an asylum seeking child leaves hotel accommodation",
    "hotel staff say the unaccompanied asylum seeking boy has not returned",
]
THEME_NRM = [
    "how do I make an NRM referral for trafficking",
    "national referral mechanism referral for a trafficked child",
    "trafficking concerns, who completes the NRM referral",
    "NRM referral form for [NAME], trafficking suspected",
]
THEME_CONSENT = [
    "can I share information with the school without parental consent",
    "do I need parental consent to share information with health",
    "sharing information without consent, is it allowed",
]
NOISE = ["what's the weather like tomorrow", "my laptop will not turn on", "how do I book annual leave"]
THEMES = (THEME_HOTEL, THEME_NRM, THEME_CONSENT)


def today() -> date:
    return datetime.now(timezone.utc).date()


def at(days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(today() - timedelta(days=days_ago), time(hour, minute), timezone.utc)


def records() -> List[QueryRecord]:
    rows: List[QueryRecord] = []
    counter = itertools.count()

    def add(text: str, when: datetime, **fields: object) -> None:
        n = next(counter)
        values = dict(
            message_id=f"seed-{n}", created_at=when, channel=CHANNELS[n % 3], sender=f"p_{n % 7:032x}",
            partnership=PARTNERSHIPS[n % 3], practitioner_role=ROLES[n % 5], text=text, intent=None,
            confidence=0.9, topic=None, fell_back=False, is_button=False, helpful=None,
        )
        rows.append(QueryRecord(**(values | fields)))

    # answered questions: every day of the last 45, more on weekdays
    for days_ago in range(45):
        for index, (topic, texts) in enumerate(ANSWERED.items()):
            if (days_ago + index) % 3 == 0 or topic == "child_missing":
                helpful = (True, None, True, None, None, True, None, None, False)[(days_ago + index) % 9]
                add(texts[days_ago % len(texts)], at(days_ago, 9 + index), intent=topic, topic=topic,
                    helpful=helpful)
    # unanswered: themes within the last 20 days, fell back; one of each marked not helpful instead
    for theme in THEMES:
        for position, text in enumerate(theme):
            days_ago = 2 + (position * 3) % 20
            if position == 1:
                add(text, at(days_ago, 15), intent="child_missing", topic="child_missing", helpful=False)
            else:
                add(text, at(days_ago, 14, position), intent="nlu_fallback", fell_back=True)
    for position, text in enumerate(NOISE):
        add(text, at(3 + position, 16), intent="nlu_fallback", fell_back=True)
    # markup typed by a practitioner, logged as text
    add(XSS_SCRIPT, at(1, 11), intent="nlu_fallback", fell_back=True)
    add(XSS_IMG, at(1, 12), intent="philomena_protocol", topic="philomena_protocol", helpful=False)
    # long ago: outside the default 30 days
    add("an old question about the philomena protocol", at(200), intent="philomena_protocol",
        topic="philomena_protocol")
    return rows
