"""Planning and applying a roster on a real SQLite file: units created by path, headcounts, refused
rows, apply-valid, idempotency, one transaction."""

from __future__ import annotations

import pytest

from server.clock import utcnow
from server.roster.errors import RosterRefused
from server.roster.plan import apply_plan_tx, plan_import
from server.store import in_transaction
from tests.builders import migrate, open_db
from tests.roster_files import csv_bytes

ROWS = [
    ["1001", "张伟", "某化工/生产部", "部长", "干部、责任部门", "", "在职"],
    ["1002", "李娜", "某化工/一车间/甲班", "班长", "干部", "", "在职"],
    ["2001", "王强", "某化工/一车间/甲班", "操作工", "", "", "在职"],
    ["2002", "赵敏", "某化工/一车间/乙班", "操作工", "", "", "在职"],
    ["2003", "刘洋", "某化工/一车间/乙班", "操作工", "", "", "停用"],
]


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "fangtan.db")
    migrate(database)
    yield database
    database.conn.close()


def _apply(db, data, **kw):
    return in_transaction(db, lambda d: apply_plan_tx(d, data, actor="test", now=utcnow(), **kw))


def test_units_are_created_by_path_and_employees_are_headcounts(db) -> None:
    plan, applied = _apply(db, csv_bytes(ROWS), apply_valid=False)
    assert [u["path"] for u in plan.units_added] == ["某化工", "某化工/一车间", "某化工/生产部", "某化工/一车间/乙班",
                                                       "某化工/一车间/甲班"]
    kinds = dict(db.conn.execute("SELECT name, kind FROM org_unit").fetchall())
    assert kinds == {"某化工": "company", "一车间": "workshop", "生产部": "department", "甲班": "team", "乙班": "team"}
    counts = dict(db.conn.execute("SELECT name, employee_count FROM org_unit").fetchall())
    assert counts["甲班"] == 1 and counts["乙班"] == 1 and counts["生产部"] == 0  # 停用 employees are not counted
    assert db.conn.execute('SELECT count(*) FROM "user"').fetchone()[0] == 2  # employees get no account
    assert {s["username"] for s in applied.slips} == {"1001", "1002"}
    assert db.conn.execute('SELECT count(*) FROM "user" WHERE must_change_password = 1').fetchone()[0] == 2
    again = plan_import(db, csv_bytes(ROWS))
    assert not again.has_changes and again.unchanged == 2 and again.employees == 2


def test_refused_rows_block_everything_unless_apply_valid(db) -> None:
    rows = [*ROWS, ["1003", "", "某化工/生产部", "", "干部", "", ""], ["1004", "周杰", "别家/一车间", "", "干部", "", ""]]
    _apply(db, csv_bytes(ROWS[:1]), apply_valid=False)  # the company exists now
    before = db.conn.execute("SELECT count(*) FROM sync_change").fetchone()[0]
    with pytest.raises(RosterRefused) as refused:
        _apply(db, csv_bytes(rows), apply_valid=False)
    assert [(r["row"], r["column"]) for r in refused.value.details["refused"]] == [(7, "姓名"), (8, "单位")]
    assert db.conn.execute('SELECT count(*) FROM "user"').fetchone()[0] == 1  # nothing half-applied
    assert db.conn.execute("SELECT count(*) FROM sync_change").fetchone()[0] == before
    plan, applied = _apply(db, csv_bytes(rows), apply_valid=True)
    assert [a["username"] for a in plan.added] == ["1002"] and len(plan.refused) == 2
    assert db.conn.execute("SELECT count(*) FROM org_unit WHERE name = '别家'").fetchone()[0] == 0


def test_changes_and_disabling_are_field_by_field(db) -> None:
    _apply(db, csv_bytes(ROWS), apply_valid=False)
    changed = [list(r) for r in ROWS]
    changed[0][3], changed[0][4] = "副部长", "干部"
    changed[1][2] = "某化工/一车间/乙班"
    changed[1][6] = "停用"
    plan = plan_import(db, csv_bytes(changed))
    assert plan.changed == [{**plan.changed[0], "fields": {"post": ["部长", "副部长"],
                                                            "roles": [["cadre", "handler"], ["cadre"]]}}]
    assert plan.disabled[0]["username"] == "1002"
    assert plan.disabled[0]["fields"] == {"unit": ["某化工/一车间/甲班", "某化工/一车间/乙班"]}
    assert plan.headcount == []
    _apply(db, csv_bytes(changed), apply_valid=False)
    assert db.conn.execute("SELECT disabled FROM user WHERE username = ?", ("1002",)).fetchone()[0] == 1
    assert not plan_import(db, csv_bytes(changed)).has_changes
    audit = [a for (a,) in db.conn.execute("SELECT action FROM admin_audit ORDER BY id")]
    assert audit.count("roster.apply") == 2 and "user.disable" in audit and "user.change" in audit
