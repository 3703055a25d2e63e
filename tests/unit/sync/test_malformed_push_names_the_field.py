import msgspec
import pytest

from sync import wire
from sync.engine import apply_push
from sync.errors import InvalidField, MalformedBody, UnknownMutation, UnsupportedMediaType
from sync.ids import new_id
from tests.builders import T0, World, interview_args

BASE = {"protocol": 1, "schema_version": 1, "device_id": "d-u-cadre1", "client_time": "2025-11-03T09:00:00+08:00"}


def body(**kw) -> bytes:
    return msgspec.json.encode({**BASE, **kw})


def test_bad_json_is_malformed() -> None:
    with pytest.raises(MalformedBody) as info:
        wire.decode_push(b'{"protocol": 1,')
    assert info.value.to_dict() == {"code": "request.malformed",
                                    "message": "body is not valid json: Input data was truncated"}


def test_bad_msgpack_is_malformed() -> None:
    with pytest.raises(MalformedBody) as info:
        wire.decode_push(b"\xc1\xff", "msgpack")
    assert info.value.field is None and info.value.message.startswith("body is not valid msgpack: ")
    assert "byte 0" in info.value.message  # says where the bytes went wrong


@pytest.mark.parametrize(("payload", "field"), [
    (body(mutations=[{"id": 1, "name": "note.add", "args": {}, "extra": 1}]), "mutations[0].extra"),
    (body(mutations=[{"id": "1", "name": "note.add", "args": {}}]), "mutations[0].id"),
    (body(mutations=[{"id": 1, "name": "note.add"}]), "mutations[0].args"),
    (body(mutations=[{"id": 1, "name": "note.add", "args": []}]), "mutations[0].args"),
    (body(client_time="yesterday", mutations=[]), "client_time"),
    (body(client_time="2025-11-03T09:00:00", mutations=[]), "client_time"),
    (msgspec.json.encode(BASE), "mutations"),
])
def test_wrong_shapes_name_the_field(payload: bytes, field: str) -> None:
    with pytest.raises(InvalidField) as info:
        wire.decode_push(payload)
    assert info.value.field == field
    assert field in info.value.message


def test_msgpack_errors_name_the_field_too() -> None:
    payload = msgspec.msgpack.encode({**BASE, "mutations": [{"id": 1, "name": 5, "args": {}}]})
    with pytest.raises(InvalidField) as info:
        wire.decode_push(payload, "msgpack")
    assert info.value.field == "mutations[0].name"


def test_unsupported_media_type() -> None:
    with pytest.raises(UnsupportedMediaType):
        wire.media_of("text/xml")
    assert wire.media_of("application/json; charset=utf-8") == "json"
    assert wire.media_of("application/msgpack") == "msgpack"


@pytest.mark.parametrize(("args", "field"), [
    ({"id": "x", "interview_id": "y"}, "mutations[1].args.text"),
    ({"id": "x", "interview_id": "y", "text": 5}, "mutations[1].args.text"),
    ({"id": "x", "interview_id": "y", "text": "t", "colour": "red"}, "mutations[1].args.colour"),
])
def test_mistyped_args_fail_the_whole_push(world: World, dev, args, field) -> None:
    d = dev("u-cadre1")
    req = d.request(("interview.save", interview_args(new_id())), ("note.add", args))
    with pytest.raises(InvalidField) as info:
        apply_push(world.db, d.actor, req, T0)
    assert info.value.field == field
    assert world.db["interview"].count == 0


def test_nested_arg_errors_have_the_full_path(world: World, dev) -> None:
    d = dev("u-cadre1")
    req = d.request(("interview.save", interview_args(new_id(), participants=[{"post": "a"}, {"post": 3}])))
    with pytest.raises(InvalidField) as info:
        apply_push(world.db, d.actor, req, T0)
    assert info.value.field == "mutations[0].args.participants[1].post"


def test_unknown_mutation_name(world: World, dev) -> None:
    d = dev("u-cadre1")
    req = d.request(("interview.save", interview_args(new_id())), ("interview.delete", {"id": "x"}))
    with pytest.raises(UnknownMutation) as info:
        apply_push(world.db, d.actor, req, T0)
    assert info.value.status == 400 and info.value.field == "mutations[1].name"
    assert world.db["interview"].count == 0


def test_ids_inside_a_batch_must_be_consecutive(world: World, dev) -> None:
    d = dev("u-cadre1")
    req = d.request(("interview.save", interview_args(new_id())), ("interview.save", interview_args(new_id())))
    req.mutations[1].id = 5
    with pytest.raises(InvalidField) as info:
        apply_push(world.db, d.actor, req, T0)
    assert info.value.field == "mutations[1].id"
