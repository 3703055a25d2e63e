from tests.builders import World, interview_with_issue, seq_of


def test_people_involved_resolve_conflicts(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    base = seq_of(world, "issue", issue)
    dev("u-hr").push_one("issue.update", {"id": issue, "description": "A"}, base=base)
    ref = dev("u-cadre1").push_one("issue.update", {"id": issue, "description": "B"}, base=base).conflicts[0]
    assert dev("u-cadre2").push_one("conflict.resolve", {"id": ref.id}).error.code == "auth.forbidden"
    assert dev("u-hr").push_one("conflict.resolve", {"id": ref.id, "note": "以干部为准"}).status == "applied"
    assert dev("u-cadre1").push_one("conflict.resolve", {"id": ref.id}).status == "applied"  # harmless twice
    row = world.db["conflict"].get(ref.id)
    assert (row["status"], row["resolved_by"], row["note"]) == ("resolved", "u-hr", "以干部为准")
