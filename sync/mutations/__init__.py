"""The registry of named mutations. Clients can only change data through these names."""

from __future__ import annotations

from typing import Any

from sync.mutations.attachment import AttachmentAdd, AttachmentRemove
from sync.mutations.base import Context, MutationSpec
from sync.mutations.conflict import ConflictResolve, MutationVoid
from sync.mutations.followup import FollowupAdd
from sync.mutations.interview import InterviewSave
from sync.mutations.issue import IssueRaise, IssueUpdate
from sync.mutations.note import NoteAdd
from sync.mutations.remark import RemarkPut

REGISTRY: dict[str, MutationSpec[Any]] = {}


def register(spec: MutationSpec[Any]) -> MutationSpec[Any]:
    if spec.name in REGISTRY:
        raise ValueError(f"mutation {spec.name!r} registered twice")
    REGISTRY[spec.name] = spec
    return spec


for _spec in (InterviewSave(), NoteAdd(), IssueRaise(), IssueUpdate(), FollowupAdd(), RemarkPut(),
              AttachmentAdd(), AttachmentRemove(), ConflictResolve(), MutationVoid()):
    register(_spec)

__all__ = ["REGISTRY", "Context", "MutationSpec", "register"]
