"""``report.save`` and ``report.submit``: the 访谈情况报告 (rule book §五, docs/followup.md).

One report per interview; its id **is** the interview's id, so a report started offline on two
tablets is the same row (the second create is merged as an update, conflicts kept). Its problems
are the interview's issues. The server computes the due date: 7 working days after the interview
on the statutory calendar (``sync.calendar``); while that year's calendar is unknown
``due_date`` is null and ``calendar_unknown_year`` says which year is missing.
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from sync import policy, rowstore
from sync.calendar import REPORT_DUE_WORKING_DAYS, WorkCalendar, local_date
from sync.conflicts import record_fields
from sync.entities import InterviewRow, ReportRow
from sync.followup_rules import (
    FIELD_ZH,
    ctx_notify,
    interview_date,
    issues_of,
    leaders_over,
    missing_fields,
    users_with_role,
)
from sync.mutations.base import (
    LONG,
    Args,
    Context,
    MutationSpec,
    amendment_entry,
    authorize_amendment,
    changes_anything,
    check_amendment_reason,
    check_text,
    fail,
    load_or_missing,
    require,
    set_fields,
)
from sync.notices import Notice, Text


class ReportSaveArgs(Args, kw_only=True):
    interview_id: str
    title: str | None | UnsetType = UNSET
    summary: str | None | UnsetType = UNSET
    amendment_reason: str | None = None
    """Why a submitted report is changed (required then; ignored on a draft): kept in its history."""


def _amends(current: ReportRow | None, args: ReportSaveArgs) -> bool:
    return current is not None and current.status == "submitted" and changes_anything(
        current, set_fields(args, ("title", "summary")))


class ReportSubmitArgs(Args, kw_only=True):
    interview_id: str


def _due(ctx: Context, iv: InterviewRow) -> dict[str, Any]:
    """Server-derived fields: the interview date and the due date (or the unknown calendar year)."""
    day = interview_date(iv)
    due, unknown = WorkCalendar.from_db(ctx.db).try_add_working_days(day, REPORT_DUE_WORKING_DAYS)
    return {"interview_date": day, "due_date": due, "calendar_unknown_year": unknown}


def _derived(ctx: Context, iv: InterviewRow) -> dict[str, Any]:
    return {**_due(ctx, iv), "issue_ids": [i.id for i in issues_of(ctx.db, iv.id)]}


def _authorize(ctx: Context, name: str, iv: InterviewRow) -> None:
    policy.can_or_reject(ctx.actor, name, iv)


def _refresh(ctx: Context, row: ReportRow, iv: InterviewRow, **extra: Any) -> ReportRow:
    """Write server-derived changes (due date, problem list) when they differ."""
    derived = {**_derived(ctx, iv), **extra}
    if all(getattr(row, k) == v for k, v in derived.items()):
        return row
    new = msgspec.structs.replace(row, updated_at=ctx.now_iso, **derived)
    ctx.save("report", new)
    return new


def refresh_report_of(ctx: Context, iv: InterviewRow) -> None:
    """After the interview changed: its report's due date follows the interview's (new) date.

    Without this a report saved while the interview was a draft kept the due date of the day it
    was created until the report itself was edited again (issue 16: the date "appeared only after
    a second edit and sync")."""
    row = rowstore.load(ctx.db, "report", iv.id)
    if row is not None:
        _refresh(ctx, row, iv)


class ReportSave(MutationSpec[ReportSaveArgs]):
    name = "report.save"
    Args = ReportSaveArgs

    def load(self, ctx: Context, args: ReportSaveArgs) -> tuple[InterviewRow, ReportRow | None]:
        iv = load_or_missing(ctx.db, "interview", args.interview_id, "interview_id")
        return iv, rowstore.load(ctx.db, "report", args.interview_id)

    def authorize(self, ctx: Context, args: ReportSaveArgs, state: Any) -> None:
        if _amends(state[1], args):
            authorize_amendment(ctx, state[0])
            return
        _authorize(ctx, self.name, state[0])

    def validate(self, ctx: Context, args: ReportSaveArgs, state: Any) -> None:
        if _amends(state[1], args):
            check_amendment_reason(args.amendment_reason)
        fields = set_fields(args, ("title", "summary"))
        if "title" in fields:
            check_text(fields["title"], "title")
        if "summary" in fields:
            check_text(fields["summary"], "summary", LONG)

    def apply(self, ctx: Context, args: ReportSaveArgs, state: Any) -> None:
        iv, current = state
        patch = set_fields(args, ("title", "summary"))
        if current is None:
            now = ctx.now_iso
            seq = ctx.create("report", ReportRow(
                id=iv.id, interview_id=iv.id, author_id=ctx.actor.user_id, created_at=now, updated_at=now,
                **patch, **_derived(ctx, iv),
            ))
            # Track the typed fields like an update, so a concurrent offline create conflicts with them.
            record_fields(ctx.db, ctx, "report", iv.id, list(patch), seq)
            return
        if ctx.base is None:
            ctx.base = 0  # a second offline "create": merge it as an update, keeping what differs as conflicts
        derive = amendment_entry(ctx, current, args.amendment_reason or "") if _amends(current, args) else None
        new = ctx.update("report", current, patch, derive=derive, updated_at=ctx.now_iso)
        _refresh(ctx, new, iv)


class ReportSubmit(MutationSpec[ReportSubmitArgs]):
    name = "report.submit"
    Args = ReportSubmitArgs

    def load(self, ctx: Context, args: ReportSubmitArgs) -> tuple[InterviewRow, ReportRow | None]:
        iv = load_or_missing(ctx.db, "interview", args.interview_id, "interview_id")
        return iv, rowstore.load(ctx.db, "report", args.interview_id)

    def authorize(self, ctx: Context, args: ReportSubmitArgs, state: Any) -> None:
        _authorize(ctx, self.name, state[0])

    def validate(self, ctx: Context, args: ReportSubmitArgs, state: Any) -> None:
        iv, current = state
        if current is not None and current.status == "submitted":
            return  # submitted twice (two tablets): nothing to check, nothing to do
        require(iv.status == "submitted",
                "访谈记录尚未提交，不能提交报告 (submit the interview record before its report)", "interview_id")
        missing = []
        for i, issue in enumerate(issues_of(ctx.db, iv.id)):
            missing += [(i, issue.id, f) for f in missing_fields(issue)]
        if missing:
            first_i, _, first_f = missing[0]
            listed = "、".join(f"问题{i + 1}的{FIELD_ZH[f]}" for i, _, f in missing[:10])
            raise fail(
                f"报告不完整：{listed}{' 等' if len(missing) > 10 else ''}未填写 (the report is incomplete: "
                f"{len(missing)} required fields of its problems are missing — every problem needs a "
                "description, units involved, proposed solution, owner and expected completion date)",
                f"issues[{first_i}].{first_f}",
            ) from None

    def apply(self, ctx: Context, args: ReportSubmitArgs, state: Any) -> None:
        iv, current = state
        if current is not None and current.status == "submitted":
            return
        now = ctx.now_iso
        if current is None:
            current = ReportRow(id=iv.id, interview_id=iv.id, author_id=ctx.actor.user_id, created_at=now,
                                updated_at=now)
        report = _refresh(ctx, current, iv, status="submitted", submitted_at=now, submitted_by=ctx.actor.user_id)
        day = report.interview_date or local_date(now)
        said = {"cadre": ctx.actor.name or Text("someone"), "day": day.isoformat(), "count": len(report.issue_ids)}
        ctx_notify(ctx, users_with_role(ctx.db, "hr"), Notice("report_submitted", "report_submitted.hr", said),
                   "report", report.id)
        # Rule book §五: the report goes to the company leaders too — their 待阅 (the PWA's 待办 home
        # counts the unread ones; opening the report reads it). HR members who also lead hear it once.
        hr = set(users_with_role(ctx.db, "hr"))
        ctx_notify(ctx, [u for u in leaders_over(ctx.db, iv.unit_id) if u not in hr],
                   Notice("report_submitted", "report_submitted.leader", said), "report", report.id)
