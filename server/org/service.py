"""Org-unit tree operations. Each unit stores its materialised path so subtree checks are prefix tests."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server.accounts.service import public_user
from server.clock import iso
from sync import policy
from sync.actor import Actor
from sync.errors import Conflict, InvalidField
from sync.ids import new_id
from sync.reference import touch_reference

UNIT_KINDS = ("company", "department", "workshop", "team")


def add_unit_tx(
    db: Database,
    *,
    name: str,
    kind: str,
    parent_id: str | None,
    now: datetime,
    is_handler_dept: bool = False,
    sort: int = 0,
    unit_id: str | None = None,
) -> dict[str, Any]:
    if kind not in UNIT_KINDS:
        raise InvalidField(f"单位类型必须是 {'/'.join(UNIT_KINDS)} (unknown kind {kind!r})", field="kind")
    unit_id = unit_id or new_id()
    if parent_id is None:
        if kind != "company":
            raise InvalidField("只有公司可以没有上级单位 (only a company has no parent)", field="parent_id")
        existing = db.conn.execute("SELECT name FROM org_unit WHERE parent_id IS NULL LIMIT 1").fetchone()
        if existing:
            # Company-wide roles (HR, leaders) see the whole database: a second company in it would
            # show its data to the first one's HR. One instance per subsidiary (docs/architecture.md).
            raise Conflict(
                f"本实例已有公司「{existing[0]}」：一个实例只服务一家公司，其他子公司请部署独立实例"
                " (one company per instance; run a separate instance for each subsidiary)",
                field="parent_id",
                details={"company": existing[0]},
            )
        path = f"/{unit_id}/"
    else:
        parents = list(db.query("select path from org_unit where id = ?", [parent_id]))
        if not parents:
            raise InvalidField(f"上级单位不存在 (no such parent unit): {parent_id}", field="parent_id")
        path = f"{parents[0]['path']}{unit_id}/"
    row = {
        "id": unit_id,
        "parent_id": parent_id,
        "name": name,
        "kind": kind,
        "path": path,
        "is_handler_dept": int(is_handler_dept),
        "sort": sort,
        "created_at": iso(now),
    }
    db["org_unit"].insert(row)
    touch_reference(db, "org_unit", unit_id)
    return row


def public_unit(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "parent_id": row["parent_id"],
        "name": row["name"],
        "kind": row["kind"],
        "path": row["path"],
        "is_handler_dept": bool(row["is_handler_dept"]),
        "sort": row["sort"],
    }


def list_units(db: Database) -> list[dict[str, Any]]:
    """Every unit, parents before children. The tree itself is not confidential: cadres visit
    other units and problems name departments, so every signed-in user needs all the names."""
    return [public_unit(r) for r in db.query("select * from org_unit order by length(path), sort, name")]


def list_users_visible_to(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """Users the actor may see (permission ``org.user.list``): everyone for company-wide roles and
    admins, else their unit subtree and themselves."""
    scope, params = policy.user_directory_sql(actor, "u.id", "o.path")
    rows = db.query(
        f"select u.* from user u left join org_unit o on o.id = u.unit_id where {scope} order by u.username", params
    )
    return [public_user(r) for r in rows]


def unit_by_name(db: Database, name: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from org_unit where name = ?", [name]))
    return rows[0] if rows else None


def roles_of(row: dict[str, Any]) -> list[str]:
    return json.loads(row["roles"])
