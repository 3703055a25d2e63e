"""A pull page made ready to send inside the reader thread: queried, encoded and gzipped there.

Under many devices, gzip of ~1 MB pull pages on the event loop was ~17 % of the server's samples
(bench/results.md) and held every other request behind it; zlib releases the GIL, so in a reader
thread it runs beside the loop. The route opts out of the app's compression middleware
(``SKIP_COMPRESSION``) so nothing is compressed twice.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from sqlite_utils import Database

from sync import wire
from sync.actor import Actor
from sync.pull import pull

SKIP_COMPRESSION = "skip_compression"
"""Route ``opt`` key the app's ``CompressionConfig.exclude_opt_key`` names."""

GZIP_LEVEL = 3  # a 1,000-row page: ~2.8 ms, ~10 % more bytes than level 4 (~4.6 ms), a sixth of level 9
MINIMUM_SIZE = 500  # as the app's middleware: below this gzip saves nothing worth the CPU


@dataclass(frozen=True)
class EncodedPage:
    body: bytes
    gzipped: bool


def accepts_gzip(accept_encoding: str | None) -> bool:
    """``gzip`` listed in Accept-Encoding and not refused with ``q=0``."""
    for part in (accept_encoding or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            params = params.strip()
            return not (params.startswith("q=") and _is_zero(params[2:]))
    return False


def _is_zero(q: str) -> bool:
    try:
        return float(q) == 0
    except ValueError:
        return False


def gzip_bytes(body: bytes) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # wbits 31: gzip container
    return compressor.compress(body) + compressor.flush()


def encoded_page(
    db: Database,
    actor: Actor,
    *,
    cursor: int,
    limit: int,
    upto: int | None,
    snapshot: bool,
    media: wire.Media,
    gzip: bool,
    notes: str = "all",
) -> EncodedPage:
    body = wire.encode(pull(db, actor, cursor, limit, upto, snapshot=snapshot, notes=notes), media)
    if gzip and len(body) >= MINIMUM_SIZE:
        return EncodedPage(gzip_bytes(body), True)
    return EncodedPage(body, False)
