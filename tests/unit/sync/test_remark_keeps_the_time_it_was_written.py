"""A remark's time is the time it was written, not the time it reached the server (issue 16 point 7).

A cadre writes a remark offline at 10:10 and syncs at 14:00: the row keeps ``created_at`` and
``updated_at`` as the server's receipt times (they order rows) and adds ``written_at``, the device's
writing time moved onto the server's clock by the push's clock offset — so a tablet whose clock is
wrong still shows the true time of writing. An officer's grant (a re-wrap) writes nothing: the
writing time stays the author's. The row carries metadata only: no plaintext reaches the server.
"""

from __future__ import annotations

import datetime as dt
import json

from test_officer_grant_rewraps_without_changing_content import key
from test_officer_grant_rewraps_without_changing_content import setup as grant_setup
from test_remark_envelope_structure import envelope

from sync import sealing
from sync.ids import new_id
from tests.builders import World, interview_args, pull_all

CST = dt.timezone(dt.timedelta(hours=8))
WRITTEN = dt.datetime(2026, 12, 3, 10, 10, tzinfo=CST)
SYNCED = dt.datetime(2026, 12, 3, 14, 0, tzinfo=CST)


def _put(world: World, dev, rid: str, iid: str, *, written: dt.datetime, push_clock: dt.datetime, now: dt.datetime,
         base: int | None = None, user: str = "u-lead1", env: dict | None = None):
    d = dev(user)
    args = {"id": rid, "interview_id": iid, "envelope": env or envelope("u-lead1", "u-officer")}
    return d.push(("remark.put", args, base, written), now=now, client_time=push_clock).results[0]


def test_the_row_keeps_the_writing_time_apart_from_the_receipt_time(world: World, dev) -> None:
    iid, rid = new_id(), new_id()
    dev("u-lead1").push_one("interview.save", interview_args(iid, cadre_ids=["u-lead1"]))
    r = _put(world, dev, rid, iid, written=WRITTEN, push_clock=SYNCED, now=SYNCED)
    assert r.status == "applied", r
    row = pull_all(world.db, world.actor("u-officer"))[0][("remark", rid)]
    assert dt.datetime.fromisoformat(row["written_at"]) == WRITTEN
    assert dt.datetime.fromisoformat(row["created_at"]) == SYNCED == dt.datetime.fromisoformat(row["updated_at"])
    # Metadata only: the envelope as pushed, and no field holding text of the remark.
    assert set(row) == {"id", "interview_id", "author_id", "envelope", "created_at", "updated_at", "interview", "written_at"}
    assert "明文" not in json.dumps(row, ensure_ascii=False)


def test_a_wrong_tablet_clock_does_not_move_the_writing_time(world: World, dev) -> None:
    """The tablet's clock is 3 hours fast: it wrote at 10:10 real time (13:10 on its clock) and pushed
    at 14:00 real time (17:00 on its clock). The server shows 10:10."""
    iid, rid = new_id(), new_id()
    dev("u-lead1").push_one("interview.save", interview_args(iid, cadre_ids=["u-lead1"]))
    fast = dt.timedelta(hours=3)
    assert _put(world, dev, rid, iid, written=WRITTEN + fast, push_clock=SYNCED + fast, now=SYNCED).status == "applied"
    row = pull_all(world.db, world.actor("u-lead1"))[0][("remark", rid)]
    assert dt.datetime.fromisoformat(row["written_at"]) == WRITTEN


def test_an_edit_moves_the_writing_time_an_officers_grant_does_not(world: World, dev) -> None:
    iid, rid = new_id(), new_id()
    dev("u-lead1").push_one("interview.save", interview_args(iid, cadre_ids=["u-lead1"]))
    first = _put(world, dev, rid, iid, written=WRITTEN, push_clock=SYNCED, now=SYNCED)
    later = WRITTEN + dt.timedelta(days=1)
    edit = _put(world, dev, rid, iid, written=later, push_clock=later, now=later, base=first.seq)  # a new sealed text
    assert edit.status == "applied", edit
    row = pull_all(world.db, world.actor("u-lead1"))[0][("remark", rid)]
    assert dt.datetime.fromisoformat(row["written_at"]) == later


def test_an_officers_grant_keeps_the_authors_writing_time(world: World, dev) -> None:
    iid, rid, env, officer_key, seq = grant_setup(world, dev)
    written = world.db["remark"].get(rid)["written_at"]
    granted = sealing.rewrap_for(env, row_id=rid, user_id="u-officer", private_key=officer_key,
                                 new=sealing.Recipient("u-officer2", "k3", key().public_key()))
    later = SYNCED + dt.timedelta(days=2)
    result = dev("u-officer").push(("remark.put", {"id": rid, "interview_id": iid, "envelope": granted}, seq, later),
                                   now=later, client_time=later).results[0]
    assert result.status == "applied", result
    row = world.db["remark"].get(rid)
    assert row["written_at"] == written and dt.datetime.fromisoformat(row["updated_at"]) == later


def test_a_device_without_times_gets_the_receipt_time(world: World, dev) -> None:
    iid, rid = new_id(), new_id()
    d = dev("u-lead1")
    d.push_one("interview.save", interview_args(iid, cadre_ids=["u-lead1"]))
    r = d.push(("remark.put", {"id": rid, "interview_id": iid, "envelope": envelope("u-lead1", "u-officer")}), now=SYNCED,
               client_time=SYNCED).results[0]
    assert r.status == "applied"
    row = pull_all(world.db, world.actor("u-lead1"))[0][("remark", rid)]
    assert row["written_at"] == row["created_at"]
