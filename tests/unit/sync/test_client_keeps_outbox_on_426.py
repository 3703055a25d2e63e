import pytest
from client_helpers import make_client

from sync import wire
from sync.client import SyncStopped
from sync.ids import new_id
from tests.builders import World, interview_args


def test_too_old_client_stops_and_keeps_its_changes(world: World, tmp_path, monkeypatch) -> None:
    client, _ = make_client(world, tmp_path, "u-cadre1")
    client.enqueue("interview.save", interview_args(new_id()))
    monkeypatch.setattr(wire, "MIN_PROTOCOL", 2)
    monkeypatch.setattr(wire, "PROTOCOL", 2)
    with pytest.raises(SyncStopped):
        client.push()
    assert len(client.outbox()) == 1
    monkeypatch.undo()
    assert client.push()[0].status == "applied"
