"""``issue.raise`` and ``issue.update``: the problems a report lists (seed §五)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from msgspec import UNSET, UnsetType

from sync import policy, receipt_codes, rowstore
from sync.entities import Category, InterviewRow, IssueRow
from sync.followup_rules import due_date_before_interview, interview_date_of
from sync.mutations.base import (
    LONG,
    Args,
    Context,
    MutationSpec,
    can_read,
    check_id,
    check_list,
    check_text,
    check_units_for_new_work,
    load_or_missing,
    require,
    set_fields,
    user_exists,
)
from sync.mutations.interview import writers
from sync.visibility import unit_path

PUBLIC_SUMMARY_MAX = 40
"""The receipt page's 公开摘要: a line, not a story (fewer chances to name someone)."""


class IssueRaiseArgs(Args, kw_only=True):
    id: str
    interview_id: str
    note_id: str | None = None
    category: Category
    description: str
    unit_ids: list[str]
    solution: str | None = None
    owner: str | None = None
    owner_user_id: str | None = None
    due_date: dt.date | None = None
    major: bool = False
    public_summary: str | None = None
    receipt_code: str | None = None
    """The 回执码 the tablet spent from its reserved pool when the problem was raised offline
    (``sync.receipt_codes``); None: the server assigns one (older clients, an empty pool)."""


class IssueUpdateArgs(Args, kw_only=True):
    id: str
    category: Category | UnsetType = UNSET
    description: str | UnsetType = UNSET
    unit_ids: list[str] | UnsetType = UNSET
    solution: str | None | UnsetType = UNSET
    owner: str | None | UnsetType = UNSET
    owner_user_id: str | None | UnsetType = UNSET
    due_date: dt.date | None | UnsetType = UNSET
    major: bool | UnsetType = UNSET
    public_summary: str | None | UnsetType = UNSET


def issue_editors(db: Any, issue: IssueRow) -> set[str]:
    interview = rowstore.load(db, "interview", issue.interview_id)
    return {issue.raised_by, *(writers(interview) if interview else ())}


def issue_facts(ctx: Context, issue: IssueRow) -> policy.IssueFacts:
    """What the policy's issue rules ask about ``issue`` (editors and readability only when needed)."""
    return policy.IssueFacts(
        handler_path=unit_path(ctx.db, issue.handler_unit_id),
        editors=lambda: issue_editors(ctx.db, issue),
        readable=lambda: can_read(ctx, "issue", issue),
    )


def _check_issue_fields(ctx: Context, fields: dict[str, Any], interview_id: str | None = None,
                        current: IssueRow | None = None) -> None:
    if "description" in fields:
        check_text(fields["description"], "description", LONG, required=True)
    if "solution" in fields:
        check_text(fields["solution"], "solution", LONG)
    if "owner" in fields:
        check_text(fields["owner"], "owner")
    if "public_summary" in fields:
        check_text(fields["public_summary"], "public_summary", PUBLIC_SUMMARY_MAX)
    if "unit_ids" in fields:
        require(len(fields["unit_ids"]) >= 1, "请至少选择一个涉及单位 (`unit_ids` lists at least one unit involved)", "unit_ids")
        check_list(fields["unit_ids"], "unit_ids")
        check_units_for_new_work(ctx.db, fields["unit_ids"], "unit_ids", kept=current.unit_ids if current else ())
    if fields.get("owner_user_id") is not None:
        require(user_exists(ctx.db, fields["owner_user_id"]), "没有这个用户 (unknown user)", "owner_user_id")
    if fields.get("due_date") is not None and interview_id is not None:
        day = interview_date_of(ctx.db, interview_id)
        require(not due_date_before_interview(fields["due_date"], day),
                f"预计完成时间早于访谈日期 {day} (the expected completion date is before the interview)", "due_date")


class IssueRaise(MutationSpec[IssueRaiseArgs]):
    name = "issue.raise"
    Args = IssueRaiseArgs

    def load(self, ctx: Context, args: IssueRaiseArgs) -> InterviewRow:
        return load_or_missing(ctx.db, "interview", args.interview_id, "interview_id")

    def authorize(self, ctx: Context, args: IssueRaiseArgs, interview: InterviewRow) -> None:
        policy.can_or_reject(ctx.actor, self.name, interview)

    def validate(self, ctx: Context, args: IssueRaiseArgs, interview: Any) -> None:
        check_id(args.id)
        ctx.refuse_existing("issue", args.id)  # before apply spends or draws a receipt code
        _check_issue_fields(ctx, set_fields(args), args.interview_id)
        if args.note_id is not None:
            note = rowstore.load(ctx.db, "note", args.note_id)
            require(note is not None and note.interview_id == args.interview_id,
                    "该记录不属于本次访谈 (`note_id` is not a note of this interview)", "note_id")
        if args.receipt_code is not None:
            receipt_codes.check_reserved(ctx.db, ctx.device_id, args.receipt_code)

    def apply(self, ctx: Context, args: IssueRaiseArgs, interview: Any) -> None:
        now = ctx.now_iso
        if args.receipt_code is not None:
            receipt_codes.spend(ctx.db, args.receipt_code, args.id, now)
            code = args.receipt_code
        else:
            code = receipt_codes.new_unique(ctx.db, args.id, now)
        ctx.create("issue", IssueRow(
            id=args.id, interview_id=args.interview_id, note_id=args.note_id, category=args.category,
            description=args.description, unit_ids=args.unit_ids, solution=args.solution, owner=args.owner,
            owner_user_id=args.owner_user_id, due_date=args.due_date, major=args.major,
            public_summary=args.public_summary,
            receipt_code=code, status="raised", raised_by=ctx.actor.user_id,
            created_at=now, updated_at=now,
        ))


class IssueUpdate(MutationSpec[IssueUpdateArgs]):
    name = "issue.update"
    Args = IssueUpdateArgs

    def load(self, ctx: Context, args: IssueUpdateArgs) -> IssueRow:
        return load_or_missing(ctx.db, "issue", args.id, "id")

    def authorize(self, ctx: Context, args: IssueUpdateArgs, issue: IssueRow) -> None:
        policy.can_or_reject(ctx.actor, self.name, issue_facts(ctx, issue))

    def validate(self, ctx: Context, args: IssueUpdateArgs, issue: Any) -> None:
        _check_issue_fields(ctx, set_fields(args), issue.interview_id, current=issue)

    def apply(self, ctx: Context, args: IssueUpdateArgs, issue: IssueRow) -> None:
        ctx.update("issue", issue, set_fields(args), updated_at=ctx.now_iso)
