"""``Store.write_batched``: writes of one kind queued back to back reach the writer thread as one
group (group commit), in order, never jumping over a different write queued between them."""

from __future__ import annotations

import asyncio
import threading

import pytest

from server.store import Store


def _record(calls: list[list[str]]):
    def batch_fn(db, items: list[str]) -> list[object]:
        calls.append(list(items))
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.executemany("INSERT INTO seen (item) VALUES (?)", [(i,) for i in items])
        db.conn.execute("COMMIT")
        return [ValueError(i) if i.startswith("bad") else i.upper() for i in items]

    return batch_fn


async def test_queued_items_form_groups_in_order(tmp_path) -> None:
    store = Store(tmp_path / "fangtan.db", max_group_weight=4)
    try:
        await store.write(lambda db: db.conn.execute("CREATE TABLE seen (n INTEGER PRIMARY KEY, item TEXT)"))
        calls: list[list[str]] = []
        batch_fn = _record(calls)
        gate = threading.Event()
        blocker = store.submit_write(lambda db: gate.wait(10))  # hold the writer while the queue fills
        first = [asyncio.ensure_future(store.write_batched(batch_fn, i)) for i in ("a", "bad-b", "c")]
        await asyncio.sleep(0.05)
        between = asyncio.ensure_future(
            store.write(lambda db: db.conn.execute("INSERT INTO seen (item) VALUES ('plain')"))
        )
        await asyncio.sleep(0.05)
        later = [asyncio.ensure_future(store.write_batched(batch_fn, i)) for i in ("d", "e", "f", "g", "h", "i")]
        await asyncio.sleep(0.05)
        gate.set()
        blocker.result(timeout=10)

        assert [await first[0], await first[2]] == ["A", "C"]
        with pytest.raises(ValueError, match="bad-b"):
            await first[1]
        await between
        assert [await f for f in later] == ["D", "E", "F", "G", "H", "I"]
        # One group per run of batched writes, capped by weight, and the plain write kept its place.
        assert calls == [["a", "bad-b", "c"], ["d", "e", "f", "g"], ["h", "i"]]
        order = await store.read(lambda db: [r[0] for r in db.conn.execute("SELECT item FROM seen ORDER BY n")])
        assert order == ["a", "bad-b", "c", "plain", "d", "e", "f", "g", "h", "i"]
    finally:
        store.close()


async def test_a_group_that_raises_fails_every_caller(tmp_path) -> None:
    store = Store(tmp_path / "fangtan.db")
    try:
        gate = threading.Event()
        store.submit_write(lambda db: gate.wait(10))

        def broken(db, items):
            raise RuntimeError("bug")

        futures = [asyncio.ensure_future(store.write_batched(broken, i)) for i in range(3)]
        await asyncio.sleep(0.05)
        gate.set()
        for f in futures:
            with pytest.raises(RuntimeError, match="bug"):
                await f
    finally:
        store.close()
