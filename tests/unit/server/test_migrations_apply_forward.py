"""Migrations: from an empty database, and from every earlier version to the current one."""

import pytest
from sqlite_utils import Database

from server.migrations import core
from server.store import connect, migrate


def _sets():
    from sync.migrations import migrations as sync_migrations

    return [core, sync_migrations]


def test_from_empty_database_every_migration_is_applied_once(tmp_path):
    db = connect(tmp_path / "a.db")
    migrate(db)
    migrate(db)  # idempotent at start-up
    for migration_set in _sets():
        assert migration_set.pending(db) == []
        names = [m.name for m in migration_set.applied(db)]
        assert len(names) == len(set(names))
    assert {"org_unit", "user", "device", "refresh_token"} <= set(db.table_names())


def _all_steps():
    steps = []
    for set_index, migration_set in enumerate(_sets()):
        for migration in migration_set._migrations:
            steps.append((set_index, migration.name))
    return steps


@pytest.mark.parametrize("stop", range(len(_all_steps()) + 1))
def test_from_each_previous_version_to_current(tmp_path, stop):
    """Stop after ``stop`` migrations (a database left by an older release), then start the new one."""
    db = connect(tmp_path / "old.db")
    steps = _all_steps()
    for set_index, migration_set in enumerate(_sets()):
        names_in_set = [name for i, name in steps[:stop] if i == set_index]
        remaining = [m.name for m in migration_set._migrations if m.name not in names_in_set]
        migration_set.apply(db, stop_before=remaining[0] if remaining else None)
    reference = connect(tmp_path / "new.db")
    migrate(reference)
    migrate(db)
    assert _schema(db) == _schema(reference)


def _schema(db: Database) -> dict[str, str]:
    return {
        row[0]: row[1]
        for row in db.execute("select name, sql from sqlite_master where name not like 'sqlite_%' order by name")
    }


def test_a_database_whose_engine_set_created_the_server_tables_keeps_them_and_their_rows(tmp_path):
    """Releases before ``m006_server_tables_from_sync`` created the reminder, push and supervision
    tables in the engine's set (sync m010/m040). Such a database ends with the schema of a new one,
    its rows intact, and the server's migration recorded as applied."""
    from server.migrations import _SERVER_TABLES_FROM_SYNC
    from sync.migrations import migrations as sync_migrations

    old = connect(tmp_path / "old.db")
    core.apply(old, stop_before="m006_server_tables_from_sync")
    sync_migrations.apply(old)
    for _name, sql in _SERVER_TABLES_FROM_SYNC:  # what the engine's m010/m040 created as shipped
        old.execute(sql)
    old.execute("INSERT INTO reminder (key, kind, sent_at, recipients) VALUES ('digest:hr:2026-W49', 'digest', 't', 2)")
    old.execute("INSERT INTO supervision_sample (draw_id, entity, item_id, stratum, rank) VALUES ('d', 'issue', 'i', 's', 1)")

    migrate(old)
    reference = connect(tmp_path / "new.db")
    migrate(reference)

    assert _schema(old) == _schema(reference)
    assert core.pending(old) == []
    assert old.execute("SELECT key, recipients FROM reminder").fetchall() == [("digest:hr:2026-W49", 2)]
    assert old.execute("SELECT draw_id, item_id FROM supervision_sample").fetchall() == [("d", "i")]


def test_the_engine_set_alone_creates_no_server_table(tmp_path):
    """The engine's migrations create only what the engine reads or writes."""
    from server.migrations import _SERVER_TABLES_FROM_SYNC
    from sync.migrations import migrations as sync_migrations

    db = connect(tmp_path / "a.db")
    core.apply(db, stop_before="m006_server_tables_from_sync")
    sync_migrations.apply(db)
    names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert names.isdisjoint(name for name, _sql in _SERVER_TABLES_FROM_SYNC)
