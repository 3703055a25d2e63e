"""How a device client reaches the server: in-process (tests, CLI on the server host) or HTTP.

Both transports speak ``sync.wire`` types and raise the same things: a ``FangtanError`` subclass
for an answer from the server (rebuilt from its stable ``code``), ``TransportError`` when the
network failed and the outcome is unknown (the request may or may not have been applied — which
is fine, retries are answered from receipts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal, Protocol

import msgspec
from sqlite_utils import Database

from sync import engine, wire
from sync.actor import Actor
from sync.errors import CATALOGUE, Busy, FangtanError
from sync.pull import pull as pull_page
from sync.wire import PullResponse, PushRequest, PushResponse


class TransportError(Exception):
    """The request did not get an answer (connection refused/reset, timeout, lost response)."""


class Transport(Protocol):
    def push(self, request: PushRequest) -> PushResponse: ...

    def pull(self, cursor: int, limit: int, upto: int | None, snapshot: bool) -> PullResponse: ...


Fault = Literal["drop_request", "drop_response"] | None


class InProcessTransport:
    """Calls ``apply_push``/``pull`` directly, through a full encode/decode round trip.

    ``db`` is a callable so a test can "restart the server" (close and reopen the file) between
    calls. ``fault`` lets tests simulate a request that never arrived (``drop_request``) or one
    that was committed but whose response was lost (``drop_response``).
    """

    def __init__(self, db: Callable[[], Database], actor: Actor,
                 clock: Callable[[], dt.datetime] | None = None,
                 fault: Callable[[str], Fault] | None = None, media: wire.Media = "json") -> None:
        self._db = db
        self.actor = actor
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._fault = fault or (lambda _op: None)
        self.media: wire.Media = media

    def _roundtrip(self, obj: Any, type_: type) -> Any:
        return wire.decode(wire.encode(obj, self.media), type_, self.media)

    def push(self, request: PushRequest) -> PushResponse:
        fault = self._fault("push")
        if fault == "drop_request":
            raise TransportError("simulated: request lost")
        request = self._roundtrip(request, PushRequest)
        response = engine.apply_push(self._db(), self.actor, request, self._clock())
        if fault == "drop_response":
            raise TransportError("simulated: committed, response lost")
        return self._roundtrip(response, PushResponse)

    def pull(self, cursor: int, limit: int, upto: int | None, snapshot: bool) -> PullResponse:
        fault = self._fault("pull")
        if fault == "drop_request":
            raise TransportError("simulated: request lost")
        response = pull_page(self._db(), self.actor, cursor, limit, upto, snapshot=snapshot)
        if fault == "drop_response":
            raise TransportError("simulated: response lost")
        return self._roundtrip(response, PullResponse)


def error_from_response(status: int, body: bytes, media: wire.Media, retry_after: str | None) -> FangtanError:
    """Rebuild the server's typed error from ``{"error": {code, message, field?, details?}}``."""
    info: dict[str, Any] = {}
    try:
        decoded = msgspec.json.decode(body) if media == "json" else msgspec.msgpack.decode(body)
        if isinstance(decoded, dict) and isinstance(decoded.get("error"), dict):
            info = decoded["error"]
    except msgspec.DecodeError:
        pass
    cls = CATALOGUE.get(str(info.get("code", "")))
    if cls is None:
        cls = Busy if status == 503 else FangtanError
    exc = cls(str(info.get("message") or f"HTTP {status}"), field=info.get("field"), details=info.get("details"))
    exc.status = status
    if retry_after is not None:
        try:
            exc.retry_after = int(float(retry_after))
        except ValueError:
            pass
    return exc


class HttpTransport:
    """``POST /api/sync/push`` and ``GET /api/sync/pull`` with a bearer token (httpx)."""

    def __init__(self, base_url: str, token: str, *, media: wire.Media = "json",
                 timeout: float = 30.0, client: Any | None = None) -> None:
        import httpx

        self._httpx = httpx
        self.media: wire.Media = media
        content_type = wire.JSON if media == "json" else wire.MSGPACK
        self._headers = {"Authorization": f"Bearer {token}", "Accept": content_type,
                         "Content-Type": content_type}
        self._client = client or httpx.Client(base_url=base_url, timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def _send(self, method: str, url: str, **kw: Any) -> bytes:
        try:
            resp = self._client.request(method, url, headers=self._headers, **kw)
        except self._httpx.TransportError as exc:
            raise TransportError(str(exc)) from exc
        if resp.status_code != 200:
            try:
                media = wire.media_of(resp.headers.get("content-type"))
            except FangtanError:
                media = "json"
            raise error_from_response(resp.status_code, resp.content, media, resp.headers.get("retry-after"))
        return resp.content

    def push(self, request: PushRequest) -> PushResponse:
        body = self._send("POST", "/api/sync/push", content=wire.encode(request, self.media))
        return wire.decode(body, PushResponse, self.media)

    def pull(self, cursor: int, limit: int, upto: int | None, snapshot: bool) -> PullResponse:
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if upto is not None:
            params["upto"] = upto
        if snapshot:
            params["snapshot"] = 1
        body = self._send("GET", "/api/sync/pull", params=params)
        return wire.decode(body, PullResponse, self.media)
