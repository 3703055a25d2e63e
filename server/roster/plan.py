"""Compare a parsed roster with the database: what an import would add, change, disable, leave alone
or refuse. ``apply_plan_tx`` carries it out in the caller's transaction; planning again after
applying finds nothing to do (the import is idempotent)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server import audit
from server.accounts.one_time import hash_one_time_password, new_one_time_password
from server.clock import iso
from server.org.roles import PRIVILEGED_ROLES, roles_zh
from server.org.service import PATH_SEPARATOR, add_unit_tx
from server.roster.parse import (
    ROLES,
    UNIT,
    ParsedRoster,
    Refusal,
    RosterRow,
    inferred_kind,
    parse_roster,
)
from sync.ids import new_id
from sync.reference import touch_reference


@dataclass
class Plan:
    parsed: ParsedRoster
    digest: str
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    disabled: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)
    units_added: list[dict[str, Any]] = field(default_factory=list)
    headcount: list[dict[str, Any]] = field(default_factory=list)
    """Units whose employee headcount changes: ``{unit, old, new}``."""
    employees: int = 0
    """Employee rows (no role, 在职) in the file."""

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.disabled or self.units_added or self.headcount)

    def summary(self) -> dict[str, int]:
        return {"added": len(self.added), "changed": len(self.changed), "disabled": len(self.disabled),
                "unchanged": self.unchanged, "refused": len(self.refused), "units_added": len(self.units_added),
                "headcount_changed": len(self.headcount), "employees": self.employees}

    def as_dict(self) -> dict[str, Any]:
        return {"summary": self.summary(), "added": self.added, "changed": self.changed, "disabled": self.disabled,
                "refused": [r.as_dict() for r in self.refused], "units_added": self.units_added,
                "headcount": self.headcount, "digest": self.digest}


def _joined(path: tuple[str, ...]) -> str:
    return PATH_SEPARATOR.join(path)


def plan_import(db: Database, data: bytes, *, may_grant_privileged: bool = True) -> Plan:
    """``may_grant_privileged``: whether the importer may give or take 管理员 / 保密管理员 (``policy``
    permission ``role.grant.privileged``; the CLI, run by whoever holds the database, may)."""
    parsed = parse_roster(data)
    plan = Plan(parsed=parsed, digest=hashlib.sha256(data).hexdigest(), refused=list(parsed.refusals))
    units = db.conn.execute("SELECT id, parent_id, name, employee_count FROM org_unit").fetchall()
    by_parent_name: dict[tuple[str | None, str], list[str]] = {}
    for uid, parent, name, _ in units:
        by_parent_name.setdefault((parent, name), []).append(uid)
    counts_now = {uid: n or 0 for uid, _, _, n in units}
    roots = [uid for uid, parent, _, _ in units if parent is None]
    root_name = next((name for uid, parent, name, _ in units if parent is None), None)
    path_ids: dict[tuple[str, ...], str | None] = {}

    def unit_id_of(path: tuple[str, ...]) -> str | None:
        """Existing unit id of a path of names, ``None`` when (part of) it would be created."""
        if path not in path_ids:
            parent = None if len(path) == 1 else unit_id_of(path[:-1])
            ids = by_parent_name.get((parent, path[-1]), []) if (len(path) == 1 or parent) else []
            path_ids[path] = ids[0] if ids else None
        return path_ids[path]

    disabled_units = {r[0] for r in db.conn.execute("SELECT id FROM org_unit WHERE disabled = 1")}

    def disabled_on(path: tuple[str, ...]) -> str | None:
        """The first disabled unit (停用) along ``path``, as a path of names: no one is put there."""
        for depth in range(1, len(path) + 1):
            if unit_id_of(path[:depth]) in disabled_units:
                return _joined(path[:depth])
        return None

    users = {r["username"]: r for r in db.query('SELECT * FROM "user"')}
    unit_paths_by_id: dict[str, str] = {}
    new_units: set[tuple[str, ...]] = set()
    employees_per_path: Counter[tuple[str, ...]] = Counter()
    valid_rows: list[RosterRow] = []
    for row in parsed.rows:
        if root_name is not None and row.unit_path[0] != root_name:
            plan.refused.append(parsed.refusal(row.row, UNIT, f"单位路径应从本公司「{root_name}」开始", _joined(row.unit_path)))
            continue
        if root_name is None and not roots and valid_rows and valid_rows[0].unit_path[0] != row.unit_path[0]:
            plan.refused.append(parsed.refusal(row.row, UNIT, f"一个实例只服务一家公司，路径应从「{valid_rows[0].unit_path[0]}」开始",
                                        _joined(row.unit_path)))
            continue
        existing = users.get(row.employee_no)
        retired = disabled_on(row.unit_path)
        stays = existing is not None and existing["unit_id"] == unit_id_of(row.unit_path)
        if retired is not None and (row.active or existing is not None) and not stays:
            plan.refused.append(parsed.refusal(row.row, UNIT, f"单位「{retired}」已停用，不能再选用",
                                               _joined(row.unit_path)))
            continue
        if row.is_employee and existing is not None:
            plan.refused.append(parsed.refusal(row.row, ROLES, "此工号已有账号，角色不能为空；如要停用账号请将状态填为「停用」",
                                        row.employee_no))
            continue
        before = set(json.loads(existing["roles"])) if existing is not None else set()
        touched = (before ^ set(row.roles)) & PRIVILEGED_ROLES if (existing or row.active) else set()
        if touched and not may_grant_privileged:
            plan.refused.append(parsed.refusal(
                row.row, ROLES, f"只有管理员可以授予或撤销「{roles_zh(sorted(touched))}」角色", ",".join(sorted(touched))))
            continue
        valid_rows.append(row)
        for depth in range(1, len(row.unit_path) + 1):
            prefix = row.unit_path[:depth]
            if unit_id_of(prefix) is None:
                new_units.add(prefix)
    for path in sorted(new_units, key=lambda p: (len(p), p)):
        spec = parsed.units.get(path)
        kind = spec.kind if spec and spec.kind else inferred_kind(path)
        if len(path) == 1 and kind != "company":
            kind = "company"
        plan.units_added.append({"path": _joined(path), "kind": kind,
                                 "is_handler_dept": bool(spec and spec.is_handler_dept)})
    for uid, path in _name_paths(units).items():
        unit_paths_by_id[uid] = path
    for row in valid_rows:
        target = _joined(row.unit_path)
        if row.is_employee:
            if row.active:
                employees_per_path[row.unit_path] += 1
                plan.employees += 1
            continue
        existing = users.get(row.employee_no)
        entry = {"row": row.row, "username": row.employee_no, "name": row.name, "unit": target,
                 "roles": row.roles, "roles_zh": roles_zh(row.roles)}
        if existing is None:
            if row.active:
                plan.added.append({**entry, "post": row.post, "phone": row.phone})
            else:
                plan.unchanged += 1  # a person who left before ever having an account
            continue
        fields: dict[str, list[Any]] = {}
        for key, old, new in (("name", existing["name"], row.name), ("post", existing.get("post") or "", row.post),
                              ("phone", existing.get("phone") or "", row.phone),
                              ("unit", unit_paths_by_id.get(existing["unit_id"], ""), target),
                              ("roles", sorted(json.loads(existing["roles"])), row.roles)):
            if old != new:
                fields[key] = [old, new]
        was_disabled = bool(existing["disabled"])
        if not row.active and not was_disabled:
            plan.disabled.append({**entry, "fields": fields})
        elif row.active and was_disabled:
            plan.changed.append({**entry, "fields": {**fields, "disabled": [True, False]}})
        elif fields:
            plan.changed.append({**entry, "fields": fields})
        else:
            plan.unchanged += 1
    if plan.employees or any(r.is_employee for r in valid_rows):
        # The employees in the file are the whole workforce: every unit's headcount is its count here.
        wanted: dict[str, int] = {}
        for path, n in employees_per_path.items():
            wanted[_joined(path)] = n
        for uid, path in unit_paths_by_id.items():
            old, new = counts_now.get(uid, 0), wanted.pop(path, 0)
            if old != new:
                plan.headcount.append({"unit": path, "old": old, "new": new})
        plan.headcount += [{"unit": path, "old": 0, "new": n} for path, n in sorted(wanted.items())]
    plan.refused.sort(key=lambda r: (r.row, r.column))
    return plan


def _name_paths(units: list[tuple]) -> dict[str, str]:
    parent = {u[0]: u[1] for u in units}
    names = {u[0]: u[2] for u in units}
    out: dict[str, str] = {}

    def path_of(uid: str) -> str:
        if uid not in out:
            up = parent[uid]
            out[uid] = names[uid] if up is None else f"{path_of(up)}{PATH_SEPARATOR}{names[uid]}"
        return out[uid]

    for uid in names:
        path_of(uid)
    return out


@dataclass
class Applied:
    summary: dict[str, int]
    slips: list[dict[str, str]]
    """New accounts with their one-time passwords (``username``, ``name``, ``unit``, ``password``)."""


def prepare_passwords(plan: Plan, hash_many=None) -> dict[str, tuple[str, str]]:
    """username → (one-time password, hash) for the accounts ``plan`` adds; hashed outside the
    write transaction (``hash_many``: e.g. a thread pool's ``map``)."""
    names = [a["username"] for a in plan.added]
    clear = [new_one_time_password() for _ in names]
    hashes = list((hash_many or map)(hash_one_time_password, clear))
    return {n: (c, h) for n, c, h in zip(names, clear, hashes, strict=True)}


def apply_plan_tx(db: Database, data: bytes, *, actor: str, now: datetime, apply_valid: bool,
                  passwords: dict[str, tuple[str, str]] | None = None,
                  may_grant_privileged: bool = True) -> tuple[Plan, Applied]:
    """Plan again inside the transaction (the database may have changed since the preview) and apply.
    Refuses (``roster.refused``, nothing applied) while any row is refused, unless ``apply_valid``."""
    from server.roster.errors import RosterRefused

    plan = plan_import(db, data, may_grant_privileged=may_grant_privileged)
    if plan.refused and not apply_valid:
        raise RosterRefused(
            f"有 {len(plan.refused)} 行被拒绝，未做任何更改；请修改后重新导入，或选择只导入有效行 "
            f"({len(plan.refused)} rows refused; nothing applied)",
            details={"refused": [r.as_dict() for r in plan.refused[:200]]},
        )
    passwords = dict(passwords or {})
    stamp = iso(now)
    ids: dict[str, str] = {p: uid for uid, p in _name_paths(
        db.conn.execute("SELECT id, parent_id, name FROM org_unit").fetchall()).items()}
    log: list[dict[str, Any]] = []
    for sort, unit in enumerate(plan.units_added):
        parts = unit["path"].split(PATH_SEPARATOR)
        parent = PATH_SEPARATOR.join(parts[:-1]) or None
        row = add_unit_tx(db, name=parts[-1], kind=unit["kind"], parent_id=ids[parent] if parent else None, now=now,
                          is_handler_dept=unit["is_handler_dept"], sort=sort)
        ids[unit["path"]] = row["id"]
        log.append({"action": "unit.add", "target": unit["path"], "details": {"kind": unit["kind"]}})
    slips = []
    new_rows = []
    for a in plan.added:
        clear, hashed = passwords.get(a["username"]) or (None, None)
        if clear is None:
            clear = new_one_time_password()
            hashed = hash_one_time_password(clear)
        new_rows.append({"id": new_id(), "username": a["username"], "name": a["name"], "unit_id": ids[a["unit"]],
                         "roles": json.dumps(a["roles"]), "post": a["post"], "phone": a["phone"],
                         "password_hash": hashed, "disabled": 0, "must_change_password": 1,
                         "created_at": stamp, "updated_at": stamp})
        slips.append({"username": a["username"], "name": a["name"], "unit": a["unit"], "password": clear,
                      "roles": a["roles_zh"]})
        log.append({"action": "user.add", "target": a["username"],
                    "details": {"name": a["name"], "unit": a["unit"], "roles": a["roles"]}})
    db["user"].insert_all(new_rows)
    for r in new_rows:
        touch_reference(db, "user", r["id"], now=now)
    users = {r["username"]: r for r in db.query('SELECT id, username FROM "user"')}
    for c, action in [(c, "user.change") for c in plan.changed] + [(d, "user.disable") for d in plan.disabled]:
        update: dict[str, Any] = {"updated_at": stamp}
        for key, (_, new) in c["fields"].items():
            if key == "unit":
                update["unit_id"] = ids[new]
            elif key == "roles":
                update["roles"] = json.dumps(new)
            elif key == "disabled":
                update["disabled"] = 0
            else:
                update[key] = new
        if action == "user.disable":
            update["disabled"] = 1
        uid = users[c["username"]]["id"]
        db["user"].update(uid, update)
        touch_reference(db, "user", uid, now=now)
        log.append({"action": action, "target": c["username"], "details": c["fields"]})
    for h in plan.headcount:
        db.conn.execute("UPDATE org_unit SET employee_count = ? WHERE id = ?", (h["new"], ids[h["unit"]]))
    summary = plan.summary()
    log.append({"action": "roster.apply", "target": plan.digest[:16],
                "details": {**summary, "apply_valid": apply_valid, "sha256": plan.digest}})
    audit.record_many_tx(db, log, actor=actor, now=now)
    return plan, Applied(summary=summary, slips=slips)
