from client_helpers import make_client

from sync.ids import new_id
from tests.builders import World, interview_args


def test_a_mutation_the_server_cannot_decode_lands_in_the_rejection_inbox(world: World, tmp_path) -> None:
    client, _ = make_client(world, tmp_path, "u-cadre1")
    iid = new_id()
    client.enqueue("interview.save", interview_args(iid))
    client.enqueue("note.add", {"id": new_id(), "interview_id": iid, "text": "正常"})
    client.enqueue("note.add", {"id": new_id(), "interview_id": iid, "txt": "拼错字段"})
    client.enqueue("interview.archive", {"id": iid})
    results = client.sync()
    assert [r.status for r in results[-4:]] == ["applied", "applied", "rejected", "rejected"]
    inbox = {r["mutation_id"]: r for r in client.rejections()}
    assert inbox[3]["name"] == "note.add" and inbox[3]["args"]["txt"] == "拼错字段"
    assert inbox[3]["error"]["code"] == "sync.voided"
    assert inbox[4]["name"] == "interview.archive"
    assert client.outbox() == []
