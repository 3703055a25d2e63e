"""A disabled unit (停用, ``org_unit.disabled``) is refused wherever a mutation chooses a unit for new
work — a new interview, its symposium departments, a problem's units, an assignment, a plan item —
with ``unit.disabled`` naming the unit's path and the field, nothing applied, the mutation kept in its
author's rejection inbox (被退回). Rows that already name the unit keep working."""

from __future__ import annotations

from sync.ids import new_id
from tests.builders import World, assign, followup, interview_args, issue_args, plan, pull_all, seq_of

TEAM = "ws1t1"
TEAM_PATH = "西北能化公司/一车间/一车间甲班"


def _disable(world: World, unit_id: str) -> None:
    # The engine reads the column; the admin service (and its refusals) are tested in tests/unit/server.
    with world.db.atomic():
        world.db.conn.execute("UPDATE org_unit SET disabled = 1 WHERE id = ?", (unit_id,))


def _refused(result, field: str) -> None:
    assert result.status == "rejected", result
    assert result.error.code == "unit.disabled" and result.error.field == field, result.error
    assert TEAM_PATH in result.error.message or "设备管理部" in result.error.message, result.error.message
    assert "已停用" in result.error.message


def test_a_new_interview_in_a_disabled_unit_goes_to_the_rejection_inbox(world: World, dev) -> None:
    _disable(world, TEAM)
    d = dev("u-cadre1")
    args = interview_args(new_id(), unit_id=TEAM)
    _refused(d.push_one("interview.save", args), "unit_id")
    assert world.db["interview"].count == 0
    rows, _ = pull_all(world.db, d.actor)
    [rejection] = [r for (entity, _), r in rows.items() if entity == "rejection"]
    assert rejection["args"]["unit_id"] == TEAM and rejection["error"]["code"] == "unit.disabled"


def test_an_old_interview_of_a_now_disabled_unit_can_still_be_edited_but_not_moved_into_one(world: World, dev) -> None:
    d = dev("u-cadre1")
    old, other = new_id(), new_id()
    assert d.push_one("interview.save", interview_args(old, unit_id=TEAM)).status == "applied"
    assert d.push_one("interview.save", interview_args(other)).status == "applied"
    _disable(world, TEAM)
    edit = d.push_one("interview.save", {"id": old, "summary": "补记：备件已申请。"}, base=seq_of(world, "interview", old))
    assert edit.status == "applied", edit
    submitted = d.push_one("interview.save", {"id": old, "status": "submitted"}, base=seq_of(world, "interview", old))
    assert submitted.status == "applied", submitted
    moved = d.push_one("interview.save", {"id": other, "unit_id": TEAM}, base=seq_of(world, "interview", other))
    _refused(moved, "unit_id")
    assert world.db["interview"].get(other)["unit_id"] == "ws1"


def test_symposium_departments_refuse_a_newly_listed_disabled_unit(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    assert d.push_one("interview.save", interview_args(iid, departments=["ptd"])).status == "applied"
    _disable(world, TEAM)
    r = d.push_one("interview.save", {"id": iid, "departments": ["ptd", TEAM]}, base=seq_of(world, "interview", iid))
    _refused(r, "departments[1]")


def test_a_problem_cannot_name_a_disabled_unit_but_an_old_one_keeps_it(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, old = new_id(), new_id()
    assert d.push_one("interview.save", interview_args(iid)).status == "applied"
    assert d.push_one("issue.raise", issue_args(old, iid, unit_ids=["ws1", TEAM])).status == "applied"
    _disable(world, TEAM)
    _refused(d.push_one("issue.raise", issue_args(new_id(), iid, unit_ids=["ws1", TEAM])), "unit_ids[1]")
    assert world.db["issue"].count == 1
    kept = d.push_one("issue.update", {"id": old, "description": "循环泵密封泄漏（已复查）", "unit_ids": [TEAM, "ws1"]},
                      base=seq_of(world, "issue", old))
    assert kept.status == "applied", kept


def test_a_problem_is_not_assigned_to_a_disabled_handler_department(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, issue = new_id(), new_id()
    assert d.push_one("interview.save", interview_args(iid)).status == "applied"
    assert d.push_one("issue.raise", issue_args(issue, iid)).status == "applied"
    _disable(world, "emd")
    _refused(followup(dev("u-hr"), issue, "assign", handler_unit_id="emd", owner="钱工", due_date="2025-11-28"),
             "handler_unit_id")
    assert world.db["issue"].get(issue)["status"] == "raised"
    assign(dev, issue, unit="ptd")


def test_a_plan_item_is_not_planned_in_a_disabled_unit_and_an_old_one_can_be_cancelled(world: World, dev) -> None:
    old, r = plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=11, unit=TEAM)
    assert r.status == "applied", r
    _disable(world, TEAM)
    _, refused = plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=12, unit=TEAM)
    _refused(refused, "unit_id")
    assert world.db["plan_item"].count == 1
    cancelled = dev("u-lead1").push_one("plan.save", {"id": old, "status": "cancelled"},
                                        base=seq_of(world, "plan_item", old))
    assert cancelled.status == "applied", cancelled


def test_devices_learn_that_a_unit_is_disabled_from_its_reference_row(world: World) -> None:
    from sync.reference import touch_reference

    _disable(world, TEAM)
    with world.db.atomic():
        touch_reference(world.db, "org_unit", TEAM)
    rows, _ = pull_all(world.db, world.actor("u-cadre1"))
    assert rows[("org_unit", TEAM)]["disabled"] is True
    assert rows[("org_unit", "ws1")]["disabled"] is False
