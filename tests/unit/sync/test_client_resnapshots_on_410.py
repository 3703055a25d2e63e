import datetime as dt

from client_helpers import make_client

from sync import maintenance
from sync.ids import new_id
from tests.builders import T0, World, interview_args


def test_expired_cursor_triggers_a_clean_snapshot(world: World, tmp_path, dev) -> None:
    client, _ = make_client(world, tmp_path, "u-cadre1")
    client.sync()
    d = dev("u-hr")
    iid, aid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid, cadre_ids=["u-cadre1"]))
    client.sync()
    d.push_one("attachment.add", {"id": aid, "parent_entity": "interview", "parent_id": iid, "sha256": "d" * 64,
                                  "mime": "image/png", "size": 1})
    client.sync()
    assert client.row("attachment", aid) is not None
    d.push_one("attachment.remove", {"id": aid})
    maintenance.purge(world.db, T0 + dt.timedelta(days=200))  # the tombstone is gone
    client.enqueue("note.add", {"id": new_id(), "interview_id": iid, "text": "离线期间"})
    client.sync()
    assert client.row("attachment", aid) is None           # the snapshot no longer has it
    assert client.row("interview", iid) is not None
    assert len(client.rows("note")) == 1 and client.outbox() == []
