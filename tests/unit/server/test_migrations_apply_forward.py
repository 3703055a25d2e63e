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
