"""Group commit (``apply_push_group``): several pushes in one transaction, each ending exactly as it
would alone — a push refused as a whole is rolled back by itself, the others are kept; a busy
database fails the whole group and applies nothing."""

from __future__ import annotations

import sqlite3

from sync.engine import PushJob, apply_push, apply_push_group
from sync.errors import Busy, MutationGap
from sync.ids import new_id
from sync.wire import PushResponse
from tests.builders import T0, World, interview_args


def _note(interview_id: str, text: str) -> tuple[str, dict]:
    return ("note.add", {"id": new_id(), "interview_id": interview_id, "text": text})


def test_each_push_in_a_group_ends_as_it_would_alone(world: World, dev) -> None:
    a, b, c = dev("u-cadre1"), dev("u-lead1"), dev("u-cadre2")
    ia, ib = new_id(), new_id()
    gap_request = c.request(("interview.save", interview_args(new_id())))
    gap_request.mutations[0].id = 7  # the server expects 1: the whole push is refused
    jobs = [
        PushJob(a.actor, a.request(("interview.save", interview_args(ia)), _note(ia, "回流泵泄漏")), T0),
        PushJob(c.actor, gap_request, T0),
        PushJob(b.actor, b.request(("interview.save", interview_args(ib))), T0),
        PushJob(a.actor, a.request(_note(ia, "备件不足")), T0),  # the same device again, next ids
    ]
    outcomes = apply_push_group(world.db, jobs)

    assert isinstance(outcomes[1], MutationGap) and outcomes[1].details["expected"] == 1
    ok = [o for i, o in enumerate(outcomes) if i != 1]
    assert all(isinstance(o, PushResponse) for o in ok)
    assert [r.status for r in ok[0].results] == ["applied", "applied"]
    assert [r.status for r in ok[1].results] == ["applied"]
    assert [r.status for r in ok[2].results] == ["applied"] and ok[2].last_mutation_id == 3
    assert world.db["note"].count == 2 and world.db["interview"].count == 2
    receipts = world.db.conn.execute("SELECT device_id, count(*) FROM sync_receipt GROUP BY device_id").fetchall()
    assert dict(receipts) == {a.device_id: 3, b.device_id: 1}
    # The refused device applied nothing and still starts at 1; a replay is answered from receipts.
    c.next_id = 1
    assert c.push(("interview.save", interview_args(new_id()))).results[0].status == "applied"
    replay = apply_push(world.db, a.actor, jobs[0].request, T0)
    assert [r.status for r in replay.results] == ["duplicate", "duplicate"]
    assert [r.seq for r in replay.results] == [r.seq for r in ok[0].results]


def test_a_busy_database_fails_the_whole_group_and_applies_nothing(world: World, dev, tmp_path) -> None:
    a, b = dev("u-cadre1"), dev("u-lead1")
    other = sqlite3.connect(str(tmp_path / "server.db"), isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    world.db.conn.execute("PRAGMA busy_timeout = 0")
    try:
        outcomes = apply_push_group(
            world.db,
            [
                PushJob(a.actor, a.request(("interview.save", interview_args(new_id()))), T0),
                PushJob(b.actor, b.request(("interview.save", interview_args(new_id()))), T0),
            ],
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert all(isinstance(o, Busy) and o.retry_after for o in outcomes)
    assert world.db["interview"].count == 0
    assert world.db.conn.execute("SELECT count(*) FROM sync_receipt").fetchone()[0] == 0
