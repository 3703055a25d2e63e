"""Read-only reference data every device pulls: org units, users' public info, the catalogue.

The server owns these tables (``server.migrations``); whenever it writes an ``org_unit`` or
``user`` row it must call :func:`touch_reference` **in the same transaction**, so the row gets a
new seq and reaches devices. Only public user fields are published: never ``password_hash``,
``username`` or ``disabled``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

import msgspec
from sqlite_utils import Database

from sync import rowstore
from sync.catalogue import checklist
from sync.entities import OrgUnitRow, UserRow
from sync.rowstore import REF

ReferenceEntity = Literal["org_unit", "user"]

_ORG_COLS = "id, parent_id, name, kind, path, is_handler_dept, sort, disabled"
_USER_COLS = "id, name, unit_id, roles, post"


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _org_row(rec: tuple) -> OrgUnitRow:
    id_, parent_id, name, kind, path, is_handler, sort, disabled = rec
    return OrgUnitRow(id=id_, parent_id=parent_id, name=name, kind=kind, path=path,
                      is_handler_dept=bool(is_handler), sort=sort or 0, disabled=bool(disabled))


def _user_row(rec: tuple) -> UserRow:
    id_, name, unit_id, roles, post = rec
    return UserRow(id=id_, name=name, unit_id=unit_id, roles=json.loads(roles or "[]"), post=post)


def touch_reference(db: Database, entity: ReferenceEntity, row_id: str, *, now: dt.datetime | None = None) -> int:
    """Publish the current state of one org_unit/user row (or its deletion) to devices.

    Call it inside the transaction that wrote the row. Returns the new seq. A row that no longer
    exists is published as a tombstone.
    """
    now_iso = (now or dt.datetime.now(dt.UTC)).isoformat()
    if entity == "org_unit":
        rec = db.conn.execute(f"SELECT {_ORG_COLS} FROM org_unit WHERE id = ?", (row_id,)).fetchone()
        row: msgspec.Struct | None = _org_row(rec) if rec else None
    elif entity == "user":
        rec = db.conn.execute(f'SELECT {_USER_COLS} FROM "user" WHERE id = ?', (row_id,)).fetchone()
        row = _user_row(rec) if rec else None
    else:
        raise ValueError(f"not a reference entity: {entity!r}")
    if row is None:
        return rowstore.log_change(db, entity, row_id, None, REF, now_iso, deleted=True)
    return rowstore.log_change(db, entity, row_id, msgspec.json.encode(row), REF, now_iso)


def ensure_catalogue(db: Database) -> int | None:
    """Publish the shipped checklist if the stored copy differs (new version). Idempotent."""
    data = msgspec.json.encode(checklist())
    prev = db.conn.execute(
        "SELECT data FROM sync_change WHERE entity = 'catalogue' AND row_id = 'checklist'"
    ).fetchone()
    if prev is not None and prev[0] is not None and json.loads(prev[0]) == checklist():
        return None
    return rowstore.log_change(db, "catalogue", "checklist", data, REF, _now_iso())


def backfill_reference(db: Database) -> None:
    """Publish every existing org unit and user, and the catalogue (used by the migration)."""
    now_iso = _now_iso()
    # The engine's migrations may run on a database whose core set stops before ``m012_unit_disabled``.
    cols = _ORG_COLS if "disabled" in db["org_unit"].columns_dict else _ORG_COLS.replace("disabled", "0")
    for rec in db.conn.execute(f"SELECT {cols} FROM org_unit ORDER BY path").fetchall():
        row = _org_row(rec)
        rowstore.log_change(db, "org_unit", row.id, msgspec.json.encode(row), REF, now_iso)
    for rec in db.conn.execute(f'SELECT {_USER_COLS} FROM "user" ORDER BY id').fetchall():
        row2 = _user_row(rec)
        rowstore.log_change(db, "user", row2.id, msgspec.json.encode(row2), REF, now_iso)
    ensure_catalogue(db)
