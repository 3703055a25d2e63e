"""Scheduler: deterministic reminder keys claimed in the same transaction as the inbox rows — sent
once, also across restarts and for reminders that fell due while the server was down."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import server.followup  # noqa: F401 - registers the follow-up reminder source
import server.plans  # noqa: F401 - registers the plan reminder source
from server.followup import reminders
from server.platform import scheduler
from server.platform.scheduler import Policy, sent_keys, tick
from tests.builders import World, assign, held_interview, notifications, open_db, raise_issue, submit_report

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SH)


def restart(world: World) -> None:
    path = world.db.conn.execute("PRAGMA database_list").fetchone()[2]
    world.db.close()
    world.db = open_db(path)


def only(keys: list[str], *kinds: str) -> list[str]:
    return [k for k in keys if k.split(":")[0] in kinds]


ISSUE = ("due_soon", "overdue", "overdue_escalation")
REPORT = ("report_due_soon", "report_due", "report_overdue")


def kinds(world: World, user: str) -> list[str]:
    return [n["kind"] for n in notifications(world, user) if n["kind"] not in ("assigned", "digest")]


def test_issue_due_soon_overdue_and_escalation_each_once(world: World, dev) -> None:
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    assign(dev, issue, due="2025-11-28")  # a Friday
    policy = Policy(due_soon_days=3, escalate_after_days=5)
    assert not only(tick(world.db, at(2025, 11, 21), policy), *ISSUE)
    assert only(tick(world.db, at(2025, 11, 25), policy), *ISSUE) == [f"due_soon:{issue}:2025-11-28"]  # 3 working days left
    assert only(tick(world.db, at(2025, 11, 25, 15), policy), *ISSUE) == []
    restart(world)
    assert only(tick(world.db, at(2025, 11, 26), policy), *ISSUE) == []
    assert kinds(world, "u-handler") == ["due_soon"]
    # down from the 27th to Monday 1 Dec (09:00): the overdue reminder is sent once on return
    keys = only(tick(world.db, at(2025, 12, 1, 9), policy), *ISSUE)
    assert f"overdue:{issue}:2025-11-28" in keys and not any(k.startswith("overdue_escalation") for k in keys)
    restart(world)
    assert only(tick(world.db, at(2025, 12, 1, 11), policy), *ISSUE) == []
    assert only(tick(world.db, at(2025, 12, 5), policy), *ISSUE) == [f"overdue_escalation:{issue}:2025-11-28"]  # 5 working days late
    assert only(tick(world.db, at(2025, 12, 8, 7), policy), "digest") == []  # Monday before 08:00: no digest yet
    assert kinds(world, "u-handler").count("overdue") == 1
    assert kinds(world, "u-leader") == ["overdue_escalation"]
    body = notifications(world, "u-leader")[0]["body"]
    assert "已逾期 5 个工作日" in body and "钱工" not in body


def test_report_reminders_before_on_and_after_the_due_day(world: World, dev) -> None:
    iid = held_interview(dev)  # 26 Sep 2025 → report due Monday 13 Oct
    assert only(tick(world.db, at(2025, 10, 9)), *REPORT) == []  # 3 working days left (9, 10, 11 Sat make-up, 13): not yet
    assert only(tick(world.db, at(2025, 10, 10)), *REPORT) == [f"report_due_soon:{iid}:2025-10-13"]
    assert only(tick(world.db, at(2025, 10, 11)), *REPORT) == []
    assert f"report_due:{iid}:2025-10-13" in tick(world.db, at(2025, 10, 13))
    restart(world)
    assert only(tick(world.db, at(2025, 10, 13, 16)), *REPORT) == []
    assert f"report_overdue:{iid}:2025-10-13" in tick(world.db, at(2025, 10, 15))
    assert kinds(world, "u-cadre1") == ["report_due_soon", "report_due", "report_overdue"]
    assert submit_report(dev, iid).status == "applied"
    assert only(tick(world.db, at(2025, 10, 20)), *REPORT) == []


def test_a_reminder_that_fell_due_while_down_is_sent_once_not_replayed_in_full(world: World, dev) -> None:
    iid = held_interview(dev)
    # first tick ever, long after the due day: only the overdue one — no stale "due soon"/"due today"
    keys = only(tick(world.db, at(2025, 10, 20)), *REPORT)
    assert keys == [f"report_overdue:{iid}:2025-10-13"]


def test_weekly_digests_on_monday_morning_shanghai_time(world: World, dev) -> None:
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    assign(dev, issue, due="2025-11-28")
    assert only(tick(world.db, dt.datetime(2025, 11, 24, 7, 59, tzinfo=SH)), "digest") == []
    keys = tick(world.db, dt.datetime(2025, 11, 24, 0, 0, tzinfo=dt.UTC))  # 08:00 in Shanghai
    assert "digest:hr:2025-W48" in keys and "digest:emd:2025-W48" in keys and "digest:ptd:2025-W48" in keys
    assert only(tick(world.db, at(2025, 11, 25)), "digest", *ISSUE) == [f"due_soon:{issue}:2025-11-28"]  # digests done
    [digest] = [n for n in notifications(world, "u-handler") if n["kind"] == "digest"]
    assert "在办问题 1 个" in digest["body"]
    assert [n["kind"] for n in notifications(world, "u-handler2")] == []  # nothing open: claimed, nobody bothered
    assert "全公司在办问题 1 个" in [n for n in notifications(world, "u-hr") if n["kind"] == "digest"][0]["body"]
    # missed Monday entirely (server down): Tuesday sends that week's digest, once
    assert "digest:hr:2025-W49" in tick(world.db, at(2025, 12, 2))
    assert not [k for k in tick(world.db, at(2025, 12, 3)) if k.startswith("digest")]


def test_a_crash_inside_a_tick_sends_nothing_and_the_next_tick_sends_once(world: World, dev, monkeypatch) -> None:
    iid = held_interview(dev)
    calls = {"n": 0}
    real = scheduler.notify

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(scheduler, "notify", flaky)
    with pytest.raises(RuntimeError):
        tick(world.db, at(2025, 10, 13))
    assert sent_keys(world.db) == [] and notifications(world, "u-cadre1") == []
    assert only(tick(world.db, at(2025, 10, 13)), *REPORT) == [f"report_due:{iid}:2025-10-13"]
    assert len(notifications(world, "u-cadre1")) == 1


def test_a_weeks_digests_once_sent_are_not_built_again_that_week(world: World, dev) -> None:
    """The digest reads every open problem; once this week's are all claimed the rest of the week's
    ticks skip it (it was built every minute from Monday to Sunday), and a digest left unclaimed
    (a department added mid-week) is still built and sent."""
    assign(dev, raise_issue(dev, held_interview(dev)), due="2025-11-28")
    assert "digest:hr:2025-W48" in tick(world.db, at(2025, 11, 24))
    wednesday = scheduler._tick(world.db, at(2025, 11, 26), Policy())
    assert reminders.digest_reminders(world.db, wednesday.local_now, wednesday.calendar, Policy()) == []
    world.db.conn.execute("DELETE FROM reminder WHERE key = 'digest:emd:2025-W48'")
    assert [k for k in tick(world.db, at(2025, 11, 26)) if k.startswith("digest")] == ["digest:emd:2025-W48"]
