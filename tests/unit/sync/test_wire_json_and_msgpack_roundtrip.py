import msgspec
import pytest

from sync import wire
from sync.ids import new_id
from sync.pull import pull
from tests.builders import World, interview_args


@pytest.mark.parametrize("media", ["json", "msgpack"])
def test_push_request_roundtrips(media, dev) -> None:
    req = dev("u-cadre1").request(("interview.save", interview_args(new_id())))
    assert wire.decode_push(wire.encode(req, media), media) == req


@pytest.mark.parametrize("media", ["json", "msgpack"])
def test_pull_response_encodes_stored_rows_in_both_formats(world: World, dev, media) -> None:
    iid = new_id()
    dev("u-cadre1").push_one("interview.save", interview_args(iid))
    page = pull(world.db, world.actor("u-cadre1"), 0, 1000)
    decoded = wire.decode(wire.encode(page, media), wire.PullResponse, media)
    [row] = [c.row for c in decoded.changes if c.id == iid]
    assert row["id"] == iid and row["participants"][2] == {"post": "班长", "name": "刘班长", "anonymous": False}
    assert decoded.upto == page.upto and decoded.has_more is False


def test_json_pull_matches_the_documented_shape(world: World) -> None:
    page = pull(world.db, world.actor("u-hr"), 0, 2)
    body = msgspec.json.decode(wire.encode(page))
    assert set(body) == {"changes", "cursor", "upto", "has_more", "last_mutation_id"}
    assert set(body["changes"][0]) == {"seq", "entity", "id", "deleted", "row"}


def test_result_omits_absent_fields(dev) -> None:
    r = dev("u-cadre1").push_one("interview.save", interview_args(new_id()))
    assert set(msgspec.json.decode(wire.encode(r))) == {"id", "status", "seq"}
