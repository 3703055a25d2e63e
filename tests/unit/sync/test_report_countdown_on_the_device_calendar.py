"""The report deadline the tablet shows offline: the calendar table devices carry answers like the
server's calendar, the shared vectors are current, and the server's due date follows the interview."""

import datetime as dt
import json

from sync.calendar import WorkCalendar
from sync.errors import CalendarUnknown
from sync.vectors.generate import HERE, HR_2027, build_workdays
from tests.builders import World, held_interview, interview_args, seq_of


def test_the_workday_vectors_are_current() -> None:
    on_disk = json.loads((HERE / "workdays.json").read_text(encoding="utf-8"))
    assert on_disk == build_workdays(), "run `python -m sync.vectors.generate workdays`"


def _device_answer(table: dict, day: dt.date) -> bool | None:
    """The PWA's rule (pwa/src/domain/workdays.ts), None for an unknown year."""
    if day.isoformat() in table["exceptions"]:
        return table["exceptions"][day.isoformat()]
    return day.weekday() < 5 if day.year in table["known_years"] else None


def test_the_device_table_answers_every_day_like_the_server_calendar() -> None:
    # Library years, an HR-imported complete year, an override in a year not complete yet, one unknown year.
    cal = WorkCalendar(overrides={**HR_2027, dt.date(2028, 1, 3): False}, complete_years=frozenset({2027}))
    table = cal.device_table(2025, 2029)
    assert table["known_years"] == [2025, 2026, 2027]
    day = dt.date(2025, 1, 1)
    while day.year <= 2029:
        try:
            server = cal.is_workday(day)
        except CalendarUnknown:
            server = None
        assert _device_answer(table, day) == server, day
        day += dt.timedelta(days=1)


def test_a_report_saved_on_a_draft_takes_the_due_date_of_the_day_the_interview_is_held(world: World, dev) -> None:
    from sync.ids import new_id

    iid = new_id()
    draft = interview_args(iid, started_at=None, ended_at=None)
    assert dev("u-cadre1").push_one("interview.save", draft).status == "applied"
    assert dev("u-cadre1").push_one("report.save", {"interview_id": iid, "summary": "先写几句"}).status == "applied"
    created = world.db["report"].get(iid)
    # Held on Friday 26 Sep 2025 (the report is due Monday 13 Oct, after the National Day week).
    r = dev("u-cadre1").push_one("interview.save", {"id": iid, "status": "submitted",
                                                    "started_at": "2025-09-26T09:00:00+08:00",
                                                    "ended_at": "2025-09-26T10:30:00+08:00"},
                                 base=seq_of(world, "interview", iid))
    assert r.status == "applied", r
    row = world.db["report"].get(iid)
    assert (row["interview_date"], row["due_date"]) == ("2025-09-26", "2025-10-13")
    assert created["interview_date"] != "2025-09-26"  # the test can fail: the first save had another day


def test_an_interview_without_a_report_keeps_no_server_due_date(world: World, dev) -> None:
    iid = held_interview(dev)
    assert world.db.execute("SELECT count(*) FROM report WHERE id = ?", [iid]).fetchone()[0] == 0
