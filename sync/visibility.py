"""Who may pull which row: the visibility of each entity and the per-actor pull filter.

The matrix (also in docs/sync-protocol.md §5):

=============  ==========================================================================
row kind       visible to
=============  ==========================================================================
ref            everyone (org units, users' public info, the checklist catalogue)
work           interview, note, issue, followup, attachment:
               * hr / leader / supervisor (company-wide roles): all
               * cadre, unit_lead: rows whose unit (the interviewed unit) is in their subtree
               * handler: issues whose assigned handler dept is in their subtree, and those
                 issues' follow-ups and attachments
               * anyone listed in the row's ``users`` (the interview's cadres, the author,
                 the raiser): their own work, wherever it happened
remark         the author, and officers. Nobody else — not HR, not other cadres.
personal       conflict and rejection records: only the users involved.
=============  ==========================================================================

Visibility is computed when a row is written and denormalised into ``sync_change``; when a parent
changes in a way that changes its children's audience (an interview's cadres or unit, an issue's
handler dept) the children are re-logged with the new visibility (``cascade``).

Who may *read* a row with a given audience is decided by the policy (``sync.policy.pull_filter`` and
``sync.policy.may_read``); this module only computes the audience.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync import memo, rowstore
from sync.entities import (
    ArchiveRow,
    AttachmentRow,
    ConflictRow,
    FollowupRow,
    InterviewRow,
    InterviewSignatureRow,
    IssueRow,
    KeyBackupRow,
    NoteRow,
    NotificationRow,
    PlanItemRow,
    RejectionRow,
    RemarkAccessRow,
    RemarkRow,
    ReportRow,
    UserKeyRow,
)
from sync.rowstore import REF, Visibility


def unit_path(db: Database, unit_id: str | None) -> str | None:
    if unit_id is None:
        return None
    return memo.cached(db, "org_unit", unit_id, lambda: _unit_path(db, unit_id))


def _unit_path(db: Database, unit_id: str) -> str | None:
    r = db.conn.execute("SELECT path FROM org_unit WHERE id = ?", (unit_id,)).fetchone()
    return None if r is None else r[0]


def _with_users(vis: Visibility, *users: str | None) -> Visibility:
    more = tuple(u for u in users if u and u not in vis.users)
    if not more:  # a note by one of its interview's cadres: the same (shared, memoised) audience
        return vis
    return Visibility(vis.kind, vis.unit_path, vis.handler_path, vis.users + more)


def _interview_vis(db: Database, interview_id: str) -> Visibility:
    # Every note of a push asks for its interview's audience: memoised (dropped when an interview
    # or org unit is written, see sync.memo.DERIVED). Visibility is frozen, so sharing it is safe.
    return memo.cached(db, "interview_visibility", interview_id, lambda: _interview_vis_uncached(db, interview_id))


def _interview_vis_uncached(db: Database, interview_id: str) -> Visibility:
    iv = rowstore.load(db, "interview", interview_id)
    if iv is None:  # cannot happen through mutations; keep the row private rather than public
        return Visibility("personal")
    return visibility_for(db, "interview", iv)


def _issue_vis(db: Database, issue_id: str) -> Visibility:
    # Every event of a problem asks for the problem's audience (a ledger of three years: 112,000
    # events, a seventh of its time): memoised like the interview's, dropped when an issue, an
    # interview or an org unit is written (sync.memo.DERIVED).
    return memo.cached(db, "issue_visibility", issue_id, lambda: _issue_vis_uncached(db, issue_id))


def _issue_vis_uncached(db: Database, issue_id: str) -> Visibility:
    issue = rowstore.load(db, "issue", issue_id)
    if issue is None:
        return Visibility("personal")
    return visibility_for(db, "issue", issue)


def parent_vis(db: Database, parent_entity: str, parent_id: str) -> Visibility:
    row = rowstore.load(db, parent_entity, parent_id)
    if row is None:
        return Visibility("personal")
    return visibility_for(db, parent_entity, row)


def visibility_for(db: Database, entity: str, row: Any) -> Visibility:
    """The audience of one row, from its own fields and its parents."""
    if isinstance(row, InterviewRow):
        return Visibility("work", unit_path(db, row.unit_id), None, (*row.cadre_ids, row.author_id))
    if isinstance(row, NoteRow):
        return _with_users(_interview_vis(db, row.interview_id), row.author_id)
    if isinstance(row, IssueRow):
        base = _interview_vis(db, row.interview_id)
        return Visibility("work", base.unit_path, unit_path(db, row.handler_unit_id),
                          base.users + (row.raised_by,))
    if isinstance(row, FollowupRow):
        return _with_users(_issue_vis(db, row.issue_id), row.author_id)
    if isinstance(row, AttachmentRow):
        return _with_users(parent_vis(db, row.parent_entity, row.parent_id), row.author_id)
    if isinstance(row, RemarkRow):
        return Visibility("remark", None, None, (row.author_id,))
    if isinstance(row, ConflictRow):
        return Visibility("personal", None, None, (row.winner_user_id or "", row.loser_user_id or ""))
    if isinstance(row, RejectionRow):
        return Visibility("personal", None, None, (row.author_id,))
    if isinstance(row, UserKeyRow):
        return REF  # public keys: every author must be able to encrypt to every officer
    if isinstance(row, KeyBackupRow):
        return Visibility("personal", None, None, (row.user_id,))
    if isinstance(row, RemarkAccessRow):
        # Officers see the whole access log; the remark's author sees who opened their remark.
        return Visibility("remark", None, None, (row.remark_author_id, row.user_id))
    if isinstance(row, InterviewSignatureRow):
        return _interview_vis(db, row.interview_id)
    if isinstance(row, ReportRow):
        # A draft report is its cadres' own work; once submitted it is seen like the interview.
        iv_vis = _interview_vis(db, row.interview_id)
        if row.status != "submitted":
            return Visibility("personal", None, None, iv_vis.users + (row.author_id,))
        return _with_users(iv_vis, row.author_id)
    if isinstance(row, NotificationRow):
        return Visibility("personal", None, None, (row.user_id,))
    if isinstance(row, ArchiveRow):
        return _interview_vis(db, row.interview_id)
    if isinstance(row, PlanItemRow):
        # The plan of a unit is seen in that unit (its lead, its cadres) and company-wide; the
        # assigned cadre gets it wherever they sit, so a visit can start offline from it.
        return Visibility("work", unit_path(db, row.unit_id), None, (row.cadre_id,))
    raise TypeError(f"no visibility rule for {entity}")


def _children(db: Database, entity: str, row_id: str) -> list[tuple[str, Any]]:
    kids: list[tuple[str, Any]] = []
    if entity == "interview":
        kids += [("note", r) for r in rowstore.load_where(db, "note", "interview_id = ?", [row_id])]
        kids += [("issue", r) for r in rowstore.load_where(db, "issue", "interview_id = ?", [row_id])]
        kids += [(e, r) for e in ("report", "archive")
                 for r in rowstore.load_where(db, e, "interview_id = ?", [row_id])]
    if entity == "issue":
        kids += [("followup", r) for r in rowstore.load_where(db, "followup", "issue_id = ?", [row_id])]
    if entity in ("interview", "note", "issue", "followup"):
        kids += [("attachment", r) for r in rowstore.load_where(
            db, "attachment", "parent_entity = ? AND parent_id = ?", [entity, row_id])]
    return kids


def cascade(db: Database, entity: str, row_id: str, now_iso: str) -> None:
    """Re-log every descendant of a row whose audience changed, so it reaches new readers."""
    for child_entity, child in _children(db, entity, row_id):
        rowstore.relog(db, child_entity, child.id, visibility_for(db, child_entity, child), now_iso)
        cascade(db, child_entity, child.id, now_iso)
