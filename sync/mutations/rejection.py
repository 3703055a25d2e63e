"""``rejection.dismiss``: the author discards an entry of the rejection inbox deliberately."""

from __future__ import annotations

import msgspec

from sync import policy
from sync.entities import RejectionRow
from sync.mutations.base import Args, Context, MutationSpec, load_or_missing


class RejectionDismissArgs(Args, kw_only=True):
    id: str
    """The rejection row's id (server-made, as pulled)."""


class RejectionDismiss(MutationSpec[RejectionDismissArgs]):
    """Marks the rejection row dismissed (who, when) so the decision reaches the author's other
    devices through the normal pull; the refused mutation itself stays on record."""

    name = "rejection.dismiss"
    Args = RejectionDismissArgs

    def load(self, ctx: Context, args: RejectionDismissArgs) -> RejectionRow:
        return load_or_missing(ctx.db, "rejection", args.id, "id")

    def authorize(self, ctx: Context, args: RejectionDismissArgs, row: RejectionRow) -> None:
        policy.can_or_reject(ctx.actor, self.name, (row.author_id,))

    def apply(self, ctx: Context, args: RejectionDismissArgs, row: RejectionRow) -> None:
        if row.dismissed_at is not None:
            return  # dismissing twice (two devices) is harmless, not an error
        ctx.save("rejection", msgspec.structs.replace(row, dismissed_by=ctx.actor.user_id, dismissed_at=ctx.now_iso))
