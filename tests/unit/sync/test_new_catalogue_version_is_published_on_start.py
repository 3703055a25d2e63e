import msgspec

from sync import catalogue, migrations
from sync.pull import pull
from tests.builders import World


def test_changed_checklist_gets_a_new_seq(world: World, monkeypatch) -> None:
    actor = world.actor("u-cadre1")
    cursor = pull(world.db, actor, 0, 1000).cursor
    migrations.migrations.apply(world.db)
    assert pull(world.db, actor, cursor, 10).changes == []  # unchanged: nothing new
    v2 = {**catalogue.checklist(), "version": 2}
    monkeypatch.setattr(catalogue, "checklist", lambda: v2)
    monkeypatch.setattr("sync.reference.checklist", lambda: v2)
    migrations.migrations.apply(world.db)
    [c] = pull(world.db, actor, cursor, 10).changes
    assert c.entity == "catalogue" and msgspec.json.decode(c.row)["version"] == 2
