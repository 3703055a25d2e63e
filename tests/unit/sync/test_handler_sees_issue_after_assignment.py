from tests.builders import World, followup, interview_with_issue, pull_all


def test_reassignment_moves_the_issue_and_its_history_to_the_new_department(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    hr = dev("u-hr")
    followup(hr, issue, "assign", handler_unit_id="emd")
    followup(dev("u-handler"), issue, "progress", text="设备部处理中")
    rows, cursor = pull_all(world.db, world.actor("u-handler2"))
    assert ("issue", issue) not in rows
    followup(hr, issue, "assign", handler_unit_id="ptd")
    later, _ = pull_all(world.db, world.actor("u-handler2"), cursor)
    kinds = sorted(e for e, _ in later if e in ("issue", "followup"))
    assert kinds == ["followup", "followup", "followup", "issue"]  # both assigns + the progress


def test_adding_a_cadre_gives_them_the_whole_interview(world: World, dev) -> None:
    iid, issue = interview_with_issue(dev)
    rows, cursor = pull_all(world.db, world.actor("u-cadre2"))
    assert ("issue", issue) not in rows
    seq = world.db.execute("SELECT seq FROM sync_change WHERE row_id = ?", [iid]).fetchone()[0]
    r = dev("u-cadre1").push_one("interview.save", {"id": iid, "cadre_ids": ["u-cadre1", "u-cadre2"]}, base=seq)
    assert r.status == "applied"
    later, _ = pull_all(world.db, world.actor("u-cadre2"), cursor)
    assert {("interview", iid), ("issue", issue)} <= set(later)
