"""The five interview forms of the rule book §四(二), enforced on submission."""

import pytest

from sync.ids import new_id
from tests.builders import World, interview_args, plan, pull_all

P = [{"post": "操作工"}, {"post": "维修工"}, {"post": "班长"}, {"post": "技术员"}, {"post": "安全员"}, {"post": "质检员"}]

VALID = {
    "individual": dict(form="individual", participants=[{"post": "操作工", "anonymous": True}], theme=None),
    "group": dict(form="group", participants=P[:3], theme="团队协作"),
    "walkthrough": dict(form="walkthrough", participants=[], place="检修现场", theme=None),
    "online": dict(form="online", participants=[{"post": "倒班操作工"}], channel="企业微信视频",
                   absence_reason="倒班无法到场", place=None),
    "symposium": dict(form="symposium", participants=[], participant_count=12, topic="跨部门协同问题",
                      departments=["ptd", "emd"], consensus=["检修计划需提前共享"], disagreements=[]),
}

INVALID = [
    ("individual", dict(participants=P[:2]), "participants"),
    ("individual", dict(participants=[{"post": "操作工", "anonymous": True, "name": "张三"}]), "participants[0].name"),
    ("group", dict(participants=P[:2]), "participants"),
    ("group", dict(participants=P[:6]), "participants"),
    ("group", dict(participants=[{"post": "操作工"}, {"post": "维修工"}, {"post": "操作工 "}]), "participants[2].post"),
    ("group", dict(theme=None), "theme"),
    ("walkthrough", dict(place=None), "place"),
    ("online", dict(channel=None), "channel"),
    ("online", dict(absence_reason=""), "absence_reason"),
    ("online", dict(participants=[]), "participants"),
    ("symposium", dict(topic=None), "topic"),
    ("symposium", dict(departments=[]), "departments"),
    ("symposium", dict(consensus=[], disagreements=[]), "consensus"),
    ("symposium", dict(departments=["nope"]), "departments[0]"),
    ("group", dict(topics=[]), "topics"),
    ("group", dict(topics=["business.9"]), "topics[0]"),
    ("group", dict(summary=" "), "summary"),
    ("group", dict(started_at=None), "started_at"),
]


@pytest.mark.parametrize("form", sorted(VALID))
def test_each_form_can_be_submitted(world: World, dev, form: str) -> None:
    iid = new_id()
    result = dev("u-cadre1").push_one("interview.save", interview_args(iid, status="submitted", **VALID[form]))
    assert result.status == "applied", result.error
    row = pull_all(world.db, world.actor("u-cadre1"))[0][("interview", iid)]
    assert row["status"] == "submitted"
    sent = {k: v for k, v in VALID[form].items() if k != "participants"}
    assert {k: row[k] for k in sent} == sent  # every form-specific field stored as sent
    # participants come back with their defaults filled in (name None, anonymous False)
    assert [{k: p[k] for k in given} for p, given in zip(row["participants"], VALID[form]["participants"], strict=True)] \
        == VALID[form]["participants"]


@pytest.mark.parametrize(("form", "change", "field"), INVALID)
def test_broken_form_rules_are_rejected_naming_the_field(world: World, dev, form, change, field) -> None:
    args = interview_args(new_id(), status="submitted", **{**VALID[form], **change})
    result = dev("u-cadre1").push_one("interview.save", args)
    assert result.status == "rejected"
    assert (result.error.code, result.error.field) == ("validation", field)


def test_drafts_may_be_incomplete_but_not_malformed(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    assert d.push_one("interview.save", {"id": iid, "form": "group", "unit_id": "ws1", "adhoc_reason": "突发"}).status == "applied"
    bad = d.push_one("interview.save", {"id": new_id(), "form": "group", "unit_id": "ws1", "adhoc_reason": "x",
                                        "topics": ["nope"]})
    assert bad.error.field == "topics[0]"


def test_planned_or_adhoc_exactly_one(world: World, dev) -> None:
    d = dev("u-cadre1")
    neither = interview_args(new_id())
    del neither["adhoc_reason"]
    assert d.push_one("interview.save", neither).error.field == "plan_item_id"
    plan_id, _ = plan(dev)  # a real item: plan_item_id is checked (test_interview_plan_item_link_is_checked)
    both = interview_args(new_id(), plan_item_id=plan_id)
    assert d.push_one("interview.save", both).status == "rejected"
    planned = interview_args(new_id(), plan_item_id=plan_id, adhoc_reason=None)
    assert d.push_one("interview.save", planned).status == "applied"


def test_submitted_cannot_return_to_draft_and_gets_submitted_at(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    seq = world.db.execute("SELECT seq FROM sync_change WHERE row_id = ?", [iid]).fetchone()[0]
    assert d.push_one("interview.save", {"id": iid, "status": "submitted"}, base=seq).status == "applied"
    assert world.db["interview"].get(iid)["submitted_at"] is not None
    seq = world.db.execute("SELECT seq FROM sync_change WHERE row_id = ?", [iid]).fetchone()[0]
    back = d.push_one("interview.save", {"id": iid, "status": "draft"}, base=seq)
    assert back.status == "rejected" and back.error.field == "status"


def test_ended_before_started(world: World, dev) -> None:
    r = dev("u-cadre1").push_one("interview.save", interview_args(new_id(), ended_at="2025-11-03T08:00:00+08:00"))
    assert r.error.field == "ended_at"
