"""Wire types of the sync protocol (DESIGN §4) and their JSON/msgpack codecs.

Every Struct forbids unknown fields: a client sending a field the server does not know is told so
(400 naming the field) rather than having it silently ignored. Decoding errors are turned into
``sync.errors`` exceptions whose ``field`` is the JSON path of the offending value, e.g.
``mutations[0].args.form``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, TypeVar

import msgspec

from sync.errors import InvalidField, MalformedBody, UnsupportedMediaType

PROTOCOL = 1
"""Protocol version this server speaks."""
MIN_PROTOCOL = 1
SCHEMA_VERSION = 1
"""Schema version of mutation args and rows."""
MIN_SCHEMA_VERSION = 1

JSON = "application/json"
MSGPACK = "application/msgpack"
Media = Literal["json", "msgpack"]

AwareDatetime = Annotated[dt.datetime, msgspec.Meta(tz=True)]
MutationStatus = Literal["applied", "duplicate", "conflict", "rejected"]


class _Wire(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class Mutation(_Wire, omit_defaults=True):
    """One named mutation. ``args`` is checked against the mutation's own Struct by the engine."""

    id: Annotated[int, msgspec.Meta(ge=1)]
    name: str
    args: dict[str, Any]
    base: Annotated[int, msgspec.Meta(ge=0)] | None = None
    base_mutation: Annotated[int, msgspec.Meta(ge=1)] | None = None
    """Instead of ``base``: "the row as my mutation N left it". The server uses the seq that this
    device's earlier mutation N ended at (its receipt), so an edit of a row created earlier in the
    same offline session goes out in the same push as its create, without waiting for a pull."""
    client_time: AwareDatetime | None = None


class PushRequest(_Wire):
    protocol: int
    schema_version: int
    device_id: str
    client_time: AwareDatetime
    mutations: list[Mutation]


class ErrorInfo(_Wire, omit_defaults=True):
    code: str
    message: str
    field: str | None = None


class ConflictRef(_Wire, omit_defaults=True):
    """A conflict created by this mutation; the full record arrives by pull (entity ``conflict``)."""

    id: str
    entity: str
    row_id: str
    kind: Literal["hard", "soft"]
    field: str | None = None


class MutationResult(_Wire, omit_defaults=True):
    id: int
    status: MutationStatus
    seq: int | None = None
    conflicts: list[ConflictRef] | None = None
    error: ErrorInfo | None = None


class PushResponse(_Wire):
    results: list[MutationResult]
    last_mutation_id: int
    server_time: str


class Change(_Wire):
    seq: int
    entity: str
    id: str
    deleted: bool
    row: Any = None
    """The current row (object) or ``null`` for a tombstone. Server side it may hold a
    ``msgspec.Raw`` of the stored JSON so pages are encoded without re-parsing."""


class PullResponse(_Wire):
    changes: list[Change]
    cursor: int
    upto: int
    has_more: bool
    last_mutation_id: int


class PulledChange(Change):
    """A pulled change as an HTTP device client decodes a JSON page: ``row`` kept as the server's JSON
    (``msgspec.Raw``; ``null`` for a tombstone), since the client stores it as JSON anyway —
    decoding each row into dicts only to encode it back was a third of the client's time on a page of
    notes (bench/results.md, throughput)."""

    row: msgspec.Raw = msgspec.Raw(b"null")


class PulledPage(PullResponse):
    """A pull page with ``PulledChange`` rows (``sync.transport.HttpTransport``, JSON)."""

    changes: list[PulledChange]


class RowsResponse(_Wire):
    """Rows fetched by parent (``GET /api/sync/notes``): stored like a pull page's, no cursor."""

    changes: list[Change]


class ErrorBody(_Wire):
    error: ErrorInfo


# --- codecs --------------------------------------------------------------------------------------

T = TypeVar("T")

_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_NAMED = re.compile(r"(?:unknown|missing required) field `(?P<name>[^`]+)`")


def media_of(content_type: str | None) -> Media:
    """``json`` or ``msgpack`` from a Content-Type/Accept value; JSON when absent."""
    if not content_type:
        return "json"
    main = content_type.split(";", 1)[0].strip().lower()
    if main in ("application/json", "*/*", "application/*", ""):
        return "json"
    if main in ("application/msgpack", "application/x-msgpack", "application/vnd.msgpack"):
        return "msgpack"
    raise UnsupportedMediaType(f"unsupported media type {main!r}; use {JSON} or {MSGPACK}")


def field_path(message: str, prefix: str = "") -> str | None:
    """The dotted field path named by a msgspec ValidationError message (``$`` stripped)."""
    m = _PATH.search(message)
    path = m.group("path") if m else ""
    named = _NAMED.search(message)
    if named:
        path = f"{path}.{named.group('name')}"
    path = path.lstrip(".")
    if prefix:
        path = f"{prefix}.{path}" if path and not path.startswith("[") else prefix + path
    return path or None


def validation_error(exc: msgspec.ValidationError, prefix: str = "") -> InvalidField:
    message = str(exc)
    field = field_path(message, prefix)
    text = _PATH.sub("", message)
    return InvalidField(f"{text} (field `{field}`)" if field else text, field=field)


_DECODERS: dict[tuple[type, str], Any] = {}


def _decoder(type_: type, media: Media) -> Any:
    key = (type_, media)
    dec = _DECODERS.get(key)
    if dec is None:
        dec = msgspec.json.Decoder(type_) if media == "json" else msgspec.msgpack.Decoder(type_)
        _DECODERS[key] = dec
    return dec


def decode(body: bytes, type_: type[T], media: Media = "json") -> T:
    """Decode a body into ``type_``; malformed bytes → 400 ``request.malformed``, wrong shape →
    400 ``request.invalid_field`` naming the field."""
    try:
        return _decoder(type_, media).decode(body)
    except msgspec.ValidationError as exc:
        raise validation_error(exc) from None
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:  # msgpack str with invalid UTF-8
        raise MalformedBody(f"body is not valid {media}: {exc}") from None
    except RecursionError:
        raise too_deep(media) from None


def too_deep(media: str) -> MalformedBody:
    """A body nested deeper than the decoder's recursion limit (about 1,000 levels): a clean 400."""
    return MalformedBody(f"请求体嵌套层数过多 (body nested too deeply: {media} arrays/objects inside each other "
                         f"beyond the decoder's limit)")


def decode_push(body: bytes, media: Media = "json") -> PushRequest:
    return decode(body, PushRequest, media)


def convert(obj: Any, type_: type[T], prefix: str) -> T:
    """Check already-decoded data (e.g. a mutation's ``args``) against a Struct."""
    try:
        return msgspec.convert(obj, type_)
    except msgspec.ValidationError as exc:
        raise validation_error(exc, prefix) from None


_json_enc = msgspec.json.Encoder()
_mp_enc = msgspec.msgpack.Encoder()


def _unraw(obj: PullResponse) -> PullResponse:
    # msgpack cannot embed JSON text, so materialise the rows this once.
    changes = [
        msgspec.structs.replace(c, row=msgspec.json.decode(c.row)) if isinstance(c.row, msgspec.Raw) else c
        for c in obj.changes
    ]
    return msgspec.structs.replace(obj, changes=changes)


def encode(obj: Any, media: Media = "json") -> bytes:
    if media == "json":
        return _json_enc.encode(obj)
    if isinstance(obj, PullResponse):
        obj = _unraw(obj)
    return _mp_enc.encode(obj)
