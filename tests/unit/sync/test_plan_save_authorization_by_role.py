"""``plan.save``: HR edits the company plan; a unit lead only their own unit's plan; cadres pull the
items assigned to them (and nothing is written when refused)."""

from tests.builders import World, plan, pull_all, seq_of


def test_hr_plans_company_visits_others_are_refused(world: World, dev) -> None:
    pid, r = plan(dev)
    assert r.status == "applied"
    for user in ("u-lead1", "u-cadre1", "u-super", "u-leader"):
        _, refused = plan(dev, by=user)
        assert refused.status == "rejected" and refused.error.code == "auth.forbidden", user
    assert world.db["plan_item"].count == 1


def test_unit_lead_edits_only_their_units_plan(world: World, dev) -> None:
    own, r = plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=11, unit="ws1t1")
    assert r.status == "applied"
    _, other = plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=11, unit="ws2")
    assert other.status == "rejected" and other.error.code == "auth.forbidden"
    # moving their item out of their subtree is refused too
    moved = dev("u-lead1").push_one("plan.save", {"id": own, "unit_id": "ws2"}, base=seq_of(world, "plan_item", own))
    assert moved.status == "rejected" and moved.error.code == "auth.forbidden"
    assert world.db["plan_item"].get(own)["unit_id"] == "ws1t1"
    # HR may edit a unit plan
    hr_edit = dev("u-hr").push_one("plan.save", {"id": own, "title": "HR 调整"}, base=seq_of(world, "plan_item", own))
    assert hr_edit.status == "applied"
    # a cadre may not cancel the item, even their own
    cancel = dev("u-cadre1").push_one("plan.save", {"id": own, "status": "cancelled"}, base=seq_of(world, "plan_item", own))
    assert cancel.status == "rejected"


def test_cadres_pull_their_items_and_not_other_units_items(world: World, dev) -> None:
    mine, _ = plan(dev, cadre="u-cadre1", unit="ws2")
    theirs, _ = plan(dev, cadre="u-cadre2", unit="ws1t1")
    seen1, _ = pull_all(world.db, world.actor("u-cadre1"))
    assert ("plan_item", mine) in seen1 and ("plan_item", theirs) not in seen1
    seen2, _ = pull_all(world.db, world.actor("u-cadre2"))
    assert ("plan_item", theirs) in seen2  # assigned to them
    assert ("plan_item", mine) in seen2  # u-cadre2 sits in ws2: the unit's own plan is visible there
    lead, _ = pull_all(world.db, world.actor("u-lead1"))
    assert ("plan_item", theirs) in lead and ("plan_item", mine) not in lead
    handler, _ = pull_all(world.db, world.actor("u-handler"))
    assert not any(k[0] == "plan_item" for k in handler)
    sup, _ = pull_all(world.db, world.actor("u-super"))
    assert {("plan_item", mine), ("plan_item", theirs)} <= set(sup)
