"""``notification.read``: mark entries of one's own in-app inbox read (docs/followup.md)."""

from __future__ import annotations

from typing import Any

import msgspec

from sync import policy, rowstore
from sync.entities import NotificationRow
from sync.errors import NotFound
from sync.mutations.base import UUID_RE, Args, Context, MutationSpec, require

MAX_IDS = 500


class NotificationReadArgs(Args, kw_only=True):
    ids: list[str]


class NotificationRead(MutationSpec[NotificationReadArgs]):
    name = "notification.read"
    Args = NotificationReadArgs

    def load(self, ctx: Context, args: NotificationReadArgs) -> list[NotificationRow]:
        rows = []
        for i, nid in enumerate(args.ids):
            row = rowstore.load(ctx.db, "notification", nid) if UUID_RE.match(nid) else None
            missing = f"no notification {nid!r} in your inbox"
            if row is None:
                raise NotFound(missing, field=f"ids[{i}]")
            # someone else's: refused as not found, so it is not revealed
            policy.can_or_reject(ctx.actor, self.name, row.user_id, refusal=missing, field=f"ids[{i}]")
            rows.append(row)
        return rows

    def authorize(self, ctx: Context, args: NotificationReadArgs, rows: Any) -> None:
        return None  # load only finds the caller's own notifications

    def validate(self, ctx: Context, args: NotificationReadArgs, rows: Any) -> None:
        require(1 <= len(args.ids) <= MAX_IDS, f"`ids` lists 1-{MAX_IDS} notifications", "ids")

    def apply(self, ctx: Context, args: NotificationReadArgs, rows: list[NotificationRow]) -> None:
        for row in rows:
            if row.read_at is None:  # reading twice (two devices) keeps the first time
                ctx.save("notification", msgspec.structs.replace(row, read_at=ctx.now_iso))
