import datetime as dt

from sync.ids import new_id
from tests.builders import T0, World, interview_args


def test_each_push_records_the_device_clock_offset(world: World, dev) -> None:
    d = dev("u-cadre1")
    slow_clock = T0 - dt.timedelta(minutes=7)
    d.push(("interview.save", interview_args(new_id())), now=T0, client_time=slow_clock)
    row = world.db["sync_device"].get(d.device_id)
    assert row["clock_offset_ms"] == 7 * 60 * 1000
    assert row["last_mutation_id"] == 1 and row["pushes"] == 1
    d.push(now=T0 + dt.timedelta(hours=1), client_time=T0 + dt.timedelta(hours=1, seconds=3))
    row = world.db["sync_device"].get(d.device_id)
    assert row["clock_offset_ms"] == -3000 and row["pushes"] == 2


def test_device_clocks_never_order_anything(world: World, dev) -> None:
    """A mutation stamped far in the past still lands after earlier arrivals."""
    d1, d2 = dev("u-cadre1"), dev("u-hr")
    iid = new_id()
    d1.push(("interview.save", interview_args(iid)), client_time=T0)
    seq1 = world.db.execute("SELECT seq FROM sync_change WHERE row_id = ?", [iid]).fetchone()[0]
    d2.push(("interview.save", interview_args(new_id(), cadre_ids=["u-cadre1"])), client_time=T0 - dt.timedelta(days=30))
    assert world.db.execute("SELECT max(seq) FROM sync_change").fetchone()[0] > seq1
