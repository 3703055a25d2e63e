"""``HEAD|PUT|GET /api/blobs/{sha256}``: resumable, verified, deduplicated uploads (DESIGN §4 Blobs).

Protocol (also in docs/sync-protocol.md):
- ``HEAD`` → ``200`` with ``Content-Length`` when the caller may read the blob (``blob.read``); else
  ``404`` with ``Upload-Offset: N``, the bytes of the caller's own unfinished upload already received
  (``0`` if none) — the same answer whether the blob is missing or someone else's.
- ``PUT`` with ``Content-Range: bytes start-end/total`` (or no header for a one-shot upload) appends
  a chunk that must start at ``Upload-Offset`` (else ``416 blob.range_invalid`` with the offset).
  ``202`` while incomplete; when the last byte arrives the whole file is hashed and only then does the
  blob count (``201``); bytes that hash to something else are discarded (``422 blob.hash_mismatch``).
  A blob the caller may already read answers ``200`` at once without reading further (dedupe); one
  they may not read is uploaded and verified like a new one (proof of possession), and then they hold it.
- ``GET`` → the bytes for a reader; else ``404 not_found``, identical for missing and not yours.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

import msgspec
from litestar import Controller, Request, Response, get, head, put
from litestar.params import FromPath
from litestar.response import File

from server.blobs import service
from server.blobs.storage import BlobFiles, check_sha256, parse_content_range
from server.clock import utcnow
from server.web.deps import SettingsDep, StoreDep
from server.web.guards import allows
from sync.actor import Actor
from sync.errors import BodyTooLarge, NotFound

# Serialises concurrent uploads of the same blob inside this (single) process.
_upload_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)


class BlobStatus(msgspec.Struct):
    sha256: str
    size: int
    received: int
    complete: bool


def _files(request: Request) -> BlobFiles:
    return request.app.state.blob_files


class BlobController(Controller):
    path = "/api/blobs"
    tags = ["blobs"]

    @head("/{sha256:str}", guards=[allows("blob.upload")], status_code=200)
    async def probe(
        self, request: Request[Actor, str, object], store: StoreDep, sha256: FromPath[str]
    ) -> Response[None]:
        """Does the server have this blob? If not, how much of an upload has arrived?"""
        check_sha256(sha256)
        actor = request.user
        row = await store.read(lambda db: service.readable_blob_row(db, actor, sha256))
        if row is not None:
            return Response(content=None, status_code=200, headers={"Content-Length": str(row["size"])})
        received = await asyncio.to_thread(_files(request).received, sha256, actor.user_id)
        return Response(content=None, status_code=404, headers={"Upload-Offset": str(received)})

    @put("/{sha256:str}", guards=[allows("blob.upload")], status_code=201, request_max_body_size=None)
    async def upload(
        self, request: Request[Actor, str, object], store: StoreDep, settings: SettingsDep, sha256: FromPath[str]
    ) -> Response[BlobStatus]:
        """Upload a blob, whole or as resumable ``Content-Range`` chunks."""
        check_sha256(sha256)
        actor = request.user
        existing = await store.read(lambda db: service.readable_blob_row(db, actor, sha256))
        if existing is not None:
            size = existing["size"]
            return Response(BlobStatus(sha256=sha256, size=size, received=size, complete=True), status_code=200)
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > settings.max_blob_chunk_bytes:
            raise BodyTooLarge(f"单次上传不能超过 {settings.max_blob_chunk_bytes} 字节 (chunk too large)")
        body = await _read_limited(request, settings.max_blob_chunk_bytes)
        rng = parse_content_range(request.headers.get("content-range"), len(body))
        if rng.total > settings.max_blob_bytes:
            raise BodyTooLarge(
                f"文件不能超过 {settings.max_blob_bytes // (1024 * 1024)} MB (blob larger than the limit)",
                details={"limit": settings.max_blob_bytes},
            )
        files = _files(request)
        mime = (request.headers.get("content-type") or "application/octet-stream").split(";")[0].strip()
        async with _upload_locks[sha256]:
            received = await asyncio.to_thread(files.append, sha256, rng, body, actor.user_id)
            if received < rng.total:
                status = BlobStatus(sha256=sha256, size=rng.total, received=received, complete=False)
                return Response(status, status_code=202, headers={"Upload-Offset": str(received)})
            size = await asyncio.to_thread(files.finish, sha256, actor.user_id)
            now = utcnow()
            await store.write_tx(
                lambda db: service.record_blob_tx(db, sha256=sha256, size=size, mime=mime, actor=actor, now=now)
            )
        _upload_locks.pop(sha256, None)
        return Response(BlobStatus(sha256=sha256, size=size, received=size, complete=True), status_code=201)

    @get("/{sha256:str}", guards=[allows("blob.read")])
    async def download(self, request: Request[Actor, str, object], store: StoreDep, sha256: FromPath[str]) -> File:
        """The blob's bytes, for the uploader and whoever may see an attachment that uses it."""
        check_sha256(sha256)
        actor = request.user
        row = await store.read(lambda db: service.readable_blob_row(db, actor, sha256))
        if row is None:
            raise NotFound("没有这个文件，或无权查看 (no such blob, or not visible to you)")
        path = _files(request).final_path(sha256)
        if not await asyncio.to_thread(path.is_file):
            # Recorded but not on disk (e.g. a database restored without its blobs): a 404 that
            # names the blob, never the server's filesystem path.
            raise NotFound(
                "文件内容不在服务器上，请从设备重新上传 (the blob is recorded but its bytes are missing on the server)",
                details={"sha256": sha256},
            )
        return File(
            path=path,
            media_type=row["mime"] or "application/octet-stream",
            content_disposition_type="inline",
            headers={"Cache-Control": "private, max-age=31536000, immutable"},
        )


async def _read_limited(request: Request, limit: int) -> bytes:
    """Read the body, refusing it as soon as it passes ``limit`` (Content-Length may be absent)."""
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise BodyTooLarge(f"单次上传不能超过 {limit} 字节 (chunk too large)")
        chunks.append(chunk)
    return b"".join(chunks)
