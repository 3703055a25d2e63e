"""A pull page picks its seqs from the covering index, so other people's rows are never read."""

from sync import policy
from sync.ids import new_id
from sync.pull import page_sql
from tests.builders import World, interview_args, pull_all


def _plan(world: World, user_id: str) -> list[str]:
    predicate, params = policy.pull_filter(world.actor(user_id))
    params.update(cursor=0, upto=10**9, limit=1001)
    return [row[3] for row in world.db.conn.execute("EXPLAIN QUERY PLAN " + page_sql(predicate), params)]


def test_the_visibility_predicate_is_evaluated_on_the_covering_index(world: World) -> None:
    details = _plan(world, "u-cadre1")
    assert any("COVERING INDEX sync_change_pull" in d and "seq>? AND seq<?" in d for d in details), details
    # The stored JSON is then read by primary key for the chosen seqs only, never by a range scan.
    assert any("INTEGER PRIMARY KEY (rowid=?)" in d for d in details), details
    assert not any("rowid>?" in d for d in details), details


def test_pages_through_the_index_return_exactly_the_visible_rows_in_order(world: World, dev) -> None:
    mine, theirs = dev("u-cadre1"), dev("u-cadre2")
    iid_mine, iid_theirs = new_id(), new_id()
    mine.push_one("interview.save", interview_args(iid_mine))
    theirs.push_one("interview.save", interview_args(iid_theirs, unit_id="ws2"))
    for i in range(7):
        mine.push_one("note.add", {"id": new_id(), "interview_id": iid_mine, "text": f"我的记录 {i}"})
        theirs.push_one("note.add", {"id": new_id(), "interview_id": iid_theirs, "text": f"别人的记录 {i}"})
    seen, _ = pull_all(world.db, world.actor("u-cadre1"), limit=3)  # many small pages
    notes = [row["text"] for (entity, _), row in seen.items() if entity == "note"]
    assert notes == [f"我的记录 {i}" for i in range(7)]
    assert ("interview", iid_theirs) not in seen
