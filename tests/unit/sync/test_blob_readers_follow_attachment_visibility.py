from sync.ids import new_id
from sync.policy import attachment_with_blob_visible
from tests.builders import World, interview_args

SHA = "e" * 64


def test_blob_visible_to_those_who_may_pull_an_attachment_of_it(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, aid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid))
    assert not attachment_with_blob_visible(world.db, world.actor("u-cadre1"), SHA)
    d.push_one("attachment.add", {"id": aid, "parent_entity": "interview", "parent_id": iid, "sha256": SHA,
                                  "mime": "image/jpeg", "size": 10})
    for user, ok in [("u-cadre1", True), ("u-lead1", True), ("u-hr", True), ("u-cadre2", False), ("u-handler", False)]:
        assert attachment_with_blob_visible(world.db, world.actor(user), SHA) is ok, user
    d.push_one("attachment.remove", {"id": aid})
    assert not attachment_with_blob_visible(world.db, world.actor("u-hr"), SHA)
