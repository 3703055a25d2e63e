import datetime as dt

import pytest

from sync import maintenance
from sync.errors import CursorExpired
from sync.ids import new_id
from sync.pull import pull
from tests.builders import T0, World, interview_args


def test_old_cursor_gets_410_after_tombstones_are_purged(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, aid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid))
    early = pull(world.db, d.actor, 0, 1000).cursor
    d.push_one("attachment.add", {"id": aid, "parent_entity": "interview", "parent_id": iid, "sha256": "b" * 64,
                                  "mime": "image/png", "size": 5})
    d.push_one("attachment.remove", {"id": aid})
    kept = maintenance.purge(world.db, T0 + dt.timedelta(days=100))
    assert kept["tombstones"] == 0
    pull(world.db, d.actor, early, 10)  # still fine within 180 days
    out = maintenance.purge(world.db, T0 + dt.timedelta(days=181))
    assert out["tombstones"] == 1 and out["horizon"] > early
    with pytest.raises(CursorExpired) as info:
        pull(world.db, d.actor, early, 10)
    assert info.value.status == 410
    assert pull(world.db, d.actor, 0, 10).changes  # re-snapshot works
    assert pull(world.db, d.actor, out["horizon"], 10) is not None


def test_cursor_ahead_of_the_server_is_410(world: World) -> None:
    head = world.db.execute("SELECT max(seq) FROM sync_change").fetchone()[0]
    with pytest.raises(CursorExpired) as info:
        pull(world.db, world.actor("u-hr"), head + 1, 10)
    assert (info.value.status, info.value.field, info.value.details) == (410, "cursor", {"head": head})
    assert pull(world.db, world.actor("u-hr"), head, 10).changes == []  # the head itself is a valid cursor


def test_retention_cannot_be_shortened(world: World) -> None:
    with pytest.raises(ValueError):
        maintenance.purge(world.db, T0, keep_days=30)


def test_purged_receipts_still_answer_duplicates(world: World, dev) -> None:
    from sync.engine import apply_push

    d = dev("u-cadre1")
    req = d.request(("interview.save", interview_args(new_id())))
    apply_push(world.db, d.actor, req, T0)
    maintenance.purge(world.db, T0 + dt.timedelta(days=200))
    again = apply_push(world.db, d.actor, req, T0 + dt.timedelta(days=200))
    assert again.results[0].status == "duplicate"
