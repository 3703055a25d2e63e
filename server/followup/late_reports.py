"""HR's late-report list: held interviews whose 访谈情况报告 is past its due date (interview day + 7
working days) and not submitted, grouped per cadre with how late each one is.

One definition of "late" for the HR screen and the weekly HR digest. An interview whose year the
working-day calendar does not know is listed apart (``calendar_unknown_year``), never guessed.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlite_utils import Database

from sync import rowstore
from sync.calendar import REPORT_DUE_WORKING_DAYS, WorkCalendar
from sync.errors import CalendarUnknown
from sync.followup_rules import interview_date, is_report_overdue


class LateReport(msgspec.Struct, frozen=True, kw_only=True):
    """One late report; also the API's item (``GET /api/followup/late-reports``)."""

    interview_id: str
    interview_date: dt.date
    due_date: dt.date
    days_overdue: int
    """Calendar days after the due date."""
    working_days_overdue: int
    report_status: str
    """``draft`` (saved, not submitted) or ``none`` (not started)."""


class CadreLateReports(msgspec.Struct, kw_only=True):
    cadre_id: str
    cadre_name: str
    reports: list[LateReport] = msgspec.field(default_factory=list)


class UnknownDue(msgspec.Struct, frozen=True, kw_only=True):
    """A pending report whose due date cannot be computed: the calendar lacks the year."""

    interview_id: str
    interview_date: dt.date
    calendar_unknown_year: int
    cadre_ids: tuple[str, ...]


def report_due_date(cal: WorkCalendar, day: dt.date) -> dt.date | None:
    """The report's due date, or None when the calendar does not know the year."""
    try:
        return cal.add_working_days(day, REPORT_DUE_WORKING_DAYS)
    except CalendarUnknown:
        return None


def _pending_interviews(db: Database) -> list:
    return rowstore.load_where(
        db,
        "interview",
        "status = 'submitted' AND id NOT IN (SELECT interview_id FROM report WHERE status = 'submitted')",
        [],
    )


def late_reports(db: Database, today: dt.date, cal: WorkCalendar) -> tuple[list[CadreLateReports], list[UnknownDue]]:
    """Per cadre (most overdue first), their late reports (longest overdue first); and the pending
    interviews whose due date is unknown because the calendar lacks the year."""
    drafts = {r[0] for r in db.conn.execute("SELECT interview_id FROM report WHERE status = 'draft'").fetchall()}
    names = dict(db.conn.execute('SELECT id, name FROM "user"').fetchall())
    per_cadre: dict[str, CadreLateReports] = {}
    unknown: list[UnknownDue] = []
    for iv in _pending_interviews(db):
        day = interview_date(iv)
        cadres = tuple(iv.cadre_ids) or (iv.author_id,)
        try:
            due = cal.add_working_days(day, REPORT_DUE_WORKING_DAYS)
        except CalendarUnknown as exc:
            unknown.append(
                UnknownDue(
                    interview_id=iv.id,
                    interview_date=day,
                    calendar_unknown_year=int(exc.details.get("year", day.year)),
                    cadre_ids=cadres,
                )
            )
            continue
        if not is_report_overdue(due, None, today):  # pending: not submitted
            continue
        try:
            working = cal.working_days_between(due, today)
        except CalendarUnknown:
            working = 0
        late = LateReport(
            interview_id=iv.id,
            interview_date=day,
            due_date=due,
            days_overdue=(today - due).days,
            working_days_overdue=working,
            report_status="draft" if iv.id in drafts else "none",
        )
        for cadre in cadres:
            entry = per_cadre.setdefault(cadre, CadreLateReports(cadre_id=cadre, cadre_name=names.get(cadre) or cadre))
            entry.reports.append(late)
    out = list(per_cadre.values())
    for entry in out:
        entry.reports.sort(key=lambda r: (-r.days_overdue, r.interview_id))
    out.sort(key=lambda e: (-max(r.days_overdue for r in e.reports), e.cadre_name))
    unknown.sort(key=lambda u: (u.interview_date, u.interview_id))
    return out, unknown


def late_interview_ids(db: Database, today: dt.date, cal: WorkCalendar) -> list[str]:
    """Interviews whose report is overdue (the HR digest counts them)."""
    per_cadre, _ = late_reports(db, today, cal)
    return sorted({r.interview_id for e in per_cadre for r in e.reports})
