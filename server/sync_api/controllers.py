"""``POST /api/sync/push`` and ``GET /api/sync/pull``: JSON by default, msgpack on request."""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery

from server.clock import utcnow
from server.sync_api import clocks, pages, parking
from server.sync_api.faults import push_commit_fault
from server.web.deps import StoreDep
from server.web.guards import allows
from sync import receipt_codes, wire
from sync.actor import Actor
from sync.engine import PushJob, apply_push_group
from sync.errors import LOCALE, Forbidden
from sync.pull import DEFAULT_LIMIT, interview_notes


class ReceiptPool(msgspec.Struct):
    codes: list[str]
    """Every unspent code reserved for the calling device, oldest first."""
    pool_size: int
    low: int
    """Fewer left than this: the tablet warns."""


_CONTENT_TYPES = {"json": "application/json", "msgpack": "application/msgpack"}


def _response_media(request: Request, fallback: wire.Media) -> wire.Media:
    accept = request.headers.get("accept")
    if not accept or accept.strip() in ("*/*", ""):
        return fallback
    return "msgpack" if "msgpack" in accept else "json"


def _encoded(obj: object, media: wire.Media) -> Response[bytes]:
    return Response(content=wire.encode(obj, media), media_type=_CONTENT_TYPES[media], status_code=200)


class SyncController(Controller):
    path = "/api/sync"
    tags = ["sync"]

    @post("/push", guards=[allows("sync.push")], status_code=200)
    async def push(self, request: Request[Actor, str, object], store: StoreDep) -> Response[bytes]:
        """Apply a batch of named mutations exactly once (see docs/sync-protocol.md)."""
        actor = request.user
        media = wire.media_of(request.headers.get("content-type"))
        body = await request.body()
        too_old = parking.below_window(body, media)
        if too_old is not None:
            now = utcnow()
            await store.write_tx(
                lambda db: parking.park_tx(db, actor=actor, versions=too_old, media=media, body=body, now=now)
            )
            raise parking.too_old_error(too_old)
        push_request = wire.decode_push(body, media)
        now = utcnow()
        # Group commit: pushes queued together share one transaction and one fsync (sync/engine.py).
        result = await store.write_batched(
            apply_push_group, PushJob(actor, push_request, now, locale=LOCALE.get()), weight=len(push_request.mutations)
        )
        push_commit_fault.after_commit()  # no-op unless a fault test armed it
        return _encoded(result, _response_media(request, media))

    @get("/pull", guards=[allows("sync.pull")], opt={pages.SKIP_COMPRESSION: True})
    async def pull(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        cursor: FromQuery[int] = 0,
        limit: FromQuery[int] = DEFAULT_LIMIT,
        upto: FromQuery[int | None] = None,
        snapshot: FromQuery[bool] = False,
        notes: FromQuery[str] = "all",
    ) -> Response[bytes]:
        """One page of changes visible to the caller after ``cursor``, up to ``upto``; ``notes=opened``:
        a company-wide role's device leaves other people's notes for ``GET /api/sync/notes``."""
        actor = request.user
        media = _response_media(request, "json")
        gzip = pages.accepts_gzip(request.headers.get("accept-encoding"))
        # Query, encode and gzip in the reader thread: the event loop only sends bytes (pages.py).
        page = await store.read(
            lambda db: pages.encoded_page(
                db, actor, cursor=cursor, limit=limit, upto=upto, snapshot=snapshot, media=media, gzip=gzip,
                notes=notes,
            )
        )
        headers = {"Vary": "Accept-Encoding"}
        if page.gzipped:
            headers["Content-Encoding"] = "gzip"
        if page.next_cursor is not None:
            headers["Link"] = pages.next_link(request.url.path, limit=limit, notes=notes,
                                              next_cursor=page.next_cursor, upto=page.upto)
        return Response(content=page.body, media_type=_CONTENT_TYPES[media], status_code=200, headers=headers)

    @get("/notes", guards=[allows("sync.pull")])
    async def notes(self, request: Request[Actor, str, object], store: StoreDep,
                    interview: FromQuery[str]) -> Response[bytes]:
        """The notes of one interview, as a pull gives them: a device of a company-wide role holds
        other people's notes only once it has opened their interview (docs/sync-protocol.md §3.1)."""
        actor = request.user
        changes = await store.read(lambda db: interview_notes(db, actor, interview))
        return _encoded(wire.RowsResponse(changes=changes), _response_media(request, "json"))

    @post("/receipt-codes", guards=[allows("sync.receipt_codes")], status_code=200)
    async def receipt_codes(self, request: Request[Actor, str, object], store: StoreDep) -> ReceiptPool:
        """Top up this device's pool of reserved 回执码 and return all its unspent ones (the tablet
        spends them offline in ``issue.raise``; docs/sync-protocol.md §回执码 pool)."""
        actor = request.user
        if actor.device_id is None:
            raise Forbidden("回执码只预留给已登记的设备 (receipt codes are reserved for an enrolled device)",
                            field="device_id")
        device_id, now = actor.device_id, utcnow().isoformat()
        codes = await store.write_tx(lambda db: receipt_codes.top_up(db, device_id, now))
        return ReceiptPool(codes=codes, pool_size=receipt_codes.POOL_SIZE, low=receipt_codes.POOL_LOW)

    @get("/devices", guards=[allows("device.clock.list")])
    async def devices(self, store: StoreDep) -> list[clocks.DeviceClock]:
        """Every device's sync state and clock offset (server − device) at its last push, for HR.
        Offsets beyond a few minutes are flagged; nothing is ordered by device clocks anyway."""
        return await store.read(clocks.device_clocks)
