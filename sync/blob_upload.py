"""Resumable blob uploads for the Python device client (``HEAD|PUT /api/blobs/{sha256}``).

The protocol is in ``server/blobs/controllers.py``: ask the server how many bytes of the upload it
holds (``Upload-Offset``), send the rest in ``Content-Range`` chunks, and the blob counts once the
server has hashed the whole file. A dropped connection or a restarted server costs only the chunk
in flight: the uploader asks again and continues from the server's offset.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from typing import BinaryIO

import httpx

from sync.client import RetryPolicy
from sync.errors import Busy
from sync.transport import TransportError, error_from_response

PIECE = 64 * 1024
"""Bytes handed to the socket at a time; a chunk is streamed, never held whole in memory."""


class BlobUploader:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        chunk_size: int = 1024 * 1024,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 30.0,
    ) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=timeout, headers={"Authorization": f"Bearer {token}"})
        self.chunk_size = chunk_size
        self.retry = retry
        self._sleep = sleep
        self.offsets_seen: list[int] = []
        """Every ``Upload-Offset`` the server answered a probe with (where each attempt resumed)."""

    def close(self) -> None:
        self._http.close()

    def upload(self, source: BinaryIO, size: int, sha256: str, mime: str = "application/octet-stream") -> int:
        """Upload ``size`` bytes of ``source`` (seekable) as blob ``sha256``; returns the number of
        requests it took. Retries network failures and 503s; resumes at the server's offset."""
        requests = 0
        attempt = 0
        while True:
            try:
                requests += 1
                offset = self._offset(sha256)
                while offset is not None and offset < size:
                    end = min(offset + self.chunk_size, size)
                    requests += 1
                    offset = self._put(source, offset, end, size, sha256, mime)
                return requests
            except (TransportError, Busy) as exc:
                attempt += 1
                if attempt >= self.retry.attempts:
                    raise
                self._sleep(self.retry.delay(attempt, exc.retry_after if isinstance(exc, Busy) else None))

    def _offset(self, sha256: str) -> int | None:
        """None when the server already has the whole blob, else the offset to continue from."""
        response = self._request("HEAD", f"/api/blobs/{sha256}")
        if response.status_code == 200:
            return None
        if response.status_code == 404:
            offset = int(response.headers.get("upload-offset", "0"))
            self.offsets_seen.append(offset)
            return offset
        raise error_from_response(response.status_code, response.content, "json", response.headers.get("retry-after"))

    def _put(self, source: BinaryIO, start: int, end: int, size: int, sha256: str, mime: str) -> int | None:
        response = self._request(
            "PUT",
            f"/api/blobs/{sha256}",
            content=_pieces(source, start, end),
            headers={
                "Content-Range": f"bytes {start}-{end - 1}/{size}",
                "Content-Length": str(end - start),
                "Content-Type": mime,
            },
        )
        if response.status_code in (200, 201):
            return None
        if response.status_code == 202:
            return int(response.headers["upload-offset"])
        if response.status_code == 416:  # the server holds a different amount: ask again
            return self._offset(sha256)
        raise error_from_response(response.status_code, response.content, "json", response.headers.get("retry-after"))

    def _request(self, method: str, url: str, **kw) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kw)
        except httpx.TransportError as exc:
            raise TransportError(str(exc)) from exc
        if response.status_code == 503:
            raise error_from_response(503, response.content, "json", response.headers.get("retry-after"))
        return response


def _pieces(source: BinaryIO, start: int, end: int) -> Iterator[bytes]:
    source.seek(start)
    left = end - start
    while left > 0:
        piece = source.read(min(PIECE, left))
        if not piece:
            raise ValueError("the source ended before the declared size")
        left -= len(piece)
        yield piece


def sha256_of(source: BinaryIO) -> str:
    source.seek(0)
    return hashlib.file_digest(source, "sha256").hexdigest()
