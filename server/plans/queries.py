"""SQL of the plans package's HTTP side (the plan rows themselves are read in ``progress``/``coverage``)."""

from __future__ import annotations

import json

from sqlite_utils import Database

from sync import rowstore
from sync.entities import PlanItemRow


def unit_paths(db: Database) -> dict[str, str]:
    """Materialised path of every org unit, by id (to decide unit-subtree scope in Python)."""
    return dict(db.conn.execute("SELECT id, path FROM org_unit").fetchall())


def plan_items(db: Database, *, year: int, scope: str | None) -> list[PlanItemRow]:
    """The active plan items of ``year`` (of one scope when given), in the order a plan is read:
    scope, window end, unit, cadre."""
    where, params = ["year = ?", "status = 'active'"], [year]
    if scope is not None:
        where.append("scope = ?")
        params.append(scope)
    items: list[PlanItemRow] = rowstore.load_where(db, "plan_item", " AND ".join(where), params)
    return sorted(items, key=lambda i: (i.scope, i.window_end, i.window_start, i.unit_id, i.cadre_id, i.id))


def unit_names(db: Database) -> dict[str, str]:
    return dict(db.conn.execute("SELECT id, name FROM org_unit").fetchall())


def user_names(db: Database) -> dict[str, str]:
    return dict(db.conn.execute('SELECT id, name FROM "user"').fetchall())


def usernames(db: Database) -> dict[str, str]:
    """User id → 工号 (the sign-in name)."""
    return dict(db.conn.execute('SELECT id, username FROM "user"').fetchall())


def cadres(db: Database) -> list[tuple[str, str, str, bool]]:
    """(id, 工号, name, disabled) of every user with the 干部 role (plan import resolves names against them)."""
    rows = db.conn.execute('SELECT id, username, name, roles, disabled FROM "user"').fetchall()
    return [(r[0], r[1], r[2], bool(r[4])) for r in rows if "cadre" in json.loads(r[3] or "[]")]


def server_device(db: Database, user_id: str, name: str) -> str | None:
    """The user's live server-side device called ``name`` (plan copies are pushed from it)."""
    row = db.conn.execute("SELECT id FROM device WHERE user_id = ? AND name = ? AND revoked_at IS NULL"
                          " ORDER BY created_at LIMIT 1", [user_id, name]).fetchone()
    return row[0] if row else None
