from test_remark_envelope_structure import envelope

from sync.ids import new_id
from tests.builders import World, interview_args, pull_all


def test_remarks_reach_only_author_and_officers(world: World, dev) -> None:
    iid, rid = new_id(), new_id()
    d = dev("u-lead1")  # a cadre of workshop 1
    d.push_one("interview.save", interview_args(iid, cadre_ids=["u-lead1"]))
    d.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": envelope("u-lead1", "u-officer")})
    for user, sees in [("u-lead1", True), ("u-officer", True), ("u-cadre2", False), ("u-hr", False),
                       ("u-leader", False), ("u-super", False), ("u-handler", False), ("u-cadre1", False)]:
        rows, _ = pull_all(world.db, world.actor(user))
        assert (("remark", rid) in rows) is sees, user


def test_the_officer_pulls_which_interview_a_remark_is_on_but_not_the_interview(world: World, dev) -> None:
    """Officers do not pull interviews, yet their list names each remark's interview (form · place ·
    date, docs/security.md §4): the server copies those three facts, and nothing recorded, into the
    remark row at every put, so an edit of the interview's place shows at the remark's next put."""
    iid, rid = new_id(), new_id()
    d = dev("u-lead1")
    iv = d.push_one("interview.save", interview_args(iid, cadre_ids=["u-lead1"]))
    put = d.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": envelope("u-lead1", "u-officer")})
    rows, _ = pull_all(world.db, world.actor("u-officer"))
    assert ("interview", iid) not in rows
    label = rows[("remark", rid)]["interview"]
    assert label == {"form": "group", "unit_id": "ws1", "place": "一车间会议室", "started_at": label["started_at"]}
    assert label["started_at"].startswith("2025-11-03")
    assert set(label) == {"form", "unit_id", "place", "started_at"}  # no theme, summary, participants

    assert d.push_one("interview.save", {"id": iid, "place": "二车间"}, base=iv.seq).status == "applied"
    again = d.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": envelope("u-lead1", "u-officer")},
                       base=put.seq)
    assert again.status == "applied", again
    rows, _ = pull_all(world.db, world.actor("u-officer"))
    assert rows[("remark", rid)]["interview"]["place"] == "二车间"
