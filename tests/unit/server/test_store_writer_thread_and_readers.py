import asyncio
import sqlite3
import threading

import pytest

from server.store import Store, backup, connect, translate_sqlite_error
from sync.errors import Busy


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.db", read_threads=2)
    yield s
    s.close()


async def test_writes_run_on_the_single_writer_thread_and_reads_see_them(store):
    writer_threads = set()

    def write(db):
        writer_threads.add(threading.current_thread().name)
        db.execute("create table if not exists t (n integer)")
        db.execute("insert into t values (1)")
        return "done"

    results = await asyncio.gather(*[store.write_tx(write) for _ in range(20)])
    assert results == ["done"] * 20
    assert writer_threads == {"fangtan-writer"}
    count = await store.read(lambda db: db.execute("select count(*) from t").fetchone()[0])
    assert count == 20


async def test_a_failing_write_rolls_back_and_the_writer_keeps_going(store):
    await store.write_tx(lambda db: db.execute("create table t (n integer)"))

    def broken(db):
        db.execute("insert into t values (1)")
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        await store.write_tx(broken)
    await store.write_tx(lambda db: db.execute("insert into t values (2)"))
    rows = await store.read(lambda db: [r[0] for r in db.execute("select n from t")])
    assert rows == [2]


async def test_read_connections_are_read_only(store):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await store.read(lambda db: db.execute("create table nope (x)"))


def test_database_is_in_wal_mode(store):
    assert store.read_sync(lambda db: db.execute("pragma journal_mode").fetchone()[0]) == "wal"


def test_busy_and_disk_full_become_a_503_with_retry_after():
    for text in ("database is locked", "database or disk is full"):
        error = translate_sqlite_error(sqlite3.OperationalError(text))
        assert isinstance(error, Busy) and error.status == 503 and error.retry_after
    assert not isinstance(translate_sqlite_error(sqlite3.OperationalError("no such table: x")), Busy)


async def test_online_backup_is_consistent_while_writing(store, tmp_path):
    await store.write_tx(lambda db: db.execute("create table t (n integer)"))
    stop = threading.Event()

    async def keep_writing():
        n = 0
        while not stop.is_set():
            n += 1
            await store.write_tx(lambda db, n=n: db.execute("insert into t values (?)", [n]))
        return n

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0.05)
    await asyncio.to_thread(backup, store.path, tmp_path / "copy.db")
    stop.set()
    await writer
    copy = connect(tmp_path / "copy.db")
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    values = [r[0] for r in copy.execute("select n from t order by n")]
    assert values == list(range(1, len(values) + 1))  # a prefix: no torn transaction
