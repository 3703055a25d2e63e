"""``GET /api/health``: liveness plus the versions a client needs to decide whether it may sync."""

from __future__ import annotations

import msgspec
from litestar import get

from server import __version__

# Bumped whenever the wire schema of synced entities changes (see docs/sync-protocol.md).
try:
    from sync.versions import SCHEMA_VERSION
except ModuleNotFoundError:  # TEMP until sync/ lands
    SCHEMA_VERSION = 1


class Health(msgspec.Struct):
    status: str
    version: str
    schema_version: int


@get("/api/health", exclude_from_auth=True, tags=["meta"], sync_to_thread=False)
def health() -> Health:
    """Liveness and versions."""
    return Health(status="ok", version=__version__, schema_version=SCHEMA_VERSION)
