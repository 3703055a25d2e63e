"""Server-held unlock shares (docs/security.md §6): one random 32-byte share per device.

The PWA mixes its device's share into the key that unwraps its local data key, and keeps a copy
for ``unlock_share_days``; a revoked device can no longer fetch it (its tokens answer
``auth.device_revoked``), so once its cached copy expires it cannot be unlocked even with the PIN.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server.clock import iso

SHARE_BYTES = 32


def unlock_share_tx(db: Database, *, device_id: str, now: datetime) -> dict[str, Any]:
    """The device's share, created on first request (inside the caller's write transaction)."""
    rows = list(db.query("select share, created_at from device_unlock_share where device_id = ?", [device_id]))
    if rows:
        return rows[0]
    row = {"device_id": device_id, "share": secrets.token_bytes(SHARE_BYTES), "created_at": iso(now)}
    db["device_unlock_share"].insert(row)
    return row
