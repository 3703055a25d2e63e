"""Plan reminders ride the follow-up scheduler: due soon (3 working days before the window ends) to
the cadre, missed to the cadre and HR — each once, also across restarts and after downtime."""

import datetime as dt
from zoneinfo import ZoneInfo

import server.followup  # noqa: F401 - registers the follow-up reminder source
import server.plans  # noqa: F401 - registers the plan reminder source
from server.platform.scheduler import Policy, tick
from tests.builders import World, notifications, open_db, plan, planned_interview

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SH)


def restart(world: World) -> None:
    path = world.db.conn.execute("PRAGMA database_list").fetchone()[2]
    world.db.close()
    world.db = open_db(path)


def plan_keys(keys: list[str]) -> list[str]:
    return [k for k in keys if k.startswith("plan_")]


def kinds(world: World, user: str) -> list[str]:
    return [n["kind"] for n in notifications(world, user) if n["kind"].startswith("plan_")]


def test_due_soon_then_missed_each_once_across_restarts(world: World, dev) -> None:
    pid, _ = plan(dev, window_start="2025-11-01", window_end="2025-11-28")  # a Friday
    policy = Policy(due_soon_days=3)
    assert plan_keys(tick(world.db, at(2025, 11, 24), policy)) == []  # 4 working days left
    assert plan_keys(tick(world.db, at(2025, 11, 25), policy)) == [f"plan_due_soon:{pid}:2025-11-28"]
    restart(world)
    assert plan_keys(tick(world.db, at(2025, 11, 26), policy)) == []
    # down over the weekend: the missed reminder is sent once on Monday
    assert plan_keys(tick(world.db, at(2025, 12, 1, 9), policy)) == [f"plan_missed:{pid}:2025-11-28"]
    restart(world)
    assert plan_keys(tick(world.db, at(2025, 12, 2), policy)) == []
    assert kinds(world, "u-cadre1") == ["plan_due_soon", "plan_missed"]
    assert kinds(world, "u-hr") == ["plan_missed"]
    assert "已过期" in notifications(world, "u-hr")[-1]["body"]


def test_a_held_visit_is_not_chased(world: World, dev) -> None:
    pid, _ = plan(dev, window_start="2025-11-01", window_end="2025-11-28")
    planned_interview(dev, pid, day="2025-11-20")
    assert plan_keys(tick(world.db, at(2025, 11, 26))) == []
    assert plan_keys(tick(world.db, at(2025, 12, 3))) == []


def test_moving_the_window_rearms_and_old_misses_do_not_flood(world: World, dev) -> None:
    old, _ = plan(dev, kind="quarterly", quarter=1)  # ended 31 Mar: long before the first tick
    assert plan_keys(tick(world.db, at(2025, 11, 3))) == []
    from tests.builders import seq_of

    pid, _ = plan(dev, window_start="2025-11-01", window_end="2025-11-05")
    assert plan_keys(tick(world.db, at(2025, 11, 3))) == [f"plan_due_soon:{pid}:2025-11-05"]
    dev("u-hr").push_one("plan.save", {"id": pid, "window_end": "2025-11-28"}, base=seq_of(world, "plan_item", pid))
    assert plan_keys(tick(world.db, at(2025, 11, 6))) == []
    assert plan_keys(tick(world.db, at(2025, 11, 25))) == [f"plan_due_soon:{pid}:2025-11-28"]
    assert old not in " ".join(plan_keys(tick(world.db, at(2025, 11, 26))))
