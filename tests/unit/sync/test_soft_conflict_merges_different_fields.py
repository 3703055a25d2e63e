from tests.builders import World, interview_with_issue, seq_of


def test_different_fields_merge_and_are_recorded(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    base = seq_of(world, "issue", issue)
    dev("u-hr").push_one("issue.update", {"id": issue, "due_date": "2025-12-31"}, base=base)
    r = dev("u-cadre1").push_one("issue.update", {"id": issue, "solution": "更换密封件"}, base=base)
    assert r.status == "applied"
    [ref] = r.conflicts
    assert ref.kind == "soft"
    row = world.db["issue"].get(issue)
    assert (row["due_date"], row["solution"]) == ("2025-12-31", "更换密封件")
    c = world.db["conflict"].get(ref.id)
    assert c["status"] == "merged" and c["fields"] == '["due_date"]'
