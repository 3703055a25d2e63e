"""Clock honesty: what each device's clock said at its last push, against the server's."""

from __future__ import annotations

import msgspec
from sqlite_utils import Database

# Beyond this a device clock is "wrong", not merely drifting: HR sees it flagged.
CLOCK_FLAG_MS = 5 * 60 * 1000


class DeviceClock(msgspec.Struct):
    device_id: str
    device_name: str
    user_id: str
    user_name: str
    revoked: bool
    last_push_at: str | None
    last_client_time: str | None
    clock_offset_ms: int | None
    """Server time minus the device's ``client_time`` at its last push (positive: device is behind)."""
    clock_flagged: bool
    last_mutation_id: int
    pushes: int


def device_clocks(db: Database) -> list[DeviceClock]:
    rows = db.query(
        """select d.id as device_id, d.name as device_name, d.user_id, u.name as user_name,
                  d.revoked_at is not null as revoked, s.last_push_at, s.last_client_time,
                  s.clock_offset_ms, coalesce(s.last_mutation_id, 0) as last_mutation_id,
                  coalesce(s.pushes, 0) as pushes
           from device d join user u on u.id = d.user_id
           left join sync_device s on s.device_id = d.id
           order by abs(coalesce(s.clock_offset_ms, 0)) desc, u.name"""
    )
    return [
        DeviceClock(
            **{**row, "revoked": bool(row["revoked"])},
            clock_flagged=row["clock_offset_ms"] is not None and abs(row["clock_offset_ms"]) > CLOCK_FLAG_MS,
        )
        for row in rows
    ]
