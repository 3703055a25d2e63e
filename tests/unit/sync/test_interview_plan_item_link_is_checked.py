"""``interview.save`` with a ``plan_item_id``: the item must exist, be assigned to one of the
interview's cadres and not be cancelled — otherwise a clear rejection naming ``plan_item_id``."""

from sync.ids import new_id
from tests.builders import World, interview_args, plan, planned_interview, seq_of


def test_a_planned_visit_links_its_item(world: World, dev) -> None:
    pid, _ = plan(dev)
    r = planned_interview(dev, pid, submitted=False)
    assert r.status == "applied"
    assert world.db.execute("SELECT plan_item_id FROM interview").fetchone()[0] == pid


def test_unknown_item_is_refused(world: World, dev) -> None:
    r = planned_interview(dev, new_id())
    assert r.status == "rejected" and r.error.field == "plan_item_id" and "不存在" in r.error.message
    assert world.db["interview"].count == 0


def test_item_of_another_cadre_is_refused(world: World, dev) -> None:
    pid, _ = plan(dev, cadre="u-cadre2")
    r = planned_interview(dev, pid, cadre="u-cadre1")
    assert r.status == "rejected" and r.error.field == "plan_item_id"
    assert "不是分配给本人的" in r.error.message


def test_cancelled_item_is_refused(world: World, dev) -> None:
    pid, _ = plan(dev)
    dev("u-hr").push_one("plan.save", {"id": pid, "status": "cancelled"}, base=seq_of(world, "plan_item", pid))
    r = planned_interview(dev, pid)
    assert r.status == "rejected" and r.error.field == "plan_item_id" and "已取消" in r.error.message


def test_relinking_a_draft_is_checked_too(world: World, dev) -> None:
    iid = new_id()
    assert dev("u-cadre1").push_one("interview.save", interview_args(iid)).status == "applied"
    r = dev("u-cadre1").push_one(
        "interview.save", {"id": iid, "plan_item_id": new_id(), "adhoc_reason": None}, base=seq_of(world, "interview", iid)
    )
    assert r.status == "rejected" and r.error.field == "plan_item_id"
