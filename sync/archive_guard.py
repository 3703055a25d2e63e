"""成果归档 makes an interview read-only: every mutation against the interview or anything under it
(notes, issues, follow-ups, attachments, remarks, its report, signatures) is rejected with
``archived``. ``MutationSpec.run`` calls ``refuse_if_archived`` after authorization."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync import memo, rowstore
from sync.errors import Archived

# mutation name → how to find the interview it touches from its args
_BY_ARG: dict[str, str] = {
    "interview.save": "id",
    "note.add": "interview_id",
    "issue.raise": "interview_id",
    "remark.put": "interview_id",
    "report.save": "interview_id",
    "report.submit": "interview_id",
    "interview.sign": "interview_id",
}


def interview_of_row(db: Database, entity: str, row_id: str, depth: int = 0) -> str | None:
    """The interview a row hangs under (``None`` when unknown)."""
    if depth > 4:
        return None
    if entity == "interview":
        return row_id
    row = rowstore.load(db, entity, row_id)
    if row is None:
        return None
    if entity in ("note", "issue", "remark", "report"):
        return row.interview_id
    if entity == "followup":
        return interview_of_row(db, "issue", row.issue_id, depth + 1)
    if entity == "attachment":
        return interview_of_row(db, row.parent_entity, row.parent_id, depth + 1)
    return None


def interview_of(db: Database, name: str, args: Any) -> str | None:
    if name in _BY_ARG:
        return getattr(args, _BY_ARG[name], None)
    if name == "issue.update":
        return interview_of_row(db, "issue", args.id)
    if name == "followup.add":
        return interview_of_row(db, "issue", args.issue_id)
    if name == "attachment.add":
        return interview_of_row(db, args.parent_entity, args.parent_id)
    if name == "attachment.remove":
        return interview_of_row(db, "attachment", args.id)
    return None


def is_archived(db: Database, interview_id: str) -> bool:
    return memo.cached(db, "archive", interview_id, lambda: _is_archived(db, interview_id))


def _is_archived(db: Database, interview_id: str) -> bool:
    return db.conn.execute("SELECT 1 FROM archive WHERE interview_id = ?", (interview_id,)).fetchone() is not None


def refuse_if_archived(db: Database, name: str, args: Any) -> None:
    interview_id = interview_of(db, name, args)
    if interview_id is not None and is_archived(db, interview_id):
        raise Archived(
            f"该访谈已归档，不能再修改 (interview {interview_id} is archived and read-only)",
            field="interview_id", details={"interview_id": interview_id},
        )
