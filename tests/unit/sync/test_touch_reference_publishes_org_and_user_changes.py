import msgspec

from sync.pull import pull
from sync.reference import touch_reference
from tests.builders import World


def test_renamed_unit_and_user_reach_devices(world: World) -> None:
    actor = world.actor("u-cadre1")
    cursor = pull(world.db, actor, 0, 1000).cursor
    with world.db.atomic():
        world.db.execute("UPDATE org_unit SET name = '一车间（新）' WHERE id = 'ws1'")
        touch_reference(world.db, "org_unit", "ws1")
        world.db.execute("UPDATE user SET post = '部长', password_hash = 'new-secret' WHERE id = 'u-cadre1'")
        touch_reference(world.db, "user", "u-cadre1")
    page = pull(world.db, actor, cursor, 100)
    rows = {(c.entity, c.id): msgspec.json.decode(c.row) for c in page.changes}
    assert rows[("org_unit", "ws1")]["name"] == "一车间（新）"
    assert rows[("user", "u-cadre1")]["post"] == "部长"
    assert "new-secret" not in str(rows) and "username" not in rows[("user", "u-cadre1")]


def test_deleted_reference_row_becomes_a_tombstone(world: World) -> None:
    actor = world.actor("u-hr")
    cursor = pull(world.db, actor, 0, 1000).cursor
    with world.db.atomic():
        world.db.execute("DELETE FROM device WHERE user_id = 'u-admin'")
        world.db.execute("DELETE FROM user WHERE id = 'u-admin'")
        touch_reference(world.db, "user", "u-admin")
    [c] = pull(world.db, actor, cursor, 100).changes
    assert (c.entity, c.id, c.deleted) == ("user", "u-admin", True)
