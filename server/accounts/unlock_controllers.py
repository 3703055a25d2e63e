"""``GET /api/devices/me/unlock-share``: the calling device's unlock share (docs/security.md §6)."""

from __future__ import annotations

import base64

import msgspec
from litestar import Controller, Request, get
from litestar.datastructures import CacheControlHeader

from server.accounts.unlock import unlock_share_tx
from server.clock import utcnow
from server.web.deps import SettingsDep, StoreDep
from server.web.guards import allows
from sync.actor import Actor


class UnlockShare(msgspec.Struct):
    device_id: str
    share: str
    """32 random bytes, unpadded base64url."""
    valid_days: int
    """How long the device may use its cached copy without reaching the server again."""


class UnlockShareController(Controller):
    path = "/api/devices/me"
    tags = ["accounts"]

    @get("/unlock-share", guards=[allows("device.unlock_share.read")], cache_control=CacheControlHeader(no_store=True))
    async def unlock_share(
        self, request: Request[Actor, str, object], store: StoreDep, settings: SettingsDep
    ) -> UnlockShare:
        """Only ever the caller's own device's share; a revoked device is refused before this runs."""
        actor = request.user
        now = utcnow()
        row = await store.write_tx(lambda db: unlock_share_tx(db, device_id=actor.device_id, now=now))
        share = base64.urlsafe_b64encode(row["share"]).rstrip(b"=").decode()
        return UnlockShare(device_id=actor.device_id, share=share, valid_days=settings.unlock_share_days)
