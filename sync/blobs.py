"""Who holds which blob: the facts the policy's ``blob.read`` and ``blob.attach`` rules decide on.

A blob's bytes are content-addressed, so its sha256 is not a secret a reader can be trusted to have
earned: anyone who once saw an attachment row knows it. Holding is therefore recorded, never
inferred from the name: a user holds a blob after uploading all of its bytes (verified against the
hash) or after attaching it while they could already read it (``attachment.add``).
"""

from __future__ import annotations

from sqlite_utils import Database

from sync import policy
from sync.actor import Actor


def is_recorded(db: Database, sha256: str) -> bool:
    """The server has the whole, verified blob (the ``blob`` table of ``server.migrations``)."""
    return db.conn.execute("SELECT 1 FROM blob WHERE sha256 = ?", (sha256,)).fetchone() is not None


def holds(db: Database, user_id: str, sha256: str) -> bool:
    return db.conn.execute("SELECT 1 FROM blob_holder WHERE sha256 = ? AND user_id = ?",
                           (sha256, user_id)).fetchone() is not None


def add_holder(db: Database, sha256: str, user_id: str, now_iso: str) -> None:
    db.conn.execute("INSERT OR IGNORE INTO blob_holder (sha256, user_id, since) VALUES (?, ?, ?)",
                    (sha256, user_id, now_iso))


def facts(db: Database, actor: Actor, sha256: str) -> policy.BlobFacts:
    return policy.BlobFacts(
        recorded=is_recorded(db, sha256),
        holder=holds(db, actor.user_id, sha256),
        readable=lambda: policy.attachment_with_blob_visible(db, actor, sha256),
    )
