"""SIGKILL in the middle of a resumable blob upload (issue 8, faults).

A 5 MiB voice memo goes up in 1 MiB chunks. Half-way through streaming the third chunk the test
kills the server with SIGKILL, so that request dies mid-body. The uploader gets a dropped
connection, waits for the restarted server, asks it for ``Upload-Offset`` and continues from
there; the server verifies the sha256 of the whole file before the blob counts.
"""

from __future__ import annotations

import hashlib
import io
import os
import random

import httpx

from sync.blob_upload import BlobUploader
from tests.faults.conftest import PATIENT, login, restart_after_death
from tests.live_server import LiveServer

MIB = 1024 * 1024


class KillingSource(io.BytesIO):
    """The uploader's file; reading past ``kill_at`` SIGKILLs the server first (once)."""

    def __init__(self, data: bytes, kill_at: int, server: LiveServer) -> None:
        super().__init__(data)
        self.kill_at = kill_at
        self.server = server
        self.killed = False

    def read(self, size: int | None = -1) -> bytes:
        if not self.killed and self.tell() >= self.kill_at:
            self.killed = True
            self.server.process.kill()
            self.server.process.wait(timeout=10)
        return super().read(size)


def test_upload_resumes_after_the_server_is_killed_mid_chunk(data_dir) -> None:
    memo = random.Random(8).randbytes(5 * MIB)
    digest = hashlib.sha256(memo).hexdigest()
    server = LiveServer(data_dir=data_dir).start()
    restarted: list[LiveServer] = []
    try:
        session = login(server)
        source = KillingSource(memo, kill_at=2 * MIB + MIB // 2, server=server)
        watcher = restart_after_death(server, restarted)
        uploader = BlobUploader(server.url, session["access_token"], chunk_size=MIB, retry=PATIENT)

        uploader.upload(source, len(memo), digest, mime="audio/webm")
        watcher.join(timeout=60)

        assert source.killed and server.process.returncode == -9 and len(restarted) == 1
        # Resumed after the two whole chunks, not from scratch; the half chunk was not counted.
        assert uploader.offsets_seen == [0, 2 * MIB]
        headers = {"Authorization": f"Bearer {session['access_token']}"}
        got = httpx.get(f"{restarted[0].url}/api/blobs/{digest}", headers=headers, timeout=30)
        assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == digest
        assert got.content == memo
        assert not (data_dir / "blobs" / "partial" / digest).exists()
        assert len(os.listdir(data_dir / "blobs" / "partial")) == 0
        uploader.close()
    finally:
        server.stop(kill=True)
        for s in restarted:
            s.stop()
