"""Whatever bytes arrive, decoding a push ends in the typed 400 errors, never in a crash."""

from __future__ import annotations

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import wire
from sync.errors import InvalidField, MalformedBody

ints = st.integers(-(2**63), 2**63 - 1)
json_values = st.recursive(
    st.none() | st.booleans() | ints | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
push_like = st.fixed_dictionaries(
    {"protocol": ints, "schema_version": ints, "device_id": st.text(max_size=5),
     "client_time": st.sampled_from(["2025-11-03T09:00:00+08:00", "nope", "2025-11-03T09:00:00"])},
    optional={"mutations": st.lists(st.fixed_dictionaries(
        {"id": st.integers(-2, 5) | st.text(max_size=2), "name": st.text(max_size=8), "args": json_values},
        optional={"base": json_values}), max_size=3), "extra": json_values},
)


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=200))
def test_random_bytes(body: bytes) -> None:
    """Any bytes either decode to a whole PushRequest or are refused with a typed error that says why."""
    for media in ("json", "msgpack"):
        try:
            req = wire.decode_push(body, media)
        except (MalformedBody, InvalidField) as exc:  # a wrong top-level type names no field, only the type
            assert exc.status == 400 and exc.message, exc
        else:
            assert isinstance(req, wire.PushRequest)


@settings(max_examples=150, deadline=None)
@given(obj=push_like)
def test_push_shaped_objects(obj: dict) -> None:
    for media, enc in (("json", msgspec.json.encode), ("msgpack", msgspec.msgpack.encode)):
        try:
            req = wire.decode_push(enc(obj), media)
        except InvalidField as exc:
            assert exc.field, exc.message  # always names the field
        else:
            assert isinstance(req, wire.PushRequest)
