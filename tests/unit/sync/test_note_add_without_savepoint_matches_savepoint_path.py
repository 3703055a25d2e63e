"""``note.add`` runs without a per-mutation savepoint (``writes_only_in_last_step``), its rows are
written in bulk (``appends_only``, ``rowstore.Appends``) and its ids checked in one query per push
(``creates``, ``rowstore.prefetch_exists``): a push mixing notes, refused notes and other mutations
must leave exactly what the savepoint path, one row and one id check at a time, leaves."""

import itertools
import sqlite3
from pathlib import Path

import pytest

from sync import rowstore
from sync.mutations.note import NoteAdd
from tests.builders import Device, build_world, interview_args, open_db

IID = "019a4f00-0000-7000-8000-000000000001"
MISSING_IID = "019a4f00-0000-7000-8000-0000000000ff"


def _note(n: int, interview_id: str = IID, text: str = "泵房噪声大，需加装隔音罩") -> tuple:
    return ("note.add", {"id": f"019a4f00-0000-7000-8000-{n:012d}", "interview_id": interview_id, "text": text})


MIXED_PUSH = (
    ("interview.save", interview_args(IID)),
    _note(100),
    _note(101),
    _note(100),  # duplicate id: refused by the id check
    _note(102, MISSING_IID),  # unknown interview: refused by load
    _note(103, text="   "),  # empty text: refused by validate
    ("interview.save", {"id": IID, "place": "二楼会议室"}, 1),  # a savepoint mutation in between
    _note(104),
)

_TABLES = {
    # the push's log entries (the world's reference rows are stamped with the wall clock)
    "sync_change": "SELECT seq, entity, row_id, deleted, data, kind, unit_path, handler_path, users, changed_at"
    " FROM sync_change WHERE entity IN ('interview', 'note', 'rejection') ORDER BY seq",
    "note": "SELECT * FROM note ORDER BY id",
    "interview": "SELECT * FROM interview ORDER BY id",
    "rejection": "SELECT * FROM rejection ORDER BY id",
    "sync_receipt": "SELECT * FROM sync_receipt ORDER BY device_id, mutation_id",
    "sync_device": "SELECT device_id, last_mutation_id, last_seq FROM sync_device ORDER BY device_id",
}


def _run(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list, dict[str, list]]:
    ids = (f"019a4f00-0000-7000-9000-{n:012d}" for n in itertools.count())
    monkeypatch.setattr("sync.engine.new_id", lambda: next(ids))  # rejection ids, deterministic
    db = open_db(path)
    try:
        world = build_world(db)
        results = Device(world, "u-cadre1").push(*MIXED_PUSH).results
        return results, {name: db.conn.execute(sql).fetchall() for name, sql in _TABLES.items()}
    finally:
        db.close()


def test_mixed_push_leaves_the_same_rows_log_and_receipts_as_with_savepoints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_results, fast = _run(tmp_path / "fast.db", monkeypatch)
    with monkeypatch.context() as m:
        m.setattr(NoteAdd, "creates", None)  # each id asked on its own, not in one query per push
        m.setattr(NoteAdd, "appends_only", False)
        single_results, single = _run(tmp_path / "single.db", monkeypatch)
        m.setattr(NoteAdd, "writes_only_in_last_step", False)
        slow_results, slow = _run(tmp_path / "slow.db", monkeypatch)
    assert single_results == slow_results and single == slow  # without a savepoint, one row at a time

    assert [r.status for r in fast_results] == [
        "applied",
        "applied",
        "applied",
        "rejected",
        "rejected",
        "rejected",
        "applied",
        "applied",
    ]
    assert [r.error.code for r in fast_results if r.error] == ["validation", "not_found", "validation"]
    assert fast_results == slow_results
    for name in _TABLES:
        assert fast[name] == slow[name], name
    assert len(fast["sync_change"]) == 1 + 3 + 3  # the interview (logged once, re-saved), notes, rejections
    assert len(fast["note"]) == 3 and len(fast["rejection"]) == 3 and len(fast["sync_receipt"]) == len(MIXED_PUSH)


class _FailingLogInsert:
    """A connection whose bulk INSERT into the change log fails: after the notes' rows were written."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def executemany(self, sql: str, rows):  # noqa: ANN001
        if sql.startswith("INSERT INTO sync_change"):
            raise sqlite3.IntegrityError("simulated failure between the notes' rows and their log entries")
        return self._conn.executemany(sql, rows)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._conn, name)


@pytest.mark.parametrize("bulk", [True, False], ids=["in bulk", "one by one"])
def test_an_error_after_the_note_row_is_written_aborts_the_whole_push(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: bool
) -> None:
    db = open_db(tmp_path / "server.db")
    try:
        world = build_world(db)
        device = Device(world, "u-cadre1")
        seq_before = rowstore.max_seq(db)
        if bulk:
            real_flush = rowstore.Appends.flush

            def flush_failing(self: rowstore.Appends) -> None:
                real_conn = self.db.conn
                self.db.conn = _FailingLogInsert(real_conn)  # type: ignore[assignment]
                try:
                    real_flush(self)
                finally:
                    self.db.conn = real_conn

            monkeypatch.setattr(rowstore.Appends, "flush", flush_failing)
        else:
            monkeypatch.setattr(NoteAdd, "appends_only", False)
            real_log_change = rowstore.log_change
            calls = itertools.count()

            def log_change_failing_on_the_third(*args, **kwargs):  # interview, first note, then the second note
                if next(calls) == 2:
                    raise sqlite3.IntegrityError("simulated failure between the note row and its log entry")
                return real_log_change(*args, **kwargs)

            monkeypatch.setattr(rowstore, "log_change", log_change_failing_on_the_third)
        with pytest.raises(sqlite3.IntegrityError):
            device.push(("interview.save", interview_args(IID)), _note(100), _note(101))

        assert db.conn.execute("SELECT count(*) FROM note").fetchone()[0] == 0
        assert db.conn.execute("SELECT count(*) FROM interview").fetchone()[0] == 0
        assert db.conn.execute("SELECT count(*) FROM sync_receipt").fetchone()[0] == 0
        assert db.conn.execute("SELECT count(*) FROM sync_change WHERE seq > ?", (seq_before,)).fetchone()[0] == 0
        assert not db.conn.in_transaction
    finally:
        db.close()


def test_a_pushs_note_ids_are_checked_in_one_query_and_known_ids_still_refused(tmp_path: Path) -> None:
    """One query answers whether the push's note ids exist; an id from an earlier push is refused,
    and so is a repeat of an id this push already wrote in bulk before a refusal flushed it (the
    prefetched answers are dropped with every write of notes)."""
    db = open_db(tmp_path / "server.db")
    try:
        world = build_world(db)
        device = Device(world, "u-cadre1")
        assert device.push(("interview.save", interview_args(IID)), _note(1)).results[1].status == "applied"
        asked: list[str] = []
        db.conn.set_trace_callback(asked.append)
        results = device.push(
            _note(2), _note(3), _note(1),  # 1: pushed before
            _note(4, MISSING_IID),  # refused: the notes before it are flushed before its rejection row
            _note(3),  # written in bulk by this push, then flushed
            _note(5),
        ).results
        db.conn.set_trace_callback(None)
        assert [r.status for r in results] == ["applied", "applied", "rejected", "rejected", "rejected", "applied"]
        assert [r.error.code for r in results if r.error] == ["validation", "not_found", "validation"]
        one_by_one = [q for q in asked if q.startswith("SELECT seq FROM sync_change WHERE entity")]
        in_one = [q for q in asked if q.startswith("SELECT row_id FROM sync_change WHERE entity")]
        assert len(in_one) == 1 and len(one_by_one) == 2, asked  # after the flush: note 3's and note 5's
        assert db.conn.execute("SELECT count(*) FROM note").fetchone()[0] == 4  # notes 1, 2, 3 and 5
    finally:
        db.close()
