"""The demo (``fangtan demo``, ``make run``). This module: the demo organisation — the seed's
departments, two production workshops with teams, and one account per role (password
``fangtan-demo``) — and the demo plans. ``server.demo.activity`` seeds the activity through the sync
engine, relative to today; ``server.demo.story`` is its script (interviews, comments, evaluations)."""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from server.accounts.service import DEMO_PASSWORD, add_user_tx, mark_demo_database_tx
from server.org.service import add_unit_tx
from sync.errors import Conflict

# DEMO_PASSWORD ("fangtan-demo") lives in server.accounts.service, which allows it only in a demo database.

# (key, name, kind, parent key, is handler dept)
UNITS = [
    ("company", "西北能化公司", "company", None, False),
    ("hr", "人力资源部（党群部）", "department", "company", False),
    ("prodtech", "生产技术部", "department", "company", True),
    ("equipment", "设备管理部", "department", "company", True),
    ("general", "综合部", "department", "company", True),
    ("finance", "财务部", "department", "company", True),
    ("union", "工会", "department", "company", False),
    ("methanol", "甲醇生产车间", "workshop", "company", False),
    ("synthesis", "合成班组", "team", "methanol", False),
    ("distill", "精馏班组", "team", "methanol", False),
    ("maint", "设备检修车间", "workshop", "company", False),
    ("electric", "电仪班组", "team", "maint", False),
    ("mechanic", "机修班组", "team", "maint", False),
    ("power", "热电车间", "workshop", "company", False),
    ("boiler", "锅炉运行班组", "team", "power", False),
]

# (username, name, unit key, roles, post)
USERS = [
    ("hr", "王丽娟", "hr", ["hr"], "人力资源部（党群部）主任"),
    ("leader", "张建国", "company", ["leader"], "总经理"),
    ("cadre", "刘海涛", "methanol", ["cadre"], "甲醇生产车间主任"),
    ("cadre2", "陈晓东", "maint", ["cadre"], "设备检修车间主任"),
    ("unitlead", "赵红梅", "methanol", ["unit_lead"], "甲醇生产车间党支部书记"),
    ("handler", "孙伟", "equipment", ["handler"], "设备管理部副部长"),
    ("supervisor", "周桂芳", "union", ["supervisor"], "工会副主席"),
    ("officer", "吴静", "hr", ["officer"], "保密管理员"),
    ("admin", "郑凯", "general", ["admin"], "信息化管理员"),
]


def is_empty(db: Database) -> bool:
    """A database with no org units and no users holds nothing worth protecting."""
    return not any(db.query("select 1 from org_unit limit 1")) and not any(db.query("select 1 from user limit 1"))


def seed_demo_tx(db: Database, now: datetime) -> dict[str, str]:
    """Create the demo organisation; refuses a database that already has data."""
    if not is_empty(db):
        raise Conflict("数据库非空，拒绝写入演示数据 (the database is not empty; refusing to seed demo data)")
    mark_demo_database_tx(db)  # the published demo password is allowed here, and only here
    ids: dict[str, str] = {}
    for sort, (key, name, kind, parent, handler) in enumerate(UNITS):
        row = add_unit_tx(
            db, name=name, kind=kind, parent_id=ids.get(parent) if parent else None, now=now,
            is_handler_dept=handler, sort=sort,
        )
        ids[key] = row["id"]
    for username, name, unit, roles, post in USERS:
        add_user_tx(
            db, username=username, name=name, password=DEMO_PASSWORD, unit_id=ids[unit], roles=roles, post=post, now=now
        )
    return ids


def seed_demo_plans_tx(db: Database, units: dict[str, str], now: datetime) -> int:
    """This year's company plan (each demo cadre visits their workshop every quarter, plus the annual
    deep review) and the methanol workshop's unit plan (a monthly visit to 合成班组, one 临时加访).
    Kept out of ``seed_demo_tx`` so tests on the demo organisation start without plans."""
    from sync import rowstore, visibility
    from sync.entities import PlanItemRow
    from sync.ids import new_id
    from sync.mutations.plan import period_bounds

    people = dict(db.conn.execute('SELECT username, id FROM "user"').fetchall())
    year, stamp = now.year, now.isoformat()
    items: list[dict] = []
    for username, unit in (("cadre", "methanol"), ("cadre2", "maint")):
        for quarter in range(1, 5):
            items.append({"scope": "company", "kind": "quarterly", "quarter": quarter, "cadre": username, "unit": unit,
                          "title": "季度基层访谈", "by": "hr"})
    items.append({"scope": "company", "kind": "deep_review", "cadre": "cadre", "unit": "methanol",
                  "title": "年度深度复盘访谈", "by": "hr", "window": (f"{year}-12-01", f"{year}-12-31")})
    for month in range(1, 13):
        items.append({"scope": "unit", "kind": "monthly", "month": month, "cadre": "cadre", "unit": "synthesis",
                      "title": "班组月度访谈", "by": "unitlead"})
    items.append({"scope": "unit", "kind": "adhoc", "cadre": "cadre", "unit": "distill", "by": "unitlead",
                  "reason": "精馏塔检修项目（重点项目）", "window": (f"{year}-{now.month:02d}-01", None)})
    for it in items:
        lo, hi = period_bounds(year, it.get("quarter"), it.get("month"))
        start, end = it.get("window", (None, None))
        row = PlanItemRow(
            id=new_id(), scope=it["scope"], kind=it["kind"], year=year, quarter=it.get("quarter"),
            month=it.get("month"), cadre_id=people[it["cadre"]], unit_id=units[it["unit"]],
            window_start=date.fromisoformat(start) if start else lo,
            window_end=date.fromisoformat(end) if end else hi, title=it.get("title"), reason=it.get("reason"),
            created_by=people[it["by"]], created_at=stamp, updated_at=stamp)
        rowstore.save(db, "plan_item", row, visibility.visibility_for(db, "plan_item", row), stamp)
    return len(items)
