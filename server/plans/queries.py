"""SQL of the plans package's HTTP side (the plan rows themselves are read in ``progress``/``coverage``)."""

from __future__ import annotations

from sqlite_utils import Database


def unit_paths(db: Database) -> dict[str, str]:
    """Materialised path of every org unit, by id (to decide unit-subtree scope in Python)."""
    return dict(db.conn.execute("SELECT id, path FROM org_unit").fetchall())
