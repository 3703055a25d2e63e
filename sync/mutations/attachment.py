"""``attachment.add`` / ``attachment.remove``: metadata of content-addressed blobs.

The bytes travel separately (``/api/blobs/{sha256}``) and may still be uploading when the
metadata arrives: text syncs first, media after.
"""

from __future__ import annotations

import re
from typing import Any

from sync import blobs, policy, rowstore
from sync.entities import AttachmentRow, ParentEntity
from sync.errors import BlobNotYours, NotFound
from sync.mutations.base import Args, Context, MutationSpec, check_id, check_text, load_or_missing, require
from sync.mutations.issue import issue_facts

MAX_SIZE = 100 * 1024 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MIME_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")


class AttachmentAddArgs(Args, kw_only=True):
    id: str
    parent_entity: ParentEntity
    parent_id: str
    sha256: str
    mime: str
    size: int
    name: str | None = None


class AttachmentRemoveArgs(Args, kw_only=True):
    id: str


def attach_facts(ctx: Context, parent_entity: str, parent: Any) -> policy.AttachFacts:
    """The parent of a new attachment as the policy's ``attachment.add`` rule sees it."""
    if parent_entity in ("interview", "note"):
        interview = parent if parent_entity == "interview" else rowstore.load(ctx.db, "interview", parent.interview_id)
        return policy.AttachFacts(interview=interview)
    issue = parent if parent_entity == "issue" else rowstore.load(ctx.db, "issue", parent.issue_id)
    return policy.AttachFacts(issue=None if issue is None else issue_facts(ctx, issue))


class AttachmentAdd(MutationSpec[AttachmentAddArgs]):
    name = "attachment.add"
    Args = AttachmentAddArgs

    def load(self, ctx: Context, args: AttachmentAddArgs) -> Any:
        return load_or_missing(ctx.db, args.parent_entity, args.parent_id, "parent_id")

    def authorize(self, ctx: Context, args: AttachmentAddArgs, parent: Any) -> None:
        policy.can_or_reject(ctx.actor, self.name, attach_facts(ctx, args.parent_entity, parent),
                             refusal=f"you may not attach files to this {args.parent_entity}")
        # The bytes: a sha256 is not a capability (anyone who once saw an attachment row knows it).
        policy.can_or_reject(ctx.actor, "blob.attach", blobs.facts(ctx.db, ctx.actor, args.sha256),
                             field="sha256", error=BlobNotYours)

    def validate(self, ctx: Context, args: AttachmentAddArgs, parent: Any) -> None:
        check_id(args.id)
        require(bool(SHA256_RE.match(args.sha256)), "`sha256` is 64 lowercase hex digits", "sha256")
        require(bool(MIME_RE.match(args.mime)), "`mime` must look like type/subtype (lowercase)", "mime")
        require(1 <= args.size <= MAX_SIZE, f"文件大小超出限制 (`size` must be 1..{MAX_SIZE} bytes)", "size")
        check_text(args.name, "name")

    def apply(self, ctx: Context, args: AttachmentAddArgs, parent: Any) -> None:
        ctx.create("attachment", AttachmentRow(
            id=args.id, parent_entity=args.parent_entity, parent_id=args.parent_id, sha256=args.sha256,
            mime=args.mime, size=args.size, name=args.name, author_id=ctx.actor.user_id,
            created_at=ctx.now_iso,
        ))
        if blobs.is_recorded(ctx.db, args.sha256):
            # Passed ``blob.attach``: a holder already, or able to read it — from now on a holder, so
            # the people who see this attachment may read the bytes through it.
            blobs.add_holder(ctx.db, args.sha256, ctx.actor.user_id, ctx.now_iso)


class AttachmentRemove(MutationSpec[AttachmentRemoveArgs]):
    name = "attachment.remove"
    Args = AttachmentRemoveArgs

    def load(self, ctx: Context, args: AttachmentRemoveArgs) -> AttachmentRow:
        row = rowstore.load(ctx.db, "attachment", args.id)
        if row is None:
            raise NotFound(f"没有这个附件 (no attachment {args.id!r})", field="id")
        return row

    def authorize(self, ctx: Context, args: AttachmentRemoveArgs, row: AttachmentRow) -> None:
        policy.can_or_reject(ctx.actor, self.name, (row.author_id,))

    def apply(self, ctx: Context, args: AttachmentRemoveArgs, row: AttachmentRow) -> None:
        ctx.delete("attachment", row.id)
