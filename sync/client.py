"""A Python device client: the same algorithm the PWA runs (docs/sync-protocol.md §7).

Local state is one small SQLite file:

* ``outbox`` — queued mutations with strictly increasing ids (never reused, never skipped);
* ``rows`` — the pulled rows (entity, id, seq, JSON), including ``conflict`` and ``rejection``
  records, which form the conflict and rejection inboxes;
* ``results`` — the server's receipt for each pushed mutation;
* ``meta`` — device id, next mutation id, highest acknowledged id, pull cursor and the ``upto``
  of an unfinished multi-page pull.

Outbox entries leave only after a *pull* has stored rows reflecting them
(``id <= last_mutation_id``), so the local view never loses a typed change.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from sync import wire
from sync.engine import MAX_BATCH
from sync.errors import Busy, ClientTooOld, CursorExpired, FangtanError, InvalidField, MutationGap, UnknownMutation
from sync.transport import Transport, TransportError
from sync.wire import Mutation, MutationResult, PullResponse, PushRequest, PushResponse

_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY, name TEXT NOT NULL, args TEXT NOT NULL,"
    " base INTEGER, client_time TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rows (entity TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,"
    " data TEXT NOT NULL, PRIMARY KEY (entity, id)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS results (id INTEGER PRIMARY KEY, status TEXT NOT NULL, result TEXT NOT NULL)",
]

_MUTATION_FIELD = re.compile(r"^mutations\[(\d+)\]")


def stored_device_id(state_path: Path | str) -> str | None:
    """The device a client state file belongs to, so a new session can sign in as that device."""
    if not Path(state_path).exists():
        return None
    conn = sqlite3.connect(str(state_path))
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return row[0] if row else None


class SyncStopped(Exception):
    """Syncing cannot continue without a person (e.g. the app must be updated); outbox kept."""


class RetryPolicy(msgspec.Struct, frozen=True):
    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: int | None) -> float:
        if retry_after is not None:
            return float(min(retry_after, self.max_delay))
        # Full jitter: 50 tablets coming back to the office wifi must not retry in lockstep.
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** attempt))


class SyncClient:
    def __init__(
        self,
        state_path: Path | str,
        transport: Transport,
        device_id: str,
        *,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], dt.datetime] | None = None,
        page_size: int = 1000,
        batch_size: int = MAX_BATCH,
    ) -> None:
        self.transport = transport
        self.retry = retry
        self._sleep = sleep
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.page_size = page_size
        self.batch_size = batch_size
        self.protocol = wire.PROTOCOL
        self.schema_version = wire.SCHEMA_VERSION
        self._db = sqlite3.connect(str(state_path), isolation_level=None)
        for sql in _SCHEMA:
            self._db.execute(sql)
        stored = self._meta("device_id")
        if stored is None:
            self._set_meta("device_id", device_id)
        elif stored != device_id:
            raise ValueError(f"state file belongs to device {stored}, not {device_id}")
        self.device_id = device_id

    def close(self) -> None:
        self._db.close()

    # --- meta ----------------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        r = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if r is None else r[0]

    def _set_meta(self, key: str, value: Any) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (key, None if value is None else str(value)))

    def _int_meta(self, key: str, default: int = 0) -> int:
        v = self._meta(key)
        return default if v is None else int(v)

    @property
    def cursor(self) -> int:
        return self._int_meta("cursor")

    @property
    def acked(self) -> int:
        """Highest mutation id the server has acknowledged (applied, rejected or duplicate)."""
        return self._int_meta("acked")

    # --- writing -------------------------------------------------------------------------------

    def enqueue(self, name: str, args: dict[str, Any], base: int | None = None) -> int:
        """Queue a named mutation; returns its id. Works offline."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            last = max(self._int_meta("next_id", 1) - 1,
                       self._db.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0])
            mid = last + 1
            self._db.execute(
                "INSERT INTO outbox (id, name, args, base, client_time) VALUES (?, ?, ?, ?, ?)",
                (mid, name, json.dumps(args, ensure_ascii=False), base, self._clock().isoformat()),
            )
            self._set_meta("next_id", mid + 1)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return mid

    def outbox(self) -> list[dict[str, Any]]:
        return [
            {"id": i, "name": n, "args": json.loads(a), "base": b, "client_time": t}
            for i, n, a, b, t in self._db.execute(
                "SELECT id, name, args, base, client_time FROM outbox ORDER BY id")
        ]

    # --- reading -------------------------------------------------------------------------------

    def rows(self, entity: str) -> dict[str, dict[str, Any]]:
        return {i: json.loads(d) for i, d in self._db.execute(
            "SELECT id, data FROM rows WHERE entity = ? ORDER BY seq", (entity,))}

    def row(self, entity: str, row_id: str) -> dict[str, Any] | None:
        r = self._db.execute("SELECT data FROM rows WHERE entity = ? AND id = ?", (entity, row_id)).fetchone()
        return None if r is None else json.loads(r[0])

    def seq_of(self, entity: str, row_id: str) -> int | None:
        """The ``base`` to send when updating this row."""
        r = self._db.execute("SELECT seq FROM rows WHERE entity = ? AND id = ?", (entity, row_id)).fetchone()
        return None if r is None else int(r[0])

    def all_rows(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(e, i): json.loads(d) for e, i, d in self._db.execute("SELECT entity, id, data FROM rows")}

    def conflicts(self) -> list[dict[str, Any]]:
        """The conflict inbox: open hard conflicts (losing values to look at)."""
        return [c for c in self.rows("conflict").values() if c["kind"] == "hard" and c["status"] == "open"]

    def rejections(self) -> list[dict[str, Any]]:
        """The rejection inbox: every mutation of this user the server refused, with its content."""
        return list(self.rows("rejection").values())

    def results(self) -> dict[int, MutationResult]:
        dec = msgspec.json.Decoder(MutationResult)
        return {i: dec.decode(r) for i, r in self._db.execute("SELECT id, result FROM results ORDER BY id")}

    # --- transport with retries ------------------------------------------------------------------

    def _call(self, fn: Callable[[], Any]) -> Any:
        """Retry network failures and 503s with backoff (honouring Retry-After)."""
        attempt = 0
        while True:
            try:
                return fn()
            except (TransportError, Busy) as exc:
                attempt += 1
                if attempt >= self.retry.attempts:
                    raise
                retry_after = exc.retry_after if isinstance(exc, Busy) else None
                self._sleep(self.retry.delay(attempt, retry_after))

    # --- push ------------------------------------------------------------------------------------

    def _pending(self) -> list[Mutation]:
        out = []
        for i, n, a, b, t in self._db.execute(
            "SELECT id, name, args, base, client_time FROM outbox WHERE id > ? ORDER BY id LIMIT ?",
            (self.acked, self.batch_size),
        ):
            out.append(Mutation(id=i, name=n, args=json.loads(a), base=b,
                                client_time=dt.datetime.fromisoformat(t)))
        return out

    def push(self) -> list[MutationResult]:
        """Send the outbox in batches until the server has acknowledged all of it."""
        results: list[MutationResult] = []
        while True:
            batch = self._pending()
            if not batch:
                return results
            request = PushRequest(protocol=self.protocol, schema_version=self.schema_version,
                                  device_id=self.device_id, client_time=self._clock(), mutations=batch)
            try:
                response: PushResponse = self._call(lambda request=request: self.transport.push(request))
            except MutationGap as exc:
                self._recover_gap(int(exc.details["expected"]))
                continue
            except ClientTooOld as exc:
                raise SyncStopped(f"update the app: {exc.message} (unsent changes are kept)") from exc
            except (InvalidField, UnknownMutation) as exc:
                if not self._void_undecodable(batch, exc):
                    raise
                continue
            self._store_results(response)
            results += response.results

    def _store_results(self, response: PushResponse) -> None:
        enc = msgspec.json.Encoder()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            # The first answer is kept; a later "duplicate" (after a lost response) fills the gap.
            self._db.executemany(
                "INSERT OR IGNORE INTO results (id, status, result) VALUES (?, ?, ?)",
                [(r.id, r.status, enc.encode(r).decode()) for r in response.results],
            )
            self._set_meta("acked", max(self.acked, response.last_mutation_id))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _recover_gap(self, expected: int) -> None:
        """The server expects ``expected`` next (e.g. it was restored from a backup): resend from
        there, renumbering the outbox down if entries in between are gone from this device."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            first = self._db.execute("SELECT min(id) FROM outbox WHERE id >= ?", (expected,)).fetchone()[0]
            if first is not None and first > expected:
                shift = first - expected
                self._db.execute("UPDATE outbox SET id = -id WHERE id >= ?", (first,))
                self._db.execute("UPDATE outbox SET id = -id - ? WHERE id < 0", (shift,))
                top = self._db.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0]
                self._set_meta("next_id", top + 1)
            self._set_meta("acked", expected - 1)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _void_undecodable(self, batch: list[Mutation], exc: FangtanError) -> bool:
        """A queued mutation the server cannot decode would block the device forever; replace it
        by ``mutation.void`` carrying the original, which lands in the rejection inbox."""
        m = _MUTATION_FIELD.match(exc.field or "")
        if m is None or int(m.group(1)) >= len(batch):
            return False
        bad = batch[int(m.group(1))]
        if bad.name == "mutation.void":
            return False
        args = {"original_name": bad.name, "original_args": bad.args, "reason": f"{exc.code}: {exc.message}"}
        self._db.execute("UPDATE outbox SET name = 'mutation.void', args = ?, base = NULL WHERE id = ?",
                         (json.dumps(args, ensure_ascii=False), bad.id))
        return True

    # --- pull ------------------------------------------------------------------------------------

    def pull(self) -> int:
        """Pull until ``has_more`` is false; returns the number of changes stored."""
        total = 0
        while True:
            cursor = self.cursor
            upto_meta = self._meta("pull_upto")
            upto = None if upto_meta is None else int(upto_meta)
            try:
                page: PullResponse = self._call(
                    lambda cursor=cursor, upto=upto: self.transport.pull(cursor, self.page_size, upto, cursor == 0))
            except CursorExpired:
                self._reset_for_snapshot()
                continue
            self._store_page(page)
            total += len(page.changes)
            if not page.has_more:
                return total

    def _reset_for_snapshot(self) -> None:
        # Deletions older than the server's horizon are unknown to us: start from an empty view.
        # The outbox stays (sync() pushes it before pulling).
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute("DELETE FROM rows")
        self._set_meta("cursor", 0)
        self._set_meta("pull_upto", None)
        self._db.execute("COMMIT")

    def _store_page(self, page: PullResponse) -> None:
        enc = msgspec.json.Encoder()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for c in page.changes:
                if c.deleted:
                    self._db.execute("DELETE FROM rows WHERE entity = ? AND id = ?", (c.entity, c.id))
                else:
                    self._db.execute(
                        "INSERT OR REPLACE INTO rows (entity, id, seq, data) VALUES (?, ?, ?, ?)",
                        (c.entity, c.id, c.seq, enc.encode(c.row).decode()),
                    )
            self._set_meta("cursor", page.cursor)
            self._set_meta("pull_upto", page.upto if page.has_more else None)
            if not page.has_more:
                # The rows now reflect every mutation up to last_mutation_id: drop them.
                self._db.execute("DELETE FROM outbox WHERE id <= ?", (page.last_mutation_id,))
                self._set_meta("acked", max(self.acked, page.last_mutation_id))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def sync(self) -> list[MutationResult]:
        """Push the outbox, then pull everything new."""
        results = self.push()
        self.pull()
        return results
