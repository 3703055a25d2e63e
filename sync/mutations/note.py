"""``note.add``: append a note to an interview, optionally under a checklist prompt."""

from __future__ import annotations

from typing import Any

from sync import policy
from sync.catalogue import prompt_ids
from sync.entities import InterviewRow, NoteRow
from sync.mutations.base import (
    LONG,
    Args,
    Context,
    MutationSpec,
    check_id,
    check_text,
    load_or_missing,
    require,
)


class NoteAddArgs(Args, kw_only=True):
    id: str
    interview_id: str
    prompt_id: str | None = None
    text: str


class NoteAdd(MutationSpec[NoteAddArgs]):
    name = "note.add"
    Args = NoteAddArgs
    writes_only_in_last_step = True  # apply writes one row after ctx.create's read-only id check
    appends_only = True  # that row is new, and nothing in a note's checks reads notes
    creates = ("note", "id")

    def load(self, ctx: Context, args: NoteAddArgs) -> InterviewRow:
        return load_or_missing(ctx.db, "interview", args.interview_id, "interview_id")

    def authorize(self, ctx: Context, args: NoteAddArgs, interview: InterviewRow) -> None:
        policy.can_or_reject(ctx.actor, self.name, interview)

    def validate(self, ctx: Context, args: NoteAddArgs, interview: Any) -> None:
        check_id(args.id)
        if args.prompt_id is not None:
            require(args.prompt_id in prompt_ids(), f"没有这个提纲要点 (unknown checklist prompt {args.prompt_id!r})", "prompt_id")
        check_text(args.text, "text", LONG, required=True)

    def apply(self, ctx: Context, args: NoteAddArgs, interview: Any) -> None:
        # ctx.create refuses an existing id: notes are append-only, never edited.
        ctx.create(
            "note",
            NoteRow(
                id=args.id,
                interview_id=args.interview_id,
                prompt_id=args.prompt_id,
                text=args.text,
                author_id=ctx.actor.user_id,
                client_time=ctx.client_time,
                created_at=ctx.now_iso,
            ),
        )
