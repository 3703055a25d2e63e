"""The SQLite store: one writer thread fed by a queue, per-thread read connections.

This is Datasette's pattern. SQLite allows one writer at a time, so every write goes through a
single thread that owns the only write connection; this also makes the sync engine's global seq
follow commit order. Reads run on a small thread pool, each thread with its own read-only
connection (WAL lets them read while the writer writes). Async handlers ``await`` both, so the
event loop never blocks on SQLite.

Group commit: writes submitted with ``write_batched`` that wait in the queue back to back are
handed to their batch function together, which applies them in one transaction — one fsync for
the group instead of one each. While a group's COMMIT waits for the disk the next group forms, so
nobody waits for a batch to fill (bench/results.md: the fsync was two thirds of the writer's time).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from sync import memo
from sync.errors import Busy, is_transient_sqlite_error

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - an item of a batched write
log = logging.getLogger("fangtan.store")

BatchFn = Callable[[Database, list[Any]], list[Any]]
"""Applies a group of items in one transaction; returns one result or exception per item, in order."""


@dataclass
class _Batched:
    batch_fn: BatchFn
    item: Any
    weight: int
    future: Future[Any]


def connect(path: Path, *, readonly: bool = False) -> Database:
    """Open ``path`` with fangtan's pragmas. Explicit transactions only (``isolation_level=None``):
    the sync engine issues ``BEGIN IMMEDIATE`` itself and sqlite-utils nests savepoints inside it."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
    # FULL, not NORMAL: a push acknowledged to a tablet must survive a power cut, not only a crash.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA foreign_keys=ON")
    return Database(conn)


def migrate(db: Database) -> None:
    """Apply every pending migration, core first then the sync engine's."""
    from server.migrations import core
    from sync.migrations import migrations as sync_migrations

    core.apply(db)
    sync_migrations.apply(db)


def translate_sqlite_error(exc: sqlite3.OperationalError) -> Exception:
    """Busy/full/IO errors become ``Busy`` (503 + Retry-After); anything else stays a bug."""
    if is_transient_sqlite_error(exc):
        return Busy("数据库暂时繁忙或磁盘已满，请稍后重试 (database busy or disk full)")
    return exc


GIL_SWITCH_INTERVAL_S = 0.0005
"""How long a thread may hold the GIL while another waits for it (CPython's default: 5 ms)."""


def _shorten_gil_slices() -> None:
    """The writer thread releases the GIL around every SQLite call (~5 per mutation) and must win
    it back each time, waiting up to the switch interval whenever another thread runs Python. 2,000
    notes applied in ~0.26 s alone took 1.9–3.0 s beside two busy Python threads at the default
    5 ms, 1.0–2.2 s at 0.5 ms (bench/results.md). Shorter slices bound that convoy."""
    if sys.getswitchinterval() > GIL_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


class Store:
    """Async access to one SQLite file: ``await store.write(fn)`` and ``await store.read(fn)``.

    ``fn`` receives a sqlite-utils ``Database``. Write functions manage their own transaction
    (or use ``store.write_tx`` which wraps them in one).
    """

    def __init__(self, path: Path, *, read_threads: int = 4, max_group_weight: int = 1000) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _shorten_gil_slices()
        self._writer_db = connect(self.path)
        migrate(self._writer_db)
        self._queue: queue.Queue[tuple[Callable[[Database], object], Future[object]] | _Batched | None] = queue.Queue()
        self.max_group_weight = max_group_weight
        """Most total weight (e.g. mutations) one group commit takes, so the first in a group waits little."""
        self._writer = threading.Thread(target=self._write_loop, name="fangtan-writer", daemon=True)
        self._writer.start()
        self._local = threading.local()
        self._readers: list[Database] = []
        self._readers_lock = threading.Lock()
        self._read_pool = ThreadPoolExecutor(max_workers=read_threads, thread_name_prefix="fangtan-reader")
        self._closed = False

    # -- writing ---------------------------------------------------------------------------
    def _write_loop(self) -> None:
        backlog: deque[Any] = deque()
        while True:
            item = backlog.popleft() if backlog else self._queue.get()
            if item is None:
                break
            if isinstance(item, _Batched):
                self._run_group(self._gather_group(item, backlog))
                continue
            fn, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(self._writer_db)
            except sqlite3.OperationalError as exc:
                if self._writer_db.conn.in_transaction:
                    self._writer_db.conn.execute("ROLLBACK")
                future.set_exception(translate_sqlite_error(exc))
            except BaseException as exc:  # handed to the awaiting caller
                if self._writer_db.conn.in_transaction:
                    self._writer_db.conn.execute("ROLLBACK")
                future.set_exception(exc)
            else:
                future.set_result(result)

    def _gather_group(self, first: _Batched, backlog: deque[Any]) -> list[_Batched]:
        """``first`` plus the same kind of writes already waiting right behind it (group commit:
        while one group's COMMIT waits for the disk, the next group forms). Never reorders: the
        first different item ends the group and runs next."""
        group, weight = [first], first.weight
        while weight < self.max_group_weight and not backlog:
            try:
                nxt = self._queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(nxt, _Batched) and nxt.batch_fn is first.batch_fn:
                group.append(nxt)
                weight += nxt.weight
            else:
                backlog.append(nxt)
        return group

    def _run_group(self, group: list[_Batched]) -> None:
        group = [b for b in group if b.future.set_running_or_notify_cancel()]
        if not group:
            return
        try:
            outcomes = group[0].batch_fn(self._writer_db, [b.item for b in group])
        except BaseException as exc:  # the whole group failed: every caller hears about it
            if self._writer_db.conn.in_transaction:
                self._writer_db.conn.execute("ROLLBACK")
            error = translate_sqlite_error(exc) if isinstance(exc, sqlite3.OperationalError) else exc
            for b in group:
                b.future.set_exception(error)
            return
        for b, outcome in zip(group, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                b.future.set_exception(outcome)
            else:
                b.future.set_result(outcome)

    async def write_batched(
        self, batch_fn: Callable[[Database, list[I]], list[T | BaseException]], item: I, *, weight: int = 1
    ) -> T:
        """Queue ``item`` for ``batch_fn``, which the writer thread calls with every item of the same
        kind queued back to back (up to ``max_group_weight``) — one transaction, one fsync."""
        if self._closed:
            raise RuntimeError("store is closed")
        future: Future[T] = Future()
        self._queue.put(_Batched(batch_fn, item, max(1, weight), future))
        return await asyncio.wrap_future(future)

    def submit_write(self, fn: Callable[[Database], T]) -> Future[T]:
        """Queue ``fn`` for the writer thread; usable from any thread (the CLI, the scheduler)."""
        if self._closed:
            raise RuntimeError("store is closed")
        future: Future[T] = Future()
        self._queue.put((fn, future))  # type: ignore[arg-type]
        return future

    async def write(self, fn: Callable[[Database], T]) -> T:
        """Run ``fn`` on the writer thread; ``fn`` manages its own transaction."""
        return await asyncio.wrap_future(self.submit_write(fn))

    async def write_tx(self, fn: Callable[[Database], T]) -> T:
        """Run ``fn`` on the writer thread inside one ``BEGIN IMMEDIATE`` transaction."""
        return await self.write(lambda db: in_transaction(db, fn))

    # -- reading ---------------------------------------------------------------------------
    def _reader(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path, readonly=True)
            self._local.db = db
            with self._readers_lock:
                self._readers.append(db)
        return db

    def _run_read(self, fn: Callable[[Database], T]) -> T:
        db = self._reader()
        try:
            # One snapshot per read: every statement of ``fn`` sees the same committed state (a
            # ledger's problems and their events agree), so the parents it reads are remembered for
            # the whole read (sync.memo): nothing can change under it.
            db.conn.execute("BEGIN")
            try:
                with memo.scope(db):
                    return fn(db)
            finally:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")  # read-only: nothing to keep
        except sqlite3.OperationalError as exc:
            raise translate_sqlite_error(exc) from exc

    async def read(self, fn: Callable[[Database], T]) -> T:
        """Run ``fn`` with this thread pool's read-only connection."""
        return await asyncio.wrap_future(self._read_pool.submit(self._run_read, fn))

    def read_sync(self, fn: Callable[[Database], T]) -> T:
        """Blocking read for non-async callers (CLI, scheduler threads)."""
        return self._read_pool.submit(self._run_read, fn).result()

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._writer.join(timeout=10)
        self._read_pool.shutdown(wait=True)
        for db in self._readers:
            db.conn.close()
        self._writer_db.conn.close()


def in_transaction(db: Database, fn: Callable[[Database], T]) -> T:
    """Run ``fn(db)`` inside ``BEGIN IMMEDIATE`` … ``COMMIT``; roll back on any error."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn(db)
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
    return result


def backup(source: Path, target: Path) -> None:
    """SQLite online backup: a consistent copy even while the server is writing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        with dst:
            src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()
