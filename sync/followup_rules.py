"""Shared rules of the follow-up loop (docs/followup.md) used by several mutations and the server:
the interview's date, the report's five required fields per problem, who to notify.

The working-day calendar is ``sync.calendar``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlite_utils import Database

from sync import memo, rowstore
from sync.calendar import REPORT_DUE_WORKING_DAYS, WorkCalendar, local_date
from sync.entities import InterviewRow, IssueRow, NotificationRow
from sync.errors import DEFAULT_LOCALE, CalendarUnknown, pick_locale
from sync.ids import new_id
from sync.notices import Notice
from sync.rowstore import Visibility

REQUIRED_PROBLEM_FIELDS = ("description", "unit_ids", "solution", "owner", "due_date")
"""Rule book §五: 问题描述、涉及单位、建议解决方案、责任人、预计完成时间 (plus the category)."""

FIELD_ZH = {
    "category": "类别", "description": "问题描述", "unit_ids": "涉及单位", "solution": "建议解决方案",
    "owner": "责任人", "due_date": "预计完成时间",
}


def interview_date(iv: InterviewRow) -> dt.date:
    """The day of the interview in Asia/Shanghai (``started_at``, else when it was created)."""
    return local_date(iv.started_at or iv.created_at)


def due_date_before_interview(due: dt.date | None, interview_day: dt.date | None) -> bool:
    """A 预计完成时间 / 完成时限 before the interview's day is refused (issue.raise, issue.update,
    assign). The PWA asks the same before anything is sent (pwa/src/domain/validate.ts
    ``dueBeforeInterview`` + ``interviewDay``); both are pinned by tests/data/due_date_cases.json."""
    return due is not None and interview_day is not None and due < interview_day


def interview_date_of(db: Database, interview_id: str) -> dt.date | None:
    iv = rowstore.load(db, "interview", interview_id)
    return None if iv is None else interview_date(iv)


def issues_of(db: Database, interview_id: str) -> list[IssueRow]:
    """The interview's problems in report order (raised first, first)."""
    return sorted(rowstore.load_where(db, "issue", "interview_id = ?", [interview_id]), key=lambda i: i.created_at)


def missing_fields(issue: IssueRow) -> list[str]:
    """Which of the report's required fields this problem lacks."""
    missing = []
    if not issue.description.strip():
        missing.append("description")
    if not issue.unit_ids:
        missing.append("unit_ids")
    if not (issue.solution or "").strip():
        missing.append("solution")
    if not ((issue.owner or "").strip() or issue.owner_user_id):
        missing.append("owner")
    if issue.due_date is None:
        missing.append("due_date")
    return missing


# --- overdue: one definition (docs/followup.md "Overdue") -----------------------------------------

DONE_BY_HANDLER = frozenset({"resolved", "closed"})
"""Statuses in which the department's work is done: 已解决 (awaiting 销号) and 已办结（销号）."""


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def is_overdue(status: str | None, due_date: dt.date | str | None, today: dt.date) -> bool:
    """Rule book §五 "逾期未解决": the 预计完成时间 is before today (Asia/Shanghai) and the problem is
    neither resolved nor closed. A problem with no due date is never overdue; on its due day it is not
    overdue yet. The one definition for dashboards, digests, the overdue list, the assessment, the
    ledger's red, reminders — and the PWA's ``isOverdue`` (pinned by tests/data/overdue_cases.json)."""
    due = _as_date(due_date)
    return due is not None and due < today and (status or "raised") not in DONE_BY_HANDLER


def is_report_overdue(due: dt.date | None, submitted_on: dt.date | None, today: dt.date) -> bool:
    """A 访谈情况报告 is overdue the day after its due date while it is not submitted (the late-report
    list, the HR digest, report reminders and the assessment's 逾期未交)."""
    return due is not None and submitted_on is None and due < today


def report_countdown(cal: WorkCalendar, interview_day: dt.date, today: dt.date) -> dict[str, Any]:
    """Where an unsubmitted report stands today: the countdown the tablet shows from the moment the
    interview is held (还剩 N 个工作日 / 今天截止 / 已逾期 N 个工作日), or why it cannot say.

    ``state`` is ``remaining`` (``working_days`` ≥ 1 left until the due date), ``today`` (due
    today), ``overdue`` (``is_report_overdue``; ``working_days`` past the due date, may be 0 on the
    weekend right after it) or ``unknown`` (``unknown_year``'s calendar is not published yet).
    The PWA applies the same rule (pwa/src/domain/workdays.ts), checked by shared vectors.
    """
    due, unknown = cal.try_add_working_days(interview_day, REPORT_DUE_WORKING_DAYS)
    if due is None:
        return {"due_date": None, "state": "unknown", "working_days": None, "unknown_year": unknown}
    out: dict[str, Any] = {"due_date": due.isoformat(), "unknown_year": None}
    if due == today:
        return {**out, "state": "today", "working_days": 0}
    state = "overdue" if is_report_overdue(due, None, today) else "remaining"
    try:
        n = cal.working_days_between(today, due) if state == "remaining" else cal.working_days_between(due, today)
    except CalendarUnknown as exc:
        return {**out, "state": state, "working_days": None, "unknown_year": int(exc.details["year"])}
    return {**out, "state": state, "working_days": n}


# --- who hears about what ------------------------------------------------------------------------


def users_with_role(db: Database, role: str, under_path: str | None = None) -> list[str]:
    """Enabled users holding ``role`` (optionally only those whose home unit is under ``under_path``).

    Each follow-up event asks once to three times, so a push of many asks the same again: kept for
    the push (``sync.memo``, dropped whenever a user or a unit is written). Matched in SQL: decoding
    every user's roles in Python was ~4 ms a call with 500 users (bench/growth.py)."""
    return list(memo.cached(db, "users_with_role", (role, under_path), lambda: _users_with_role(db, role, under_path)))


def _users_with_role(db: Database, role: str, under_path: str | None) -> list[str]:
    # ``instr`` on the quoted name picks the candidates cheaply, ``json_each`` makes the match exact.
    sql = ('SELECT u.id FROM "user" u JOIN org_unit o ON o.id = u.unit_id WHERE u.disabled = 0'
           " AND instr(u.roles, ?) AND EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value = ?)")
    params: list[Any] = [json.dumps(role), role]
    if under_path is not None:
        sql += " AND substr(o.path, 1, ?) = ?"
        params += [len(under_path), under_path]
    return [uid for (uid,) in db.conn.execute(sql + " ORDER BY u.id", params).fetchall()]


def handlers_of(db: Database, unit_id: str | None) -> list[str]:
    """Handlers working in (the subtree of) a handler department."""
    if unit_id is None:
        return []
    r = db.conn.execute("SELECT path FROM org_unit WHERE id = ?", (unit_id,)).fetchone()
    return [] if r is None else users_with_role(db, "handler", r[0])


def leaders_over(db: Database, unit_id: str | None) -> list[str]:
    """The leaders to escalate to: ``leader`` users whose unit contains ``unit_id`` (company leaders
    included), else every leader."""
    if unit_id is not None:
        r = db.conn.execute("SELECT path FROM org_unit WHERE id = ?", (unit_id,)).fetchone()
        if r is not None:
            found = [uid for uid in users_with_role(db, "leader")
                     if r[0].startswith(_home_path(db, uid))]
            if found:
                return found
    return users_with_role(db, "leader")


def _home_path(db: Database, user_id: str) -> str:
    r = db.conn.execute('SELECT o.path FROM "user" u JOIN org_unit o ON o.id = u.unit_id WHERE u.id = ?',
                        (user_id,)).fetchone()
    return r[0] if r else "\0"


def notify(db: Database, now_iso: str, user_ids: Iterable[str], notice: Notice,
           entity: str | None = None, entity_id: str | None = None,
           on_write: Callable[[int], None] | None = None, exclude: Iterable[str] = ()) -> list[str]:
    """Put a notification in each user's inbox (synced, personal), in that user's language
    (sync/notices.py), and queue it for the out-of-band channels (Web Push, webhook) in the same
    transaction; the queue entry keeps the company-language text for the group webhook. Returns
    the notification ids."""
    skip = set(exclude)
    recipients = sorted({u for u in user_ids if u and u not in skip})
    locales = user_locales(db, recipients)
    rendered = {loc: notice.render(loc) for loc in {*locales.values(), DEFAULT_LOCALE}}
    group_text = json.dumps(rendered[DEFAULT_LOCALE], ensure_ascii=False)
    ids = []
    for uid in recipients:
        title, body = rendered[locales.get(uid, DEFAULT_LOCALE)]
        row = NotificationRow(id=new_id(), user_id=uid, kind=notice.kind, title=title[:200], body=body[:2000],
                              entity=entity, entity_id=entity_id, created_at=now_iso)
        seq = rowstore.save(db, "notification", row, Visibility("personal", None, None, (uid,)), now_iso)
        db.conn.execute("INSERT INTO notification_outbox (notification_id, created_at, group_text) VALUES (?, ?, ?)",
                        (row.id, now_iso, group_text))
        if on_write is not None:
            on_write(seq)
        ids.append(row.id)
    return ids


def user_locales(db: Database, user_ids: list[str]) -> dict[str, str]:
    """Each user's chosen language (``user.locale``; the company's, zh-CN, when they chose none)."""
    out: dict[str, str] = {}
    for i in range(0, len(user_ids), 500):
        chunk = user_ids[i:i + 500]
        out.update((uid, pick_locale(loc)) for uid, loc in db.conn.execute(
            f'SELECT id, locale FROM "user" WHERE id IN ({",".join("?" * len(chunk))})', chunk))
    return out


def ctx_notify(ctx: Any, user_ids: Iterable[str], notice: Notice,
               entity: str | None = None, entity_id: str | None = None) -> list[str]:
    """``notify`` from inside a mutation (the actor never notifies themselves)."""
    return notify(ctx.db, ctx.now_iso, user_ids, notice, entity, entity_id,
                  on_write=lambda seq: ctx._wrote(seq, False), exclude=(ctx.actor.user_id,))
