"""``conflict.resolve``: close an entry of the conflict inbox; and ``mutation.void``."""

from __future__ import annotations

from typing import Any

import msgspec

from sync import policy
from sync.entities import ConflictRow
from sync.errors import Voided
from sync.mutations.base import LONG, Args, Context, MutationSpec, check_text, load_or_missing


class ConflictResolveArgs(Args, kw_only=True):
    id: str
    note: str | None = None


class ConflictResolve(MutationSpec[ConflictResolveArgs]):
    name = "conflict.resolve"
    Args = ConflictResolveArgs

    def load(self, ctx: Context, args: ConflictResolveArgs) -> ConflictRow:
        return load_or_missing(ctx.db, "conflict", args.id, "id")

    def authorize(self, ctx: Context, args: ConflictResolveArgs, row: ConflictRow) -> None:
        policy.can_or_reject(ctx.actor, self.name, (row.winner_user_id, row.loser_user_id))

    def validate(self, ctx: Context, args: ConflictResolveArgs, row: ConflictRow) -> None:
        check_text(args.note, "note", LONG)

    def apply(self, ctx: Context, args: ConflictResolveArgs, row: ConflictRow) -> None:
        if row.status == "resolved":
            return  # resolving twice (two devices) is harmless, not an error
        ctx.save("conflict", msgspec.structs.replace(
            row, status="resolved", resolved_by=ctx.actor.user_id, resolved_at=ctx.now_iso, note=args.note,
        ))


class MutationVoidArgs(Args, kw_only=True):
    original_name: str
    original_args: Any = None
    reason: str = ""


class MutationVoid(MutationSpec[MutationVoidArgs]):
    """Stands in for a queued mutation the server refused to decode (400), so the device's ids keep
    advancing and the typed content still lands in the author's rejection inbox."""

    name = "mutation.void"
    Args = MutationVoidArgs

    def authorize(self, ctx: Context, args: MutationVoidArgs, state: Any) -> None:
        return None

    def apply(self, ctx: Context, args: MutationVoidArgs, state: Any) -> None:
        raise Voided(f"本机已作废这条无法读取的修改 (voided by the client: {args.reason or 'undecodable mutation'})")
