"""Issue 13 point 11 over a real uvicorn server: 40 truly parallel wrong passwords for one account
verify at most 5 of them (the attempt is reserved before the hash is checked), a forged
``X-Forwarded-For`` from an untrusted peer changes nothing, and neither another user behind the same
address nor the same user from another address is locked out (growing delays per account +
address, not a hard lockout). The same holds for receipt-code guessing."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import httpx
import pytest

from server.demo import DEMO_PASSWORD
from tests.live_server import LiveServer

PARALLEL = 40
LIMIT = 5
# Long enough that no delay can run out during the test: counts, not timings, are asserted.
ENV = {"FANGTAN_LOGIN_MAX_FAILURES_PER_ACCOUNT": str(LIMIT), "FANGTAN_GUESS_BACKOFF_BASE_S": "600",
       "FANGTAN_RECEIPT_MAX_MISSES_PER_ADDRESS": str(LIMIT)}


@pytest.fixture
def server(data_dir) -> Iterator[LiveServer]:
    live = LiveServer(data_dir=data_dir, env=ENV).start()
    yield live
    live.stop()


def _parallel(fn, count: int) -> list[httpx.Response]:
    """``count`` threads, each with its own connection, released at once by a barrier."""
    barrier = threading.Barrier(count)
    results: list[httpx.Response | None] = [None] * count

    def run(i: int) -> None:
        with httpx.Client(timeout=120) as http:
            barrier.wait()
            results[i] = fn(http, i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


def _login(http: httpx.Client, url: str, username: str, password: str, headers: dict | None = None) -> httpx.Response:
    return http.post(f"{url}/api/auth/login", headers=headers or {},
                     json={"username": username, "password": password, "device_name": "guess"})


def test_parallel_wrong_passwords_verify_at_most_the_limit_and_lock_nobody_else_out(server) -> None:
    answers = _parallel(lambda http, i: _login(http, server.url, "cadre", f"wrong-{i}"), PARALLEL)
    codes = sorted(r.status_code for r in answers)
    assert codes.count(401) == LIMIT and codes.count(429) == PARALLEL - LIMIT, codes
    refused = [r for r in answers if r.status_code == 429]
    assert all(r.json()["error"]["code"] == "auth.rate_limited" and int(r.headers["retry-after"]) > 0 for r in refused)
    with sqlite3.connect(server.data_dir / "fangtan.db") as db:
        (verified,) = db.execute("select count(*) from login_failure where username = 'cadre'").fetchone()
    assert verified == LIMIT  # refused attempts were never checked, and are not counted

    with httpx.Client(timeout=60) as http:
        # A forged X-Forwarded-For from an untrusted peer (no FANGTAN_TRUSTED_PROXIES) resets nothing,
        # not even with the right password: the delay is running for cadre at 127.0.0.1.
        for forged in ("203.0.113.7", "10.1.2.3, 198.51.100.1"):
            again = _login(http, server.url, "cadre", DEMO_PASSWORD, {"X-Forwarded-For": forged})
            assert again.status_code == 429, again.text
        # Another user behind the same address signs in at once.
        assert _login(http, server.url, "cadre2", DEMO_PASSWORD).status_code == 200
    # The guessed account itself is not locked: from another address its owner signs in.
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(transport=transport, timeout=60) as other:
        assert _login(other, server.url, "cadre", DEMO_PASSWORD).status_code == 200


def test_parallel_receipt_code_guesses_count_before_the_lookup(server) -> None:
    answers = _parallel(lambda http, i: http.get(f"{server.url}/r/ZZZZ-ZZZZ"), PARALLEL)
    codes = sorted(r.status_code for r in answers)
    assert codes.count(404) == LIMIT and codes.count(429) == PARALLEL - LIMIT, codes
    with httpx.Client(timeout=60) as http:
        forged = http.get(f"{server.url}/r/YYYY-YYYY", headers={"X-Forwarded-For": "203.0.113.9"})
        assert forged.status_code == 429 and int(forged.headers["retry-after"]) > 0
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(transport=transport, timeout=60) as other:
        assert other.get(f"{server.url}/r/YYYY-YYYY").status_code == 404  # another address is not slowed
