"""The follow-up loop's reminder source (docs/followup.md §Reminders), registered with the platform
scheduler (``server.platform.scheduler``) when this package is imported. Each reminder's key is
its idempotency key: the scheduler sends it once, across restarts.

* ``due_soon:<issue>:<due>`` — an assigned problem is due within ``due_soon_days`` working days:
  the handler department (its handlers) and the owner.
* ``overdue:<issue>:<due>`` — past its due date and not resolved/closed: the same people.
* ``overdue_escalation:<issue>:<due>`` — still open ``escalate_after_days`` working days after the
  due date: the leaders over the handler department (company leaders).
* ``report_due_soon:<interview>:<due>`` / ``report_due:<interview>:<due>`` /
  ``report_overdue:<interview>:<due>`` — the report of a held interview is not submitted and is due
  within ``report_before_days`` working days / today / is late: the interview's cadres.
* ``digest:<dept unit id>:<ISO week>`` and ``digest:hr:<ISO week>`` — Monday from ``digest_hour``
  (Asia/Shanghai) on, once per week: open/overdue/due-soon counts per handler department to its
  handlers, company totals and pending reports to HR.

Plan reminders are the plans package's source (``server.plans.reminders``).
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlite_utils import Database

from server.followup.late_reports import late_interview_ids, report_due_date
from server.platform.scheduler import (
    Policy,
    Reminder,
    Tick,
    all_claimed,
    register_refresher,
    register_reminder_source,
)
from sync import rowstore, visibility
from sync.calendar import WorkCalendar, unknown_next_year, week_key
from sync.errors import CalendarUnknown
from sync.followup_rules import (
    DONE_BY_HANDLER,
    handlers_of,
    interview_date,
    is_overdue,
    is_report_overdue,
    leaders_over,
    users_with_role,
)
from sync.notices import Join, Notice, Text, notice, receipt, shorten, week

OPEN_ASSIGNED = ("assigned", "in_progress")
REPORT_LOOKBACK_DAYS = 90
"""Interviews older than this are not chased for their report any more (HR sees them in the digest)."""


def _wd_between(cal: WorkCalendar, a: dt.date, b: dt.date) -> int | None:
    try:
        return cal.working_days_between(a, b)
    except CalendarUnknown:
        return None


# --- what is due ------------------------------------------------------------------------------


def issue_reminders(db: Database, today: dt.date, cal: WorkCalendar, policy: Policy) -> list[Reminder]:
    out: list[Reminder] = []
    rows = db.conn.execute(
        "SELECT id, description, receipt_code, due_date, handler_unit_id, owner_user_id, status FROM issue"
        f" WHERE status IN {OPEN_ASSIGNED} AND due_date IS NOT NULL AND handler_unit_id IS NOT NULL"
        " ORDER BY due_date, id"
    ).fetchall()
    # Who handles and who is escalated to depends on the department only (a few dozen), not on the
    # problem: looked up once per department and tick (a year's open problems are thousands).
    handlers: dict[str, list[str]] = {}
    leaders: dict[str, tuple[str, ...]] = {}
    for issue_id, desc, code, due_s, unit_id, owner_id, status in rows:
        due = dt.date.fromisoformat(due_s)
        if unit_id not in handlers:
            handlers[unit_id] = handlers_of(db, unit_id)
        team = (*handlers[unit_id], *([owner_id] if owner_id else []))
        label = receipt(code, shorten(desc))
        if is_overdue(status, due, today):
            out.append(Reminder(f"overdue:{issue_id}:{due_s}", team, notice("overdue", receipt=label, due=due_s),
                                "issue", issue_id))
            late = _wd_between(cal, due, today)
            if late is not None and late >= policy.escalate_after_days:
                if unit_id not in leaders:
                    leaders[unit_id] = tuple(leaders_over(db, unit_id))
                out.append(Reminder(
                    f"overdue_escalation:{issue_id}:{due_s}", leaders[unit_id],
                    notice("overdue_escalation", receipt=label, due=due_s, late=late), "issue", issue_id))
        else:
            left = _wd_between(cal, today, due)
            if left is not None and left <= policy.due_soon_days:
                when = Text("due_today") if left == 0 else Text("due_in", {"left": left})
                out.append(Reminder(f"due_soon:{issue_id}:{due_s}", team,
                                    notice("due_soon", receipt=label, due=due_s, when=when), "issue", issue_id))
    return out


def report_reminders(db: Database, today: dt.date, cal: WorkCalendar, policy: Policy) -> list[Reminder]:
    """Held interviews (submitted record) whose report is not submitted yet."""
    out: list[Reminder] = []
    since = (today - dt.timedelta(days=REPORT_LOOKBACK_DAYS)).isoformat()
    rows = rowstore.load_where(
        db, "interview",
        "status = 'submitted' AND coalesce(started_at, created_at) >= ?"
        " AND id NOT IN (SELECT interview_id FROM report WHERE status = 'submitted')", [since])
    for iv in rows:
        day = interview_date(iv)
        due = report_due_date(cal, day)
        if due is None:
            continue  # the report row shows calendar_unknown_year; HR's digest lists it
        cadres = tuple(iv.cadre_ids)
        said = {"day": day.isoformat(), "due": due.isoformat()}
        if is_report_overdue(due, None, today):  # the query keeps only unsubmitted reports
            out.append(Reminder(f"report_overdue:{iv.id}:{due}", cadres, notice("report_overdue", **said),
                                "interview", iv.id))
        elif today == due:
            out.append(Reminder(f"report_due:{iv.id}:{due}", cadres, notice("report_due", **said), "interview", iv.id))
        else:
            left = _wd_between(cal, today, due)
            if left is not None and left <= policy.report_before_days:
                out.append(Reminder(f"report_due_soon:{iv.id}:{due}", cadres,
                                    notice("report_due_soon", **said, left=left), "interview", iv.id))
    return out


def _digest_due(local_now: dt.datetime, policy: Policy) -> bool:
    wd = local_now.weekday()
    return wd > policy.digest_weekday or (wd == policy.digest_weekday and local_now.hour >= policy.digest_hour)


def _digest_key(to: str, tag: str) -> str:
    """A handler department's (unit id) or HR's (``hr``) digest of the ISO week ``tag``."""
    return f"digest:{to}:{tag}"


def _calendar_unknown_key(year: int, tag: str) -> str:
    return f"calendar_unknown:{year}:{tag}"


def digest_reminders(db: Database, local_now: dt.datetime, cal: WorkCalendar, policy: Policy) -> list[Reminder]:
    if not _digest_due(local_now, policy):
        return []
    today = local_now.date()
    tag = week_key(today)  # the reminder key (once per ISO week); people read week(today)
    depts = db.conn.execute("SELECT id, name FROM org_unit WHERE is_handler_dept = 1 ORDER BY sort, id").fetchall()
    unknown = unknown_next_year(cal, today)
    keys = [_digest_key(unit_id, tag) for unit_id, _ in depts] + [_digest_key("hr", tag)]
    if unknown is not None:
        keys.append(_calendar_unknown_key(unknown, tag))
    if all_claimed(db, keys):
        return []  # this week's were sent: the rest of the week's ticks need not build them again
    when = week(today)
    stats: dict[str, dict[str, list[str]]] = {}
    for unit_id, code, desc, due_s, status in db.conn.execute(
        "SELECT handler_unit_id, receipt_code, description, due_date, status FROM issue"
        " WHERE status NOT IN ('closed') AND handler_unit_id IS NOT NULL ORDER BY due_date"
    ).fetchall():
        s = stats.setdefault(unit_id, {"open": [], "overdue": [], "soon": []})
        s["open"].append(code)
        if is_overdue(status, due_s, today):
            s["overdue"].append(Text("digest.item", {"code": code, "text": shorten(desc, 24), "due": due_s}))
        elif due_s and status not in DONE_BY_HANDLER:
            left = _wd_between(cal, today, dt.date.fromisoformat(due_s))
            if left is not None and left <= policy.due_soon_days:
                s["soon"].append(Text("digest.item", {"code": code, "text": shorten(desc, 24), "due": due_s}))
    out = []
    for unit_id, name in depts:
        s = stats.get(unit_id, {"open": [], "overdue": [], "soon": []})
        lists = [Text(key, {"items": Join(s[part][:10])})
                 for part, key in (("overdue", "digest.overdue_list"), ("soon", "digest.soon_list")) if s[part]]
        team = tuple(handlers_of(db, unit_id)) if s["open"] else ()
        out.append(Reminder(_digest_key(unit_id, tag), team, Notice("digest", "digest.unit", {
            "week": when, "unit": name, "open": len(s["open"]), "overdue": len(s["overdue"]),
            "soon": len(s["soon"]), "soon_days": policy.due_soon_days, "lists": Join(lists, sep="")})))
    total_open = sum(len(s["open"]) for s in stats.values())
    # Company-wide, unassigned problems past their 预计完成时间 are overdue too (the dashboard's figure).
    total_overdue = sum(is_overdue(st, due_s, today) for st, due_s in db.conn.execute(
        "SELECT status, due_date FROM issue WHERE status NOT IN ('closed')").fetchall())
    unassigned = db.conn.execute("SELECT count(*) FROM issue WHERE handler_unit_id IS NULL AND status = 'raised'"
                                 ).fetchone()[0]
    pending_reports = len(report_reminders_pending(db, today, cal))
    units = [Text("digest.hr.unit", {"unit": name, "open": len(s["open"]), "overdue": len(s["overdue"])})
             for unit_id, name in depts if (s := stats.get(unit_id)) and s["open"]]
    warning = Text("calendar_warning", {"year": unknown}) if unknown is not None else None
    out.append(Reminder(_digest_key("hr", tag), tuple(users_with_role(db, "hr")), Notice("digest", "digest.hr", {
        "week": when, "open": total_open, "overdue": total_overdue, "unassigned": unassigned,
        "late_reports": pending_reports, "units": Join(units, sep=""),
        "calendar": Text("digest.hr.calendar", {"warning": warning}) if warning else ""})))
    if unknown is not None:
        # Admins get no digest; they are told on the same Monday (HR already reads it in theirs).
        admins = tuple(u for u in users_with_role(db, "admin") if u not in set(users_with_role(db, "hr")))
        out.append(Reminder(_calendar_unknown_key(unknown, tag), admins,
                            notice("calendar_unknown", year=unknown, warning=warning),
                            "calendar_year", str(unknown)))
    return out


def report_reminders_pending(db: Database, today: dt.date, cal: WorkCalendar) -> list[str]:
    """Interviews whose report is overdue (for HR's digest; the same list HR's screen shows)."""
    return late_interview_ids(db, today, cal)


def refresh_unknown_due_dates(db: Database, cal: WorkCalendar, now_iso: str) -> int:
    """Reports saved while their year's calendar was unknown get their due date once it is entered."""
    n = 0
    for report in rowstore.load_where(db, "report", "calendar_unknown_year IS NOT NULL", []):
        if report.interview_date is None:
            continue
        due = report_due_date(cal, report.interview_date)
        if due is None:
            continue
        new = msgspec.structs.replace(report, due_date=due, calendar_unknown_year=None, updated_at=now_iso)
        rowstore.save(db, "report", new, visibility.visibility_for(db, "report", new), now_iso)
        n += 1
    return n


def followup_reminders(tick: Tick) -> list[Reminder]:
    """Problems, reports and the weekly digests (reads only; the refresher ran before)."""
    return [*issue_reminders(tick.db, tick.today, tick.calendar, tick.policy),
            *report_reminders(tick.db, tick.today, tick.calendar, tick.policy),
            *digest_reminders(tick.db, tick.local_now, tick.calendar, tick.policy)]


def refresh_followup(tick: Tick) -> None:
    """Reports whose due date became known (their year's calendar was entered) get it first."""
    refresh_unknown_due_dates(tick.db, tick.calendar, tick.now_iso)


register_refresher("followup", refresh_followup)
register_reminder_source("followup", followup_reminders)
