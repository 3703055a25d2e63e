import pytest

from sync.errors import InvalidField
from sync.ids import new_id
from sync.pull import pull
from tests.builders import World, interview_args


def test_keyset_pages_end_at_the_first_pages_upto(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    for i in range(25):
        d.push_one("note.add", {"id": new_id(), "interview_id": iid, "text": f"note {i}"})
    actor = world.actor("u-cadre1")
    first = pull(world.db, actor, 0, 10)
    assert first.has_more and len(first.changes) == 10 and first.cursor == first.changes[-1].seq
    upto = first.upto
    d.push_one("note.add", {"id": new_id(), "interview_id": iid, "text": "after the pull started"})
    seqs = [c.seq for c in first.changes]
    cursor = first.cursor
    while True:
        page = pull(world.db, actor, cursor, 10, upto)
        assert page.upto == upto
        seqs += [c.seq for c in page.changes]
        cursor = page.cursor
        if not page.has_more:
            break
    assert cursor == upto
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs) and max(seqs) <= upto
    newer = pull(world.db, actor, cursor, 10)
    assert [c.row is not None for c in newer.changes] == [True]


def test_cursor_skips_past_invisible_rows(world: World, dev) -> None:
    dev("u-cadre2").push_one("interview.save", interview_args(new_id(), unit_id="ws2", cadre_ids=["u-cadre2"]))
    actor = world.actor("u-handler")
    first = pull(world.db, actor, 0, 1000)
    page = pull(world.db, actor, first.cursor, 10)
    assert page.changes == [] and page.cursor == page.upto and not page.has_more


def test_upto_beyond_head_is_clamped(world: World, dev) -> None:
    """An ``upto`` past the log's head is cut to the head, so the cursor never runs ahead of what is
    committed: the next commit is still found by the next pull (an unclamped cursor would skip it, or be
    refused as ahead of the server)."""
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    for i in range(7):
        d.push_one("note.add", {"id": new_id(), "interview_id": iid, "text": f"note {i}"})
    head = world.db.execute("SELECT max(seq) FROM sync_change").fetchone()[0]
    actor = world.actor("u-cadre1")
    pages = [pull(world.db, actor, 0, 5, upto=10**9)]
    while pages[-1].has_more:
        pages.append(pull(world.db, actor, pages[-1].cursor, 5, upto=10**9))
    assert len(pages) > 1 and {p.upto for p in pages} == {head} and pages[-1].cursor == head
    mine = [c.id for p in pages for c in p.changes if c.entity in ("interview", "note")]
    assert len(mine) == 8 and mine[0] == iid
    later = new_id()
    d.push_one("note.add", {"id": later, "interview_id": iid, "text": "after the pull"})
    assert [c.id for c in pull(world.db, actor, pages[-1].cursor, 5).changes] == [later]


@pytest.mark.parametrize(("cursor", "limit", "field"), [(-1, 10, "cursor"), (0, 0, "limit"), (0, 10**6, "limit")])
def test_bad_parameters(world: World, cursor, limit, field) -> None:
    with pytest.raises(InvalidField) as info:
        pull(world.db, world.actor("u-hr"), cursor, limit)
    assert info.value.field == field


def test_each_changed_row_appears_once_with_its_latest_state(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    for i in range(3):
        seq = world.db.execute("SELECT seq FROM sync_change WHERE row_id = ?", [iid]).fetchone()[0]
        d.push_one("interview.save", {"id": iid, "summary": f"v{i}"}, base=seq)
    page = pull(world.db, world.actor("u-cadre1"), 0, 1000)
    mine = [c for c in page.changes if c.id == iid]
    import msgspec

    assert len(mine) == 1 and msgspec.json.decode(mine[0].row)["summary"] == "v2"
