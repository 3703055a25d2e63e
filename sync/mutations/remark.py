"""``remark.put``: a confidential remark — an opaque encrypted envelope, validated by shape only."""

from __future__ import annotations

import json
from typing import Any

from sync import envelope, policy, rowstore
from sync.actor import Role
from sync.entities import Envelope, InterviewRow, RemarkAccessRow, RemarkInterview, RemarkRow
from sync.mutations.base import Args, Context, MutationSpec, check_id, check_users, forbid, load_or_missing, require


class RemarkPutArgs(Args, kw_only=True):
    id: str
    interview_id: str
    envelope: Envelope


class RemarkPut(MutationSpec[RemarkPutArgs]):
    name = "remark.put"
    Args = RemarkPutArgs

    def load(self, ctx: Context, args: RemarkPutArgs) -> tuple[InterviewRow, RemarkRow | None]:
        interview = load_or_missing(ctx.db, "interview", args.interview_id, "interview_id")
        return interview, rowstore.load(ctx.db, "remark", args.id)

    def authorize(self, ctx: Context, args: RemarkPutArgs, state: Any) -> None:
        interview, current = state
        if current is not None:
            policy.can_or_reject(ctx.actor, "remark.replace", current.author_id)
            if current.author_id != ctx.actor.user_id:  # an officer's grant: it may only add officers
                check_officer_grant(ctx, current.envelope, args.envelope)
        else:
            policy.can_or_reject(ctx.actor, self.name, interview)

    def validate(self, ctx: Context, args: RemarkPutArgs, state: Any) -> None:
        _, current = state
        check_id(args.id)
        if current is not None:
            require(current.interview_id == args.interview_id, "保密备注不能移到另一次访谈 (a remark cannot move to another interview)",
                    "interview_id")
        author = current.author_id if current else ctx.actor.user_id
        envelope.check(args.envelope, author_id=author)
        check_users(ctx.db, [r.user_id for r in args.envelope.recipients], "envelope.recipients")

    def apply(self, ctx: Context, args: RemarkPutArgs, state: Any) -> None:
        interview, current = state
        label = _label(interview)
        if current is None:
            ctx.create("remark", RemarkRow(
                id=args.id, interview_id=args.interview_id, author_id=ctx.actor.user_id,
                envelope=args.envelope, created_at=ctx.now_iso, updated_at=ctx.now_iso, interview=label,
                written_at=ctx.written_at_iso(),
            ))
        else:
            # Replacing goes through base-version conflict detection: two devices of the author
            # editing offline must not silently lose one sealed text. An officer's grant re-wraps
            # keys without writing: the writing time stays the author's.
            written = {"written_at": ctx.written_at_iso()} if current.author_id == ctx.actor.user_id else {}
            ctx.update("remark", current, {"envelope": args.envelope}, updated_at=ctx.now_iso, interview=label, **written)


def _label(interview: InterviewRow) -> RemarkInterview:
    """What the officer's list shows of the interview (form · place · date); no recorded content."""
    return RemarkInterview(form=interview.form, unit_id=interview.unit_id, place=interview.place,
                           started_at=interview.started_at)


def check_officer_grant(ctx: Context, before: Envelope, after: Envelope) -> None:
    """An officer may replace someone else's envelope only to grant access (docs/security.md §2):
    the sealed content is byte-for-byte the same, every existing recipient entry is kept (an
    officer's entry may move to that officer's newer key), and every added recipient is an officer.
    """
    for name in ("v", "kem", "kdf", "aead", "kid", "nonce", "ct"):
        if getattr(before, name) != getattr(after, name):
            raise forbid(f"保密管理员授权不能改动加密内容 (an officer's grant may not change the sealed content: `envelope.{name}`)")
    new_by_user = {r.user_id: r for r in after.recipients}
    officers = _officers(ctx, {r.user_id for r in after.recipients})
    for old in before.recipients:
        kept = new_by_user.get(old.user_id)
        if kept is None:
            raise forbid(f"保密管理员授权不能删除接收人 (an officer's grant may not remove recipient {old.user_id!r})")
        if kept != old and old.user_id not in officers:
            raise forbid(f"保密管理员授权不能改动他人的密钥条目 (an officer's grant may not change {old.user_id!r}'s entry)")
    added = set(new_by_user) - {r.user_id for r in before.recipients}
    if not added <= officers:
        raise forbid("授权只能添加保密管理员为接收人 (a grant may add only confidentiality officers as recipients)")


def _officers(ctx: Context, user_ids: set[str]) -> set[str]:
    marks = ",".join("?" * len(user_ids))
    rows = ctx.db.conn.execute(f'SELECT id, roles FROM "user" WHERE id IN ({marks})', list(user_ids)).fetchall()
    return {uid for uid, roles in rows if Role.OFFICER.value in json.loads(roles or "[]")}


class RemarkAccessArgs(Args, kw_only=True):
    id: str
    remark_id: str


class RemarkAccess(MutationSpec[RemarkAccessArgs]):
    """``remark.access``: record that a recipient decrypted a remark (append-only; officers see the
    whole log, the author sees who opened theirs). The client pushes one whenever it shows the
    plaintext; the server cannot know otherwise, which docs/security.md states plainly."""

    name = "remark.access"
    Args = RemarkAccessArgs

    def load(self, ctx: Context, args: RemarkAccessArgs) -> RemarkRow:
        return load_or_missing(ctx.db, "remark", args.remark_id, "remark_id")

    def authorize(self, ctx: Context, args: RemarkAccessArgs, remark: RemarkRow) -> None:
        policy.can_or_reject(ctx.actor, self.name, {r.user_id for r in remark.envelope.recipients})

    def validate(self, ctx: Context, args: RemarkAccessArgs, remark: RemarkRow) -> None:
        check_id(args.id)

    def apply(self, ctx: Context, args: RemarkAccessArgs, remark: RemarkRow) -> None:
        ctx.create("remark_access", RemarkAccessRow(
            id=args.id, remark_id=remark.id, remark_author_id=remark.author_id, user_id=ctx.actor.user_id,
            device_id=ctx.device_id, client_time=ctx.client_time, created_at=ctx.now_iso,
        ))
