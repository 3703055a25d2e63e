import datetime as dt

from sync.ids import new_id
from sync.pull import pull
from tests.builders import T0, Device, World, interview_args, pull_all, seq_of


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
    """Arrival orders everything: an edit stamped a month in the past, pushed later, lands after (and
    overwrites) an edit stamped in the future that arrived first, and pulls list them by arrival."""
    cadre, hr = dev("u-cadre1"), dev("u-hr")
    iid, other = new_id(), new_id()
    future, past = T0 + dt.timedelta(days=1), T0 - dt.timedelta(days=30)
    assert cadre.push_one("interview.save", interview_args(iid)).status == "applied"
    first = cadre.push_one("interview.save", {"id": iid, "summary": "未来时钟的修改"},
                           base=seq_of(world, "interview", iid), at=future)
    assert first.status == "applied", first
    second_tablet = Device(world, "u-cadre1", world.add_device("u-cadre1", "d-second-tablet"))
    late = second_tablet.push(
        ("interview.save", {"id": iid, "summary": "过去时钟的修改"}, first.seq, past), client_time=past
    ).results[0]
    assert late.status == "applied" and late.seq > first.seq, late
    stamped_old = hr.push(("interview.save", interview_args(other, cadre_ids=["u-cadre1"]), None, past),
                          client_time=past).results[0]
    assert stamped_old.status == "applied" and stamped_old.seq > late.seq, stamped_old
    seen, _ = pull_all(world.db, world.actor("u-cadre1"))
    assert seen[("interview", iid)]["summary"] == "过去时钟的修改"
    arrival = [c.id for c in pull(world.db, world.actor("u-cadre1"), 0, 1000).changes if c.entity == "interview"]
    assert arrival == [iid, other]
