"""The scheduler's registry of reminder sources: features register theirs, a tick asks each (in the
order of their names) and sends every new key once — the platform itself knows no feature."""

import datetime as dt
from pathlib import Path

import server.followup  # noqa: F401 - registers the follow-up reminder source
import server.plans  # noqa: F401 - registers the plan reminder source
from server.platform import scheduler
from server.platform.scheduler import Reminder, Tick, reminder_sources, sent_keys, tick
from sync.notices import Notice
from tests.builders import World, notifications

TEST_NOTICE = Notice("test", "calendar_unknown", {"year": 2031, "warning": "正文"})

NOW = dt.datetime(2025, 10, 13, 2, tzinfo=dt.UTC)  # a Monday, 10:00 in Asia/Shanghai


def test_the_follow_up_and_plan_sources_are_registered_by_their_packages() -> None:
    names = [name for name, _source in reminder_sources()]
    assert {"followup", "plans"} <= set(names)
    assert names == sorted(names)


def test_a_registered_source_is_asked_in_the_tick_and_its_reminder_sent_once(world: World, monkeypatch) -> None:
    asked: list[Tick] = []

    def source(t: Tick) -> list[Reminder]:
        asked.append(t)
        return [Reminder(f"test:{t.today.isoformat()}", ("u-cadre1",), TEST_NOTICE)]

    monkeypatch.setitem(scheduler._SOURCES, "zz-test", source)
    assert "test:2025-10-13" in tick(world.db, NOW)
    assert "test:2025-10-13" not in tick(world.db, NOW + dt.timedelta(hours=1))  # claimed: not again
    assert len(asked) == 2 and asked[0].today == dt.date(2025, 10, 13)
    assert "test:2025-10-13" in sent_keys(world.db)
    assert [n["title"] for n in notifications(world, "u-cadre1") if n["kind"] == "test"] == ["2031 年工作日历尚未录入"]


async def test_the_servers_tick_asks_the_sources_on_a_reader_while_writes_go_on(world: World, tmp_path,
                                                                                   monkeypatch) -> None:
    # The sources scan a whole year of open problems; in the writer they held every push behind them.
    import asyncio
    import threading

    from server.store import Store

    path = world.db.conn.execute("PRAGMA database_list").fetchone()[2]
    store = Store(Path(path))
    released = threading.Event()
    seen: list[str] = []

    def source(t: Tick) -> list[Reminder]:
        seen.append(threading.current_thread().name)
        # Waits until a write has gone through; in the writer thread that write could never run.
        assert released.wait(timeout=30), "a write waited behind the reminder sources"
        return [Reminder("test:reader", ("u-cadre1",), TEST_NOTICE)]

    monkeypatch.setattr(scheduler, "_SOURCES", {"zz-test": source})
    try:
        ticking = asyncio.ensure_future(scheduler.tick_in_store(store, NOW))
        await store.write_tx(lambda db: db.conn.execute(
            "UPDATE user SET name = name WHERE id = 'u-cadre1'"))
        released.set()
        assert await ticking == ["test:reader"]
        assert await scheduler.tick_in_store(store, NOW) == []  # claimed: not again
    finally:
        released.set()
        store.close()
    assert len(seen) == 2 and all(name.startswith("fangtan-reader") for name in seen), seen
