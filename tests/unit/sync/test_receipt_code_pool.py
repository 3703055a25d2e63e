"""回执码 reserved per device (issue #16 point 1): spent offline, accepted only from its device, once.

Real SQLite files; the concurrency test tops up from separate connections (as separate server
workers would) started together, so the primary key — not luck — is what keeps codes unique.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

from sync import receipt_codes
from sync.ids import new_id
from tests.builders import T0, World, interview_args, open_db


def _raise(d, iid, **kw):
    args = {"id": new_id(), "interview_id": iid, "category": "demand", "description": "夜班没有热水",
            "unit_ids": ["ws1"], **kw}
    return args["id"], d.push_one("issue.raise", args)


def _top_up(world: World, device_id: str) -> list[str]:
    with world.db.atomic():
        return receipt_codes.top_up(world.db, device_id, T0.isoformat())


def test_entropy_is_computed_from_the_alphabet_and_length() -> None:
    assert len(receipt_codes.ALPHABET) == 30 and len(set(receipt_codes.ALPHABET)) == 30
    assert not set("01ILOU") & set(receipt_codes.ALPHABET)
    assert receipt_codes.LENGTH == 8
    assert receipt_codes.ENTROPY_BITS == receipt_codes.LENGTH * math.log2(len(receipt_codes.ALPHABET))
    assert 39.2 < receipt_codes.ENTROPY_BITS < 39.3  # the figure docs/followup.md states
    assert receipt_codes.POOL_LOW < receipt_codes.POOL_SIZE


def test_a_reserved_code_is_the_problems_code_and_is_refused_a_second_time(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    pool = _top_up(world, d.device_id)
    assert len(pool) == receipt_codes.POOL_SIZE and all(receipt_codes.PATTERN.match(c) for c in pool)
    issue_id, r = _raise(d, iid, receipt_code=pool[0])
    assert r.status == "applied"
    assert world.db["issue"].get(issue_id)["receipt_code"] == pool[0]
    again_id, again = _raise(d, iid, receipt_code=pool[0])
    assert again.status == "rejected" and again.error.code == "issue.receipt_code_refused"
    assert again.error.field == "receipt_code"
    assert world.db["issue"].count_where("id = ?", [again_id]) == 0  # nothing half-applied
    assert world.db["rejection"].count >= 1  # kept for the 被退回 inbox
    # the next top-up refills the spent one, never re-offers it
    refreshed = _top_up(world, d.device_id)
    assert pool[0] not in refreshed and len(refreshed) == receipt_codes.POOL_SIZE


def test_a_code_reserved_for_another_device_is_refused(world: World, dev) -> None:
    mine, other = dev("u-cadre1"), dev("u-lead1")
    iid = new_id()
    mine.push_one("interview.save", interview_args(iid))
    others = _top_up(world, other.device_id)
    issue_id, r = _raise(mine, iid, receipt_code=others[0])
    assert r.status == "rejected" and r.error.code == "issue.receipt_code_refused"
    assert world.db["issue"].count_where("id = ?", [issue_id]) == 0
    # a code nobody reserved (a guess) and a malformed one: refused the same way
    assert _raise(mine, iid, receipt_code="2345-6789")[1].error.code == "issue.receipt_code_refused"
    assert _raise(mine, iid, receipt_code="not-a-code")[1].error.field == "receipt_code"
    # the other device's code is still free for it
    assert others[0] in receipt_codes.free_codes(world.db, other.device_id)


def test_a_problem_without_a_code_gets_one_from_the_server_that_no_pool_holds(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    pool = set(_top_up(world, d.device_id))
    issue_id, r = _raise(d, iid)  # an older client: no receipt_code in the args
    assert r.status == "applied"
    code = world.db["issue"].get(issue_id)["receipt_code"]
    assert receipt_codes.PATTERN.match(code) and code not in pool
    row = world.db.conn.execute("SELECT device_id, issue_id FROM receipt_code WHERE code = ?", (code,)).fetchone()
    assert row == (None, issue_id)


def test_a_problem_raised_again_with_the_same_id_is_refused_before_any_code_is_drawn(world: World, dev) -> None:
    # A re-run import or a replayed outbox sends issue.raise for an id that exists. The server's own
    # code for it used to be drawn first, hit receipt_code.issue_id UNIQUE and draw again forever,
    # holding the writer (every device's push waited).
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    issue_id, first = _raise(d, iid)
    assert first.status == "applied"
    codes_before = world.db["receipt_code"].count
    again = d.push_one("issue.raise", {"id": issue_id, "interview_id": iid, "category": "demand",
                                       "description": "夜班没有热水", "unit_ids": ["ws1"]})
    assert again.status == "rejected" and again.error.field == "id"
    assert "已经存在" in again.error.message
    assert world.db["receipt_code"].count == codes_before


def test_a_code_that_cannot_be_drawn_fails_instead_of_spinning(world: World, monkeypatch) -> None:
    taken = _top_up(world, "dev-x")[0]
    monkeypatch.setattr(receipt_codes, "generate", lambda: taken)
    with world.db.atomic():
        try:
            receipt_codes.new_unique(world.db, new_id(), T0.isoformat())
        except RuntimeError as exc:
            assert "no free receipt code" in str(exc)
        else:
            raise AssertionError("a code that always collides must not be accepted")


def test_a_revoked_devices_unspent_codes_are_released(world: World, dev) -> None:
    from server.org.people import revoke_device_tx

    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    pool = _top_up(world, d.device_id)
    assert _raise(d, iid, receipt_code=pool[0])[1].status == "applied"
    with world.db.atomic():
        revoke_device_tx(world.db, d.device_id, by="u-admin", now=T0)
    assert receipt_codes.free_codes(world.db, d.device_id) == []
    released = world.db.conn.execute(
        "SELECT count(*) FROM receipt_code WHERE device_id = ? AND released_at IS NOT NULL", (d.device_id,)).fetchone()[0]
    assert released == receipt_codes.POOL_SIZE - 1
    # the spent one stays the problem's; a released one can never be spent (the check itself says so)
    try:
        receipt_codes.check_reserved(world.db, d.device_id, pool[1])
    except receipt_codes.ReceiptCodeRefused as exc:
        assert exc.field == "receipt_code" and "作废" in exc.message
    else:
        raise AssertionError("a released code was accepted")


def test_pools_stay_unique_under_concurrent_devices_and_forced_collisions(world: World, tmp_path: Path,
                                                                          monkeypatch) -> None:
    devices = [world.add_device("u-cadre1", f"d-tab-{i}") for i in range(8)]
    path = world.db.conn.execute("PRAGMA database_list").fetchone()[2]
    # A generator that repeats itself: without the primary key two devices would get the same codes.
    real = receipt_codes.generate
    drawn: list[str] = []
    lock = threading.Lock()

    def repeating() -> str:
        with lock:
            if drawn and len(drawn) % 3 == 0:
                code = drawn[len(drawn) // 2]
            else:
                code = real()
            drawn.append(code)
            return code

    monkeypatch.setattr(receipt_codes, "generate", repeating)
    barrier = threading.Barrier(len(devices))
    errors: list[BaseException] = []

    def work(device_id: str) -> None:
        db = open_db(path)
        try:
            barrier.wait()
            for _ in range(3):  # as the server's writer: BEGIN IMMEDIATE, waiting on busy_timeout
                db.conn.execute("BEGIN IMMEDIATE")
                receipt_codes.top_up(db, device_id, T0.isoformat())
                db.conn.execute("COMMIT")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=work, args=(d,)) for d in devices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(drawn) > len(set(drawn))  # collisions really were drawn
    rows = world.db.conn.execute("SELECT code, device_id FROM receipt_code").fetchall()
    assert len(rows) == len({c for c, _ in rows}) == receipt_codes.POOL_SIZE * len(devices)
    for d in devices:
        assert len(receipt_codes.free_codes(world.db, d)) == receipt_codes.POOL_SIZE
