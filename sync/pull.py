"""Pulling: every row the caller may see that changed after their cursor, in seq order.

One page is one range query over ``sync_change``'s covering index ``sync_change_pull`` with a
per-actor visibility predicate, returning each changed row once with its stored wire JSON (``msgspec.Raw``,
no re-encoding). ``upto`` is fixed on the first page and sent back by the client on the next
pages, so a multi-page pull ends at one point of the log.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlite_utils import Database

from sync import policy, rowstore
from sync.actor import Actor
from sync.errors import CursorExpired, InvalidField
from sync.visibility import visibility_for
from sync.wire import Change, PullResponse

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000

_Raw = msgspec.Raw


def horizon(db: Database) -> int:
    """Cursors strictly between 0 and this seq are too old: tombstones they need were purged."""
    r = db.conn.execute("SELECT value FROM sync_meta WHERE key = 'horizon_seq'").fetchone()
    return int(r[0]) if r else 0


def device_last_mutation_id(db: Database, device_id: str | None, upto: int) -> int:
    """The device's highest mutation id whose effects are all at seq <= ``upto``.

    A client drops outbox entries up to this id once it has stored the pull, so it must not
    count mutations committed after ``upto`` (their effects are not in this pull).
    """
    if device_id is None:
        return 0
    r = db.conn.execute(
        "SELECT last_mutation_id, last_seq FROM sync_device WHERE device_id = ?", (device_id,)
    ).fetchone()
    if r is None:
        return 0
    if r[1] <= upto:
        return int(r[0])
    r2 = db.conn.execute(
        "SELECT mutation_id FROM sync_receipt WHERE device_id = ? AND seq <= ? ORDER BY mutation_id DESC LIMIT 1",
        (device_id, upto),
    ).fetchone()
    return int(r2[0]) if r2 else 0


OPENED_ENTITIES = ("note",)
"""Entities a device of a company-wide role (HR, leaders, supervision) that pulls with
``notes="opened"`` holds only where it reaches them without that role (``policy.reach_filter``: its
own interviews, its unit's); the others' it fetches when an interview is opened
(``interview_notes``). Notes were 40 % of HR's rows and most of its bytes — a year of the company's,
pulled by a desk that reads problems, events and reports (bench/growth.py; docs/sync-protocol.md
§3.1). Asked for by the client (the PWA does), so every other client's pull is unchanged."""

NOTES_CHOICES = ("all", "opened")
"""``notes`` of a pull: every note the caller may see, or (``opened``) those of a company-wide role's
own reach only, the rest fetched when their interview is opened."""


def held_filter(actor: Actor, notes: str = "all") -> tuple[str, dict[str, Any]]:
    """SQL predicate over ``sync_change`` of what ``actor``'s device holds of what it may pull
    (``policy.pull_filter``): everything, except with ``notes="opened"`` for a company-wide role
    ``OPENED_ENTITIES`` beyond its reach."""
    if notes not in NOTES_CHOICES:
        raise InvalidField(f"`notes` must be one of {', '.join(NOTES_CHOICES)}", field="notes")
    if notes == "all" or not actor.company_wide:
        return "1", {}
    reach, params = policy.reach_filter(actor)
    entities = ", ".join(f"'{e}'" for e in OPENED_ENTITIES)
    return f"(entity NOT IN ({entities}) OR {reach})", params


def interview_notes(db: Database, actor: Actor, interview_id: str) -> list[Change]:
    """The notes of one interview ``actor`` may pull, as a pull gives them (current rows, seq
    order): what a company-wide device fetches when it opens an interview. Refused as not found
    (404) if the interview is not one the actor may see."""
    iv = rowstore.load(db, "interview", interview_id)
    policy.can_or_reject(actor, "sync.notes.read", None if iv is None else visibility_for(db, "interview", iv),
                         field="interview")
    predicate, params = policy.pull_filter(actor)
    params["interview"] = interview_id
    rows = db.conn.execute(
        "SELECT seq, entity, row_id, CAST(data AS BLOB) FROM sync_change WHERE entity = 'note' AND deleted = 0"
        f" AND row_id IN (SELECT id FROM note WHERE interview_id = :interview) AND {predicate} ORDER BY seq",
        params,
    ).fetchall()
    return [Change(seq=seq, entity=entity, id=row_id, deleted=False, row=_Raw(data)) for seq, entity, row_id, data in rows]


def page_sql(predicate: str) -> str:
    """One page: the visible seqs are picked from the covering index ``sync_change_pull`` (migration
    m060) and only those rows are read, so other people's rows never cost a read of their JSON.
    The JSON comes out as bytes (``CAST … AS BLOB``): as text it would be decoded into a Python str
    only to be encoded back to UTF-8 when the page is written (half the query's time for 1 kB rows)."""
    return (
        "SELECT seq, entity, row_id, deleted, CAST(data AS BLOB) FROM sync_change WHERE seq IN"
        " (SELECT seq FROM sync_change INDEXED BY sync_change_pull"
        f"  WHERE seq > :cursor AND seq <= :upto AND {predicate} ORDER BY seq LIMIT :limit)"
        " ORDER BY seq"
    )


def pull(
    db: Database,
    actor: Actor,
    cursor: int,
    limit: int = DEFAULT_LIMIT,
    upto: int | None = None,
    *,
    snapshot: bool = False,
    notes: str = "all",
) -> PullResponse:
    """One page of changes after ``cursor`` (exclusive) up to ``upto`` (inclusive).

    ``snapshot=True`` (or ``cursor=0``) is a first sync: it starts from the beginning and omits
    tombstones, since the device holds nothing to delete. ``notes``: ``NOTES_CHOICES``. Raises ``CursorExpired`` (410) for a
    cursor older than the retained tombstone horizon, or ahead of the server (a restored backup).
    """
    if db.conn.in_transaction:
        return _pull(db, actor, cursor, limit, upto, snapshot, notes)
    # One read transaction: head, horizon, rows and device state come from one snapshot, and the
    # connection's page cache is revalidated once, not once per statement, while the writer commits.
    db.conn.execute("BEGIN")
    try:
        return _pull(db, actor, cursor, limit, upto, snapshot, notes)
    finally:
        if db.conn.in_transaction:  # an I/O error may already have ended it
            db.conn.execute("COMMIT")


def _pull(db: Database, actor: Actor, cursor: int, limit: int, upto: int | None, snapshot: bool,
          notes: str) -> PullResponse:
    if snapshot:
        cursor = 0
    if cursor < 0:
        raise InvalidField("`cursor` must be >= 0", field="cursor")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidField(f"`limit` must be 1..{MAX_LIMIT}", field="limit")
    head = rowstore.max_seq(db)
    if upto is None or upto > head:
        # Never let a cursor run ahead of what is committed: a later commit could land below it.
        upto = head
    if upto < 0:
        raise InvalidField("`upto` must be >= 0", field="upto")
    if cursor > head:
        raise CursorExpired(
            "本机数据比服务器新（服务器可能已恢复备份），请先上传未同步的内容，再重新下载 (the cursor is ahead of the server; was the server restored? Push your outbox, then re-snapshot)",
            field="cursor",
            details={"head": head},
        )
    if 0 < cursor < horizon(db):
        raise CursorExpired(
            "本机数据太旧，请先上传未同步的内容，再重新下载 (the cursor is older than the retained history; push your outbox, then re-snapshot)",
            field="cursor",
            details={"horizon": horizon(db)},
        )
    predicate, params = policy.pull_filter(actor)
    held, held_params = held_filter(actor, notes)
    predicate = f"{predicate} AND {held}"
    params.update(held_params)
    if cursor == 0:
        predicate += " AND deleted = 0"
    params.update(cursor=cursor, upto=upto, limit=limit + 1)
    rows = db.conn.execute(page_sql(predicate), params).fetchall()
    has_more = len(rows) > limit
    if has_more:
        rows = rows[:limit]
    changes = [
        Change(seq=seq, entity=entity, id=row_id, deleted=bool(deleted), row=None if data is None else _Raw(data))
        for seq, entity, row_id, deleted, data in rows
    ]
    next_cursor = changes[-1].seq if has_more else upto
    return PullResponse(
        changes=changes,
        cursor=next_cursor,
        upto=upto,
        has_more=has_more,
        last_mutation_id=device_last_mutation_id(db, actor.device_id, upto),
    )
