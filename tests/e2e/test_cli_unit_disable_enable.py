"""``fangtan unit disable|enable`` on the seeded demo database: a unit in use is refused naming what
blocks it, a disabled one is listed 已停用 and refused by ``user add`` / ``user move`` / ``unit add``;
each change is in the admin audit log as the command line's actor."""

from __future__ import annotations

import sqlite3

from tests.fangtan_cli import fangtan


def test_unit_disable_refuses_a_unit_in_use_and_a_disabled_unit_takes_no_one(data_dir) -> None:
    busy = fangtan("unit", "disable", "甲醇生产车间", data_dir=data_dir)
    assert busy.returncode != 0
    assert "单位「西北能化公司/甲醇生产车间」不能停用" in busy.stderr and "名在职人员" in busy.stderr

    added = fangtan("unit", "add", "旧化验室", "--kind", "team", "--parent", "甲醇生产车间", data_dir=data_dir)
    assert added.returncode == 0, added.stderr
    done = fangtan("unit", "disable", "甲醇生产车间/旧化验室", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "已停用" in done.stdout and "西北能化公司/甲醇生产车间/旧化验室" in done.stdout
    listed = fangtan("unit", "list", data_dir=data_dir)
    assert "西北能化公司/甲醇生产车间/旧化验室\tteam 已停用\t" in listed.stdout

    user_add = fangtan("user", "add", "T7001", "--name", "某人", "--unit", "旧化验室", "--role", "干部",
                       "--password", "long-enough-1", data_dir=data_dir)
    assert user_add.returncode != 0 and "单位「西北能化公司/甲醇生产车间/旧化验室」已停用" in user_add.stderr
    move = fangtan("user", "move", "cadre", "旧化验室", data_dir=data_dir)
    assert move.returncode != 0 and "已停用" in move.stderr
    below = fangtan("unit", "add", "一组", "--kind", "team", "--parent", "旧化验室", data_dir=data_dir)
    assert below.returncode != 0 and "已停用" in below.stderr

    enabled = fangtan("unit", "enable", "旧化验室", data_dir=data_dir)
    assert enabled.returncode == 0 and "已启用" in enabled.stdout
    assert fangtan("user", "move", "cadre", "旧化验室", data_dir=data_dir).returncode == 0

    db = sqlite3.connect(data_dir / "fangtan.db")
    try:
        rows = db.execute("SELECT actor, action, details FROM admin_audit WHERE action LIKE 'unit.%able'"
                          " ORDER BY id").fetchall()
    finally:
        db.close()
    assert [r[1] for r in rows] == ["unit.disable", "unit.enable"]
    assert all(r[0].startswith("cli:") and "旧化验室" in r[2] for r in rows)
