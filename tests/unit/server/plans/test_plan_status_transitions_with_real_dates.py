"""An item moves planned → done / late / missed on real dates (China Standard Time), and is counted
per cadre, unit, month and quarter."""

import datetime as dt

from server.plans.progress import completion_summary, plan_completion
from tests.builders import World, plan, planned_interview


def status(world: World, pid: str, today: dt.date) -> str:
    return next(s.status for s in plan_completion(world.db, year=2025, today=today) if s.item_id == pid)


def test_planned_then_missed_when_the_window_passes(world: World, dev) -> None:
    pid, _ = plan(dev, window_start="2025-11-01", window_end="2025-11-14")
    assert status(world, pid, dt.date(2025, 11, 14)) == "planned"  # the last day still counts
    assert status(world, pid, dt.date(2025, 11, 15)) == "missed"


def test_done_within_the_window_late_after_it(world: World, dev) -> None:
    on_time, _ = plan(dev, window_start="2025-11-01", window_end="2025-11-14")
    assert planned_interview(dev, on_time, day="2025-11-14").status == "applied"
    assert status(world, on_time, dt.date(2025, 12, 31)) == "done"
    late, _ = plan(dev, window_start="2025-10-01", window_end="2025-10-31")
    assert status(world, late, dt.date(2025, 11, 3)) == "missed"
    assert planned_interview(dev, late, day="2025-11-03").status == "applied"
    s = next(s for s in plan_completion(world.db, year=2025, today=dt.date(2025, 11, 3)) if s.item_id == late)
    assert (s.status, s.held_on) == ("late", dt.date(2025, 11, 3))


def test_held_day_is_taken_in_china_time(world: World, dev) -> None:
    pid, _ = plan(dev, window_start="2025-11-01", window_end="2025-11-14")
    # 23:30 UTC on the 14th is already the 15th in Shanghai: late
    from sync.ids import new_id
    from tests.builders import interview_args

    args = interview_args(
        new_id(),
        plan_item_id=pid,
        adhoc_reason=None,
        status="submitted",
        started_at="2025-11-14T23:30:00+00:00",
        ended_at="2025-11-15T00:30:00+00:00",
    )
    assert dev("u-cadre1").push_one("interview.save", args).status == "applied"
    assert status(world, pid, dt.date(2025, 11, 20)) == "late"


def test_a_draft_does_not_fulfil_and_cancelled_items_are_not_counted(world: World, dev) -> None:
    pid, _ = plan(dev, window_start="2025-11-01", window_end="2025-11-14")
    planned_interview(dev, pid, submitted=False)
    assert status(world, pid, dt.date(2025, 11, 20)) == "missed"
    from tests.builders import seq_of

    dev("u-hr").push_one("plan.save", {"id": pid, "status": "cancelled"}, base=seq_of(world, "plan_item", pid))
    assert plan_completion(world.db, year=2025, today=dt.date(2025, 11, 20)) == []


def test_counts_per_cadre_unit_month_and_quarter(world: World, dev) -> None:
    a, _ = plan(dev, cadre="u-cadre1", unit="ws1", window_start="2025-10-01", window_end="2025-10-31")
    plan(dev, cadre="u-cadre1", unit="ws2", window_start="2025-11-01", window_end="2025-11-30")
    b, _ = plan(dev, cadre="u-cadre2", unit="ws2")  # whole Q4
    plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=3, cadre="u-lead1")
    planned_interview(dev, a, day="2025-10-20")
    planned_interview(dev, b, cadre="u-cadre2", day="2025-12-01")
    today = dt.date(2025, 12, 5)
    by_cadre = {c.key: c for c in completion_summary(world.db, year=2025, by="cadre", today=today)}
    assert (by_cadre["u-cadre1"].done, by_cadre["u-cadre1"].missed) == (1, 1)
    assert (by_cadre["u-cadre2"].done, by_cadre["u-lead1"].missed) == (1, 1)
    by_unit = {
        c.key: (c.total, c.done, c.missed) for c in completion_summary(world.db, year=2025, by="unit", today=today)
    }
    assert by_unit == {"ws1": (2, 1, 1), "ws2": (2, 1, 1)}
    by_month = {c.key: c.total for c in completion_summary(world.db, year=2025, by="month", today=today)}
    assert by_month == {"2025-03": 1, "2025-10": 1, "2025-11": 1, "2025-12": 1}
    by_q = {
        c.key: (c.done, c.missed, c.planned) for c in completion_summary(world.db, year=2025, by="quarter", today=today)
    }
    assert by_q == {"2025-Q1": (0, 1, 0), "2025-Q4": (2, 1, 0)}
    assert [s.item_id for s in plan_completion(world.db, year=2025, quarter=4, cadre_id="u-cadre2", today=today)] == [b]
