"""A full disk or a locked database: 503 with Retry-After, nothing applied, nothing lost; the
same device client succeeds once the fault is gone (issue 8, faults).

Three ways of starving the real server process of its SQLite writes:

* ``file-size-limit`` — ``RLIMIT_FSIZE`` of the running server lowered with ``prlimit``: every
  write() fails (EFBIG), as a full disk's do; works for any user;
* ``full-tmpfs`` — the data directory on a tiny tmpfs, filled to the last byte: real ENOSPC
  (``database or disk is full``); needs root to mount, skipped otherwise;
* ``locked`` — another process holds the write lock past the server's busy timeout.
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import msgspec
import pytest

from sync.client import RetryPolicy
from sync.errors import Busy
from tests.faults.conftest import device_client, enqueue_interview_with_notes, login, server_rows, unit_id
from tests.live_server import LiveServer

Release = Callable[[], None]


def _limit_file_size(server: LiveServer) -> Release:
    pid = server.process.pid
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (1, resource.RLIM_INFINITY))
    return lambda: resource.prlimit(pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def _fill_disk(server: LiveServer) -> Release:
    filler = server.data_dir / "filler"
    try:
        with open(filler, "wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
    except OSError:  # ENOSPC: the disk is full to the last page
        pass
    return lambda: filler.unlink()


def _hold_write_lock(server: LiveServer) -> Release:
    conn = sqlite3.connect(str(server.data_dir / "fangtan.db"), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")

    def release() -> None:
        conn.execute("ROLLBACK")
        conn.close()

    return release


@pytest.fixture(params=["file-size-limit", "full-tmpfs", "locked"])
def fault(request, data_dir: Path, tmp_path: Path) -> Iterator[tuple[Path, Callable[[LiveServer], Release]]]:
    if request.param != "full-tmpfs":
        yield data_dir, {"file-size-limit": _limit_file_size, "locked": _hold_write_lock}[request.param]
        return
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    size = os.path.getsize(data_dir / "fangtan.db") + 32 * 1024 * 1024
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("mounting a tmpfs needs root")
    try:
        shutil.copytree(data_dir, mount / "data")
        # Only the database on the tmpfs: the server's log goes next to the data dir's link.
        (tmp_path / "on-tmpfs").mkdir()
        (tmp_path / "on-tmpfs" / "data").symlink_to(mount / "data")
        yield tmp_path / "on-tmpfs" / "data", _fill_disk
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_push_is_503_with_retry_after_then_succeeds(fault, tmp_path: Path) -> None:
    data_dir, starve = fault
    server = LiveServer(data_dir=data_dir).start()
    try:
        session = login(server)
        headers = {"Authorization": f"Bearer {session['access_token']}"}
        unit = unit_id(server, session)
        client = device_client(server, session, tmp_path / "device.db")
        client.retry = RetryPolicy(attempts=1)  # see the 503 itself rather than retrying through it
        interview_id, note_ids = enqueue_interview_with_notes(client, unit, notes=200)
        db = data_dir / "fangtan.db"
        notes_before = server_rows(db, "SELECT count(*) FROM note")

        release = starve(server)
        try:
            with pytest.raises(Busy) as info:
                client.push()
            assert info.value.status == 503 and info.value.retry_after and info.value.retry_after > 0
            raw = httpx.post(
                f"{server.url}/api/sync/push",
                headers={**headers, "Content-Type": "application/json"},
                content=msgspec.json.encode(
                    {
                        "protocol": 1,
                        "schema_version": 1,
                        "device_id": session["device_id"],
                        "client_time": "2026-11-24T09:00:00+08:00",
                        "mutations": [
                            {
                                "id": 1,
                                "name": "note.add",
                                "args": {"id": note_ids[0], "interview_id": interview_id, "text": "x" * 600},
                            }
                        ],
                    }
                ),
                timeout=30,
            )
            assert raw.status_code == 503 and int(raw.headers["retry-after"]) > 0
            assert raw.json()["error"]["code"] == "busy"
        finally:
            release()

        assert server_rows(db, "SELECT count(*) FROM note") == notes_before  # nothing half-applied
        assert len(client.outbox()) == 201  # nothing lost on the device either
        client.retry = RetryPolicy(attempts=10, base_delay=0.05, max_delay=0.5)
        results = client.sync()
        assert [r.status for r in results] == ["applied"] * 201
        assert sorted(
            i for (i,) in server_rows(db, "SELECT id FROM note WHERE interview_id = ?", interview_id)
        ) == sorted(note_ids)
        assert client.outbox() == []
        client.close()
    finally:
        server.stop(kill=True)
