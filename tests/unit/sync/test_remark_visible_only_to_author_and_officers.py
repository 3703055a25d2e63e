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
