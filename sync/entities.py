"""Row shapes of every synced entity, as pulled by clients and stored in the entity tables.

One Struct per entity. The same Struct is (a) the JSON ``row`` a pull returns and (b) the column
set of the entity table: list/dict/Struct-valued fields are stored as JSON text, booleans as 0/1
(see ``sync.rowstore``). Field order here is the wire order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec

Form = Literal["individual", "group", "walkthrough", "online", "symposium"]
FORMS: tuple[str, ...] = ("individual", "group", "walkthrough", "online", "symposium")
InterviewStatus = Literal["draft", "submitted"]
Category = Literal["business", "management", "demand", "suggestion"]
IssueStatus = Literal["raised", "assigned", "in_progress", "resolved", "closed"]
FollowupKind = Literal["assign", "start", "progress", "resolve", "close", "reopen", "comment", "escalate", "decide"]
ParentEntity = Literal["interview", "note", "issue", "followup"]
Understood = Literal["fully", "partly", "not"]


class _Row(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: str


class Participant(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    post: str
    name: str | None = None
    anonymous: bool = False


class Briefing(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """上情下达: what was conveyed downwards, and how well it was understood."""

    conveyed: str
    understood: Understood


class InterviewContent(_Row, kw_only=True):
    """What the cadre recorded — exactly what a device signature covers (sync.signing)."""

    plan_item_id: str | None = None
    adhoc_reason: str | None = None
    form: Form
    unit_id: str
    cadre_ids: list[str] = []
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    place: str | None = None
    participants: list[Participant] = []
    participant_count: int | None = None
    theme: str | None = None
    channel: str | None = None
    absence_reason: str | None = None
    topic: str | None = None
    departments: list[str] = []
    consensus: list[str] = []
    disagreements: list[str] = []
    topics: list[str] = []
    briefing: Briefing | None = None
    summary: str | None = None


class Amendment(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One change of a record after its submission (docs/followup.md §Amendments): who, when, why,
    which fields, and what they held before. Written by the server, never by a client."""

    at: str
    author_id: str
    reason: str
    fields: list[str]
    before: dict[str, Any] = {}


class InterviewRow(InterviewContent, kw_only=True):
    status: InterviewStatus = "draft"
    author_id: str
    created_at: str
    updated_at: str
    submitted_at: str | None = None
    amendments: list[Amendment] = []
    """Changes after submission, oldest first (the record's history)."""


class NoteRow(_Row, kw_only=True):
    interview_id: str
    prompt_id: str | None = None
    text: str
    author_id: str
    client_time: str | None = None
    created_at: str


class IssueRow(_Row, kw_only=True):
    interview_id: str
    note_id: str | None = None
    category: Category
    description: str
    unit_ids: list[str] = []
    solution: str | None = None
    owner: str | None = None
    owner_user_id: str | None = None
    due_date: dt.date | None = None
    major: bool = False
    receipt_code: str
    public_summary: str | None = None
    """What the public receipt page /r/<code> shows as the problem (the cadre writes it without names)."""
    status: IssueStatus = "raised"
    handler_unit_id: str | None = None
    raised_by: str
    created_at: str
    updated_at: str
    flagged_events: int = 0


class FollowupRow(_Row, kw_only=True):
    issue_id: str
    kind: FollowupKind
    text: str | None = None
    handler_unit_id: str | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    evidence: list[str] = []
    evidence_text: str | None = None
    verifier_id: str | None = None
    from_status: IssueStatus
    to_status: IssueStatus
    flagged: bool = False
    flag_reason: str | None = None
    author_id: str
    client_time: str | None = None
    created_at: str


class Recipient(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    user_id: str
    key_id: str
    enc: str
    wrapped_key: str


class Envelope(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An end-to-end encrypted value (DESIGN §5). The server validates its shape only."""

    v: int
    kem: str
    kdf: str
    aead: str
    kid: str
    nonce: str
    ct: str
    recipients: list[Recipient]


class RemarkInterview(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Which interview a remark belongs to, for the officer's list (form · place · date): set by
    the server from the interview at every ``remark.put``. Officers pull remarks but not interviews."""

    form: Form
    unit_id: str
    place: str | None = None
    started_at: dt.datetime | None = None


class RemarkRow(_Row, kw_only=True):
    interview_id: str
    author_id: str
    envelope: Envelope
    created_at: str
    updated_at: str
    interview: RemarkInterview | None = None
    written_at: str | None = None
    """When the author last wrote it, on the device (Context.written_at_iso): what people are shown
    (记录于), while ``created_at``/``updated_at`` stay the server's receipt times that order rows."""


class AttachmentRow(_Row, kw_only=True):
    parent_entity: ParentEntity
    parent_id: str
    sha256: str
    mime: str
    size: int
    name: str | None = None
    author_id: str
    created_at: str


class ConflictRow(_Row, kw_only=True):
    entity: str
    row_id: str
    kind: Literal["hard", "soft"]
    field: str | None = None
    fields: list[str] = []
    winner_value: Any = None
    loser_value: Any = None
    winner_user_id: str | None = None
    winner_device_id: str | None = None
    winner_mutation_id: int | None = None
    loser_user_id: str | None = None
    loser_device_id: str | None = None
    loser_mutation_id: int | None = None
    loser_seq: int | None = None
    base: int | None = None
    status: Literal["open", "merged", "resolved"] = "open"
    resolved_by: str | None = None
    resolved_at: str | None = None
    note: str | None = None
    created_at: str


class RejectionError(msgspec.Struct, omit_defaults=True, kw_only=True):
    code: str
    message: str
    field: str | None = None


class RejectionRow(_Row, kw_only=True):
    device_id: str
    mutation_id: int
    name: str
    args: Any
    base: int | None = None
    client_time: str | None = None
    error: RejectionError
    author_id: str
    created_at: str
    dismissed_by: str | None = None
    """Set by ``rejection.dismiss``: the author discarded it deliberately (syncs to their other devices)."""
    dismissed_at: str | None = None


# Reference rows (read-only for clients; written by the server, see sync.reference).
class OrgUnitRow(_Row, kw_only=True):
    parent_id: str | None = None
    name: str
    kind: str
    path: str
    is_handler_dept: bool = False
    sort: int = 0
    disabled: bool = False
    """停用: kept for history (old records name it), never offered for new work."""


class UserRow(_Row, kw_only=True):
    name: str
    unit_id: str
    roles: list[str] = []
    post: str | None = None


# Confidentiality (docs/security.md): public keys, passphrase-wrapped key backups, the decryption
# access log and device signatures over submitted interviews. The server stores and checks shapes
# and signatures; it never holds a private key.
KeyPurpose = Literal["encryption", "signing"]
BackupMethod = Literal["passphrase", "recovery_code"]


class UserKeyRow(_Row, kw_only=True):
    user_id: str
    purpose: KeyPurpose
    device_id: str | None = None
    """For signing keys: the device that holds the private key."""
    public_key: str
    """Uncompressed P-256 point (65 bytes), unpadded base64url."""
    created_at: str
    retired_at: str | None = None


class KeyBackupRow(_Row, kw_only=True):
    user_id: str
    key_id: str
    method: BackupMethod
    kdf: str
    iterations: int
    salt: str
    nonce: str
    wrapped: str
    created_at: str


class RemarkAccessRow(_Row, kw_only=True):
    remark_id: str
    remark_author_id: str
    user_id: str
    device_id: str
    client_time: str | None = None
    created_at: str


class InterviewSignatureRow(_Row, kw_only=True):
    interview_id: str
    user_id: str
    device_id: str
    key_id: str
    canonical_sha256: str
    signature: str
    client_time: str | None = None
    created_at: str


# The follow-up loop (docs/followup.md): the report, the in-app inbox, the archive record.
ReportStatus = Literal["draft", "submitted"]


class ReportRow(_Row, kw_only=True):
    """访谈情况报告: one per interview, ``id`` = the interview's id. Its problems are the
    interview's issues (``issue_ids`` in report order, refreshed on every save/submit)."""

    interview_id: str
    title: str | None = None
    summary: str | None = None
    status: ReportStatus = "draft"
    issue_ids: list[str] = []
    interview_date: dt.date | None = None
    due_date: dt.date | None = None
    """7 working days after ``interview_date``, computed by the server (statutory calendar)."""
    calendar_unknown_year: int | None = None
    """Set (and ``due_date`` null) while the calendar of that year is not known yet."""
    author_id: str
    created_at: str
    updated_at: str
    submitted_at: str | None = None
    submitted_by: str | None = None
    amendments: list[Amendment] = []
    """Changes after submission, oldest first (the report's history)."""


class NotificationRow(_Row, kw_only=True):
    """One entry of a user's in-app inbox (the record; Web Push and webhooks are best effort)."""

    user_id: str
    kind: str
    title: str
    body: str
    entity: str | None = None
    entity_id: str | None = None
    created_at: str
    read_at: str | None = None


class ArchiveRow(_Row, kw_only=True):
    """成果归档: the immutable bundle of an interview (``id`` = the interview's id)."""

    interview_id: str
    file_name: str
    sha256: str
    size: int
    manifest_sha256: str
    archived_by: str
    archived_at: str


# Plans (docs/plans-and-supervision.md): HR's company plan and each unit's own plan, one row per
# planned visit. Completion (planned/done/late/missed) is computed from the interviews that link it.
PlanScope = Literal["company", "unit"]
PlanKind = Literal["quarterly", "deep_review", "monthly", "adhoc"]
PlanItemState = Literal["active", "cancelled"]


class PlanItemRow(_Row, kw_only=True):
    """One planned visit: which cadre visits which unit, in which window."""

    scope: PlanScope
    kind: PlanKind
    year: int
    quarter: int | None = None
    month: int | None = None
    cadre_id: str
    unit_id: str
    window_start: dt.date
    window_end: dt.date
    title: str | None = None
    reason: str | None = None
    """Why an ad-hoc visit (临时加访) is needed: a key project or an incident."""
    status: PlanItemState = "active"
    created_by: str
    created_at: str
    updated_at: str


ROW_TYPES: dict[str, type[_Row]] = {
    "interview": InterviewRow,
    "note": NoteRow,
    "issue": IssueRow,
    "followup": FollowupRow,
    "remark": RemarkRow,
    "attachment": AttachmentRow,
    "conflict": ConflictRow,
    "rejection": RejectionRow,
    "report": ReportRow,
    "notification": NotificationRow,
    "archive": ArchiveRow,
    "user_key": UserKeyRow,
    "key_backup": KeyBackupRow,
    "remark_access": RemarkAccessRow,
    "interview_signature": InterviewSignatureRow,
    "plan_item": PlanItemRow,
}
"""Entities stored by the sync package in a table of the same name."""

REFERENCE_ENTITIES = ("org_unit", "user", "catalogue")
ALL_ENTITIES = tuple(ROW_TYPES) + REFERENCE_ENTITIES
