"""``followup.add``: append an event to an issue's history; the issue's status is their fold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from sync import issue_status, policy, rowstore
from sync.actor import load_actor
from sync.conflicts import record_fields
from sync.entities import FollowupKind, FollowupRow, IssueRow
from sync.errors import (
    CloseEvidenceNotOnProblem,
    CloseEvidenceRequired,
    CloseVerifierIsCloser,
    CloseVerifierNotEligible,
    OutOfOrder,
)
from sync.followup_rules import (
    ctx_notify,
    due_date_before_interview,
    handlers_of,
    interview_date_of,
    users_with_role,
)
from sync.mutations.base import (
    LONG,
    UUID_RE,
    Args,
    Context,
    MutationSpec,
    check_id,
    check_list,
    check_text,
    check_units_for_new_work,
    load_or_missing,
    require,
    user_exists,
)
from sync.mutations.issue import issue_editors, issue_facts
from sync.notices import Text, notice, receipt, shorten
from sync.visibility import unit_path

STATUS_ZH = {"raised": "已提出", "assigned": "已交办", "in_progress": "整改中", "resolved": "已解决",
             "closed": "已销号"}
KIND_ZH = {"assign": "交办", "start": "开始整改", "progress": "报告进展", "resolve": "整改完成", "close": "销号",
           "reopen": "重新办理", "comment": "评论", "escalate": "提交经理层会议", "decide": "记录决定"}
"""For refusals people read in 被退回 (the PWA's own names for the statuses and steps)."""


class FollowupAddArgs(Args, kw_only=True):
    id: str
    issue_id: str
    kind: FollowupKind
    text: str | None = None
    handler_unit_id: str | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    evidence: list[str] = []
    evidence_text: str | None = None
    verifier_id: str | None = None
    owner_user_id: str | None = None
    """``assign`` only: the owner (责任人) as a user of the handler department (sets the issue's)."""


ISSUE_PERMISSION = {
    "assign": "issue.assign", "escalate": "issue.escalate", "decide": "issue.decide",
    "start": "issue.work", "progress": "issue.work", "resolve": "issue.work",
    "close": "issue.close", "reopen": "issue.reopen", "comment": "issue.comment",
}
"""The policy permission each follow-up kind asks (``sync.policy``)."""


class FollowupAdd(MutationSpec[FollowupAddArgs]):
    name = "followup.add"
    Args = FollowupAddArgs

    def load(self, ctx: Context, args: FollowupAddArgs) -> IssueRow:
        return load_or_missing(ctx.db, "issue", args.issue_id, "issue_id")

    def authorize(self, ctx: Context, args: FollowupAddArgs, issue: IssueRow) -> None:
        policy.can_or_reject(ctx.actor, ISSUE_PERMISSION[args.kind], issue_facts(ctx, issue),
                             refusal=f"your roles do not allow `{args.kind}` on this problem")

    def validate(self, ctx: Context, args: FollowupAddArgs, issue: IssueRow) -> None:
        check_id(args.id)
        check_text(args.text, "text", LONG,
                   required=args.kind in ("progress", "resolve", "reopen", "comment", "escalate", "decide"))
        check_text(args.owner, "owner")
        check_text(args.evidence_text, "evidence_text", LONG)
        check_list(args.evidence, "evidence")
        for i, ev in enumerate(args.evidence):
            require(bool(UUID_RE.match(ev)), "佐证材料须是附件 (evidence items are attachment ids)", f"evidence[{i}]")
        if args.kind == "assign":
            require(args.handler_unit_id is not None, "交办须选择责任部门 (`assign` needs `handler_unit_id`)", "handler_unit_id")
            r = ctx.db.conn.execute("SELECT is_handler_dept FROM org_unit WHERE id = ?",
                                    (args.handler_unit_id,)).fetchone()
            require(r is not None, "没有这个单位 (unknown org unit)", "handler_unit_id")
            require(bool(r[0]), "该单位不是责任部门 (that unit is not a handler department)", "handler_unit_id")
            check_units_for_new_work(ctx.db, [args.handler_unit_id], "handler_unit_id", single=True)
            if args.owner_user_id is not None:
                dept = unit_path(ctx.db, args.handler_unit_id) or "\0"
                owner = ctx.db.conn.execute(
                    'SELECT o.path FROM "user" u JOIN org_unit o ON o.id = u.unit_id WHERE u.id = ?',
                    (args.owner_user_id,)).fetchone()
                require(owner is not None, "没有这个用户 (unknown user)", "owner_user_id")
                require(owner[0].startswith(dept),
                        "责任人不在该责任部门 (the owner does not work in that handler department)", "owner_user_id")
            if args.due_date is not None:
                day = interview_date_of(ctx.db, issue.interview_id)
                require(not due_date_before_interview(args.due_date, day),
                        f"完成时限早于访谈日期 {day} (the due date is before the interview)", "due_date")
        else:
            require(args.handler_unit_id is None, "只有交办才选择责任部门 (`handler_unit_id` only goes with `assign`)", "handler_unit_id")
            require(args.owner_user_id is None, "只有交办才指定责任人 (`owner_user_id` only goes with `assign`)", "owner_user_id")
        if args.kind == "decide":
            on_agenda = ctx.db.conn.execute(
                "SELECT 1 FROM followup WHERE issue_id = ? AND kind = 'escalate' LIMIT 1", (issue.id,)).fetchone()
            if on_agenda is None:
                raise OutOfOrder("该问题未纳入经理层会议议题，不能记录决定 (`decide` needs the problem on the "
                                 "management-meeting agenda first: `escalate`)", field="kind")
        if args.kind == "close":
            _check_close(ctx, args, issue)

    def apply(self, ctx: Context, args: FollowupAddArgs, issue: IssueRow) -> None:
        t = issue_status.step(issue.status, args.kind, assigned=issue.handler_unit_id is not None)
        if t.flagged:
            # An event that does not fit the current status (e.g. from a device that was offline while
            # others moved the problem on) is refused: it lands in its author's rejection inbox.
            raise OutOfOrder(f"问题当前为「{STATUS_ZH.get(issue.status, issue.status)}」，不能再"
                             f"「{KIND_ZH.get(args.kind, args.kind)}」，请同步后查看 ({t.reason}; pull and try again)",
                             field="kind",
                             details={"status": issue.status, "kind": args.kind})
        ctx.create("followup", FollowupRow(
            id=args.id, issue_id=issue.id, kind=args.kind, text=args.text,
            handler_unit_id=args.handler_unit_id, owner=args.owner, due_date=args.due_date,
            evidence=args.evidence, evidence_text=args.evidence_text, verifier_id=args.verifier_id,
            from_status=t.from_status, to_status=t.to_status, flagged=t.flagged, flag_reason=t.reason,
            author_id=ctx.actor.user_id, client_time=ctx.client_time, created_at=ctx.now_iso,
        ))
        changes: dict[str, Any] = {"status": t.to_status}
        client_fields: list[str] = []
        if t.flagged:
            changes["flagged_events"] = issue.flagged_events + 1
        elif args.kind == "assign":
            changes["handler_unit_id"] = args.handler_unit_id
            # An assignment may set owner/due date: an event, so it simply wins, but it is tracked
            # like a field change so an older-based issue.update conflicts with it.
            for name in ("owner", "due_date", "owner_user_id"):
                value = getattr(args, name)
                if value is not None and value != getattr(issue, name):
                    changes[name] = value
                    client_fields.append(name)
        elif args.kind == "escalate":
            changes["major"] = True
        _notify(ctx, args, issue, changes)
        if all(getattr(issue, k) == v for k, v in changes.items()):
            return
        new_issue = msgspec.structs.replace(issue, updated_at=ctx.now_iso, **changes)
        seq = ctx.save("issue", new_issue, primary=False)
        record_fields(ctx.db, ctx, "issue", issue.id, client_fields, seq)
        if new_issue.handler_unit_id != issue.handler_unit_id:
            ctx.cascade("issue", issue.id)  # the new department's handlers receive its history


def _check_close(ctx: Context, args: FollowupAddArgs, issue: IssueRow) -> None:
    """销号 means something (seed §五, DESIGN §7, docs/followup.md): its evidence is attachments that
    exist on this problem, and an independent person of a plausible role verified it."""
    if not args.evidence:
        raise CloseEvidenceRequired("销号需要至少一份附在该问题上的整改佐证（照片或文件） (closing needs at least one "
                                    "attachment of this problem as `evidence`)", field="evidence")
    followup_ids = {f.id for f in rowstore.load_where(ctx.db, "followup", "issue_id = ?", [issue.id])}
    for i, attachment_id in enumerate(args.evidence):
        a = rowstore.load(ctx.db, "attachment", attachment_id)
        on_problem = a is not None and (
            (a.parent_entity == "issue" and a.parent_id == issue.id)
            or (a.parent_entity == "followup" and a.parent_id in followup_ids))
        if not on_problem:
            raise CloseEvidenceNotOnProblem("整改佐证不是该问题上的附件 (this evidence is not an attachment of this "
                                            "problem)", field=f"evidence[{i}]")
    require(args.verifier_id is not None, "销号需要核实人 (closing needs a `verifier_id`)", "verifier_id")
    require(user_exists(ctx.db, args.verifier_id or ""), "没有这个用户 (unknown user)", "verifier_id")
    if args.verifier_id == ctx.actor.user_id:
        raise CloseVerifierIsCloser("核实人不能是销号人本人 (the verifier must be someone else than the person "
                                    "closing)", field="verifier_id")
    verifier = load_actor(ctx.db, args.verifier_id or "")
    iv = rowstore.load(ctx.db, "interview", issue.interview_id)
    paths = [unit_path(ctx.db, u) for u in [*issue.unit_ids, *([iv.unit_id] if iv else [])]]
    facts = policy.VerifyFacts(ctx.actor.user_id, unit_path(ctx.db, issue.handler_unit_id),
                               frozenset(policy.interview_writers(iv)) if iv else frozenset(),
                               tuple(p for p in paths if p))
    if not policy.can(verifier, "issue.verify", facts):  # the verifier is the one asked about
        raise CloseVerifierNotEligible(
            "核实人须为监督小组成员、公司领导、本次访谈的干部或涉及单位的负责人，且不在承办部门 (the verifier must "
            "be a supervisor, a leader, a cadre of this interview or a lead of a unit concerned, outside the "
            "handler department)", field="verifier_id")


def _notify(ctx: Context, args: FollowupAddArgs, issue: IssueRow, changes: dict[str, Any]) -> None:
    """Who hears about an event, in their inbox (and by push): docs/followup.md §Notifications."""
    db, kind = ctx.db, args.kind
    raisers = issue_editors(db, issue)
    short = receipt(issue.receipt_code, shorten(issue.description))
    said = receipt(issue.receipt_code, (args.text or "")[:200])
    team = [*handlers_of(db, issue.handler_unit_id), issue.owner_user_id or ""]
    if kind == "assign":
        due = args.due_date or issue.due_date
        ctx_notify(ctx, [*handlers_of(db, args.handler_unit_id), args.owner_user_id or ""],
                   notice("assigned", receipt=short, due=Text("due_clause", {"due": due}) if due else ""),
                   "issue", issue.id)
    elif kind == "escalate":
        ctx_notify(ctx, users_with_role(db, "leader"), notice("agenda", receipt=short), "issue", issue.id)
    elif kind == "decide":
        ctx_notify(ctx, [*users_with_role(db, "hr"), *raisers], notice("decided", receipt=said), "issue", issue.id)
    elif kind == "resolve":
        ctx_notify(ctx, [*users_with_role(db, "hr"), *raisers], notice("resolved", receipt=short), "issue", issue.id)
    elif kind == "close":
        ctx_notify(ctx, raisers, notice("closed", receipt=short), "issue", issue.id)
    elif kind == "reopen":
        # Back to work: the department (and owner) must act again; HR tracks it, the raisers report back.
        ctx_notify(ctx, [*team, *users_with_role(db, "hr"), *raisers], notice("reopened", receipt=said),
                   "issue", issue.id)
    elif kind == "comment":
        ctx_notify(ctx, [*team, *users_with_role(db, "hr"), *raisers], notice("commented", receipt=said),
                   "issue", issue.id)
