from sync.ids import new_id
from sync.pull import pull
from tests.builders import World, interview_args, pull_all

SHA = "a" * 64


def test_removed_attachment_leaves_a_tombstone_for_those_who_saw_it(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, aid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid))
    d.push_one("attachment.add", {"id": aid, "parent_entity": "interview", "parent_id": iid, "sha256": SHA,
                                  "mime": "image/jpeg", "size": 1234})
    rows, cursor = pull_all(world.db, d.actor)
    assert rows[("attachment", aid)]["sha256"] == SHA
    assert d.push_one("attachment.remove", {"id": aid}).status == "applied"
    page = pull(world.db, d.actor, cursor, 100)
    [tomb] = [c for c in page.changes if c.id == aid]
    assert tomb.deleted and tomb.row is None
    other, _ = pull_all(world.db, world.actor("u-cadre2"), cursor)
    assert ("attachment", aid) not in other  # tombstones keep the row's audience
    assert world.db["attachment"].count == 0


def test_snapshot_omits_tombstones(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, aid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid))
    d.push_one("attachment.add", {"id": aid, "parent_entity": "interview", "parent_id": iid, "sha256": SHA,
                                  "mime": "image/jpeg", "size": 1})
    d.push_one("attachment.remove", {"id": aid})
    snap = pull(world.db, d.actor, 12345, 1000, snapshot=True)
    assert not any(c.deleted for c in snap.changes)
    assert ("interview", iid) in {(c.entity, c.id) for c in snap.changes}


def test_only_the_author_removes(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, aid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid, cadre_ids=["u-cadre1", "u-lead1"]))
    d.push_one("attachment.add", {"id": aid, "parent_entity": "interview", "parent_id": iid, "sha256": SHA,
                                  "mime": "audio/webm", "size": 1})
    assert dev("u-lead1").push_one("attachment.remove", {"id": aid}).error.code == "auth.forbidden"
    assert dev("u-lead1").push_one("attachment.remove", {"id": new_id()}).error.code == "not_found"
