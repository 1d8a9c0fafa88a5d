"""Grouping the unanswered questions, and the Rasa NLU snippet of a group."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import yaml

from bot.querylog import queries
from bot.querylog.store import QueryLog
from bot.review import gaps
from bot.review.filters import Filter
from bot.review.gaps import Question
from tests.review import seed

T0 = datetime(2024, 3, 1, 9, tzinfo=timezone.utc)


def questions(texts: list) -> list:
    return [Question(n, T0 + timedelta(hours=n), text, True, None, None, f"p_{n % 4}") for n, text in enumerate(texts)]


SEEDED = [text for theme in seed.THEMES for text in theme] + seed.NOISE


def test_three_themes_and_noise_give_three_groups_biggest_first() -> None:
    found = gaps.cluster(questions(SEEDED))
    assert [sorted(q.text for q in group.questions) for group in found.groups] == [
        sorted(seed.THEME_HOTEL), sorted(seed.THEME_NRM), sorted(seed.THEME_CONSENT)]
    assert sorted(q.text for q in found.ungrouped) == sorted(seed.NOISE)
    assert found.total == len(SEEDED)
    hotel, nrm, consent = found.groups
    assert "hotel" in hotel.terms and "consent" in consent.terms
    assert any("referral" in term for term in nrm.terms)
    assert hotel.example.text in seed.THEME_HOTEL
    assert hotel.senders == 4  # distinct pseudonyms, counted, never shown


def test_the_grouping_does_not_depend_on_the_order() -> None:
    first = gaps.cluster(questions(SEEDED))
    shuffled = questions(SEEDED)
    random.Random(7).shuffle(shuffled)
    second = gaps.cluster(shuffled)
    assert [(g.key, g.terms, g.example.id) for g in first.groups] == [(g.key, g.terms, g.example.id) for g in
                                                                      second.groups]
    assert len({group.key for group in first.groups}) == 3


def test_few_or_wordless_questions() -> None:
    assert gaps.cluster([]).groups == []
    only = gaps.cluster(questions(["who pays for the hotel"]))
    assert only.groups == [] and len(only.ungrouped) == 1
    wordless = gaps.cluster(questions(["[NAME]", "?", "[NAME] [ADDRESS]", "hotel", "hotel"]))
    assert [sorted(q.text for q in g.questions) for g in wordless.groups] == [["hotel", "hotel"]]
    assert len(wordless.ungrouped) == 3


def test_only_unanswered_questions_in_the_filter(sqlite_url) -> None:
    QueryLog(sqlite_url).record(seed.records())
    log = QueryLog(sqlite_url)
    used = Filter(since=seed.today() - timedelta(days=29), until=seed.today())
    found = gaps.find(log.engine, used)
    texts = [q.text for group in found.groups for q in group.questions] + [q.text for q in found.ungrouped]
    expected = [r.text for r in seed.records() if listed(r) and used.since <= r.created_at.date() <= used.until]
    assert sorted(texts) == sorted(expected)
    assert "an old question about the philomena protocol" not in texts
    assert found.groups[0].size == len(seed.THEME_HOTEL) and not found.capped
    assert [group.size for group in found.groups] == sorted((group.size for group in found.groups), reverse=True)
    newest, capped = gaps.load(log.engine, used, limit=3)
    assert capped and len(newest) == 3 and newest[0].created_at >= newest[-1].created_at


def test_the_nlu_snippet_loads_in_rasa_with_placeholders_kept() -> None:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    texts = ["NRM referral form for [NAME], trafficking suspected", "[NAME](14) was trafficked, NRM referral?",
             'she said "help": NRM referral # now', "- NRM referral\nfor [NAME]\u2028today", "nrm referral for [NAME]",
             "NRM referral for [NAME]", "  NRM referral {x} [a][b] \\ trafficking\x07  "]
    group = gaps.Group("0123456789abcdef", ("nrm", "referral"), questions(texts)[0], tuple(questions(texts)))
    snippet = gaps.nlu_snippet(group, exported=T0)
    document = yaml.safe_load(snippet)
    assert document["version"] == "3.1" and document["nlu"][0]["intent"] == gaps.INTENT_PLACEHOLDER
    data = RasaYAMLReader().reads(snippet)
    examples = [message.get("text") for message in data.training_examples]
    assert examples == [
        "NRM referral form for [NAME], trafficking suspected",
        "[NAME] (14) was trafficked, NRM referral?",  # not an entity annotation
        'she said "help": NRM referral # now',
        "- NRM referral for [NAME] today",
        "nrm referral for [NAME]",  # "NRM referral for [NAME]" is the same example
        "NRM referral {x} [a] [b] \\ trafficking",
    ]
    assert {message.get("intent") for message in data.training_examples} == {gaps.INTENT_PLACEHOLDER}
    assert all(not message.get("entities") for message in data.training_examples)
    assert snippet.startswith("# Questions practitioners asked") and "2024-03-01 09:00 UTC" in snippet


def test_a_seeded_group_exports_every_question() -> None:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    hotel = gaps.cluster(questions(SEEDED)).groups[0]
    data = RasaYAMLReader().reads(gaps.nlu_snippet(hotel))
    assert sorted(message.get("text") for message in data.training_examples) == sorted(seed.THEME_HOTEL)


def test_dates_in_the_filter_are_utc_days(sqlite_url) -> None:
    log = QueryLog(sqlite_url)
    script = next(record for record in seed.records() if record.text == seed.XSS_SCRIPT)
    log.record([replace(script, created_at=datetime(2024, 3, 1, 23, 59, tzinfo=timezone.utc))])
    assert [q.text for q in gaps.load(log.engine, Filter(date(2024, 3, 1), date(2024, 3, 1)))[0]] == [
        seed.XSS_SCRIPT]
    assert gaps.load(log.engine, Filter(date(2024, 3, 2), date(2024, 3, 2)))[0] == []


def listed(record) -> bool:
    """The unanswered page's rule, written out: missed, typed, and not a walkthrough reply that was understood."""
    missed = record.fell_back or record.helpful is False or record.rephrased or record.did_you_mean == "refused"
    walkthrough_reply = record.topic in ("missing_walkthrough_form", "found_walkthrough_form")
    return missed and not record.is_button and (record.fell_back or not walkthrough_reply)


def test_misroutes_are_listed_with_their_reason_and_buttons_and_walkthrough_replies_are_not(sqlite_url) -> None:
    log = QueryLog(sqlite_url)
    log.record(seed.records())
    found = gaps.find(log.engine, Filter(since=seed.today() - timedelta(days=29), until=seed.today()))
    reasons = {question.text: question.reasons for question in found.questions()}
    assert {text: reasons.get(text) for text in seed.LISTED} == {
        text: (reason,) for text, reason in seed.LISTED.items()}
    assert not set(seed.NOT_LISTED) & set(reasons)
    assert found.reasons[gaps.REPHRASED] == 2 and found.reasons[gaps.REFUSED_SUGGESTIONS] == 1
    assert found.reasons[gaps.CHOSE_SUGGESTION] == 1 and found.reasons[gaps.NOT_HELPFUL] >= 3
    assert list(found.reasons) == [reason for reason in gaps.REASONS if reason in found.reasons]
    assert found.total == len(found.questions())
    with log.engine.connect() as connection:  # the overview's count is the page's
        summary = queries.summary(connection, Filter(since=seed.today() - timedelta(days=29),
                                                     until=seed.today()).rows())
    assert (summary.unanswered, summary.misroutes) == (found.total, 3)  # two rephrased, one refused


def test_a_question_can_be_listed_for_two_reasons() -> None:
    question = replace(questions(["wrong answer"])[0], fell_back=False, helpful=False, rephrased=True,
                       topic="child_found")
    assert question.reasons == (gaps.REPHRASED, gaps.NOT_HELPFUL)
    assert replace(question, rephrased=None).reasons == (gaps.NOT_HELPFUL,)
    assert replace(question, fell_back=True, did_you_mean="chosen").reasons == (gaps.CHOSE_SUGGESTION,
                                                                                 gaps.NOT_HELPFUL)
