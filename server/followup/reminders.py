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
from server.platform.scheduler import Policy, Reminder, Tick, register_refresher, register_reminder_source
from sync import rowstore, visibility
from sync.calendar import WorkCalendar, unknown_next_year, week_key, week_label
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

OPEN_ASSIGNED = ("assigned", "in_progress")
REPORT_LOOKBACK_DAYS = 90
"""Interviews older than this are not chased for their report any more (HR sees them in the digest)."""


def _short(text: str, n: int = 40) -> str:
    text = text.strip().replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


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
    for issue_id, desc, code, due_s, unit_id, owner_id, status in rows:
        due = dt.date.fromisoformat(due_s)
        team = (*handlers_of(db, unit_id), *([owner_id] if owner_id else []))
        label = f"回执码 {code}：{_short(desc)}"
        if is_overdue(status, due, today):
            out.append(Reminder(f"overdue:{issue_id}:{due_s}", "overdue", team, "问题已逾期",
                                f"{label}，完成时限 {due_s}，已逾期，请尽快整改并报送进度。", "issue", issue_id))
            late = _wd_between(cal, due, today)
            if late is not None and late >= policy.escalate_after_days:
                out.append(Reminder(
                    f"overdue_escalation:{issue_id}:{due_s}", "overdue_escalation", tuple(leaders_over(db, unit_id)),
                    "逾期问题督办",
                    f"{label}，完成时限 {due_s}，已逾期 {late} 个工作日，请督办。", "issue", issue_id))
        else:
            left = _wd_between(cal, today, due)
            if left is not None and left <= policy.due_soon_days:
                when = "今天到期" if left == 0 else f"还有 {left} 个工作日到期"
                out.append(Reminder(f"due_soon:{issue_id}:{due_s}", "due_soon", team, "问题即将到期",
                                    f"{label}，完成时限 {due_s}，{when}。", "issue", issue_id))
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
        what = f"{day.isoformat()} 的访谈"
        if is_report_overdue(due, None, today):  # the query keeps only unsubmitted reports
            out.append(Reminder(f"report_overdue:{iv.id}:{due}", "report_overdue", cadres,
                                "访谈情况报告已逾期",
                                f"{what}的情况报告应于 {due} 前提交，现已逾期，请尽快提交。", "interview", iv.id))
        elif today == due:
            out.append(Reminder(f"report_due:{iv.id}:{due}", "report_due", cadres,
                                "访谈情况报告今天到期",
                                f"{what}的情况报告今天（{due}）到期。", "interview", iv.id))
        else:
            left = _wd_between(cal, today, due)
            if left is not None and left <= policy.report_before_days:
                out.append(Reminder(f"report_due_soon:{iv.id}:{due}", "report_due_soon", cadres,
                                    "访谈情况报告即将到期",
                                    f"{what}的情况报告应于 {due} 前提交（还有 {left} 个工作日）。", "interview", iv.id))
    return out


def _digest_due(local_now: dt.datetime, policy: Policy) -> bool:
    wd = local_now.weekday()
    return wd > policy.digest_weekday or (wd == policy.digest_weekday and local_now.hour >= policy.digest_hour)


def digest_reminders(db: Database, local_now: dt.datetime, cal: WorkCalendar, policy: Policy) -> list[Reminder]:
    if not _digest_due(local_now, policy):
        return []
    today = local_now.date()
    tag = week_key(today)  # the reminder key (once per ISO week); people read week_zh
    week_zh = week_label(today)
    stats: dict[str, dict[str, list[str]]] = {}
    for unit_id, code, desc, due_s, status in db.conn.execute(
        "SELECT handler_unit_id, receipt_code, description, due_date, status FROM issue"
        " WHERE status NOT IN ('closed') AND handler_unit_id IS NOT NULL ORDER BY due_date"
    ).fetchall():
        s = stats.setdefault(unit_id, {"open": [], "overdue": [], "soon": []})
        s["open"].append(code)
        if is_overdue(status, due_s, today):
            s["overdue"].append(f"{code} {_short(desc, 24)}（{due_s}）")
        elif due_s and status not in DONE_BY_HANDLER:
            left = _wd_between(cal, today, dt.date.fromisoformat(due_s))
            if left is not None and left <= policy.due_soon_days:
                s["soon"].append(f"{code} {_short(desc, 24)}（{due_s}）")
    out = []
    depts = db.conn.execute("SELECT id, name FROM org_unit WHERE is_handler_dept = 1 ORDER BY sort, id").fetchall()
    for unit_id, name in depts:
        s = stats.get(unit_id, {"open": [], "overdue": [], "soon": []})
        body = (f"{name}本周：在办问题 {len(s['open'])} 个，逾期 {len(s['overdue'])} 个，"
                f"3 个工作日内到期 {len(s['soon'])} 个。")
        if s["overdue"]:
            body += "\n逾期：" + "；".join(s["overdue"][:10])
        if s["soon"]:
            body += "\n即将到期：" + "；".join(s["soon"][:10])
        team = tuple(handlers_of(db, unit_id)) if s["open"] else ()
        out.append(Reminder(f"digest:{unit_id}:{tag}", "digest", team, f"每周整改进度（{week_zh}）", body))
    total_open = sum(len(s["open"]) for s in stats.values())
    # Company-wide, unassigned problems past their 预计完成时间 are overdue too (the dashboard's figure).
    total_overdue = sum(is_overdue(st, due_s, today) for st, due_s in db.conn.execute(
        "SELECT status, due_date FROM issue WHERE status NOT IN ('closed')").fetchall())
    unassigned = db.conn.execute("SELECT count(*) FROM issue WHERE handler_unit_id IS NULL AND status = 'raised'"
                                 ).fetchone()[0]
    pending_reports = len(report_reminders_pending(db, today, cal))
    body = (f"全公司在办问题 {total_open} 个，其中逾期 {total_overdue} 个；待交办问题 {unassigned} 个；"
            f"逾期未交的访谈情况报告 {pending_reports} 份。")
    for unit_id, name in depts:
        s = stats.get(unit_id)
        if s and s["open"]:
            body += f"\n{name}：在办 {len(s['open'])}，逾期 {len(s['overdue'])}"
    unknown = unknown_next_year(cal, today)
    if unknown is not None:
        body += f"\n{_calendar_warning(unknown)}"
    out.append(Reminder(f"digest:hr:{tag}", "digest", tuple(users_with_role(db, "hr")),
                        f"每周整改跟踪（{week_zh}）", body))
    if unknown is not None:
        # Admins get no digest; they are told on the same Monday (HR already reads it in theirs).
        admins = tuple(u for u in users_with_role(db, "admin") if u not in set(users_with_role(db, "hr")))
        out.append(Reminder(f"calendar_unknown:{unknown}:{tag}", "calendar_unknown", admins,
                            f"{unknown} 年工作日历尚未录入", _calendar_warning(unknown),
                            "calendar_year", str(unknown)))
    return out


def _calendar_warning(year: int) -> str:
    return (f"{year} 年的工作日历尚未录入：{year} 年 1 月起到期的情况报告无法计算截止日期。"
            f"国务院办公厅发布{year}年节假日安排通知后，请在“工作日历”中导入通知正文并确认。")


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
