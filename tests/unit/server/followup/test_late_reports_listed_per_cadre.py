"""HR's late-report list: reports not submitted by interview day + 7 working days, per cadre, with
calendar and working days overdue; drafts and not-started reports alike; a year the calendar does
not know is listed apart, never guessed."""

import datetime as dt

from server.followup.late_reports import late_reports
from sync.calendar import WorkCalendar
from tests.builders import World, held_interview, raise_issue, submit_report


def test_late_reports_per_cadre_with_days_overdue(world: World, dev) -> None:
    # 26 Sep 2025 → due Mon 13 Oct 2025 (National Day week off, Sat 11 Oct worked).
    none_yet = held_interview(dev, "u-cadre1")
    draft = held_interview(dev, "u-cadre2", day="2025-09-29")  # due Wed 15 Oct
    assert dev("u-cadre2").push_one("report.save", {"interview_id": draft, "title": "草稿"}).status == "applied"
    done = held_interview(dev, "u-cadre1")
    raise_issue(dev, done)
    assert submit_report(dev, done).status == "applied"
    in_time = held_interview(dev, "u-cadre1", day="2025-10-16")  # due 27 Oct

    per_cadre, unknown = late_reports(world.db, dt.date(2025, 10, 20), WorkCalendar.from_db(world.db))

    assert unknown == []
    assert [(c.cadre_id, c.cadre_name) for c in per_cadre] == [("u-cadre1", "张干部"), ("u-cadre2", "李干部")]
    [first] = per_cadre[0].reports
    assert (
        first.interview_id,
        first.due_date,
        first.days_overdue,
        first.working_days_overdue,
        first.report_status,
    ) == (none_yet, dt.date(2025, 10, 13), 7, 5, "none")
    [second] = per_cadre[1].reports
    assert (
        second.interview_id,
        second.due_date,
        second.days_overdue,
        second.working_days_overdue,
        second.report_status,
    ) == (draft, dt.date(2025, 10, 15), 5, 3, "draft")
    listed = {r.interview_id for c in per_cadre for r in c.reports}
    assert done not in listed and in_time not in listed

    # On the due day itself nothing is late yet.
    per_cadre, _ = late_reports(world.db, dt.date(2025, 10, 13), WorkCalendar.from_db(world.db))
    assert per_cadre == []


def test_a_year_the_calendar_does_not_know_is_listed_apart(world: World, dev) -> None:
    cal = WorkCalendar.from_db(world.db)
    year = next(y for y in range(2025, 2100) if not cal.knows(y))
    iid = held_interview(dev, "u-cadre2", day=f"{year}-03-02")
    per_cadre, unknown = late_reports(world.db, dt.date(year, 6, 1), cal)
    assert per_cadre == []
    assert [(u.interview_id, u.calendar_unknown_year, u.cadre_ids) for u in unknown] == [(iid, year, ("u-cadre2",))]
