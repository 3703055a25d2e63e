"""Blob records and who may read them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server.clock import iso
from sync import policy
from sync.actor import Actor


def blob_row(db: Database, sha256: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from blob where sha256 = ?", [sha256]))
    return rows[0] if rows else None


def record_blob_tx(db: Database, *, sha256: str, size: int, mime: str, actor: Actor, now: datetime) -> None:
    db.execute(
        "insert or ignore into blob (sha256, size, mime, created_at, created_by) values (?, ?, ?, ?, ?)",
        [sha256, size, mime, iso(now), actor.user_id],
    )


def may_read_blob(db: Database, actor: Actor, sha256: str) -> bool:
    """The uploader, or anyone who may pull an attachment that references the blob."""
    row = blob_row(db, sha256)
    if row is None:
        return False
    return policy.can(
        actor, "blob.read", (row["created_by"], lambda: policy.attachment_with_blob_visible(db, actor, sha256))
    )
