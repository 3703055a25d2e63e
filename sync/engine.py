"""Applying a push: exactly-once, all-or-nothing per request, per-mutation savepoints.

One push is one ``BEGIN IMMEDIATE`` transaction. Inside it each new mutation runs in its own
savepoint: a mutation that fails permanently (validation, permission) is rolled back to its
savepoint, recorded as a rejection (which syncs back to its author) and the rest continue.
Mutations marked ``writes_only_in_last_step`` (``note.add``) skip the savepoint: they can only be
refused before their first write, so there is nothing to roll back — and inside a savepoint SQLite
copies every page it first touches to a sub-journal, which doubled the cost of a note's two INSERTs.
Those also marked ``appends_only`` (``note.add``) hand their new rows to ``rowstore.Appends``, which
writes a run of them with one ``executemany`` per table before anything else runs. The
device's ``last_mutation_id`` and every mutation's receipt are written in the same transaction as
the effects, so a crash before COMMIT leaves nothing and a crash after it is answered from the
receipts when the client retries.

Everything that makes the whole request invalid (versions, batch size, device, malformed or
unknown mutations, id gaps) is checked before any effect, and raises a ``FangtanError``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlite_utils import Database

from sync import memo, rowstore, visibility, wire
from sync.actor import Actor
from sync.entities import RejectionError, RejectionRow
from sync.errors import (
    DEFAULT_LOCALE,
    LOCALE,
    BaseUnknown,
    BatchTooLarge,
    Busy,
    ClientTooOld,
    DeviceRevoked,
    FangtanError,
    Forbidden,
    InvalidField,
    MutationGap,
    UnknownMutation,
    VersionUnsupported,
    is_transient_sqlite_error,
    localized,
)
from sync.ids import new_id
from sync.mutations import REGISTRY, Context
from sync.wire import ErrorInfo, MutationResult, PushRequest, PushResponse

MAX_BATCH = 500
"""Most mutations accepted in one push; the client splits its outbox into batches this size."""

_result_json = msgspec.json.Encoder().encode
_result_decoder = msgspec.json.Decoder(MutationResult)


@dataclass(frozen=True)
class Prepared:
    """A mutation whose name and args have been checked against the registry."""

    index: int
    wire: wire.Mutation
    args: Any


# --- request-level checks ----------------------------------------------------------------------


def check_versions(req: PushRequest) -> None:
    if req.protocol < wire.MIN_PROTOCOL or req.schema_version < wire.MIN_SCHEMA_VERSION:
        raise ClientTooOld(
            f"protocol {req.protocol}/schema {req.schema_version} is below the accepted window "
            f"(protocol >= {wire.MIN_PROTOCOL}, schema >= {wire.MIN_SCHEMA_VERSION}); update the app — "
            "your unsent changes are kept on the device",
            details={"min_protocol": wire.MIN_PROTOCOL, "min_schema_version": wire.MIN_SCHEMA_VERSION},
        )
    if req.protocol > wire.PROTOCOL or req.schema_version > wire.SCHEMA_VERSION:
        raise VersionUnsupported(
            f"this server speaks protocol {wire.PROTOCOL}, schema {wire.SCHEMA_VERSION}",
            field="protocol" if req.protocol > wire.PROTOCOL else "schema_version",
            details={"protocol": wire.PROTOCOL, "schema_version": wire.SCHEMA_VERSION},
        )


def check_device(db: Database, actor: Actor, device_id: str) -> None:
    """The push must come from the caller's own, enrolled, unrevoked device."""
    if actor.device_id is not None and actor.device_id != device_id:
        raise Forbidden("这不是您登录所用的设备 (`device_id` is not the device you are signed in on)", field="device_id")
    row = db.conn.execute("SELECT user_id, revoked_at FROM device WHERE id = ?", (device_id,)).fetchone()
    if row is None or row[0] != actor.user_id:
        raise Forbidden("这台设备不是您登记的设备 (`device_id` is not one of your enrolled devices)", field="device_id")
    if row[1] is not None:
        raise DeviceRevoked("此设备已被停用 (this device was revoked)", field="device_id")


def prepare(req: PushRequest, max_batch: int = MAX_BATCH) -> list[Prepared]:
    """Check batch size, id continuity inside the batch, names and args — before touching data."""
    if len(req.mutations) > max_batch:
        raise BatchTooLarge(
            f"{len(req.mutations)} mutations in one push; the limit is {max_batch}",
            field="mutations",
            details={"max_batch": max_batch},
        )
    out: list[Prepared] = []
    for i, m in enumerate(req.mutations):
        if i and m.id != req.mutations[i - 1].id + 1:
            raise InvalidField(
                f"mutation ids in a push must increase by 1: expected {req.mutations[i - 1].id + 1}, got {m.id}",
                field=f"mutations[{i}].id",
            )
        if m.base_mutation is not None and m.base is not None:
            raise InvalidField("a mutation carries `base` or `base_mutation`, not both", field=f"mutations[{i}].base_mutation")
        if m.base_mutation is not None and m.base_mutation >= m.id:
            raise InvalidField(
                f"`base_mutation` must name an earlier mutation of this device (below {m.id}), got {m.base_mutation}",
                field=f"mutations[{i}].base_mutation",
            )
        spec = REGISTRY.get(m.name)
        if spec is None:
            raise UnknownMutation(
                f"unknown mutation {m.name!r}", field=f"mutations[{i}].name", details={"known": sorted(REGISTRY)}
            )
        out.append(Prepared(i, m, wire.convert(m.args, spec.Args, f"mutations[{i}].args")))
    return out


# --- device state ----------------------------------------------------------------------------


def last_mutation_id(db: Database, device_id: str) -> int:
    r = db.conn.execute("SELECT last_mutation_id FROM sync_device WHERE device_id = ?", (device_id,)).fetchone()
    return int(r[0]) if r else 0


def _save_device(db: Database, actor: Actor, req: PushRequest, last: int, now: dt.datetime) -> None:
    offset_ms = round((now - req.client_time).total_seconds() * 1000)
    db.conn.execute(
        "INSERT INTO sync_device (device_id, user_id, last_mutation_id, last_seq, clock_offset_ms,"
        " last_client_time, last_push_at, pushes) VALUES (?, ?, ?, ?, ?, ?, ?, 1)"
        " ON CONFLICT (device_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id,"
        " last_seq = excluded.last_seq, clock_offset_ms = excluded.clock_offset_ms,"
        " last_client_time = excluded.last_client_time, last_push_at = excluded.last_push_at,"
        " pushes = pushes + 1",
        (
            req.device_id,
            actor.user_id,
            last,
            rowstore.max_seq(db),
            offset_ms,
            req.client_time.isoformat(),
            now.isoformat(),
        ),
    )


# --- one mutation ----------------------------------------------------------------------------


def _replay(db: Database, device_id: str, mutation_id: int) -> MutationResult:
    r = db.conn.execute(
        "SELECT result FROM sync_receipt WHERE device_id = ? AND mutation_id = ?", (device_id, mutation_id)
    ).fetchone()
    if r is None:  # receipt purged after the retention period: all we can say is "done before"
        return MutationResult(id=mutation_id, status="duplicate")
    return msgspec.structs.replace(_result_decoder.decode(r[0]), status="duplicate")


Receipt = tuple[str, int, str, int, str, str]


def _receipt(device_id: str, result: MutationResult, seq: int, now_iso: str) -> Receipt:
    return (device_id, result.id, result.status, seq, _result_json(result).decode(), now_iso)


def _store_receipts(db: Database, receipts: list[Receipt]) -> None:
    # One executemany per push instead of one statement per mutation (bench/results.md: per-row
    # overhead). Nothing in the push reads its own receipts, and they commit with the effects.
    db.conn.executemany(
        "INSERT INTO sync_receipt (device_id, mutation_id, status, seq, result, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        receipts,
    )


def _reject(
    db: Database, actor: Actor, req: PushRequest, p: Prepared, exc: FangtanError, now_iso: str, base: int | None
) -> int:
    """Keep the whole refused mutation in a rejection row that syncs back to its author."""
    m = p.wire
    name, args = m.name, m.args
    if name == "mutation.void":  # show the user what they originally typed, not the wrapper
        name = str(p.args.original_name)
        args = p.args.original_args
    row = RejectionRow(
        id=new_id(),
        device_id=req.device_id,
        mutation_id=m.id,
        name=name,
        args=args,
        base=base,
        client_time=m.client_time.isoformat() if m.client_time else None,
        error=RejectionError(code=exc.code, message=localized(exc), field=exc.field),
        author_id=actor.user_id,
        created_at=now_iso,
    )
    return rowstore.save(db, "rejection", row, visibility.visibility_for(db, "rejection", row), now_iso)


def _undo_savepoint(db: Database) -> None:
    # An I/O error can already have destroyed the transaction (and the savepoint with it).
    memo.clear(db)  # rows read inside the savepoint may have been its own, now undone, writes
    if db.conn.in_transaction:
        db.conn.execute("ROLLBACK TO mutation")
        db.conn.execute("RELEASE mutation")


def _base_of(db: Database, device_id: str, mutation_id: int, produced: dict[int, int]) -> int:
    """The seq this device's mutation ``mutation_id`` ended at: the ``base`` a later mutation of the
    same row means by ``base_mutation`` (what the device saw is that row as its mutation left it).

    Every mutation's receipt holds that seq (its highest write, or the log's end when it wrote
    nothing; a refused mutation's rejection row): ``produced`` has this push's, the receipts table
    earlier pushes'. Changes by the same device never conflict, so any of its own writes between the
    row's write and that seq cannot either.
    """
    if mutation_id in produced:
        return produced[mutation_id]
    r = db.conn.execute(
        "SELECT seq FROM sync_receipt WHERE device_id = ? AND mutation_id = ?", (device_id, mutation_id)
    ).fetchone()
    if r is None:
        raise BaseUnknown(
            f"mutation {mutation_id} of this device is not known here (never received, or its receipt has "
            "expired): send `base`, the row's seq as last pulled",
            field="base_mutation",
        )
    return int(r[0])


def _apply_one(
    db: Database,
    actor: Actor,
    req: PushRequest,
    p: Prepared,
    now: dt.datetime,
    now_iso: str,
    receipts: list[Receipt],
    produced: dict[int, int],
    appends: rowstore.Appends,
) -> MutationResult:
    m = p.wire
    spec = REGISTRY[m.name]
    bulk = spec.appends_only
    if not bulk:
        appends.flush()  # what the run of appends holds is written before anything else runs
    ctx = Context(
        db=db,
        actor=actor,
        device_id=req.device_id,
        mutation_id=m.id,
        base=m.base,
        client_time=m.client_time.isoformat() if m.client_time else None,
        now=now,
        now_iso=now_iso,
        device_clock_offset=now - req.client_time,
        appends=appends if bulk else None,
    )
    # A mutation that writes only in its last step has nothing to undo when it is refused, and any
    # other error aborts the whole push: it skips the savepoint's two statements.
    savepoint = not spec.writes_only_in_last_step
    if savepoint:
        db.conn.execute("SAVEPOINT mutation")
    base = m.base  # as sent or resolved; kept with a refusal (a mutation may change ctx.base)
    try:
        if m.base_mutation is not None:
            base = ctx.base = _base_of(db, req.device_id, m.base_mutation, produced)
        spec.run(ctx, p.args)
    except FangtanError as exc:
        if savepoint:
            _undo_savepoint(db)
        if isinstance(exc, Busy):
            raise  # transient: fail the whole push, the client retries it unchanged
        appends.flush()  # the rejection row's seq comes after the notes before it
        seq = _reject(db, actor, req, p, exc, now_iso, base)
        result = MutationResult(
            id=m.id, status="rejected", seq=seq, error=ErrorInfo(code=exc.code, message=localized(exc), field=exc.field)
        )
        receipts.append(_receipt(req.device_id, result, seq, now_iso))
        return result
    except BaseException:
        if savepoint:
            _undo_savepoint(db)
        raise
    if savepoint:
        db.conn.execute("RELEASE mutation")
    hard = any(c.kind == "hard" for c in ctx.conflicts)
    result = MutationResult(
        id=m.id, status="conflict" if hard else "applied", seq=ctx.seq, conflicts=ctx.conflicts or None
    )
    receipts.append(_receipt(req.device_id, result, ctx.max_seq or rowstore.max_seq(db), now_iso))
    return result


# --- the push ----------------------------------------------------------------------------------


def _checked(
    db: Database, actor: Actor, request: PushRequest, now: dt.datetime, max_batch: int
) -> tuple[list[Prepared], dt.datetime]:
    """The request-level checks every push passes before anything is applied; ``now`` in UTC."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    check_versions(request)
    prepared = prepare(request, max_batch)
    check_device(db, actor, request.device_id)
    return prepared, now.astimezone(dt.UTC)  # stored times compare as text: keep them all in UTC


def apply_push(
    db: Database, actor: Actor, request: PushRequest, now: dt.datetime, *, max_batch: int = MAX_BATCH
) -> PushResponse:
    """Apply one push request atomically; see the module docstring and docs/sync-protocol.md §2.

    ``db`` is the writer connection (autocommit mode, no transaction open). ``now`` is the server
    clock (timezone-aware). Raises ``FangtanError`` subclasses for request-level failures, in
    which case nothing was applied.
    """
    prepared, now = _checked(db, actor, request, now, max_batch)
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_transient_sqlite_error(exc):
            raise Busy("the database is busy; retry shortly") from exc
        raise
    try:
        response = _apply_in_transaction(db, actor, request, prepared, now)
        db.conn.execute("COMMIT")
        return response
    except BaseException as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and is_transient_sqlite_error(exc):
            raise Busy("the database is busy or full; retry shortly") from exc
        raise


@dataclass(frozen=True)
class PushJob:
    """One push waiting for the writer: who sent it, what, and the server time it arrived."""

    actor: Actor
    request: PushRequest
    now: dt.datetime
    locale: str = DEFAULT_LOCALE
    """The pusher's language: refusals in the response and in 被退回 are written in it (sync.errors)."""


def apply_push_group(
    db: Database, jobs: list[PushJob], *, max_batch: int = MAX_BATCH
) -> list[PushResponse | BaseException]:
    """Group commit: apply several pushes in one transaction and pay for one fsync instead of one each.

    Each push runs in its own savepoint and ends exactly as ``apply_push`` would have ended it alone:
    a push refused as a whole (versions, batch size, device, gap, malformed mutation) is rolled back
    to its savepoint and its error returned in its place, the others are kept. A transient SQLite
    error (busy, disk full, I/O) fails every push of the group with ``Busy``: nothing is applied and
    every device retries. The outcomes are in the order of ``jobs``.
    """
    if len(jobs) == 1:  # nothing to share: no savepoint needed
        token = LOCALE.set(jobs[0].locale)
        try:
            return [apply_push(db, jobs[0].actor, jobs[0].request, jobs[0].now, max_batch=max_batch)]
        except FangtanError as exc:
            return [exc]
        finally:
            LOCALE.reset(token)
    outcomes: list[PushResponse | BaseException] = []
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_transient_sqlite_error(exc):
            return [Busy("the database is busy; retry shortly") for _ in jobs]
        raise
    try:
        for job in jobs:
            db.conn.execute("SAVEPOINT push")
            token = LOCALE.set(job.locale)
            try:
                prepared, now = _checked(db, job.actor, job.request, job.now, max_batch)
                outcome = _apply_in_transaction(db, job.actor, job.request, prepared, now)
            except FangtanError as exc:
                if isinstance(exc, Busy) or not db.conn.in_transaction:
                    raise
                db.conn.execute("ROLLBACK TO push")
                db.conn.execute("RELEASE push")
                outcomes.append(exc)
                continue
            finally:
                LOCALE.reset(token)
            db.conn.execute("RELEASE push")
            outcomes.append(outcome)
        db.conn.execute("COMMIT")
        return outcomes
    except BaseException as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if isinstance(exc, Busy) or (isinstance(exc, sqlite3.OperationalError) and is_transient_sqlite_error(exc)):
            return [Busy("the database is busy or full; retry shortly") for _ in jobs]
        raise


def _created_ids(prepared: Iterable[Prepared]) -> dict[str, list[str]]:
    """The ids the push's create-only mutations (``MutationSpec.creates``) create, by entity."""
    out: dict[str, list[str]] = {}
    for p in prepared:
        creates = REGISTRY[p.wire.name].creates
        if creates is not None and isinstance(row_id := getattr(p.args, creates[1], None), str):
            out.setdefault(creates[0], []).append(row_id)
    return out


def _apply_in_transaction(
    db: Database, actor: Actor, req: PushRequest, prepared: list[Prepared], now: dt.datetime
) -> PushResponse:
    last = last_mutation_id(db, req.device_id)
    new = [p for p in prepared if p.wire.id > last]
    if new and new[0].wire.id != last + 1:
        raise MutationGap(
            f"expected mutation id {last + 1}, got {new[0].wire.id}",
            field=f"mutations[{new[0].index}].id",
            details={"expected": last + 1, "last_mutation_id": last},
        )
    results = []
    receipts: list[Receipt] = []
    produced: dict[int, int] = {}  # mutation id -> the seq its receipt holds, for `base_mutation`
    now_iso = now.isoformat()
    appends = rowstore.Appends(db)  # notes written in bulk, in order (rowstore.Appends)
    with memo.scope(db):  # parent rows read once per push, not once per mutation (sync/memo.py)
        for entity, ids in _created_ids(p for p in prepared if p.wire.id > last).items():
            rowstore.prefetch_exists(db, entity, ids)
        for p in prepared:
            if p.wire.id <= last:
                results.append(_replay(db, req.device_id, p.wire.id))
            else:
                results.append(_apply_one(db, actor, req, p, now, now_iso, receipts, produced, appends))
                produced[p.wire.id] = receipts[-1][3]
        appends.flush()
    _store_receipts(db, receipts)
    last = max(last, prepared[-1].wire.id) if prepared else last
    _save_device(db, actor, req, last, now)
    return PushResponse(results=results, last_mutation_id=last, server_time=now.isoformat())
