from tests.builders import World, interview_with_issue


def test_update_of_existing_row_needs_base(world: World, dev) -> None:
    iid, issue = interview_with_issue(dev)
    d = dev("u-cadre1")
    r = d.push_one("issue.update", {"id": issue, "solution": "x"})
    assert r.status == "rejected" and (r.error.code, r.error.field) == ("sync.base_required", "base")
    r = d.push_one("interview.save", {"id": iid, "summary": "x"})
    assert r.error.code == "sync.base_required"
    assert world.db["rejection"].count == 2
