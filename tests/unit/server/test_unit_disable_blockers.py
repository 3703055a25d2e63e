"""What keeps a unit from being disabled (``server.org.service.disable_blockers``), on the small test
organisation: active people, active sub-units, employees in the roster, open problems assigned to it,
open plan items. History never blocks; each refusal names its count in Chinese; nothing is written."""

from __future__ import annotations

import pytest

from server.clock import utcnow
from server.org.admin import set_unit_disabled_admin_tx
from server.org.errors import UnitInUse
from server.org.people import move_user_tx
from server.org.service import add_unit_tx, move_unit_tx
from server.store import in_transaction
from sync.errors import InvalidField, UnitDisabled
from sync.ids import new_id
from tests.builders import World, assign, interview_args, issue_args, plan, seq_of


def _set(world: World, unit_id: str, disabled: bool = True) -> dict:
    return in_transaction(world.db, lambda db: set_unit_disabled_admin_tx(db, unit_id, disabled, actor="test",
                                                                          now=utcnow()))


def _refusal(world: World, unit_id: str) -> str:
    with pytest.raises(UnitInUse) as refused:
        _set(world, unit_id)
    assert world.db["org_unit"].get(unit_id)["disabled"] == 0
    return refused.value.message


def _leave(world: World, *user_ids: str) -> None:
    with world.db.atomic():
        for uid in user_ids:
            world.db.conn.execute('UPDATE "user" SET disabled = 1 WHERE id = ?', (uid,))


def test_people_and_sub_units_block_and_the_message_names_them(world: World) -> None:
    message = _refusal(world, "ws1")
    assert "单位「西北能化公司/一车间」不能停用" in message
    assert "单位下还有 1 名在职人员" in message and "还有 1 个未停用的下级单位" in message
    _set(world, "ws1t1")
    _leave(world, "u-lead1")
    assert _set(world, "ws1")["disabled"] is True
    audit = [tuple(r) for r in world.db.conn.execute("SELECT action, target, details FROM admin_audit ORDER BY id")]
    assert audit == [("unit.disable", "ws1t1", '{"path": "西北能化公司/一车间/一车间甲班"}'),
                     ("unit.disable", "ws1", '{"path": "西北能化公司/一车间"}')]


def test_employees_open_problems_and_open_plan_items_block_but_history_does_not(world: World, dev) -> None:
    with world.db.atomic():
        world.db.conn.execute("UPDATE org_unit SET employee_count = 12 WHERE id = 'ws1t1'")
    assert "人员名单中还有 12 名职工属于该单位" in _refusal(world, "ws1t1")
    with world.db.atomic():
        world.db.conn.execute("UPDATE org_unit SET employee_count = 0 WHERE id = 'ws1t1'")

    pid, r = plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=12, unit="ws1t1", year=2099)
    assert r.status == "applied", r
    assert "还有 1 项未完成的访谈计划" in _refusal(world, "ws1t1")
    assert dev("u-lead1").push_one("plan.save", {"id": pid, "status": "cancelled"},
                                   base=seq_of(world, "plan_item", pid)).status == "applied"

    # A problem raised about the team (涉及单位) and an interview held there are history: no block.
    iid = new_id()
    assert dev("u-cadre1").push_one("interview.save", interview_args(iid, unit_id="ws1t1")).status == "applied"
    assert dev("u-cadre1").push_one("issue.raise", issue_args(new_id(), iid, unit_ids=["ws1t1"])).status == "applied"
    assert _set(world, "ws1t1")["disabled"] is True

    # emd is a 责任部门 with a problem assigned to it and not closed.
    problem = new_id()
    assert dev("u-cadre1").push_one("issue.raise", issue_args(problem, iid, unit_ids=["ws1"])).status == "applied"
    assign(dev, problem, unit="emd")
    _leave(world, "u-handler")
    assert "还有 1 个交办给该单位、尚未关闭的问题" in _refusal(world, "emd")


def test_the_company_and_a_unit_under_a_disabled_parent_are_refused(world: World) -> None:
    with pytest.raises(InvalidField, match="公司不能停用"):
        _set(world, "co")
    _set(world, "ws1t1")
    _leave(world, "u-lead1")
    _set(world, "ws1")
    with pytest.raises(InvalidField, match="上级单位「西北能化公司/一车间」已停用，请先启用上级单位"):
        _set(world, "ws1t1", False)
    assert _set(world, "ws1", False)["disabled"] is False
    assert _set(world, "ws1t1", False)["disabled"] is False
    assert _set(world, "ws1t1", False)["disabled"] is False  # enabling twice changes nothing and logs once
    actions = [r[0] for r in world.db.conn.execute("SELECT action FROM admin_audit ORDER BY id")]
    assert actions == ["unit.disable", "unit.disable", "unit.enable", "unit.enable"]


def test_nothing_new_goes_into_a_disabled_unit_but_who_is_there_may_stay(world: World) -> None:
    _set(world, "ws1t1")
    now = utcnow()
    with pytest.raises(UnitDisabled, match="单位「西北能化公司/一车间/一车间甲班」已停用"):
        in_transaction(world.db, lambda db: move_user_tx(db, "u-cadre2", "ws1t1", now))
    with pytest.raises(UnitDisabled):
        in_transaction(world.db, lambda db: add_unit_tx(db, name="新班", kind="team", parent_id="ws1t1", now=now))
    with pytest.raises(UnitDisabled):
        in_transaction(world.db, lambda db: move_unit_tx(db, "ws2", "ws1t1", now))
    with world.db.atomic():  # someone left in it (disabled since): editing them does not move them out
        world.db.conn.execute("UPDATE \"user\" SET unit_id = 'ws1t1' WHERE id = 'u-cadre2'")
    assert in_transaction(world.db, lambda db: move_user_tx(db, "u-cadre2", "ws1t1", now)) == {}
    # A disabled unit itself may be moved (e.g. below a holding unit): it stays disabled.
    in_transaction(world.db, lambda db: move_unit_tx(db, "ws1t1", "ws2", now))
    assert world.db["org_unit"].get("ws1t1")["parent_id"] == "ws2"
