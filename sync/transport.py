"""How a device client reaches the server: in-process (tests, CLI on the server host) or HTTP.

Both transports speak ``sync.wire`` types and raise the same things: a ``FangtanError`` subclass
for an answer from the server (rebuilt from its stable ``code``), ``TransportError`` when the
network failed and the outcome is unknown (the request may or may not have been applied — which
is fine, retries are answered from receipts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal, Protocol
from urllib.parse import parse_qs, urlsplit

import msgspec
from isal import isal_zlib
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
    """``POST /api/sync/push`` and ``GET /api/sync/pull`` with a bearer token (httpx).

    A pull page that names the next one (``Link: rel="next"``, docs/sync-protocol.md §3) has that
    page asked for at once, on a second connection, while this one is read, gunzipped and decoded and
    the caller stores it: the server's work on page n+1 overlaps the device's on page n (the PWA
    overlaps its pages too: pwa/src/sync/client.ts). The next ``pull()`` with exactly those parameters takes it;
    any other call drops it. It is only a read: a failed look-ahead is that call's failure, retried as
    any other, and the protocol (cursor, ``upto``, exactly-once) is unchanged.
    """

    def __init__(self, base_url: str, token: str, *, media: wire.Media = "json",
                 timeout: float = 30.0, client: Any | None = None) -> None:
        import httpx

        self._httpx = httpx
        self.media: wire.Media = media
        content_type = wire.JSON if media == "json" else wire.MSGPACK
        # gzip only: it is gunzipped here with ISA-L (a third of zlib's time), not by httpx.
        self._headers = {"Authorization": f"Bearer {token}", "Accept": content_type,
                         "Content-Type": content_type, "Accept-Encoding": "gzip"}
        self._client = client or httpx.Client(base_url=base_url, timeout=timeout)
        self._ahead: tuple[tuple[int, int, int], Future] | None = None
        self._worker: ThreadPoolExecutor | None = None

    def close(self) -> None:
        self._drop_ahead()
        if self._worker is not None:
            self._worker.shutdown(wait=True)
        self._client.close()

    def _open(self, method: str, url: str, **kw: Any) -> Any:
        """The response with its headers read and its body not yet (or the server's error raised)."""
        try:
            request = self._client.build_request(method, url, headers=self._headers, **kw)
            resp = self._client.send(request, stream=True)
        except self._httpx.TransportError as exc:
            raise TransportError(str(exc)) from exc
        if resp.status_code != 200:
            body = self._read(resp)
            try:
                media = wire.media_of(resp.headers.get("content-type"))
            except FangtanError:
                media = "json"
            raise error_from_response(resp.status_code, body, media, resp.headers.get("retry-after"))
        return resp

    def _read(self, resp: Any) -> bytes:
        """The body, gunzipped; the connection goes back to the pool."""
        try:
            if resp.is_stream_consumed:  # already read by httpx (a response made in-process, as in tests)
                return resp.content
            encoding = resp.headers.get("content-encoding", "").strip().lower()
            if encoding in ("", "identity", "gzip"):
                raw = b"".join(resp.iter_raw())
                return isal_zlib.decompress(raw, 47) if encoding == "gzip" else raw  # 47: gzip or zlib
            return resp.read()  # anything else httpx knows how to decode
        except self._httpx.TransportError as exc:
            raise TransportError(str(exc)) from exc
        except isal_zlib.error as exc:
            raise TransportError(f"corrupt gzip body: {exc}") from exc
        finally:
            resp.close()

    def _send(self, method: str, url: str, **kw: Any) -> bytes:
        return self._read(self._open(method, url, **kw))

    def push(self, request: PushRequest) -> PushResponse:
        body = self._send("POST", "/api/sync/push", content=wire.encode(request, self.media))
        return wire.decode(body, PushResponse, self.media)

    def pull(self, cursor: int, limit: int, upto: int | None, snapshot: bool) -> PullResponse:
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if upto is not None:
            params["upto"] = upto
        if snapshot:
            params["snapshot"] = 1
        if self._ahead is not None and self._ahead[0] == (cursor, limit, upto) and not snapshot:
            future = self._ahead[1]
            self._ahead = None
            resp = future.result()  # its failure is this call's
        else:
            self._drop_ahead()
            resp = self._open("GET", "/api/sync/pull", params=params)
        following = _next_page(resp.links.get("next", {}).get("url"))
        if following is not None and following[1] == limit:
            # Only the request and the wait for its headers run in the worker; the body is read and
            # decoded here. A worker that also read the body fought this thread for the GIL while
            # msgspec decoded (CPython hands it over every 5 ms): measured slower than no look-ahead.
            if self._worker is None:
                self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-ahead")
            next_params = {"cursor": following[0], "limit": following[1], "upto": following[2]}
            self._ahead = (following, self._worker.submit(self._open, "GET", "/api/sync/pull", params=next_params))
        # JSON rows stay the server's bytes (``wire.PulledChange``); msgpack rows are decoded, since a
        # device stores rows as JSON.
        return wire.decode(self._read(resp), wire.PulledPage if self.media == "json" else PullResponse, self.media)

    def _drop_ahead(self) -> None:
        if self._ahead is None:
            return
        future = self._ahead[1]
        self._ahead = None
        try:
            future.result().close()  # the connection goes back to the pool
        except Exception:  # noqa: BLE001 — a dropped look-ahead's failure concerns nobody
            pass


def _next_page(url: str | None) -> tuple[int, int, int] | None:
    """(cursor, limit, upto) of a ``Link: rel="next"`` URL, or None when it is absent or not one this
    client reads (then the next page is asked for when it is wanted)."""
    if not url:
        return None
    query = parse_qs(urlsplit(url).query)
    try:
        return int(query["cursor"][0]), int(query["limit"][0]), int(query["upto"][0])
    except (KeyError, ValueError, IndexError):
        return None
