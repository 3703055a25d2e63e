import sqlite3

import pytest

from sync.errors import Busy
from sync.ids import new_id
from tests.builders import World, interview_args


def test_locked_database_is_busy_and_nothing_applies(world: World, dev, tmp_path) -> None:
    other = sqlite3.connect(str(tmp_path / "server.db"), isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    world.db.conn.execute("PRAGMA busy_timeout = 0")
    try:
        with pytest.raises(Busy) as info:
            dev("u-cadre1").push(("interview.save", interview_args(new_id())))
        assert info.value.status == 503 and info.value.retry_after
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert world.db["interview"].count == 0
    d = dev("u-cadre1")
    d.next_id = 1  # the failed push applied nothing, so the client retries the same id
    assert d.push(("interview.save", interview_args(new_id()))).results[0].status == "applied"
