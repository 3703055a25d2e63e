import msgspec

from tests.builders import Device, World, interview_with_issue, pull_all, seq_of


def test_later_arrival_wins_and_the_loser_is_kept(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    base = seq_of(world, "issue", issue)
    hr = dev("u-hr")
    assert hr.push_one("issue.update", {"id": issue, "description": "HR 的描述"}, base=base).status == "applied"
    cadre = dev("u-cadre1")
    r = cadre.push_one("issue.update", {"id": issue, "description": "干部的描述"}, base=base)
    assert r.status == "conflict"
    [ref] = r.conflicts
    assert (ref.kind, ref.field, ref.row_id) == ("hard", "description", issue)
    assert world.db["issue"].get(issue)["description"] == "干部的描述"
    row = world.db["conflict"].get(ref.id)
    assert msgspec.json.decode(row["loser_value"]) == "HR 的描述"
    assert msgspec.json.decode(row["winner_value"]) == "干部的描述"
    assert (row["winner_user_id"], row["loser_user_id"], row["status"]) == ("u-cadre1", "u-hr", "open")
    for user in ("u-hr", "u-cadre1"):
        rows, _ = pull_all(world.db, world.actor(user))
        assert rows[("conflict", ref.id)]["loser_value"] == "HR 的描述"
    rows, _ = pull_all(world.db, world.actor("u-cadre2"))
    assert ("conflict", ref.id) not in rows


def test_same_value_on_both_sides_is_no_conflict(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    base = seq_of(world, "issue", issue)
    dev("u-hr").push_one("issue.update", {"id": issue, "major": True}, base=base)
    assert dev("u-cadre1").push_one("issue.update", {"id": issue, "major": True}, base=base).status == "applied"
    assert world.db["conflict"].count == 0


def test_same_device_successive_edits_never_conflict(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    base = seq_of(world, "issue", issue)
    d = dev("u-cadre1")
    d.push_one("issue.update", {"id": issue, "solution": "方案一"}, base=base)
    assert d.push_one("issue.update", {"id": issue, "solution": "方案二"}, base=base).status == "applied"
    assert world.db["conflict"].count == 0


def test_conflict_with_an_assignment_event(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    base = seq_of(world, "issue", issue)
    from tests.builders import followup

    followup(dev("u-hr"), issue, "assign", handler_unit_id="emd", owner="钱工")
    r = dev("u-cadre1").push_one("issue.update", {"id": issue, "owner": "孙工"}, base=base)
    assert r.status == "conflict" and r.conflicts[0].field == "owner"


def test_two_devices_of_one_user_conflict_too(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    base = seq_of(world, "issue", issue)
    world.add_device("u-cadre1", "d-phone")
    dev("u-cadre1").push_one("issue.update", {"id": issue, "solution": "平板上写的"}, base=base)
    r = Device(world, "u-cadre1", "d-phone").push_one("issue.update", {"id": issue, "solution": "手机上写的"}, base=base)
    assert r.status == "conflict"
