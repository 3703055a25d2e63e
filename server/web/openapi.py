"""The OpenAPI document, made truthful where Litestar cannot infer it.

Litestar describes what it can see in handler signatures. Three things it cannot see:

* the sync endpoints read and write raw bytes (JSON or msgpack, chosen by Content-Type/Accept), so
  their bodies are described here from the ``sync.wire`` Structs;
* every error leaves as the ``{"error": {code, message, field?, details?}}`` envelope
  (``server.web.errors``), not Litestar's default ``{status_code, detail, extra}``;
* authentication is a bearer token on everything outside ``PUBLIC_PATHS``, and any request that
  touches the database may answer 503 with ``Retry-After``.

The document is rewritten once, when ``/schema/openapi.json`` is rendered.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.openapi.plugins import JsonRenderPlugin

from server.web.auth import PUBLIC_PATHS
from sync import wire

_REF = "#/components/schemas/{name}"
_NO_DATABASE = {"/api/health"}  # answers without touching SQLite, so never 503
ERROR_ENVELOPE = "ErrorEnvelope"

# Prefixed so they can never collide with a schema Litestar generates from a handler signature.
_WIRE_TYPES = {
    "SyncPushRequest": wire.PushRequest,
    "SyncPushResponse": wire.PushResponse,
    "SyncPullResponse": wire.PullResponse,
}

_ERROR_ENVELOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "description": "stable dotted code, see sync/errors.py"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"], "description": "JSON path of the offending value"},
                "details": {"type": "object"},
            },
        }
    },
}

_SYNC_ERRORS = {
    "400": "malformed body (`request.malformed`), a field missing/unknown/mistyped (`request.invalid_field`), "
    "an unknown mutation (`sync.unknown_mutation`) or a version above the server's",
    "401": "no, expired or revoked bearer token",
    "403": "the device is not the caller's (`auth.forbidden`)",
    "409": "mutation ids must continue from last_mutation_id + 1 (`sync.mutation_gap`, details.expected)",
    "413": "more mutations than the server accepts at once, or a body over the size limit",
    "415": "Content-Type neither JSON nor msgpack",
    "426": "protocol/schema version below the accepted window; the push is parked (`sync.client_too_old`)",
}
_PULL_ERRORS = {
    "400": "a query parameter is not a valid integer/boolean or out of range (`request.invalid_field`)",
    "401": "no, expired or revoked bearer token",
    "410": "the cursor is older than the tombstone horizon: pull again from 0 (`sync.cursor_expired`)",
}


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": _REF.format(name=ERROR_ENVELOPE)}}},
    }


def _busy_response() -> dict[str, Any]:
    response = _error_response("the database is busy or the disk is full; nothing was applied, retry later (`busy`)")
    response["headers"] = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}
    return response


def _both_media(ref: str) -> dict[str, Any]:
    schema = {"$ref": _REF.format(name=ref)}
    return {"application/json": {"schema": schema}, "application/msgpack": {"schema": schema}}


def _wire_components() -> dict[str, Any]:
    names = {type_: name for name, type_ in _WIRE_TYPES.items()}
    (_, components) = msgspec.json.schema_components(list(_WIRE_TYPES.values()), ref_template="{name}")
    # Nested Structs (Mutation, Change, …) keep their names, prefixed like the top-level ones.
    renames = {type_.__name__: name for type_, name in names.items()}
    renames.update({name: f"Sync{name}" for name in components if name not in renames})
    text = msgspec.json.encode(components).decode()
    for old, new in renames.items():
        text = text.replace(f'"$ref":"{old}"', f'"$ref":"{_REF.format(name=new)}"')
    return {renames[name]: schema for name, schema in msgspec.json.decode(text).items()}


def _is_litestar_error(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    variants = schema.get("oneOf", [schema])
    return any("status_code" in v.get("properties", {}) and "detail" in v.get("properties", {}) for v in variants)


def _describe_push(op: dict[str, Any]) -> None:
    op["description"] = (
        "Apply a batch of named mutations exactly once (docs/sync-protocol.md §2). The body is "
        "JSON or msgpack (Content-Type); the answer follows Accept, else the request's media."
    )
    op["requestBody"] = {"required": True, "content": _both_media("SyncPushRequest")}
    op["responses"] = {
        "200": {"description": "one result per mutation, in order", "content": _both_media("SyncPushResponse")},
        **{status: _error_response(text) for status, text in _SYNC_ERRORS.items()},
    }


def _describe_pull(op: dict[str, Any]) -> None:
    ok = op["responses"].get("200", {})
    ok["content"] = _both_media("SyncPullResponse")
    ok["description"] = "one page of changes visible to the caller (JSON, or msgpack on Accept)"
    op["responses"] = {"200": ok, **{status: _error_response(text) for status, text in _PULL_ERRORS.items()}}


def describe(document: dict[str, Any], public_operations: frozenset[tuple[str, str]] = frozenset()) -> dict[str, Any]:
    """A copy of Litestar's OpenAPI ``document`` with the sync bodies, error envelope, bearer auth
    and 503s described. ``public_operations`` are (path, method) pairs served without a token
    besides ``PUBLIC_PATHS`` (handlers marked ``exclude_from_auth``)."""
    doc = copy.deepcopy(document)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_ENVELOPE] = _ERROR_ENVELOPE_SCHEMA
    schemas.update(_wire_components())
    doc["components"].setdefault("securitySchemes", {})["bearer"] = {"type": "http", "scheme": "bearer"}
    public = [re.compile(p) for p in PUBLIC_PATHS]
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            if path == "/api/sync/push" and method == "post":
                _describe_push(op)
            elif path == "/api/sync/pull" and method == "get":
                _describe_pull(op)
            responses = op["responses"]
            for status, response in list(responses.items()):
                if _is_litestar_error(response):
                    responses[status] = _error_response(response.get("description") or "bad request")
            if (path, method) not in public_operations and not any(p.search(path) for p in public):
                op["security"] = [{"bearer": []}]
                responses.setdefault("401", _error_response("no, expired or revoked bearer token"))
            if path not in _NO_DATABASE:
                responses.setdefault("503", _busy_response())
    return doc


class FangtanOpenAPIJson(JsonRenderPlugin):
    """``/schema/openapi.json``, rewritten by :func:`describe` (computed once, then cached)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rendered: bytes | None = None

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        if self._rendered is None:
            self._rendered = self.render_json(request, describe(openapi_schema, public_operations(request.app)))
        return self._rendered


def public_operations(app: Litestar) -> frozenset[tuple[str, str]]:
    """(OpenAPI path, method) of every handler that opted out of authentication."""
    out = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if handler.opt.get("exclude_from_auth"):
                path = re.sub(r"\{(\w+):[^}]+\}", r"{\1}", route.path)
                out.update((path, method.lower()) for method in handler.http_methods)
    return frozenset(out)
