import pytest

from sync import issue_status
from tests.builders import World, evidence_photo, followup, interview_with_issue


def status(world: World, issue_id: str) -> str:
    return world.db["issue"].get(issue_id)["status"]


def test_full_lifecycle(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    hr, handler = dev("u-hr"), dev("u-handler")
    assert followup(hr, issue, "assign", handler_unit_id="emd", owner="钱工", due_date="2025-12-01").status == "applied"
    row = world.db["issue"].get(issue)
    assert (row["status"], row["handler_unit_id"], row["owner"], row["due_date"]) == ("assigned", "emd", "钱工", "2025-12-01")
    assert followup(handler, issue, "start").status == "applied"
    assert followup(handler, issue, "progress", text="已更换密封件").status == "applied"
    assert followup(handler, issue, "resolve", text="连续运行两周无泄漏").status == "applied"
    assert status(world, issue) == "resolved"
    photo = evidence_photo(dev, issue)
    assert followup(hr, issue, "close", evidence=[photo], evidence_text="现场核实", verifier_id="u-super").status == "applied"
    assert status(world, issue) == "closed"
    assert followup(dev("u-cadre1"), issue, "reopen", text="职工反映又漏了").status == "applied"
    assert status(world, issue) == "in_progress"


def test_invalid_transition_is_rejected_and_kept_in_the_rejection_inbox(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    r = followup(dev("u-hr"), issue, "resolve", text="直接解决")
    assert r.status == "rejected" and r.error.code == "followup.out_of_order" and r.error.field == "kind"
    assert world.db.execute("SELECT count(*) FROM followup").fetchone()[0] == 0  # nothing half-applied
    rej = world.db.execute("SELECT name, args, error FROM rejection").fetchone()
    assert rej[0] == "followup.add" and "直接解决" in rej[1] and "followup.out_of_order" in rej[2]
    row = world.db["issue"].get(issue)
    assert row["status"] == "raised" and row["flagged_events"] == 0


def test_concurrent_offline_event_out_of_order_is_rejected_not_folded(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    followup(dev("u-hr"), issue, "assign", handler_unit_id="emd")
    handler = dev("u-handler")
    followup(handler, issue, "resolve", text="修好了")
    # a second handler device, offline all along, posts "start" after the resolve arrived
    from tests.builders import Device

    world.add_device("u-handler", "d-handler-2")
    late = followup(Device(world, "u-handler", "d-handler-2"), issue, "start")
    assert late.status == "rejected" and late.error.code == "followup.out_of_order"
    assert "已解决" in late.error.message and "开始整改" in late.error.message
    assert status(world, issue) == "resolved"
    assert world.db.execute("SELECT count(*) FROM rejection WHERE author_id = 'u-handler'").fetchone()[0] == 1


def test_closing_needs_evidence_and_verifier(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    hr = dev("u-hr")
    followup(hr, issue, "assign", handler_unit_id="emd")
    followup(dev("u-handler"), issue, "resolve", text="done")
    assert followup(hr, issue, "close", verifier_id="u-super").error.field == "evidence"
    photo = evidence_photo(dev, issue)
    assert followup(hr, issue, "close", evidence=[photo]).error.field == "verifier_id"
    assert followup(hr, issue, "close", evidence=[photo], verifier_id="ghost").error.field == "verifier_id"
    assert status(world, issue) == "resolved"


@pytest.mark.parametrize(("user", "kind", "kw"), [
    ("u-cadre1", "assign", {"handler_unit_id": "emd"}),
    ("u-handler2", "start", {}),
    ("u-cadre2", "comment", {"text": "看看"}),
    ("u-handler", "close", {"evidence_text": "x", "verifier_id": "u-hr"}),
])
def test_roles_per_kind(world: World, dev, user, kind, kw) -> None:
    _, issue = interview_with_issue(dev)
    followup(dev("u-hr"), issue, "assign", handler_unit_id="emd")
    assert followup(dev(user), issue, kind, **kw).error.code == "auth.forbidden"


def test_assign_needs_a_handler_department(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    assert followup(dev("u-hr"), issue, "assign", handler_unit_id="ws1").error.field == "handler_unit_id"
    assert followup(dev("u-hr"), issue, "assign").error.field == "handler_unit_id"


def test_fold_function() -> None:
    events = [("assign", True), ("start", True), ("close", True), ("resolve", True), ("close", True)]
    assert issue_status.fold(events) == "closed"
    assert issue_status.fold([("reopen", False)]) == "raised"
    assert issue_status.step("closed", "reopen", assigned=False).to_status == "raised"
