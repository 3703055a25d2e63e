"""Generic storage of entity rows plus the sync change log.

Every write of a synced row goes through ``save``/``delete``/``relog`` so that it (1) updates the
entity table and (2) gives the row a new global ``seq`` in ``sync_change`` with its wire JSON and
its visibility. Nothing here begins or commits: callers own the transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlite_utils import Database

from sync import memo
from sync.entities import ROW_TYPES

_json_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True)
class Visibility:
    """Who may pull a row (see ``sync.visibility`` for the rules that compute it).

    ``kind``: ``ref`` everyone · ``work`` unit/role scoped · ``remark`` author + officers ·
    ``personal`` only ``users``. ``users`` are always allowed to see the row.
    """

    kind: str
    unit_path: str | None = None
    handler_path: str | None = None
    users: tuple[str, ...] = ()

    def users_token(self) -> str:
        """``|u1|u2|`` so SQL can test membership with ``instr(users, '|' || :me || '|')``."""
        return self._users_token

    @functools.cached_property
    def _users_token(self) -> str:
        # Cached: one interview's audience is shared by every note of a push (sync.visibility).
        ids = sorted({u for u in self.users if u})
        return "|" + "|".join(ids) + "|" if ids else ""


REF = Visibility("ref")


@functools.cache
def _column_kinds(entity: str) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """(columns in order, JSON-stored columns, boolean columns) derived from the row Struct."""
    info = msgspec.inspect.type_info(ROW_TYPES[entity])
    assert isinstance(info, msgspec.inspect.StructType)
    json_cols: set[str] = set()
    bool_cols: set[str] = set()
    for f in info.fields:
        types = f.type.types if isinstance(f.type, msgspec.inspect.UnionType) else (f.type,)
        if any(
            isinstance(
                t,
                (
                    msgspec.inspect.ListType,
                    msgspec.inspect.StructType,
                    msgspec.inspect.DictType,
                    msgspec.inspect.AnyType,
                ),
            )
            for t in types
        ):
            json_cols.add(f.name)
        elif any(isinstance(t, msgspec.inspect.BoolType) for t in types):
            bool_cols.add(f.name)
    return tuple(f.name for f in info.fields), frozenset(json_cols), frozenset(bool_cols)


@functools.cache
def _upsert_sql(entity: str) -> str:
    cols, _, _ = _column_kinds(entity)
    names = ", ".join(f'"{c}"' for c in cols)
    params = ", ".join(f":{c}" for c in cols)
    return f'INSERT OR REPLACE INTO "{entity}" ({names}) VALUES ({params})'


def to_columns(entity: str, row: msgspec.Struct) -> dict[str, Any]:
    _, json_cols, bool_cols = _column_kinds(entity)
    out = msgspec.to_builtins(row)
    for c in json_cols:
        v = out.get(c)
        out[c] = None if v is None else _json_encode(v).decode()
    for c in bool_cols:
        out[c] = int(bool(out[c]))
    return out


def from_columns(entity: str, record: dict[str, Any]) -> Any:
    _, json_cols, bool_cols = _column_kinds(entity)
    data = dict(record)
    for c in json_cols:
        if data.get(c) is not None:
            data[c] = msgspec.json.decode(data[c])
    for c in bool_cols:
        if data.get(c) is not None:
            data[c] = bool(data[c])
    return msgspec.convert(data, ROW_TYPES[entity])


def load(db: Database, entity: str, row_id: str) -> Any | None:
    """The row, or ``None``. Parent rows are memoised while a push is applied (``sync.memo``); rows
    are never modified in place (writes build a new Struct), so sharing one is safe."""
    if entity in memo.MEMO_ENTITIES:
        return memo.cached(db, entity, row_id, lambda: _load(db, entity, row_id))
    return _load(db, entity, row_id)


def _load(db: Database, entity: str, row_id: str) -> Any | None:
    cur = db.conn.execute(f'SELECT * FROM "{entity}" WHERE id = ?', (row_id,))
    rec = cur.fetchone()
    if rec is None:
        return None
    names = [d[0] for d in cur.description]
    return from_columns(entity, dict(zip(names, rec, strict=True)))


def load_where(db: Database, entity: str, where: str, params: Iterable[Any]) -> list[Any]:
    cur = db.conn.execute(f'SELECT * FROM "{entity}" WHERE {where} ORDER BY rowid', tuple(params))
    names = [d[0] for d in cur.description]
    return [from_columns(entity, dict(zip(names, rec, strict=True))) for rec in cur.fetchall()]


def log_change(
    db: Database,
    entity: str,
    row_id: str,
    data: bytes | str | None,
    vis: Visibility,
    now_iso: str,
    *,
    deleted: bool = False,
) -> int:
    """Give (entity, row_id) a new seq; returns it. Replaces the row's previous log entry."""
    memo.forget(db, entity)  # every write of a synced row passes here or through ``delete``
    if isinstance(data, bytes):
        data = data.decode()
    cur = db.conn.execute(
        "INSERT OR REPLACE INTO sync_change"
        " (entity, row_id, deleted, data, kind, unit_path, handler_path, users, changed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entity, row_id, int(deleted), data, vis.kind, vis.unit_path, vis.handler_path, vis.users_token(), now_iso),
    )
    return int(cur.lastrowid)  # type: ignore[arg-type]


def save(db: Database, entity: str, row: msgspec.Struct, vis: Visibility, now_iso: str) -> int:
    """Upsert the entity row and log it; returns the row's new seq."""
    db.conn.execute(_upsert_sql(entity), to_columns(entity, row))
    return log_change(db, entity, row.id, _json_encode(row), vis, now_iso)  # type: ignore[attr-defined]


class Appends:
    """New rows of append-only mutations (``MutationSpec.appends_only``: ``note.add``), held while a
    run of them is applied and written with one ``executemany`` per table instead of two INSERTs
    each (issue 18.4: the statements were a third of a note's push cost). Seqs are handed out
    here, in mutation order, from the log's highest seq: the engine has the only writer and flushes
    before anything else writes or reads the log (another mutation, a refusal's rejection row, the
    receipts), so the rows, the log and the seqs end exactly as one ``save`` each would leave them.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._rows: dict[str, list[dict[str, Any]]] = {}
        self._log: list[tuple[Any, ...]] = []
        self._ids: set[tuple[str, str]] = set()
        self._next = 0

    def holds(self, entity: str, row_id: str) -> bool:
        """Whether a row with this id waits here (a second create of it in the same run is refused)."""
        return (entity, row_id) in self._ids

    def save(self, entity: str, row: msgspec.Struct, vis: Visibility, now_iso: str) -> int:
        if not self._log:
            self._next = max_seq(self.db) + 1
        seq, self._next = self._next, self._next + 1
        row_id = row.id  # type: ignore[attr-defined]
        self._rows.setdefault(entity, []).append(to_columns(entity, row))
        self._log.append((seq, entity, row_id, _json_encode(row).decode(), vis.kind, vis.unit_path,
                          vis.handler_path, vis.users_token(), now_iso))
        self._ids.add((entity, row_id))
        return seq

    def flush(self) -> None:
        if not self._log:
            return
        for entity, rows in self._rows.items():
            memo.forget(self.db, entity)
            self.db.conn.executemany(_upsert_sql(entity), rows)
        # Plain INSERT: a created row has no earlier log entry (refuse_existing), and if it had,
        # the push must fail rather than replace it.
        self.db.conn.executemany(
            "INSERT INTO sync_change"
            " (seq, entity, row_id, deleted, data, kind, unit_path, handler_path, users, changed_at)"
            " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
            self._log,
        )
        self._rows, self._log, self._ids = {}, [], set()


def delete(db: Database, entity: str, row_id: str, now_iso: str) -> int:
    """Remove the row and leave a tombstone that keeps the row's last visibility."""
    memo.forget(db, entity)
    db.conn.execute(f'DELETE FROM "{entity}" WHERE id = ?', (row_id,))
    db.conn.execute("DELETE FROM sync_field WHERE entity = ? AND row_id = ?", (entity, row_id))
    prev = db.conn.execute(
        "SELECT kind, unit_path, handler_path, users FROM sync_change WHERE entity = ? AND row_id = ?",
        (entity, row_id),
    ).fetchone()
    kind, unit_path, handler_path, users = prev if prev else ("personal", None, None, "")
    cur = db.conn.execute(
        "INSERT OR REPLACE INTO sync_change"
        " (entity, row_id, deleted, data, kind, unit_path, handler_path, users, changed_at)"
        " VALUES (?, ?, 1, NULL, ?, ?, ?, ?, ?)",
        (entity, row_id, kind, unit_path, handler_path, users, now_iso),
    )
    return int(cur.lastrowid)  # type: ignore[arg-type]


def relog(db: Database, entity: str, row_id: str, vis: Visibility, now_iso: str) -> int | None:
    """Re-announce an unchanged row under a new visibility (new seq), e.g. after reassignment.

    Users who just gained sight of it receive it on their next pull.
    """
    prev = db.conn.execute(
        "SELECT data, deleted FROM sync_change WHERE entity = ? AND row_id = ?", (entity, row_id)
    ).fetchone()
    if prev is None or prev[1]:
        return None
    return log_change(db, entity, row_id, prev[0], vis, now_iso)


def exists(db: Database, entity: str, row_id: str) -> bool:
    """Whether (entity, row_id) was ever logged, i.e. a create of that id is refused. Through the
    push's memo, which ``prefetch_exists`` fills for the push's new ids with one query."""
    return memo.cached(db, memo.exists_bucket(entity), row_id, lambda: row_seq(db, entity, row_id) is not None)


def prefetch_exists(db: Database, entity: str, ids: list[str]) -> None:
    """Answer ``exists`` for ``ids`` with one query per 500 instead of one each (a push of 500 notes
    asked 500 times: issue 18.4). Only while a memo is active; dropped when ``entity`` is written."""
    if memo.active(db) is None or not ids:
        return
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(r[0] for r in db.conn.execute(
            f"SELECT row_id FROM sync_change WHERE entity = ? AND row_id IN ({','.join('?' * len(chunk))})",
            (entity, *chunk),
        ))
    memo.fill(db, memo.exists_bucket(entity), {i: i in found for i in ids})


def row_seq(db: Database, entity: str, row_id: str) -> int | None:
    r = db.conn.execute("SELECT seq FROM sync_change WHERE entity = ? AND row_id = ?", (entity, row_id)).fetchone()
    return None if r is None else int(r[0])


def max_seq(db: Database) -> int:
    """The highest seq ever handed out (0 for an empty log)."""
    r = db.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'sync_change'").fetchone()
    return int(r[0]) if r else 0


def json_encode(value: Any) -> str:
    return _json_encode(value).decode()
