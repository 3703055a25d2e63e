"""Admin edits over HTTP, each with its audit row (``server.org.admin_controllers``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server import audit
from server.accounts.one_time import reset_to_one_time_tx
from server.accounts.service import set_disabled_tx
from server.org.people import edit_user_tx as edit_fields_tx
from server.org.people import move_user_tx, role_ids, set_roles_tx, user_or_404
from server.org.roles import PRIVILEGED_ROLES
from server.org.service import move_unit_tx, name_path, rename_unit_tx, resolve_unit
from sync.errors import Forbidden, NotFound


def edit_user_tx(db: Database, username: str, fields: dict[str, Any], *, actor: str, may_grant_privileged: bool,
                 now: datetime) -> dict[str, Any]:
    user = user_or_404(db, username)
    changes: dict[str, Any] = {}
    changes.update(edit_fields_tx(db, username, now=now, name=fields.get("name"), post=fields.get("post"),
                                  phone=fields.get("phone")))
    if fields.get("unit"):
        changes.update(move_user_tx(db, username, fields["unit"], now))
    if fields.get("roles") is not None:
        wanted = set(role_ids(fields["roles"]))
        touched = (wanted ^ set(json.loads(user["roles"]))) & PRIVILEGED_ROLES
        if touched and not may_grant_privileged:
            raise Forbidden("只有管理员可以授予或撤销 管理员、保密管理员 角色 (only an admin grants these roles)",
                            field="roles")
        changes.update(set_roles_tx(db, username, sorted(wanted), now))
    if fields.get("disabled") is not None and bool(fields["disabled"]) != bool(user["disabled"]):
        set_disabled_tx(db, username, bool(fields["disabled"]), now)
        changes["disabled"] = [bool(user["disabled"]), bool(fields["disabled"])]
    if changes:
        audit.record_tx(db, actor=actor, action="user.edit", target=username, details=changes, now=now)
    return changes


def reset_password_tx(db: Database, username: str, *, actor: str, now: datetime) -> str:
    password = reset_to_one_time_tx(db, user_or_404(db, username)["id"], now)
    audit.record_tx(db, actor=actor, action="user.reset", target=username, now=now)
    return password


def edit_unit_tx(db: Database, unit_id: str, *, name: str | None, parent: str | None, actor: str,
                 now: datetime) -> dict[str, Any]:
    if not list(db.query("select 1 from org_unit where id = ?", [unit_id])):
        raise NotFound(f"没有这个单位 (no such unit): {unit_id}")
    if name is not None:
        rename_unit_tx(db, unit_id, name, now)
        audit.record_tx(db, actor=actor, action="unit.rename", target=unit_id, details={"name": name}, now=now)
    if parent is not None:
        target = resolve_unit(db, parent, field="parent")
        move_unit_tx(db, unit_id, target["id"], now)
        audit.record_tx(db, actor=actor, action="unit.move", target=unit_id, details={"parent": target["id"]}, now=now)
    return {"id": unit_id, "path": name_path(db, unit_id)}
