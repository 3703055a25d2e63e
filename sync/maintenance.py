"""Housekeeping: purge old tombstones and receipts, moving the cursor horizon forward."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

RETENTION_DAYS = 180
"""Tombstones and receipts are kept at least this long (DESIGN §4)."""


def purge(db: Database, now: dt.datetime, *, keep_days: int = RETENTION_DAYS) -> dict[str, int]:
    """Delete tombstones and receipts older than ``keep_days``; returns counts and the horizon.

    Any cursor below the highest purged tombstone seq could miss a deletion, so the horizon moves
    to it and such cursors get ``sync.cursor_expired`` (410). Runs in its own transaction on the
    writer connection.
    """
    if keep_days < RETENTION_DAYS:
        raise ValueError(f"retention below {RETENTION_DAYS} days breaks the protocol's promise")
    cutoff = (now.astimezone(dt.UTC) - dt.timedelta(days=keep_days)).isoformat()
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        r = db.conn.execute(
            "SELECT max(seq), count(*) FROM sync_change WHERE deleted = 1 AND changed_at < ?", (cutoff,)
        ).fetchone()
        max_purged, n_tomb = (r[0] or 0), r[1]
        db.conn.execute("DELETE FROM sync_change WHERE deleted = 1 AND changed_at < ?", (cutoff,))
        n_receipts = db.conn.execute("DELETE FROM sync_receipt WHERE created_at < ?", (cutoff,)).rowcount
        db.conn.execute(
            "UPDATE sync_meta SET value = max(CAST(value AS INTEGER), ?) WHERE key = 'horizon_seq'",
            (max_purged,),
        )
        horizon = int(db.conn.execute("SELECT value FROM sync_meta WHERE key = 'horizon_seq'").fetchone()[0])
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    return {"tombstones": n_tomb, "receipts": n_receipts, "horizon": horizon}
