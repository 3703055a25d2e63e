"""The per-push memo of parent rows (sync/memo.py) never answers with a row that is no longer true."""

from sync import memo, rowstore, visibility
from sync.ids import new_id
from tests.builders import World, interview_args


def _note_unit_path(world: World, note_id: str) -> str:
    return world.db.conn.execute(
        "SELECT unit_path FROM sync_change WHERE entity = 'note' AND row_id = ?", (note_id,)
    ).fetchone()[0]


def test_a_note_after_its_interview_moved_in_the_same_push_gets_the_new_audience(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, before, after = new_id(), new_id(), new_id()
    results = d.push(
        ("interview.save", interview_args(iid)),
        ("note.add", {"id": before, "interview_id": iid, "text": "搬迁前"}),
        ("interview.save", {"id": iid, "unit_id": "ws1t1"}, 1),
        ("note.add", {"id": after, "interview_id": iid, "text": "搬迁后"}),
    ).results
    assert [r.status for r in results] == ["applied"] * 4, results
    assert _note_unit_path(world, after) == visibility.unit_path(world.db, "ws1t1")
    # the earlier note was re-logged by the cascade with the new audience as well
    assert _note_unit_path(world, before) == visibility.unit_path(world.db, "ws1t1")


def test_a_write_drops_the_memo_and_a_rolled_back_savepoint_clears_it(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    db = world.db
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        with memo.scope(db):
            original = rowstore.load(db, "interview", iid)
            assert rowstore.load(db, "interview", iid) is original  # memoised
            db.conn.execute("SAVEPOINT mutation")
            moved = rowstore.load(db, "interview", iid).__class__(
                **{**{f: getattr(original, f) for f in original.__struct_fields__}, "place": "新会议室"}
            )
            rowstore.save(db, "interview", moved, visibility.visibility_for(db, "interview", moved), "2026-01-01")
            assert rowstore.load(db, "interview", iid).place == "新会议室"  # the write dropped the memo
            db.conn.execute("ROLLBACK TO mutation")
            memo.clear(db)
            db.conn.execute("RELEASE mutation")
            assert rowstore.load(db, "interview", iid).place == original.place
    finally:
        db.conn.execute("ROLLBACK")


def test_outside_a_push_nothing_is_memoised(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    first = rowstore.load(world.db, "interview", iid)
    world.db.conn.execute("UPDATE interview SET place = '直接修改' WHERE id = ?", (iid,))
    assert rowstore.load(world.db, "interview", iid).place == "直接修改"
    assert first.place != "直接修改"


def test_a_refused_mutation_in_the_push_does_not_leave_its_reads_behind(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    results = d.push(
        ("interview.save", interview_args(iid)),
        ("note.add", {"id": new_id(), "interview_id": iid, "text": "  "}),  # refused: empty text
        ("interview.save", {"id": iid, "place": "二楼"}, 1),
        ("note.add", {"id": new_id(), "interview_id": iid, "text": "有效"}),
    ).results
    assert [r.status for r in results] == ["applied", "rejected", "applied", "applied"]
    assert rowstore.load(world.db, "interview", iid).place == "二楼"


def test_a_read_over_the_whole_history_keeps_a_bounded_memo(world: World) -> None:
    """A read may walk every problem of years (the ledger): the memo keeps the most recent
    ``BUCKET_MAX`` values of a bucket, not all of them, and what it forgot is computed again."""
    computed: list[int] = []

    def value(k: int):
        return lambda: computed.append(k) or k * 2

    with memo.scope(world.db) as m:
        for k in range(memo.BUCKET_MAX + 100):
            assert memo.cached(world.db, "issue", k, value(k)) == k * 2
        assert len(m._values["issue"]) == memo.BUCKET_MAX
        assert memo.cached(world.db, "issue", memo.BUCKET_MAX + 99, value(-1)) == (memo.BUCKET_MAX + 99) * 2  # kept
        assert memo.cached(world.db, "issue", 0, value(0)) == 0  # forgotten, so computed again
    assert computed.count(0) == 2 and -1 not in computed
    # Values read a page at a time (the ledger fills a page's problems and interviews) are bounded too.
    with memo.scope(world.db) as m:
        for start in range(0, memo.BUCKET_MAX * 2, 500):
            memo.fill(world.db, "interview", {k: k for k in range(start, start + 500)})
        held = m._values["interview"]
        newest = start + 499
        assert len(held) == memo.BUCKET_MAX and (min(held), max(held)) == (newest + 1 - memo.BUCKET_MAX, newest)
