"""交办, 经理层会议议题 and the issue's bad-input cases: each rejected with a reason, nothing half-applied."""

from tests.builders import World, assign, close, followup, held_interview, notifications, pull_all, raise_issue, seq_of


def counts(world: World) -> tuple[int, int]:
    return (world.db.execute("SELECT count(*) FROM followup").fetchone()[0],
            world.db.execute("SELECT count(*) FROM rejection").fetchone()[0])


def test_assign_with_owner_notifies_the_department(world: World, dev) -> None:
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    r = followup(dev("u-hr"), issue, "assign", handler_unit_id="emd", owner="钱工", owner_user_id="u-handler",
           due_date="2025-11-28")
    assert r.status == "applied"
    row = world.db["issue"].get(issue)
    assert (row["status"], row["handler_unit_id"], row["owner_user_id"]) == ("assigned", "emd", "u-handler")
    [n] = notifications(world, "u-handler")
    assert n["kind"] == "assigned" and row["receipt_code"] in n["body"] and n["entity_id"] == issue
    assert notifications(world, "u-handler2") == []  # another department


def test_bad_assignments_are_rejected_with_the_field(world: World, dev) -> None:
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    before = counts(world)
    cases = [
        ({"handler_unit_id": "nowhere"}, "handler_unit_id", "没有这个单位"),
        ({"handler_unit_id": "ws1"}, "handler_unit_id", "不是责任部门"),
        ({"handler_unit_id": "emd", "owner_user_id": "u-handler2"}, "owner_user_id", "责任人不在该责任部门"),
        ({"handler_unit_id": "emd", "due_date": "2025-09-01"}, "due_date", "早于访谈日期"),
    ]
    for kw, field, text in cases:
        r = followup(dev("u-hr"), issue, "assign", **kw)
        assert r.status == "rejected" and r.error.field == field and text in r.error.message, (kw, r)
    assert counts(world) == (before[0], before[1] + len(cases))
    assert world.db["issue"].get(issue)["status"] == "raised"
    assert notifications(world, "u-handler") == []


def test_due_date_before_the_interview_on_update_is_rejected(world: World, dev) -> None:
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    r = dev("u-cadre1").push_one("issue.update", {"id": issue, "due_date": "2025-09-20"},
                                 base=seq_of(world, "issue", issue))
    assert r.status == "rejected" and r.error.field == "due_date"
    assert world.db["issue"].get(issue)["due_date"] == "2025-11-28"


def test_closing_without_evidence_is_rejected(world: World, dev) -> None:
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    assign(dev, issue)
    followup(dev("u-handler"), issue, "resolve", text="已处理")
    r = followup(dev("u-hr"), issue, "close", verifier_id="u-super")
    assert r.status == "rejected" and r.error.field == "evidence"
    assert world.db["issue"].get(issue)["status"] == "resolved"


def test_agenda_escalate_then_decide_then_assign(world: World, dev) -> None:
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    early = followup(dev("u-leader"), issue, "decide", text="同意")
    assert early.status == "rejected" and early.error.code == "followup.out_of_order"
    assert followup(dev("u-cadre1"), issue, "escalate", text="x").error.code == "auth.forbidden"
    r = followup(dev("u-hr"), issue, "escalate", text="涉及资金 80 万元，需经理层决策")
    assert r.status == "applied"
    row = world.db["issue"].get(issue)
    assert row["major"] == 1 and row["status"] == "raised"
    assert [n["kind"] for n in notifications(world, "u-leader")] == ["agenda"]
    assert followup(dev("u-leader"), issue, "decide", text="同意列入年度技改计划，由设备管理部实施").status == "applied"
    assert "decided" in [n["kind"] for n in notifications(world, "u-hr")]
    assert "decided" in [n["kind"] for n in notifications(world, "u-cadre1")]
    assign(dev, issue)
    assert world.db["issue"].get(issue)["status"] == "assigned"


def test_reopened_problem_returns_to_work_and_tells_the_department(world: World, dev) -> None:
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    close(dev, issue)
    assert "closed" in [n["kind"] for n in notifications(world, "u-cadre1")]
    assert followup(dev("u-cadre1"), issue, "reopen", text="职工反映又漏了").status == "applied"
    assert world.db["issue"].get(issue)["status"] == "in_progress"
    assert notifications(world, "u-handler")[-1]["kind"] == "reopened"


def test_notifications_are_personal_and_marked_read_by_their_recipient_only(world: World, dev) -> None:
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    assign(dev, issue)
    [n] = notifications(world, "u-handler")
    rows, _ = pull_all(world.db, world.actor("u-handler"))
    assert rows[("notification", n["id"])]["read_at"] is None
    for user in ("u-hr", "u-leader", "u-cadre1", "u-handler2"):
        assert ("notification", n["id"]) not in pull_all(world.db, world.actor(user))[0]
    r = dev("u-hr").push_one("notification.read", {"ids": [n["id"]]})
    assert r.status == "rejected" and r.error.code == "not_found" and r.error.field == "ids[0]"
    r = dev("u-handler").push_one("notification.read", {"ids": [n["id"]]})
    assert r.status == "applied"
    first = notifications(world, "u-handler")[0]["read_at"]
    assert first is not None
    assert dev("u-handler").push_one("notification.read", {"ids": [n["id"]]}).status == "applied"
    assert notifications(world, "u-handler")[0]["read_at"] == first
    rows, _ = pull_all(world.db, world.actor("u-handler"))
    assert rows[("notification", n["id"])]["read_at"] == first
