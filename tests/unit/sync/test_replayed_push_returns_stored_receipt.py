import msgspec

from sync.engine import apply_push
from sync.ids import new_id
from tests.builders import T0, World, interview_args


def test_replay_returns_the_first_result_as_duplicate(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    req = d.request(("interview.save", interview_args(iid)),
                    ("note.add", {"id": new_id(), "interview_id": "missing", "text": "x"}))
    first = apply_push(world.db, d.actor, req, T0)
    again = apply_push(world.db, d.actor, req, T0)
    assert [r.status for r in first.results] == ["applied", "rejected"]
    assert [r.status for r in again.results] == ["duplicate", "duplicate"]
    for a, b in zip(first.results, again.results, strict=True):
        assert msgspec.structs.replace(a, status="duplicate") == b
    assert again.last_mutation_id == 2
    assert world.db["interview"].count == 1
    assert world.db["rejection"].count == 1


def test_replay_followed_by_new_mutations(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    first = d.request(("interview.save", interview_args(iid)))
    apply_push(world.db, d.actor, first, T0)
    second = d.request(("note.add", {"id": new_id(), "interview_id": iid, "text": "补充"}))
    both = msgspec.structs.replace(second, mutations=first.mutations + second.mutations)
    resp = apply_push(world.db, d.actor, both, T0)
    assert [r.status for r in resp.results] == ["duplicate", "applied"]
    assert resp.last_mutation_id == 2
