from client_helpers import make_client

from sync.ids import new_id
from tests.builders import World, interview_args


def test_client_renumbers_after_the_server_lost_its_mutations(world: World, tmp_path) -> None:
    """E.g. the server was restored from a backup older than this device's last sync."""
    client, _ = make_client(world, tmp_path, "u-cadre1")
    client.enqueue("interview.save", interview_args(new_id()))
    client.sync()
    iid = new_id()
    client.enqueue("interview.save", interview_args(iid))  # id 2
    with world.db.atomic():  # simulate the restore: the server forgot mutation 1
        world.db.execute("UPDATE sync_device SET last_mutation_id = 0")
        world.db.execute("DELETE FROM sync_receipt")
    # ...and this device already dropped mutation 1 from its outbox, so 2 is a gap
    results = client.push()
    assert [r.status for r in results] == ["applied"]
    assert results[0].id == 1
    client.pull()
    assert client.row("interview", iid) is not None and client.outbox() == []
