"""A file download: one ``Content-Disposition`` for every export, template and archive."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Response


def disposition(filename: str, ascii_fallback: str | None = None) -> str:
    """``attachment`` with the real (Chinese) name as RFC 5987 ``filename*`` and an ASCII ``filename``
    for clients that do not read it (RFC 6266 §4.3). Both are percent-encoded, so a name made of
    user text (a plan's title) cannot break the header with a quote or a line break."""
    fallback = ascii_fallback or quote(filename.encode("ascii", "ignore").decode()) or "export"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def attachment(content: bytes, media_type: str, filename: str, *, ascii_fallback: str | None = None) -> Response[bytes]:
    """``content`` as a download named ``filename``, never cached (exports hold people's work)."""
    return Response(content=content, media_type=media_type, status_code=200,
                    headers={"Content-Disposition": disposition(filename, ascii_fallback), "Cache-Control": "no-store"})
