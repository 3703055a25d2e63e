"""``GET /api/health``: liveness plus the versions a client needs to decide whether it may sync."""

from __future__ import annotations

import msgspec
from litestar import get

from server import __version__
from server.web.guards import allows
from sync.wire import SCHEMA_VERSION


class Health(msgspec.Struct):
    status: str
    version: str
    schema_version: int


@get("/api/health", exclude_from_auth=True, guards=[allows("health.read")], tags=["meta"], sync_to_thread=False)
def health() -> Health:
    """Liveness and versions."""
    return Health(status="ok", version=__version__, schema_version=SCHEMA_VERSION)
