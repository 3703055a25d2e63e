"""Issue 13 point 16: started with umask 000 over a data directory left world-readable, a real
``fangtan serve`` plus writes, a blob upload, ``fangtan backup`` and ``fangtan tls init`` leave the
data directory 0700 and every file in it — database, WAL, shm, blobs, keys, backups, TLS — with no
group or other bits (0600, or 0400 for read-only ones)."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx

from tests.builders import demo_interview_with_problem
from tests.live_server import LiveServer


def _with_umask(mask: int, fn):
    old = os.umask(mask)
    try:
        return fn()
    finally:
        os.umask(old)


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return _with_umask(0, lambda: subprocess.run(
        [sys.executable, "-m", "server.cli", *args], env={**os.environ, "FANGTAN_DATA_DIR": str(data_dir)},
        capture_output=True, text=True, timeout=300, check=True))


def _assert_private(data_dir: Path) -> set[str]:
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    loose = []
    for path in data_dir.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_dir():
            if mode != 0o700:
                loose.append((str(path), oct(mode)))
        elif mode & 0o077 or not mode & stat.S_IRUSR:
            loose.append((str(path), oct(mode)))
    assert not loose, loose
    return {p.name for p in data_dir.rglob("*")}


def test_data_directory_and_every_file_are_owner_only_under_umask_000(data_dir: Path, tmp_path: Path) -> None:
    # As an administrator might leave it: a world-readable directory with a world-readable database.
    os.chmod(data_dir, 0o777)
    os.chmod(data_dir / "fangtan.db", 0o666)
    (data_dir / "left-by-hand.txt").write_text("x")
    os.chmod(data_dir / "left-by-hand.txt", 0o666)
    server = _with_umask(0, lambda: LiveServer(data_dir=data_dir).start())
    try:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            w = demo_interview_with_problem(http)  # sign-ins, pushes: WAL and shm
            photo = os.urandom(20_000)
            digest = hashlib.sha256(photo).hexdigest()
            put = http.put(f"/api/blobs/{digest}", content=photo,
                           headers={**w["cadre"].headers, "Content-Type": "image/jpeg"})
            assert put.status_code in (200, 201), put.text
            half = os.urandom(10_000)
            partial = http.put(f"/api/blobs/{hashlib.sha256(half).hexdigest()}", content=half[:4000],
                               headers={**w["cadre"].headers, "Content-Range": "bytes 0-3999/10000"})
            assert partial.status_code in (200, 202, 308), partial.text
        _cli(data_dir, "backup", str(data_dir / "backups" / "by-hand.tar"))
        _cli(data_dir, "tls", "init", "--host", "fangtan.plant.local", "--ip", "127.0.0.1")
        outside = tmp_path / "elsewhere" / "backup.tar"
        _cli(data_dir, "backup", str(outside))
        names = _assert_private(data_dir)  # while serving: the WAL and shm exist
        assert {"fangtan.db", "fangtan.db-wal", "fangtan.db-shm", "jwt.key", "by-hand.tar", "server.key",
                "ca.key", "server.crt"} <= names, names
    finally:
        server.stop()
    _assert_private(data_dir)  # again once stopped
    assert (data_dir / "blobs" / digest[:2] / digest[2:]).is_file() and any((data_dir / "blobs" / "partial").iterdir())
    assert stat.S_IMODE((data_dir / "left-by-hand.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE(outside.stat().st_mode) == 0o600
