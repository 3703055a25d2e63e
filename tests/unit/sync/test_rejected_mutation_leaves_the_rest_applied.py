from sync.ids import new_id
from tests.builders import World, interview_args, pull_all


def test_permission_failure_is_rejected_and_others_apply(world: World, dev) -> None:
    iid = new_id()
    dev("u-cadre1").push(("interview.save", interview_args(iid)))
    other = dev("u-cadre2")
    n1, n2 = new_id(), new_id()
    resp = other.push(
        ("interview.save", interview_args(n1, unit_id="ws2", cadre_ids=["u-cadre2"])),
        ("note.add", {"id": n2, "interview_id": iid, "text": "我不是这次访谈的干部"}),
        ("interview.save", interview_args(new_id(), unit_id="ws2", cadre_ids=["u-cadre2"])),
    )
    assert [r.status for r in resp.results] == ["applied", "rejected", "applied"]
    err = resp.results[1].error
    assert err is not None and err.code == "auth.forbidden"
    assert resp.last_mutation_id == 3
    assert world.db["note"].count == 0


def test_rejection_record_keeps_the_mutation_and_syncs_back_to_its_author_only(world: World, dev) -> None:
    d = dev("u-cadre2")
    args = {"id": new_id(), "interview_id": "no-such-interview", "text": "离线时写下的内容"}
    result = d.push_one("note.add", args)
    assert result.status == "rejected" and result.error.code == "not_found"
    rows, _ = pull_all(world.db, d.actor)
    [rej] = [r for (e, _), r in rows.items() if e == "rejection"]
    assert rej["args"] == args and rej["name"] == "note.add" and rej["mutation_id"] == 1
    assert rej["error"]["code"] == "not_found" and rej["error"]["field"] == "interview_id"
    for user in ("u-cadre1", "u-hr", "u-officer"):
        seen, _ = pull_all(world.db, world.actor(user))
        assert not [k for k in seen if k[0] == "rejection"]


def test_validation_failure_names_the_field(world: World, dev) -> None:
    result = dev("u-cadre1").push_one(
        "interview.save", interview_args(new_id(), status="submitted", participants=[{"post": "a"}]))
    assert result.status == "rejected"
    assert result.error.code == "validation" and result.error.field == "participants"
