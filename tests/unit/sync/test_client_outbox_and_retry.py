from client_helpers import Faults, make_client

from sync.ids import new_id
from tests.builders import World, interview_args


def test_offline_work_is_queued_then_synced_and_the_outbox_drained(world: World, tmp_path) -> None:
    client, _ = make_client(world, tmp_path, "u-cadre1")
    iid = new_id()
    assert client.enqueue("interview.save", interview_args(iid)) == 1
    assert client.enqueue("note.add", {"id": new_id(), "interview_id": iid, "text": "离线记录"}) == 2
    assert [m["id"] for m in client.outbox()] == [1, 2]
    results = client.sync()
    assert [r.status for r in results] == ["applied", "applied"]
    assert client.outbox() == []
    assert client.row("interview", iid)["unit_id"] == "ws1"
    assert len(client.rows("note")) == 1
    assert client.seq_of("interview", iid) is not None


def test_lost_response_is_retried_and_answered_from_the_receipt(world: World, tmp_path) -> None:
    faults = Faults()
    client, sleeps = make_client(world, tmp_path, "u-cadre1", faults)
    iid = new_id()
    client.enqueue("interview.save", interview_args(iid))
    faults.add("push", "drop_response")
    [result] = client.push()
    assert result.status == "duplicate" and result.seq is not None
    assert len(sleeps) == 1
    assert world.db["interview"].count == 1
    client.pull()
    assert client.outbox() == []


def test_lost_request_is_retried(world: World, tmp_path) -> None:
    faults = Faults()
    client, sleeps = make_client(world, tmp_path, "u-cadre1", faults)
    client.enqueue("interview.save", interview_args(new_id()))
    faults.add("push", "drop_request")
    faults.add("push", "drop_request")
    assert [r.status for r in client.push()] == ["applied"]
    assert len(sleeps) == 2


def test_busy_server_retry_after_is_honoured(world: World, tmp_path, monkeypatch) -> None:
    from sync.errors import Busy

    client, sleeps = make_client(world, tmp_path, "u-cadre1")
    real_push = client.transport.push
    calls = {"n": 0}

    def flaky(request):
        calls["n"] += 1
        if calls["n"] == 1:
            exc = Busy("busy")
            exc.retry_after = 7
            raise exc
        return real_push(request)

    monkeypatch.setattr(client.transport, "push", flaky)
    client.enqueue("interview.save", interview_args(new_id()))
    assert client.push()[0].status == "applied"
    assert sleeps == [7.0]


def test_gives_up_after_the_retry_budget_and_keeps_the_outbox(world: World, tmp_path) -> None:
    import pytest

    from sync.transport import TransportError

    faults = Faults()
    client, _ = make_client(world, tmp_path, "u-cadre1", faults)
    client.enqueue("interview.save", interview_args(new_id()))
    for _ in range(10):
        faults.add("push", "drop_request")
    with pytest.raises(TransportError):
        client.push()
    assert len(client.outbox()) == 1


def test_state_survives_reopening_the_file(world: World, tmp_path) -> None:
    client, _ = make_client(world, tmp_path, "u-cadre1")
    client.enqueue("interview.save", interview_args(new_id()))
    client.close()
    again, _ = make_client(world, tmp_path, "u-cadre1")
    assert again.enqueue("interview.save", interview_args(new_id())) == 2
    assert [r.status for r in again.sync()] == ["applied", "applied"]


def test_large_outbox_goes_in_batches_and_pull_pages(world: World, tmp_path) -> None:
    client, _ = make_client(world, tmp_path, "u-cadre1")
    client.batch_size, client.page_size = 7, 5
    iid = new_id()
    client.enqueue("interview.save", interview_args(iid))
    for i in range(20):
        client.enqueue("note.add", {"id": new_id(), "interview_id": iid, "text": f"n{i}"})
    assert len(client.sync()) == 21
    assert len(client.rows("note")) == 20 and client.outbox() == []


def test_msgpack_transport(world: World, tmp_path) -> None:
    client, _ = make_client(world, tmp_path, "u-cadre1", media="msgpack")
    iid = new_id()
    client.enqueue("interview.save", interview_args(iid))
    client.sync()
    assert client.row("interview", iid)["form"] == "group"
