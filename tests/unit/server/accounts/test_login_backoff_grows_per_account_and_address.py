"""The growing delays of the login limits (issue 13 point 11), at explicit instants: no sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.accounts import service
from server.followup.receipts import MissCounter
from server.store import connect, in_transaction, migrate
from sync.errors import TooManyAttempts

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
LIMITS = dict(window_s=900, per_account=5, per_address=20, backoff_base_s=1, backoff_max_s=8)


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "fangtan.db")
    migrate(database)
    yield database
    database.conn.close()


def _try(db, at: datetime, username: str = "cadre", address: str = "10.0.0.1") -> int | None:
    """None when the attempt was reserved (and so counted), else the Retry-After seconds."""
    try:
        in_transaction(db, lambda d: service.reserve_login_attempt_tx(
            d, username=username, address=address, now=at, **LIMITS))
    except TooManyAttempts as exc:
        return exc.retry_after
    return None


def test_after_the_free_failures_each_wait_doubles_up_to_the_cap(db) -> None:
    assert [_try(db, T0) for _ in range(5)] == [None] * 5
    assert _try(db, T0) == 1
    assert _try(db, T0 + timedelta(seconds=1)) is None  # waited 1 s: one more guess
    assert _try(db, T0 + timedelta(seconds=1)) == 2
    at = T0 + timedelta(seconds=3)
    assert _try(db, at) is None
    assert _try(db, at) == 4
    at += timedelta(seconds=4)
    assert _try(db, at) is None
    assert _try(db, at) == 8
    at += timedelta(seconds=8)
    assert _try(db, at) is None
    assert _try(db, at) == 8  # capped at backoff_max_s
    # Refused attempts were not counted: 5 free + 4 after waiting.
    assert db.execute("select count(*) from login_failure").fetchone()[0] == 9


def test_the_delay_is_per_account_and_address_and_a_success_clears_the_pair(db) -> None:
    for _ in range(5):
        _try(db, T0)
    assert _try(db, T0) == 1
    assert _try(db, T0, address="10.0.0.2") is None  # the owner, elsewhere
    assert _try(db, T0, username="cadre2") is None  # a colleague behind the same NAT
    in_transaction(db, lambda d: service.login_succeeded_tx(d, username="cadre", address="10.0.0.1"))
    assert _try(db, T0) is None


def test_the_address_wide_limit_slows_spraying_across_accounts(db) -> None:
    assert [_try(db, T0, username=f"u{i}") for i in range(20)] == [None] * 20
    assert _try(db, T0, username="u-next") == 1
    assert _try(db, T0, username="u-next", address="10.0.0.9") is None


def test_receipt_misses_grow_the_same_way_and_a_hit_is_not_a_miss() -> None:
    counter, kw = MissCounter(), dict(limit=3, window_s=600, base_s=1, max_s=4)
    assert [counter.reserve("a", now=0, **kw) for _ in range(3)] == [0, 0, 0]
    assert counter.reserve("a", now=0, **kw) == 1
    assert counter.reserve("b", now=0, **kw) == 0
    assert counter.reserve("a", now=1, **kw) == 0
    assert counter.reserve("a", now=1, **kw) == 2
    counter.release("a")  # that reserved try found its code: back to 3 misses, the last at 0
    assert counter.reserve("a", now=1, **kw) == 0
    assert counter.reserve("a", now=1, **kw) == 2
    assert counter.reserve("a", now=700, **kw) == 0  # outside the window
