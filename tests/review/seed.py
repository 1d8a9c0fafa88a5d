"""A realistic, redacted query log for the dashboard tests, dated relative to today (UTC).

Answered questions on a handful of topics over the last 45 days, across three channels, several roles
and two partnerships; three themes of unanswered questions (fell back, or marked not helpful) plus
unrelated noise; likely misunderstandings (asked again within a minute, "did you mean" refused or chosen);
rows the unanswered page leaves out (button presses, walkthrough replies that were understood); and two rows
whose text is markup, to prove it is shown as text.
"""
from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta, timezone
from typing import Dict, List, Tuple

from bot.querylog.records import QueryRecord

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
CHANNELS = ("socketio", "rest", "teams")
ROLES = ("police", "social_care", "carer", "school", None)
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
# Likely misunderstood, though answered: typed again within a minute of the answer.
REPHRASED = "my foster child ran off last night"  # answered as out of scope
REPHRASED_RISK = "can the police trace his phone"  # answered as risk grading
# Fell back, then "None of these" of the suggestions / one of them chosen.
REFUSED = "who pays for the b&b"
CHOSE = "kid didnt come back from contact"
# Left off the unanswered page: button presses (even when they fell back), walkthrough replies that were
# understood (even if typed again quickly); kept: a walkthrough reply that fell back.
BUTTON_FELL_BACK = "/child_missing"
WALKTHROUGH_UNDERSTOOD = "yes she is looked after"
WALKTHROUGH_FELL_BACK = "erm whatever the thing is called"
LISTED = {REPHRASED: "rephrased", REPHRASED_RISK: "rephrased", REFUSED: "refused", CHOSE: "chose",
          WALKTHROUGH_FELL_BACK: "not_understood"}
NOT_LISTED = (BUTTON_FELL_BACK, WALKTHROUGH_UNDERSTOOD)


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
    # likely misunderstandings, and what the unanswered page leaves out
    add(REPHRASED, at(4, 17), intent="out_of_scope", confidence=0.46, runner_up_intent="child_missing",
        runner_up_confidence=0.41, topic="out_of_scope", rephrased=True)
    add(REPHRASED_RISK, at(6, 17), intent="risk_grading", confidence=0.5,
        runner_up_intent="police_report_details", runner_up_confidence=0.3, topic="risk_grading", rephrased=True)
    add(REFUSED, at(5, 17), intent="escalation", confidence=0.31, runner_up_intent="training",
        runner_up_confidence=0.2, fell_back=True, did_you_mean="refused")
    add(CHOSE, at(7, 17), intent="child_found", confidence=0.35, runner_up_intent="child_missing",
        runner_up_confidence=0.33, fell_back=True, did_you_mean="chosen", chosen_topic="child_missing")
    add(BUTTON_FELL_BACK, at(5, 18), intent="child_missing", confidence=1.0, fell_back=True, is_button=True)
    add(WALKTHROUGH_UNDERSTOOD, at(8, 17), intent="inform", topic="missing_walkthrough_form", rephrased=True)
    add(WALKTHROUGH_FELL_BACK, at(8, 18), intent="deny", confidence=0.2, topic="found_walkthrough_form",
        fell_back=True)
    # markup typed by a practitioner, logged as text
    add(XSS_SCRIPT, at(1, 11), intent="nlu_fallback", fell_back=True)
    add(XSS_IMG, at(1, 12), intent="philomena_protocol", topic="philomena_protocol", helpful=False)
    # long ago: outside the default 30 days
    add("an old question about the philomena protocol", at(200), intent="philomena_protocol",
        topic="philomena_protocol")
    return rows


# -- a training class of 30 pseudonymous participants with known answers to three scenarios -------------------

CLASS_PARTICIPANTS = 30


def class_participant(index: int) -> str:
    """A pseudonym-shaped sender id: stored as it is (pseudonymise passes pseudonyms through)."""
    return f"p_{0xC1A55000 + index:032x}"


def class_plan(content: list) -> Dict[str, List[Tuple[str, int]]]:
    """scenario id -> [(choice letter, how many chose it)], correct first; participants answer in that order.

    The first scenario: 21 of 30 right (70%); the second: 12 of 30 (40%), its most common wrong answer is its
    second wrong choice (10), not the first (8); the third: answered by 20, all right (100%).
    """
    first, second, third = content[:3]

    def wrong(scenario: object, index: int) -> str:
        return [letter for letter in scenario.letters() if letter != scenario.correct_letter][index]

    return {
        first.id: [(first.correct_letter, 21), (wrong(first, 0), 6), (wrong(first, 1), 3)],
        second.id: [(second.correct_letter, 12), (wrong(second, 1), 10), (wrong(second, 0), 8)],
        third.id: [(third.correct_letter, 20)],
    }


def answer_class(database_url: str, code: str, content: list) -> Dict[str, List[Tuple[str, int]]]:
    """Stores the plan's answers for the class (through bot.quiz.classes, as the quiz does); returns the plan."""
    from bot.quiz.classes import Classes

    classes = Classes(database_url)
    by_id = {scenario.id: scenario for scenario in content}
    plan = class_plan(content)
    for scenario_id, choices in plan.items():
        participant = 0
        for letter, count in choices:
            for _ in range(count):
                assert classes.record_answer(code, class_participant(participant), scenario_id, letter,
                                             letter == by_id[scenario_id].correct_letter)
                participant += 1
    return plan
