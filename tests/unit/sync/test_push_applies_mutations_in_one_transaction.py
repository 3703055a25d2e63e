from sync.ids import new_id
from tests.builders import World, interview_args


def test_applied_mutations_get_seqs_and_advance_last_id(world: World, dev) -> None:
    iid, nid = new_id(), new_id()
    resp = dev("u-cadre1").push(
        ("interview.save", interview_args(iid)),
        ("note.add", {"id": nid, "interview_id": iid, "prompt_id": "business.2", "text": "泵频繁故障"}),
    )
    assert [r.status for r in resp.results] == ["applied", "applied"]
    assert resp.results[0].seq < resp.results[1].seq
    assert resp.last_mutation_id == 2
    assert world.db["interview"].get(iid)["status"] == "draft"
    assert world.db["note"].get(nid)["text"] == "泵频繁故障"
    assert not world.db.conn.in_transaction


def test_an_exception_inside_a_mutation_rolls_back_the_whole_push(world: World, dev, monkeypatch) -> None:
    from sync.mutations import REGISTRY

    d = dev("u-cadre1")
    iid = new_id()

    def boom(*a, **k):
        raise RuntimeError("bug")

    monkeypatch.setattr(REGISTRY["note.add"], "apply", boom)
    try:
        d.push(("interview.save", interview_args(iid)),
               ("note.add", {"id": new_id(), "interview_id": iid, "text": "x"}))
    except RuntimeError:
        pass
    assert world.db["interview"].count == 0
    assert world.db.execute("SELECT count(*) FROM sync_device WHERE device_id = ?", [d.device_id]).fetchone()[0] == 0
    assert not world.db.conn.in_transaction
