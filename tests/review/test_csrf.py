from __future__ import annotations

from bot.review import csrf


def test_a_token_per_session_kept_until_renewed() -> None:
    session: dict = {}
    token = csrf.token(session)
    assert len(token) >= 40 and csrf.token(session) == token
    assert csrf.matches(session, token)
    renewed = csrf.renew(session)
    assert renewed != token and csrf.matches(session, renewed) and not csrf.matches(session, token)


def test_missing_or_wrong_tokens_do_not_match() -> None:
    session: dict = {}
    assert not csrf.matches(session, "")  # no token in the session yet
    assert not csrf.matches(session, None)
    token = csrf.token(session)
    for submitted in (None, "", token[:-1], token + "x", token.upper(), 42):
        assert not csrf.matches(session, submitted), submitted
    assert not csrf.matches({csrf.SESSION_KEY: ""}, "")
