import datetime as dt

from server.blobs.service import may_read_blob, record_blob_tx
from sync.ids import new_id
from sync.policy import attachment_with_blob_visible
from tests.builders import World, interview_args

SHA = "e" * 64
NOW = dt.datetime(2025, 11, 24, tzinfo=dt.UTC)


def uploaded(world: World, user: str, sha: str = SHA) -> None:
    with world.db.atomic():
        record_blob_tx(world.db, sha256=sha, size=10, mime="image/jpeg", actor=world.actor(user), now=NOW)


def test_blob_visible_to_those_who_may_pull_an_attachment_of_it_by_a_holder(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, aid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid))
    uploaded(world, "u-cadre1")
    assert not attachment_with_blob_visible(world.db, world.actor("u-cadre1"), SHA)
    d.push_one("attachment.add", {"id": aid, "parent_entity": "interview", "parent_id": iid, "sha256": SHA,
                                  "mime": "image/jpeg", "size": 10})
    for user, ok in [("u-cadre1", True), ("u-lead1", True), ("u-hr", True), ("u-cadre2", False), ("u-handler", False)]:
        assert attachment_with_blob_visible(world.db, world.actor(user), SHA) is ok, user
        assert may_read_blob(world.db, world.actor(user), SHA) is ok, user
    d.push_one("attachment.remove", {"id": aid})
    assert not attachment_with_blob_visible(world.db, world.actor("u-hr"), SHA)
    assert not may_read_blob(world.db, world.actor("u-hr"), SHA)
    assert may_read_blob(world.db, world.actor("u-cadre1"), SHA)  # the uploader keeps their own bytes


def test_an_attachment_by_a_non_holder_opens_nothing(world: World, dev) -> None:
    """Metadata first: the attachment is accepted before any bytes exist, but when someone else then
    uploads those bytes, the attachment's readers do not get them through it."""
    iid = new_id()
    dev("u-cadre2").push_one("interview.save", interview_args(iid, cadre_ids=["u-cadre2"]))
    r = dev("u-cadre2").push_one("attachment.add", {"id": new_id(), "parent_entity": "interview", "parent_id": iid,
                                                    "sha256": SHA, "mime": "image/jpeg", "size": 10})
    assert r.status == "applied"
    uploaded(world, "u-cadre1")
    for user in ("u-cadre2", "u-hr"):
        assert not may_read_blob(world.db, world.actor(user), SHA), user


def test_attaching_a_blob_one_can_read_makes_one_a_holder(world: World, dev) -> None:
    iid, issue = new_id(), new_id()
    dev("u-cadre1").push_one("interview.save", interview_args(iid))
    uploaded(world, "u-cadre1")
    dev("u-cadre1").push_one("attachment.add", {"id": new_id(), "parent_entity": "interview", "parent_id": iid,
                                                "sha256": SHA, "mime": "image/jpeg", "size": 10})
    from tests.builders import issue_args

    dev("u-cadre1").push_one("issue.raise", issue_args(issue, iid))
    r = dev("u-hr").push_one("attachment.add", {"id": new_id(), "parent_entity": "issue", "parent_id": issue,
                                                "sha256": SHA, "mime": "image/jpeg", "size": 10})
    assert r.status == "applied", r  # HR could read it (through the interview): may cite it
    assert world.db.execute("SELECT count(*) FROM blob_holder WHERE sha256 = ? AND user_id = 'u-hr'",
                            [SHA]).fetchone()[0] == 1
    # cadre2 may attach to their own interview, but not bytes they neither uploaded nor can read.
    own = new_id()
    dev("u-cadre2").push_one("interview.save", interview_args(own, cadre_ids=["u-cadre2"]))
    refused = dev("u-cadre2").push_one("attachment.add", {"id": new_id(), "parent_entity": "interview",
                                                          "parent_id": own, "sha256": SHA, "mime": "image/jpeg",
                                                          "size": 10})
    assert (refused.status, refused.error.code, refused.error.field) == ("rejected", "attachment.blob_not_yours",
                                                                         "sha256")
    assert not may_read_blob(world.db, world.actor("u-cadre2"), SHA)
