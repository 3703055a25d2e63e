from sync.pull import pull
from tests.builders import World


def test_sync_tables_exist(world: World) -> None:
    names = set(world.db.table_names())
    for table in ("sync_change", "sync_field", "sync_device", "sync_receipt", "sync_meta", "interview", "note",
                  "issue", "followup", "remark", "attachment", "conflict", "rejection"):
        assert table in names


def test_migrations_are_idempotent(world: World) -> None:
    from sync import migrations

    before = world.db.execute("SELECT max(seq) FROM sync_change").fetchone()[0]
    migrations.apply(world.db)
    assert world.db.execute("SELECT max(seq) FROM sync_change").fetchone()[0] == before


def test_reference_rows_reach_every_device(world: World) -> None:
    page = pull(world.db, world.actor("u-admin"), 0, 1000)
    entities = {c.entity for c in page.changes}
    assert {"org_unit", "user", "catalogue"} <= entities
    assert not page.has_more
