"""Blob bytes on disk: ``<data>/blobs/ab/cdef…`` once verified, ``<data>/blobs/partial/<sha>`` while
uploading. Plain functions; callers run them off the event loop."""

from __future__ import annotations

import errno
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sync.errors import BlobHashMismatch, BlobRangeInvalid, Busy, InvalidField

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


@dataclass(frozen=True)
class ContentRange:
    start: int
    end: int  # inclusive
    total: int


def check_sha256(sha256: str) -> str:
    if not SHA256_RE.match(sha256):
        raise InvalidField("文件校验值格式不正确 (sha256 must be 64 lowercase hex digits)", field="sha256")
    return sha256


def parse_content_range(header: str | None, body_length: int) -> ContentRange:
    """``bytes start-end/total``; absent means the whole blob in one request."""
    if header is None:
        return ContentRange(0, body_length - 1, body_length)
    match = _CONTENT_RANGE.match(header.strip())
    if not match:
        raise InvalidField("文件续传范围格式不正确 (malformed Content-Range, expected bytes start-end/total)", field="Content-Range")
    start, end, total = (int(g) for g in match.groups())
    if end < start or end >= total or end - start + 1 != body_length:
        raise InvalidField(
            f"文件续传范围与实际长度 {body_length} 不符 (Content-Range {header} does not match the body length)",
            field="Content-Range",
        )
    return ContentRange(start, end, total)


class BlobFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.partial_dir = root / "partial"
        self.partial_dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    def final_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def partial_path(self, sha256: str, owner: str = "") -> Path:
        """Each uploader has their own unfinished upload: what someone else is sending (or has sent)
        is neither visible in another's ``Upload-Offset`` nor open to their chunks."""
        if not owner:
            return self.partial_dir / sha256
        return self.partial_dir / f"{sha256}-{hashlib.sha256(owner.encode()).hexdigest()[:32]}"

    def exists(self, sha256: str) -> bool:
        return self.final_path(sha256).is_file()

    def received(self, sha256: str, owner: str = "") -> int:
        """Bytes of ``owner``'s unfinished upload already on disk (where the client resumes)."""
        path = self.partial_path(sha256, owner)
        return path.stat().st_size if path.exists() else 0

    def append(self, sha256: str, rng: ContentRange, chunk: bytes, owner: str = "") -> int:
        """Append a chunk that continues ``owner``'s stored upload; returns bytes received so far."""
        have = self.received(sha256, owner)
        if rng.start != have:
            raise BlobRangeInvalid(
                f"上传应从第 {have} 字节继续 (upload must continue at byte {have})", details={"offset": have}
            )
        try:
            fd = os.open(self.partial_path(sha256, owner), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "ab") as fh:
                fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                self._truncate(sha256, have, owner)  # leave no torn chunk behind
                raise Busy("服务器磁盘已满，请稍后重试 (server disk full)") from exc
            raise
        return have + len(chunk)

    def _truncate(self, sha256: str, size: int, owner: str = "") -> None:
        with open(self.partial_path(sha256, owner), "ab") as fh:
            fh.truncate(size)

    def finish(self, sha256: str, owner: str = "") -> int:
        """Verify the whole upload hashes to its name, then move it into place (the same bytes when
        the blob was already there); returns its size."""
        partial = self.partial_path(sha256, owner)
        digest = hashlib.sha256()
        with open(partial, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha256:
            partial.unlink(missing_ok=True)  # bad bytes are useless for resuming too
            raise BlobHashMismatch(
                f"内容的 SHA-256 为 {digest.hexdigest()}，与地址中的不符 (bytes do not hash to the URL's sha256)",
                details={"actual": digest.hexdigest()},
            )
        final = self.final_path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.replace(partial, final)
        return final.stat().st_size

    def discard(self, sha256: str, owner: str = "") -> None:
        self.partial_path(sha256, owner).unlink(missing_ok=True)
