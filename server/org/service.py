"""Org-unit tree operations. Each unit stores its materialised path so subtree checks are prefix tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from server.accounts.service import public_user
from server.clock import iso
from server.org.errors import UnitInUse
from sync import policy, rowstore
from sync.actor import Actor
from sync.calendar import local_date
from sync.errors import Conflict, InvalidField, UnitDisabled
from sync.ids import new_id
from sync.reference import touch_reference
from sync.rowstore import Visibility

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
        parents = list(db.query("select * from org_unit where id = ?", [parent_id]))
        if not parents:
            raise InvalidField(f"上级单位不存在 (no such parent unit): {parent_id}", field="parent_id")
        refuse_disabled_unit(db, parents[0], field="parent")
        path = f"{parents[0]['path']}{unit_id}/"
    if parent_id is not None:
        refuse_duplicate_name(db, parent_id, name)
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
        "disabled": bool(row.get("disabled")),
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


PATH_SEPARATOR = "/"


def name_paths(db: Database) -> dict[str, str]:
    """Every unit id → its path of names from the company down, e.g. ``西北能化/甲醇生产车间/精馏班组``."""
    rows = db.conn.execute("SELECT id, parent_id, name FROM org_unit").fetchall()
    parent = {r[0]: r[1] for r in rows}
    names = {r[0]: r[2] for r in rows}
    out: dict[str, str] = {}

    def path_of(uid: str) -> str:
        if uid not in out:
            up = parent[uid]
            out[uid] = names[uid] if up is None or up not in names else f"{path_of(up)}{PATH_SEPARATOR}{names[uid]}"
        return out[uid]

    for uid in names:
        path_of(uid)
    return out


def name_path(db: Database, unit_id: str) -> str:
    return name_paths(db).get(unit_id, unit_id)


def refuse_duplicate_name(db: Database, parent_id: str, name: str, *, except_id: str | None = None) -> None:
    """Two units of the same name under one parent could not be told apart by their path."""
    row = db.conn.execute(
        "SELECT id FROM org_unit WHERE parent_id = ? AND name = ? AND id IS NOT ?", (parent_id, name, except_id)
    ).fetchone()
    if row is not None:
        raise Conflict(
            f"同一上级下已有同名单位「{name_path(db, row[0])}」(a unit of that name already exists there)",
            field="name", details={"existing": name_path(db, row[0]), "id": row[0]},
        )


def resolve_unit(db: Database, ref: str, *, field: str = "unit") -> dict[str, Any]:
    """The unit named by ``ref``: its id, its path of names (``西北能化/甲醇生产车间/精馏班组``, the
    company may be left out) or its bare name when only one unit has it. Refuses an ambiguous name,
    listing every match's path, and an unknown one."""
    ref = ref.strip()
    by_id = list(db.query("select * from org_unit where id = ?", [ref]))
    if by_id:
        return by_id[0]
    paths = name_paths(db)
    wanted = ref.strip(PATH_SEPARATOR)
    if PATH_SEPARATOR in wanted:
        matches = [uid for uid, p in paths.items() if p == wanted or p.endswith(PATH_SEPARATOR + wanted)]
    else:
        matches = [uid for uid, p in paths.items() if p.rsplit(PATH_SEPARATOR, 1)[-1] == wanted]
    if not matches:
        raise InvalidField(f"没有这个单位 (no such unit): {ref}", field=field)
    if len(matches) > 1:
        listed = "；".join(sorted(paths[m] for m in matches))
        raise InvalidField(
            f"单位名称「{ref}」不唯一，请写出完整路径：{listed} (ambiguous unit name; give its path)",
            field=field, details={"matches": sorted(paths[m] for m in matches)},
        )
    return next(db.query("select * from org_unit where id = ?", [matches[0]]))


def refuse_disabled_unit(db: Database, unit: dict[str, Any], *, field: str = "unit") -> dict[str, Any]:
    """New work (a person, a sub-unit, a plan item, an interview, a problem) never goes to a retired
    unit; what already names it keeps doing so (docs/administration.md §2, 停用单位)."""
    if unit.get("disabled"):
        path = name_path(db, unit["id"])
        raise UnitDisabled(f"单位「{path}」已停用，不能再选用 (unit is disabled)", field=field,
                           details={"unit": path, "id": unit["id"]})
    return unit


def resolve_active_unit(db: Database, ref: str, *, field: str = "unit") -> dict[str, Any]:
    """``resolve_unit``, refusing a disabled unit: for every place a unit is chosen for new work."""
    return refuse_disabled_unit(db, resolve_unit(db, ref, field=field), field=field)


def unit_by_name(db: Database, name: str) -> dict[str, Any] | None:
    """``resolve_unit`` for callers that fall back to an id: ``None`` when nothing matches (an
    ambiguous name is still refused)."""
    try:
        return resolve_unit(db, name)
    except InvalidField as exc:
        if exc.details.get("matches"):
            raise
        return None


def list_units_with_paths(db: Database) -> list[dict[str, Any]]:
    paths = name_paths(db)
    counts = dict(db.conn.execute(
        'SELECT unit_id, count(*) FROM "user" WHERE disabled = 0 GROUP BY unit_id').fetchall())
    return [{**public_unit(r), "name_path": paths[r["id"]], "accounts": counts.get(r["id"], 0),
             "employee_count": r.get("employee_count") or 0}
            for r in db.query("select * from org_unit order by length(path), sort, name")]


def rename_unit_tx(db: Database, unit_id: str, new_name: str, now: datetime) -> dict[str, Any]:
    unit = resolve_unit(db, unit_id)
    new_name = new_name.strip()
    if not new_name or PATH_SEPARATOR in new_name:
        raise InvalidField("单位名称不能为空，也不能含 / (a unit name is not empty and has no /)", field="name")
    if unit["parent_id"] is not None:
        refuse_duplicate_name(db, unit["parent_id"], new_name, except_id=unit["id"])
    db["org_unit"].update(unit["id"], {"name": new_name})
    touch_reference(db, "org_unit", unit["id"], now=now)
    return {**unit, "name": new_name}


def move_unit_tx(db: Database, unit_id: str, new_parent_id: str, now: datetime) -> dict[str, Any]:
    """Move a unit (with everything under it) below another parent. Its materialised path and its
    descendants' change, and so does the reading scope of every synced row scoped to them: those rows
    are re-published with a new seq so that devices now entitled to them pull them."""
    unit = resolve_unit(db, unit_id)
    parent = resolve_unit(db, new_parent_id, field="parent")
    if unit["parent_id"] is None:
        raise InvalidField("公司不能移动 (the company cannot be moved)", field="unit")
    if parent["path"].startswith(unit["path"]):
        raise InvalidField("不能移到自己或下级单位之下 (cannot move a unit below itself)", field="parent")
    if not unit.get("disabled"):
        refuse_disabled_unit(db, parent, field="parent")  # a retired unit holds no live sub-units
    if parent["id"] == unit["parent_id"]:
        return unit
    refuse_duplicate_name(db, parent["id"], unit["name"], except_id=unit["id"])
    old, new = unit["path"], f"{parent['path']}{unit['id']}/"
    moved = [r[0] for r in db.conn.execute(
        "SELECT id FROM org_unit WHERE substr(path, 1, ?) = ?", (len(old), old)).fetchall()]
    db.conn.execute("UPDATE org_unit SET parent_id = ? WHERE id = ?", (parent["id"], unit["id"]))
    db.conn.execute("UPDATE org_unit SET path = ? || substr(path, ?) WHERE substr(path, 1, ?) = ?",
                    (new, len(old) + 1, len(old), old))
    _rescope_synced_rows(db, old, new, now)
    for uid in moved:
        touch_reference(db, "org_unit", uid, now=now)
    return {**unit, "parent_id": parent["id"], "path": new}


def _rescope_synced_rows(db: Database, old: str, new: str, now: datetime) -> None:
    rows = db.conn.execute(
        "SELECT entity, row_id, deleted, data, kind, unit_path, handler_path, users FROM sync_change"
        " WHERE kind != 'ref' AND (substr(unit_path, 1, ?) = ? OR substr(handler_path, 1, ?) = ?)",
        (len(old), old, len(old), old),
    ).fetchall()

    def swap(path: str | None) -> str | None:
        return new + path[len(old):] if path and path.startswith(old) else path

    stamp = now.isoformat()
    for entity, row_id, deleted, data, kind, unit_path, handler_path, users in rows:
        vis = Visibility(kind, swap(unit_path), swap(handler_path), tuple(u for u in users.split("|") if u))
        rowstore.log_change(db, entity, row_id, data, vis, stamp, deleted=bool(deleted))


def disable_blockers(db: Database, unit: dict[str, Any], today: date) -> list[str]:
    """Why ``unit`` cannot be disabled yet, in Chinese; empty when it can. HR retires a unit (撤销)
    after its people, sub-units and open work have gone elsewhere: a disabled unit with people in
    it would leave them in a unit nobody can pick, and open problems or plan items in it would be
    work nobody can be given. History (interviews, closed problems, ledgers) never blocks."""
    uid = unit["id"]
    one = lambda sql, *params: db.conn.execute(sql, (uid, *params)).fetchone()[0]  # noqa: E731
    reasons = []
    people = one('SELECT count(*) FROM "user" WHERE unit_id = ? AND disabled = 0')
    if people:
        reasons.append(f"单位下还有 {people} 名在职人员，请先调到其他单位或停用其账号")
    children = one("SELECT count(*) FROM org_unit WHERE parent_id = ? AND disabled = 0")
    if children:
        reasons.append(f"还有 {children} 个未停用的下级单位，请先停用或移走")
    if unit.get("employee_count"):
        reasons.append(f"人员名单中还有 {unit['employee_count']} 名职工属于该单位，请先导入调整后的名单")
    problems = one("SELECT count(*) FROM issue WHERE handler_unit_id = ? AND status != 'closed'")
    if problems:
        reasons.append(f"还有 {problems} 个交办给该单位、尚未关闭的问题，请先改交其他责任部门或办结")
    plans = one("SELECT count(*) FROM plan_item p WHERE p.unit_id = ? AND p.status = 'active' AND p.window_end >= ?"
                " AND NOT EXISTS (SELECT 1 FROM interview i WHERE i.plan_item_id = p.id AND i.status = 'submitted')",
                today.isoformat())
    if plans:
        reasons.append(f"还有 {plans} 项未完成的访谈计划，请先取消或改到其他单位")
    return reasons


def set_unit_disabled_tx(db: Database, unit_ref: str, disabled: bool, now: datetime) -> dict[str, Any]:
    """Disable (停用) or re-enable (启用) a unit; the row stays, so history keeps its name. Refuses
    (422 ``unit.in_use``) while :func:`disable_blockers` names anything, and re-enabling below a
    disabled parent. Returns the unit row as it was, or ``{}`` when nothing changed."""
    unit = resolve_unit(db, unit_ref)
    if bool(unit.get("disabled")) == disabled:
        return {}
    path = name_path(db, unit["id"])
    if disabled:
        if unit["parent_id"] is None:
            raise InvalidField("公司不能停用 (the company cannot be disabled)", field="unit")
        reasons = disable_blockers(db, unit, local_date(now))
        if reasons:
            raise UnitInUse(f"单位「{path}」不能停用：{'；'.join(reasons)} (the unit is still in use)",
                            field="unit", details={"unit": path, "reasons": reasons})
    else:
        parent = db.conn.execute("SELECT disabled FROM org_unit WHERE id = ?", (unit["parent_id"],)).fetchone()
        if parent and parent[0]:
            raise InvalidField(f"上级单位「{name_path(db, unit['parent_id'])}」已停用，请先启用上级单位"
                               " (enable the parent unit first)", field="unit")
    db["org_unit"].update(unit["id"], {"disabled": int(disabled)})
    touch_reference(db, "org_unit", unit["id"], now=now)
    return unit
