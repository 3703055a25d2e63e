"""A memo of parent rows for the mutations of one push, and for one read.

Every ``note.add`` reads its interview twice (authorisation, then the note's visibility), the
interview's unit path and its archive state: with 500 notes to one interview that is ~2,000
identical reads per push (bench/results.md); an export asks the same of every event of every
problem. While a push is applied or a read runs (``scope``), ``sync.rowstore``, ``sync.visibility``
and ``sync.archive_guard`` look these up here first.

Why it never serves a stale row: the memo lives only inside one transaction. In a push (the writer
connection) every write of a synced row goes through ``sync.rowstore`` (which calls ``forget`` for
the entity it writes), and a savepoint rolled back (a refused mutation or push) calls ``clear``,
since rows read after a write inside that savepoint are no longer true. A read
(``server.store.Store.read``) is one read transaction on a read-only connection: its snapshot does
not change while it runs.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlite_utils import Database

T = TypeVar("T")

MEMO_ENTITIES = frozenset({"interview", "issue"})
"""Entities whose rows are parents of many others (read by every child's mutation)."""

DERIVED: dict[str, tuple[str, ...]] = {
    "interview": ("interview_visibility", "issue_visibility"),
    "issue": ("issue_visibility",),
    "org_unit": ("interview_visibility", "issue_visibility", "users_with_role"),
    "user": ("users_with_role",),
}
"""Memo buckets computed from other entities' rows: writing the entity drops them too."""

BUCKET_MAX = 4096
"""Values a bucket keeps; past it the oldest goes first. A push touches at most a few hundred
parents (``sync.engine.MAX_BATCH``), but a read may walk the whole history — the ledger of three
years kept all 36,000 problems and 18,000 interviews here, ~100 MB (bench/growth.py). A read walks
in order (a page of problems, then their events), so what it asks again is recent."""


def exists_bucket(entity: str) -> str:
    """The bucket of ``sync.rowstore.exists``: whether rows of ``entity`` exist, by id (dropped,
    like the entity's rows, whenever the entity is written)."""
    return f"exists:{entity}"


class ParentMemo:
    """Values keyed by (entity, key), each dropped when its entity is written."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._values: dict[str, dict[Any, Any]] = {}

    def get(self, entity: str, key: Any, compute: Callable[[], T]) -> T:
        bucket = self._values.setdefault(entity, {})
        if key in bucket:
            return bucket[key]
        value = compute()
        if len(bucket) >= BUCKET_MAX:
            del bucket[next(iter(bucket))]
        bucket[key] = value
        return value

    def fill(self, bucket: str, values: dict[Any, Any]) -> None:
        """Put values computed together (one query for a push's ids, a page of a read) where
        ``get`` finds them, within ``BUCKET_MAX`` like the values ``get`` computes."""
        held = self._values.setdefault(bucket, {})
        held.update(values)
        for key in list(itertools.islice(held, max(len(held) - BUCKET_MAX, 0))):
            del held[key]

    def forget(self, entity: str) -> None:
        self._values.pop(entity, None)
        self._values.pop(exists_bucket(entity), None)
        for derived in DERIVED.get(entity, ()):
            self._values.pop(derived, None)

    def clear(self) -> None:
        self._values.clear()


_current: ContextVar[ParentMemo | None] = ContextVar("fangtan_parent_memo", default=None)


@contextlib.contextmanager
def scope(db: Database) -> Iterator[ParentMemo]:
    """Memoise parent reads on ``db`` until the block ends (one push, inside its transaction)."""
    memo = ParentMemo(db)
    token = _current.set(memo)
    try:
        yield memo
    finally:
        _current.reset(token)


def active(db: Database) -> ParentMemo | None:
    """The memo for ``db`` if a push on that connection is being applied, else ``None``."""
    memo = _current.get()
    return memo if memo is not None and memo.db is db else None


def cached(db: Database, entity: str, key: Any, compute: Callable[[], T]) -> T:
    """``compute()`` through the active memo, or directly when there is none."""
    memo = active(db)
    return compute() if memo is None else memo.get(entity, key, compute)


def fill(db: Database, bucket: str, values: dict[Any, Any]) -> None:
    """``ParentMemo.fill`` on the active memo (nothing without one)."""
    memo = active(db)
    if memo is not None:
        memo.fill(bucket, values)


def forget(db: Database, entity: str) -> None:
    """A row of ``entity`` was written on ``db``: drop what the memo holds for it."""
    memo = active(db)
    if memo is not None:
        memo.forget(entity)


def clear(db: Database) -> None:
    """A savepoint on ``db`` was rolled back: nothing read since it began can be trusted."""
    memo = active(db)
    if memo is not None:
        memo.clear()
