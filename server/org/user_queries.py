"""Read side of the 用户与设备 admin screen: a page of users found by name, 工号 or unit path, and
one user's devices with the device clock's offset at its last sync (docs/administration.md)."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from server.org.people import user_or_404
from server.org.roles import roles_zh
from server.org.service import name_paths, resolve_unit


def search_users(db: Database, *, q: str = "", unit_id: str | None = None, limit: int = 50,
                 offset: int = 0) -> dict[str, Any]:
    """``{"total": n, "users": [...]}``: users whose name, 工号 or unit path contains ``q`` (all when
    empty), within ``unit_id``'s subtree when given, ordered by 工号, one page of ``limit`` from ``offset``."""
    paths = name_paths(db)
    sql = """SELECT u.id, u.username, u.name, u.roles, u.unit_id, u.post, u.disabled, u.must_change_password,
                    (SELECT count(*) FROM device d WHERE d.user_id = u.id) AS device_count,
                    (SELECT count(*) FROM device d WHERE d.user_id = u.id AND d.revoked_at IS NULL) AS active_devices
             FROM "user" u JOIN org_unit o ON o.id = u.unit_id"""
    params: list[Any] = []
    if unit_id:
        scope = resolve_unit(db, unit_id)
        sql += " WHERE substr(o.path, 1, ?) = ?"
        params += [len(scope["path"]), scope["path"]]
    needle = q.strip()
    found = []
    for row in db.query(sql + " ORDER BY u.username", params):
        path = paths.get(row["unit_id"], "")
        if needle and not (needle in row["name"] or needle in row["username"] or needle in path):
            continue
        roles = json.loads(row["roles"])
        found.append({
            "id": row["id"], "username": row["username"], "name": row["name"], "roles": roles,
            "roles_zh": roles_zh(roles), "post": row["post"] or "", "unit_id": row["unit_id"], "unit_path": path,
            "disabled": bool(row["disabled"]), "must_change_password": bool(row["must_change_password"]),
            "device_count": row["device_count"], "active_devices": row["active_devices"],
        })
    return {"total": len(found), "users": found[offset:offset + limit]}


def user_devices(db: Database, username: str) -> list[dict[str, Any]]:
    """One user's devices, newest first: enrolled, last seen, clock offset at the last sync, revoked."""
    user = user_or_404(db, username)
    return list(db.query(
        """SELECT d.id, d.name, d.created_at, d.last_seen_at, d.revoked_at, s.clock_offset_ms
           FROM device d LEFT JOIN sync_device s ON s.device_id = d.id
           WHERE d.user_id = ? ORDER BY d.created_at DESC""", [user["id"]]))
