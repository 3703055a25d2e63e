"""Blob records and who may read them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server.clock import iso
from sync import blobs, policy
from sync.actor import Actor


def blob_row(db: Database, sha256: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from blob where sha256 = ?", [sha256]))
    return rows[0] if rows else None


def record_blob_tx(db: Database, *, sha256: str, size: int, mime: str, actor: Actor, now: datetime) -> None:
    db.execute(
        "insert or ignore into blob (sha256, size, mime, created_at, created_by) values (?, ?, ?, ?, ?)",
        [sha256, size, mime, iso(now), actor.user_id],
    )
    # Every uploader who sent all the bytes holds the blob, not only the first (sync.blobs).
    blobs.add_holder(db, sha256, actor.user_id, iso(now))


def may_read_blob(db: Database, actor: Actor, sha256: str) -> bool:
    """A holder, or anyone who may pull an attachment of it by a holder (``blob.read``). False for a
    blob the server does not have: callers answer both the same way."""
    return policy.can(actor, "blob.read", blobs.facts(db, actor, sha256))


def readable_blob_row(db: Database, actor: Actor, sha256: str) -> dict[str, Any] | None:
    """The blob's record when ``actor`` may read it, else ``None`` (missing or not theirs alike)."""
    return blob_row(db, sha256) if may_read_blob(db, actor, sha256) else None
