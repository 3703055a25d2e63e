"""``followup.add``: append an event to an issue's history; the issue's status is their fold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from sync import issue_status
from sync.actor import Role
from sync.conflicts import record_fields
from sync.entities import FollowupKind, FollowupRow, IssueRow
from sync.mutations.base import (
    LONG,
    UUID_RE,
    Args,
    Context,
    MutationSpec,
    can_read,
    check_id,
    check_list,
    check_text,
    forbid,
    load_or_missing,
    require,
    user_exists,
)
from sync.mutations.issue import issue_editors
from sync.visibility import unit_path


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


def is_assigned_handler(ctx: Context, issue: IssueRow) -> bool:
    """The actor works in (a subtree of) the department the issue is assigned to."""
    if not ctx.actor.has_role(Role.HANDLER):
        return False
    path = unit_path(ctx.db, issue.handler_unit_id)
    return path is not None and path.startswith(ctx.actor.unit_path)


class FollowupAdd(MutationSpec[FollowupAddArgs]):
    name = "followup.add"
    Args = FollowupAddArgs

    def load(self, ctx: Context, args: FollowupAddArgs) -> IssueRow:
        return load_or_missing(ctx.db, "issue", args.issue_id, "issue_id")

    def authorize(self, ctx: Context, args: FollowupAddArgs, issue: IssueRow) -> None:
        actor = ctx.actor
        hr = actor.has_role(Role.HR)
        kind = args.kind
        if kind == "assign":
            ok = hr or actor.has_role(Role.LEADER)
        elif kind in ("start", "progress", "resolve"):
            ok = hr or is_assigned_handler(ctx, issue)
        elif kind == "close":
            ok = hr
        elif kind == "reopen":
            ok = hr or actor.has_role(Role.SUPERVISOR) or actor.user_id == issue.raised_by
        else:  # comment
            ok = can_read(ctx, "issue", issue) or actor.user_id in issue_editors(ctx.db, issue)
        if not ok:
            raise forbid(f"your roles do not allow `{kind}` on this problem")

    def validate(self, ctx: Context, args: FollowupAddArgs, issue: IssueRow) -> None:
        check_id(args.id)
        check_text(args.text, "text", LONG, required=args.kind in ("progress", "resolve", "reopen", "comment"))
        check_text(args.owner, "owner")
        check_text(args.evidence_text, "evidence_text", LONG)
        check_list(args.evidence, "evidence")
        for i, ev in enumerate(args.evidence):
            require(bool(UUID_RE.match(ev)), "evidence items are attachment ids", f"evidence[{i}]")
        if args.kind == "assign":
            require(args.handler_unit_id is not None, "`assign` needs `handler_unit_id`", "handler_unit_id")
            r = ctx.db.conn.execute("SELECT is_handler_dept FROM org_unit WHERE id = ?",
                                    (args.handler_unit_id,)).fetchone()
            require(r is not None, "unknown org unit", "handler_unit_id")
            require(bool(r[0]), "that unit is not a handler department (责任部门)", "handler_unit_id")
        else:
            require(args.handler_unit_id is None, "`handler_unit_id` only goes with `assign`", "handler_unit_id")
        if args.kind == "close":
            # 销号 needs evidence and a verifier (seed §五, DESIGN §7).
            require(bool(args.evidence or (args.evidence_text or "").strip()),
                    "closing (销号) needs `evidence` or `evidence_text`", "evidence")
            require(args.verifier_id is not None, "closing (销号) needs a `verifier_id`", "verifier_id")
            require(user_exists(ctx.db, args.verifier_id or ""), "unknown user", "verifier_id")

    def apply(self, ctx: Context, args: FollowupAddArgs, issue: IssueRow) -> None:
        t = issue_status.step(issue.status, args.kind, assigned=issue.handler_unit_id is not None)
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
            for name in ("owner", "due_date"):
                value = getattr(args, name)
                if value is not None and value != getattr(issue, name):
                    changes[name] = value
                    client_fields.append(name)
        if all(getattr(issue, k) == v for k, v in changes.items()):
            return
        new_issue = msgspec.structs.replace(issue, updated_at=ctx.now_iso, **changes)
        seq = ctx.save("issue", new_issue, primary=False)
        record_fields(ctx.db, ctx, "issue", issue.id, client_fields, seq)
        if new_issue.handler_unit_id != issue.handler_unit_id:
            ctx.cascade("issue", issue.id)  # the new department's handlers receive its history
