from sync.ids import new_id
from sync.pull import pull
from tests.builders import World, interview_args


def test_last_mutation_id_counts_only_effects_within_upto(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    actor = d.actor
    first = pull(world.db, actor, 0, 5)
    assert first.last_mutation_id == 1
    d.push_one("note.add", {"id": new_id(), "interview_id": iid, "text": "later"})
    again = pull(world.db, actor, first.cursor, 5, first.upto)
    assert again.last_mutation_id == 1          # mutation 2 is beyond this pull's upto
    fresh = pull(world.db, actor, 0, 1000)
    assert fresh.last_mutation_id == 2


def test_actor_without_device_gets_zero(world: World, dev) -> None:
    dev("u-cadre1").push_one("interview.save", interview_args(new_id()))
    assert pull(world.db, world.actor("u-cadre1", None), 0, 10).last_mutation_id == 0
