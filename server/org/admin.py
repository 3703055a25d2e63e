"""Admin edits over HTTP, each with its audit row (``server.org.admin_controllers``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server import audit
from server.accounts.one_time import hash_one_time_password, new_one_time_password, reset_to_one_time_tx
from server.accounts.service import add_user_tx, set_disabled_tx, user_by_username
from server.clock import iso
from server.org.people import edit_user_tx as edit_fields_tx
from server.org.people import move_user_tx, normalise_phone, role_ids, set_roles_tx, user_or_404
from server.org.roles import PRIVILEGED_ROLES, roles_zh
from server.org.service import (
    add_unit_tx,
    move_unit_tx,
    name_path,
    rename_unit_tx,
    resolve_active_unit,
    resolve_unit,
    set_unit_disabled_tx,
)
from sync.errors import Conflict, Forbidden, InvalidField, NotFound
from sync.reference import touch_reference


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


KIND_ZH = {"company": "公司", "department": "部门", "workshop": "车间", "team": "班组"}
"""Audit details are read on a Chinese screen: no kind ids there."""


def _required(value: str | None, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidField(f"请填写{label} ({field} is required)", field=field)
    return value


def create_user_tx(db: Database, fields: dict[str, Any], *, actor: str, may_grant_privileged: bool,
                   now: datetime) -> dict[str, Any]:
    """A new account (新增用户 on the admin screen, as ``fangtan user add``) with a one-time password:
    its holder must set their own at the first sign-in. Returns the user and the slip (with the clear
    password, shown once). Every check runs before the first write."""
    username = _required(fields.get("username"), "username", "工号")
    name = _required(fields.get("name"), "name", "姓名")
    unit = resolve_active_unit(db, _required(fields.get("unit"), "unit", "单位"))
    roles = role_ids(fields.get("roles") or [])
    if not roles:
        raise InvalidField("请至少选择一个角色 (at least one role)", field="roles")
    if set(roles) & PRIVILEGED_ROLES and not may_grant_privileged:
        raise Forbidden("只有管理员可以授予 管理员、保密管理员 角色 (only an admin grants these roles)", field="roles")
    phone = normalise_phone(fields.get("phone") or "")
    if phone is None:
        raise InvalidField(f"手机号应为 11 位数字 (not a mobile number): {fields.get('phone')}", field="phone")
    taken = user_by_username(db, username)
    if taken is not None:
        raise Conflict(f"工号 {username} 已被 {taken['name']}（{name_path(db, taken['unit_id'])}）使用，不能重复添加"
                       " (employee number taken)", field="username",
                       details={"name": taken["name"], "unit": name_path(db, taken["unit_id"])})
    password = new_one_time_password()
    created = add_user_tx(db, username=username, name=name, password=password, unit_id=unit["id"], roles=roles,
                          post=(fields.get("post") or "").strip(), now=now)
    # The account holds a cheap one-time hash and must change it, like a roster import's new accounts.
    db["user"].update(created["id"], {"password_hash": hash_one_time_password(password), "must_change_password": 1,
                                      "phone": phone, "updated_at": iso(now)})
    touch_reference(db, "user", created["id"], now=now)
    unit_path = name_path(db, unit["id"])
    audit.record_tx(db, actor=actor, action="user.add", target=username,
                    details={"name": name, "unit": unit_path, "roles": roles_zh(roles)}, now=now)
    slip = {"username": username, "name": name, "unit": unit_path, "roles": roles_zh(roles), "password": password}
    return {"user": {**created, "unit_path": unit_path}, "slip": slip}


def add_unit_admin_tx(db: Database, *, name: str | None, kind: str, parent: str | None, is_handler_dept: bool,
                      actor: str, now: datetime) -> dict[str, Any]:
    """A unit under ``parent`` (as ``fangtan unit add``); a same-named sibling is refused with its path."""
    name = _required(name, "name", "单位名称")
    if "/" in name:
        raise InvalidField("单位名称不能含 / (a unit name has no /)", field="name")
    parent_row = resolve_active_unit(db, _required(parent, "parent", "上级单位"), field="parent")
    row = add_unit_tx(db, name=name, kind=kind, parent_id=parent_row["id"], now=now, is_handler_dept=is_handler_dept)
    path = name_path(db, row["id"])
    audit.record_tx(db, actor=actor, action="unit.add", target=row["id"],
                    details={"path": path, "kind": KIND_ZH[kind], **({"handler": "责任部门"} if is_handler_dept else {})},
                    now=now)
    return {"id": row["id"], "path": path}


def edit_unit_tx(db: Database, unit_id: str, *, name: str | None, parent: str | None, actor: str,
                 now: datetime, is_handler_dept: bool | None = None) -> dict[str, Any]:
    rows = list(db.query("select * from org_unit where id = ?", [unit_id]))
    if not rows:
        raise NotFound(f"没有这个单位 (no such unit): {unit_id}")
    if name is not None:
        rename_unit_tx(db, unit_id, name, now)
        audit.record_tx(db, actor=actor, action="unit.rename", target=unit_id, details={"name": name}, now=now)
    if parent is not None:
        target = resolve_unit(db, parent, field="parent")
        move_unit_tx(db, unit_id, target["id"], now)
        audit.record_tx(db, actor=actor, action="unit.move", target=unit_id,
                        details={"path": name_path(db, unit_id)}, now=now)
    if is_handler_dept is not None and bool(rows[0]["is_handler_dept"]) != is_handler_dept:
        db["org_unit"].update(unit_id, {"is_handler_dept": int(is_handler_dept)})
        touch_reference(db, "org_unit", unit_id, now=now)
        audit.record_tx(db, actor=actor, action="unit.handler" if is_handler_dept else "unit.unhandler",
                        target=unit_id, details={"path": name_path(db, unit_id)}, now=now)
    return {"id": unit_id, "path": name_path(db, unit_id)}


def set_unit_disabled_admin_tx(db: Database, unit_id: str, disabled: bool, *, actor: str,
                               now: datetime) -> dict[str, Any]:
    """停用 / 启用 a unit (as ``fangtan unit disable|enable``), audited as ``unit.disable`` /
    ``unit.enable`` with its path; refused (``unit.in_use``) while people or open work remain in it."""
    rows = list(db.query("select id from org_unit where id = ?", [unit_id]))
    if not rows:
        raise NotFound(f"没有这个单位 (no such unit): {unit_id}")
    if set_unit_disabled_tx(db, unit_id, disabled, now):
        audit.record_tx(db, actor=actor, action="unit.disable" if disabled else "unit.enable", target=unit_id,
                        details={"path": name_path(db, unit_id)}, now=now)
    return {"id": unit_id, "path": name_path(db, unit_id), "disabled": disabled}
