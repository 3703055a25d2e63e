"""意见 (comment): anyone who may read a problem may comment at any status; the comment is in the
timeline without changing the status, and the department, HR and the raisers are notified."""

from tests.builders import World, assign, followup, held_interview, notifications, raise_issue


def test_comment_keeps_the_status_and_notifies_the_followers(world: World, dev) -> None:
    issue = raise_issue(dev, held_interview(dev))
    assign(dev, issue)
    before = {u: len(notifications(world, u)) for u in ("u-handler", "u-hr", "u-cadre1", "u-handler2")}

    r = followup(dev("u-super"), issue, "comment", text="请优先安排夜班时段检修")

    assert r.status == "applied", r
    assert world.db["issue"].get(issue)["status"] == "assigned"
    [event] = world.db.execute(
        "SELECT kind, text, author_id FROM followup WHERE issue_id = ? AND kind = 'comment'", [issue]
    ).fetchall()
    assert event == ("comment", "请优先安排夜班时段检修", "u-super")
    for user in ("u-handler", "u-hr", "u-cadre1"):
        fresh = notifications(world, user)[before[user] :]
        assert [n["kind"] for n in fresh] == ["commented"] and "夜班" in fresh[0]["body"], user
    assert notifications(world, "u-handler2")[before["u-handler2"] :] == []  # another department


def test_comment_needs_text_and_read_access(world: World, dev) -> None:
    issue = raise_issue(dev, held_interview(dev))
    r = followup(dev("u-hr"), issue, "comment")
    assert r.status == "rejected" and r.error.field == "text"
    r = followup(dev("u-handler"), issue, "comment", text="不是我部门的")  # not assigned to emd: cannot read it
    assert r.status == "rejected" and r.error.code == "auth.forbidden"
