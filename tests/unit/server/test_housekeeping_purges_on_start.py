from server.housekeeping import run_once
from server.store import Store


async def test_housekeeping_moves_the_horizon_past_old_tombstones(tmp_path):
    store = Store(tmp_path / "h.db")
    try:
        old = "2020-01-01T00:00:00+00:00"

        def tombstone(db):
            db.execute(
                "insert into sync_change (entity, row_id, deleted, data, kind, changed_at) "
                "values ('attachment', 'a1', 1, null, 'work', ?)", [old]
            )

        await store.write_tx(tombstone)
        await run_once(store)
        left = await store.read(lambda db: db.execute("select count(*) from sync_change where deleted = 1").fetchone()[0])
        horizon = await store.read(lambda db: db.execute("select value from sync_meta where key='horizon_seq'").fetchone()[0])
        assert left == 0 and int(horizon) >= 1
    finally:
        store.close()
