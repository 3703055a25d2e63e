"""Admin operations on people and their devices (``fangtan user …``, ``fangtan device …``, roster import).

Every change of a user row is published to devices (``touch_reference``) in the same transaction
and written to the admin audit log by the caller."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server.accounts.service import public_user, user_by_username, validate_roles
from server.clock import iso
from server.org.roles import parse_roles
from server.org.service import name_paths, refuse_disabled_unit, resolve_unit
from sync import receipt_codes
from sync.errors import InvalidField, NotFound
from sync.reference import touch_reference

PHONE = re.compile(r"^1\d{10}$")
"""A mainland mobile number: 11 digits starting with 1 (spaces, dashes and +86 are dropped first)."""


def normalise_phone(text: str) -> str | None:
    """The digits of a mobile number, or ``None`` when it is not one; empty stays empty."""
    digits = re.sub(r"[\s\-()（）]", "", text or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if not digits:
        return ""
    return digits if PHONE.match(digits) else None


def role_ids(names: list[str] | tuple[str, ...]) -> list[str]:
    """Role ids from Chinese names or ids; refuses unknown names (field ``roles``)."""
    ids, unknown = parse_roles(list(names))
    if unknown:
        raise InvalidField(f"未知角色 (unknown roles): {'、'.join(unknown)}", field="roles")
    return validate_roles(ids)


def user_or_404(db: Database, username: str) -> dict[str, Any]:
    user = user_by_username(db, username)
    if user is None:
        raise NotFound(f"没有这个用户 (no such user): {username}")
    return user


def list_users(db: Database, *, unit: str | None = None, search: str | None = None,
               include_disabled: bool = True) -> list[dict[str, Any]]:
    """Users with their unit's path of names; ``unit`` keeps that unit's subtree, ``search`` matches
    name, username (工号) or unit path."""
    paths = name_paths(db)
    sql, params = 'SELECT u.*, o.path AS unit_tree FROM "user" u JOIN org_unit o ON o.id = u.unit_id', []
    where = []
    if unit:
        scope = resolve_unit(db, unit)
        where.append("substr(o.path, 1, ?) = ?")
        params += [len(scope["path"]), scope["path"]]
    if not include_disabled:
        where.append("u.disabled = 0")
    if where:
        sql += " WHERE " + " AND ".join(where)
    out = []
    for row in db.query(sql + " ORDER BY u.username", params):
        entry = {**public_user(row), "unit_path": paths.get(row["unit_id"], ""), "phone": row.get("phone") or "",
                 "must_change_password": bool(row.get("must_change_password"))}
        if search and not any(search in entry[k] for k in ("name", "username", "unit_path")):
            continue
        out.append(entry)
    return out


def edit_user_tx(db: Database, username: str, *, now: datetime, name: str | None = None, post: str | None = None,
                 phone: str | None = None) -> dict[str, Any]:
    """Change a user's name, post or phone; returns ``{field: [old, new]}`` of what changed."""
    user = user_or_404(db, username)
    changes: dict[str, list[Any]] = {}
    if name is not None:
        if not name.strip():
            raise InvalidField("姓名不能为空 (name is empty)", field="name")
        changes["name"] = [user["name"], name.strip()]
    if post is not None:
        changes["post"] = [user.get("post") or "", post.strip()]
    if phone is not None:
        normal = normalise_phone(phone)
        if normal is None:
            raise InvalidField(f"手机号格式不对 (not a mobile number): {phone}", field="phone")
        changes["phone"] = [user.get("phone") or "", normal]
    changes = {k: v for k, v in changes.items() if v[0] != v[1]}
    if changes:
        db["user"].update(user["id"], {**{k: v[1] for k, v in changes.items()}, "updated_at": iso(now)})
        touch_reference(db, "user", user["id"], now=now)
    return changes


def move_user_tx(db: Database, username: str, unit: str, now: datetime) -> dict[str, Any]:
    user = user_or_404(db, username)
    target = resolve_unit(db, unit)
    paths = name_paths(db)
    if target["id"] == user["unit_id"]:
        return {}  # staying put is not choosing the unit anew, even when it has been disabled since
    refuse_disabled_unit(db, target)
    db["user"].update(user["id"], {"unit_id": target["id"], "updated_at": iso(now)})
    touch_reference(db, "user", user["id"], now=now)
    return {"unit": [paths.get(user["unit_id"], ""), paths[target["id"]]]}


def set_roles_tx(db: Database, username: str, roles: list[str], now: datetime, *, add: list[str] = (),
                 remove: list[str] = ()) -> dict[str, Any]:
    """Replace a user's roles (``roles``), or add and remove some; names in Chinese or ids."""
    user = user_or_404(db, username)
    current = set(json.loads(user["roles"]))
    wanted = set(role_ids(roles)) if roles else set(current)
    wanted |= set(role_ids(add)) if add else set()
    wanted -= set(role_ids(remove)) if remove else set()
    new = validate_roles(sorted(wanted))
    if new == sorted(current):
        return {}
    db["user"].update(user["id"], {"roles": json.dumps(new), "updated_at": iso(now)})
    touch_reference(db, "user", user["id"], now=now)
    return {"roles": [sorted(current), new]}


# -- devices --------------------------------------------------------------------------------
def list_devices(db: Database, username: str | None = None) -> list[dict[str, Any]]:
    """Devices (one user's, or everyone's) with the device clock's offset at its last sync."""
    sql = """SELECT d.id, d.name, d.created_at, d.last_seen_at, d.revoked_at, u.username, u.name AS user_name,
                    s.clock_offset_ms
             FROM device d JOIN "user" u ON u.id = d.user_id LEFT JOIN sync_device s ON s.device_id = d.id"""
    params: list[Any] = []
    if username:
        sql += " WHERE u.username = ?"
        params.append(user_or_404(db, username)["username"])
    return list(db.query(sql + " ORDER BY u.username, d.created_at", params))


def revoke_device_tx(db: Database, device_id: str, *, by: str, now: datetime) -> dict[str, Any]:
    """Revoke a device as an administrator (``by``: who, for the device row and the audit log)."""
    rows = list(db.query("SELECT * FROM device WHERE id = ?", [device_id]))
    if not rows:
        raise NotFound(f"没有这个设备 (no such device): {device_id}")
    if not rows[0]["revoked_at"]:
        db["device"].update(device_id, {"revoked_at": iso(now), "revoked_by": by})
        receipt_codes.release_device(db, device_id, iso(now))  # its unspent 回执码 can never be used
    return next(db.query("SELECT * FROM device WHERE id = ?", [device_id]))
