"""Follow-up measures per cadre: reports on time and response speed of the problems they raised.

A report or a problem counts for every cadre of its interview (``cadre_ids``, else its author). The
quarter of a report is that of its due date; the quarter of a problem is that of the day it was
raised (Asia/Shanghai). Speeds are calendar days, as medians (robust against one forgotten case).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from dataclasses import dataclass, field

from sqlite_utils import Database

from server.evaluation.tickets import quarter_of
from server.followup.late_reports import report_due_date
from sync import rowstore
from sync.calendar import WorkCalendar, local_date, stamp_bounds
from sync.followup_rules import interview_date, is_overdue, is_report_overdue
from sync.mutations.plan import period_bounds


@dataclass
class ReportTimeliness:
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    """Past due and still not submitted."""
    not_yet_due: int = 0


@dataclass
class ProblemSpeed:
    raised: int = 0
    assigned: int = 0
    closed: int = 0
    overdue: int = 0
    """Open and past their due date."""
    days_to_assign: list[float] = field(default_factory=list)
    days_to_close: list[float] = field(default_factory=list)

    @property
    def median_days_to_assign(self) -> float | None:
        return round(statistics.median(self.days_to_assign), 1) if self.days_to_assign else None

    @property
    def median_days_to_close(self) -> float | None:
        return round(statistics.median(self.days_to_close), 1) if self.days_to_close else None


def _instant(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _days(start: str, end: str) -> float:
    return max(0.0, (_instant(end) - _instant(start)).total_seconds() / 86400)


def _cadres(cadre_ids: str | None, author_id: str) -> list[str]:
    ids = json.loads(cadre_ids or "[]")
    return ids or [author_id]


def _span(periods: set[str], before: int = 0) -> tuple[str, str]:
    """``stamp_bounds`` of the quarters ``periods`` (``2026Q4``), from ``before`` days earlier, as
    positional parameters."""
    days = [period_bounds(int(p[:4]), int(p[5:])) for p in periods]
    bounds = stamp_bounds(min(first for first, _ in days) - dt.timedelta(days=before), max(last for _, last in days))
    return bounds["low"], bounds["below"]


def report_timeliness(db: Database, periods: set[str], today: dt.date) -> dict[tuple[str, str], ReportTimeliness]:
    """(cadre_id, quarter) → report counts, for held interviews whose report falls due in ``periods``.

    The due date is the follow-up loop's (interview day + 7 working days, ``server.followup.late_reports``);
    an interview whose year the working-day calendar does not know is left out, never guessed.
    """
    if not periods:
        return {}
    cal = WorkCalendar.from_db(db)
    # A report falls due 7 working days after its interview: within 45 days, even over 国庆 or 春节.
    held = "status = 'submitted' AND coalesce(started_at, created_at) >= ? AND coalesce(started_at, created_at) < ?"
    span = _span(periods, before=45)
    submitted = dict(db.conn.execute(
        "SELECT interview_id, submitted_at FROM report WHERE status = 'submitted'"
        f" AND interview_id IN (SELECT id FROM interview WHERE {held})", span))
    out: dict[tuple[str, str], ReportTimeliness] = {}
    for iv in rowstore.load_where(db, "interview", held, span):
        due = report_due_date(cal, interview_date(iv))
        if due is None or quarter_of(due) not in periods:
            continue
        for cadre in list(iv.cadre_ids) or [iv.author_id]:
            t = out.setdefault((cadre, quarter_of(due)), ReportTimeliness())
            t.due += 1
            if submitted.get(iv.id):
                if local_date(submitted[iv.id]) <= due:
                    t.on_time += 1
                else:
                    t.late += 1
            elif is_report_overdue(due, None, today):
                t.overdue += 1
            else:
                t.not_yet_due += 1
    return out


def problem_speed(db: Database, periods: set[str], today: dt.date) -> dict[tuple[str, str], ProblemSpeed]:
    """(cadre_id, quarter) → speed of the problems raised in the cadre's interviews in ``periods``."""
    if not periods:
        return {}
    span = _span(periods)
    raised = "SELECT id FROM issue WHERE created_at >= ? AND created_at < ?"
    firsts: dict[str, dict[str, str]] = {}
    for issue_id, kind, created_at in db.conn.execute(  # by problem (``+kind``: not every year's by kind)
        "SELECT f.issue_id, f.kind, MIN(f.created_at) FROM issue s JOIN followup f ON f.issue_id = s.id"
        " AND +f.kind IN ('assign', 'close') WHERE s.created_at >= ? AND s.created_at < ? GROUP BY f.issue_id, f.kind",
        span,
    ):
        firsts.setdefault(issue_id, {})[kind] = created_at
    out: dict[tuple[str, str], ProblemSpeed] = {}
    rows = db.conn.execute(
        "SELECT s.id, s.created_at, s.status, s.due_date, i.cadre_ids, i.author_id FROM issue s"
        f" JOIN interview i ON i.id = s.interview_id WHERE s.id IN ({raised})", span,
    ).fetchall()
    for issue_id, created_at, status, due_date, cadre_ids, author in rows:
        period = quarter_of(local_date(created_at))
        if period not in periods:
            continue
        events = firsts.get(issue_id, {})
        for cadre in _cadres(cadre_ids, author):
            s = out.setdefault((cadre, period), ProblemSpeed())
            s.raised += 1
            if "assign" in events:
                s.assigned += 1
                s.days_to_assign.append(_days(created_at, events["assign"]))
            if status == "closed" and "close" in events:
                s.closed += 1
                s.days_to_close.append(_days(created_at, events["close"]))
            elif is_overdue(status, due_date, today):
                s.overdue += 1
    return out
