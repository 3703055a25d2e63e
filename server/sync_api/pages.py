"""A pull page made ready to send inside the reader thread: queried, encoded and gzipped there.

Under many devices, gzip of ~1 MB pull pages on the event loop was ~17 % of the server's samples
(bench/results.md) and held every other request behind it; zlib releases the GIL, so in a reader
thread it runs beside the loop. The route opts out of the app's compression middleware
(``SKIP_COMPRESSION``) so nothing is compressed twice.

The gzip is ISA-L's (``isal``, Intel's igzip: standard gzip members any browser or zlib reads) rather
than zlib's: a 1,000-row page of notes (963 kB) took 2.5–2.7 ms at zlib level 1–3, a third of the
server's whole cost of a pull row, and 0.4 ms at ISA-L's default level with 1 % more bytes than zlib
level 3 (8.5 % vs 8.1 % of the page; bench/results.md, throughput).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from isal import isal_zlib
from sqlite_utils import Database

from sync import wire
from sync.actor import Actor
from sync.pull import pull

SKIP_COMPRESSION = "skip_compression"
"""Route ``opt`` key the app's ``CompressionConfig.exclude_opt_key`` names."""

GZIP_LEVEL = isal_zlib.ISAL_DEFAULT_COMPRESSION  # 2; ISA-L's 3 is as slow as zlib's for 3 % fewer bytes
MINIMUM_SIZE = 500  # as the app's middleware: below this gzip saves nothing worth the CPU


@dataclass(frozen=True)
class EncodedPage:
    body: bytes
    gzipped: bool
    next_cursor: int | None
    """The cursor of the page after this one (None on the last page): sent as a ``Link`` header so a
    client can ask for it before it has read and decoded this page's body."""
    upto: int


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
    compressor = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, 31)  # wbits 31: gzip container
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
    page = pull(db, actor, cursor, limit, upto, snapshot=snapshot, notes=notes)
    body = wire.encode(page, media)
    following = page.cursor if page.has_more else None
    if gzip and len(body) >= MINIMUM_SIZE:
        return EncodedPage(gzip_bytes(body), True, following, page.upto)
    return EncodedPage(body, False, following, page.upto)


def next_link(path: str, *, limit: int, notes: str, next_cursor: int, upto: int) -> str:
    """``Link: <…>; rel="next"`` (RFC 8288) naming the next page of the same pull: the same ``limit``
    and ``notes``, the page's cursor and ``upto``, no ``snapshot`` (only a first page is one;
    sync/pull.py). The body's ``cursor``/``upto``/``has_more`` say the same and stay the protocol."""
    params = {"cursor": next_cursor, "limit": limit, "upto": upto}
    if notes != "all":
        params["notes"] = notes
    return f'<{path}?{urlencode(params)}>; rel="next"'
