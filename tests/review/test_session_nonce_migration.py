"""Migration 0005 gives every existing dashboard account a random session nonce of its own."""
from __future__ import annotations

from sqlalchemy import text

from bot.db import migrate
from bot.db.engine import engine_for
from bot.review.accounts import Accounts
from tests.review.helpers import PASSWORD, fast_hasher


def test_existing_accounts_get_a_nonce_each_and_can_log_in(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0004")
    with engine_for(empty_database_url).begin() as connection:
        for name in ("board.member", "admin.one"):
            connection.execute(text(
                "INSERT INTO review_account (name, role, password_hash, failed_logins, session_version) "
                "VALUES (:name, 'board', :hash, 0, 3)"), {"name": name, "hash": fast_hasher().hash(PASSWORD)})
    migrate.upgrade(empty_database_url)
    accounts = Accounts(empty_database_url, hasher=fast_hasher())
    nonces = {account.session_nonce for account in accounts.all()}
    assert len(nonces) == 2 and None not in nonces and all(len(nonce) >= 32 for nonce in nonces)
    assert accounts.authenticate("board.member", PASSWORD) is not None
    migrate.downgrade(empty_database_url, "0004")
    with engine_for(empty_database_url).connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM review_account")).scalar_one() == 2
