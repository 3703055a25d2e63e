"""The registry of named mutations. Clients can only change data through these names."""

from __future__ import annotations

from typing import Any

from sync.mutations.attachment import AttachmentAdd, AttachmentRemove
from sync.mutations.base import Context, MutationSpec
from sync.mutations.conflict import ConflictResolve, MutationVoid
from sync.mutations.followup import FollowupAdd
from sync.mutations.interview import InterviewSave
from sync.mutations.issue import IssueRaise, IssueUpdate
from sync.mutations.keys import KeyBackup, KeyPublish, KeyRetire
from sync.mutations.note import NoteAdd
from sync.mutations.notification import NotificationRead
from sync.mutations.plan import PlanSave
from sync.mutations.rejection import RejectionDismiss
from sync.mutations.remark import RemarkAccess, RemarkPut
from sync.mutations.report import ReportSave, ReportSubmit
from sync.mutations.signature import InterviewSign

REGISTRY: dict[str, MutationSpec[Any]] = {}


def register(spec: MutationSpec[Any]) -> MutationSpec[Any]:
    if spec.name in REGISTRY:
        raise ValueError(f"mutation {spec.name!r} registered twice")
    REGISTRY[spec.name] = spec
    return spec


for _spec in (InterviewSave(), NoteAdd(), IssueRaise(), IssueUpdate(), FollowupAdd(), RemarkPut(),
              AttachmentAdd(), AttachmentRemove(), ConflictResolve(), MutationVoid(),
              RejectionDismiss()):
    register(_spec)

for _spec in (KeyPublish(), KeyRetire(), KeyBackup(), RemarkAccess(), InterviewSign()):  # docs/security.md
    register(_spec)

for _spec in (ReportSave(), ReportSubmit(), NotificationRead()):  # the follow-up loop, docs/followup.md
    register(_spec)

register(PlanSave())  # plans, docs/plans-and-supervision.md

__all__ = ["REGISTRY", "Context", "MutationSpec", "register"]
