"""Restore drill with Litestream (issue 14.8): replicate to a local directory, push from several
devices, kill -9 the server, ``litestream restore`` into a fresh directory, start fangtan there.

Every acknowledged mutation is there exactly once, ``PRAGMA integrity_check`` is ok, blobs come from
``fangtan blobs mirror``, and the devices carry on (re-snapshot through 410, renumbered outbox)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import time
from collections import Counter

import httpx
import pytest

from tests.fangtan_cli import fangtan
from tests.faults.conftest import device_client, enqueue_interview_with_notes, login, server_rows, unit_id
from tests.faults.litestream_helpers import restore, start_replication
from tests.faults.test_backup_during_pushes_restores_blobs_keys_and_resyncs_devices import add_notes
from tests.live_server import LiveServer

pytestmark = pytest.mark.slow




def note_ids(db_path) -> Counter:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return Counter(i for (i,) in conn.execute("SELECT id FROM note"))
    finally:
        conn.close()


def test_litestream_restore_after_kill_9_keeps_every_acknowledged_mutation(data_dir, tmp_path) -> None:
    replica = tmp_path / "replica"
    replica_url = f"file://{replica / 'db'}"
    server = LiveServer(data_dir=data_dir).start()
    litestream = start_replication(data_dir, replica_url, tmp_path / "litestream.log")
    restored_server = None
    try:
        sessions = [login(server) for _ in range(3)]
        unit = unit_id(server, sessions[0])
        clients, acked = [], []
        for n, session in enumerate(sessions):
            client = device_client(server, session, tmp_path / f"device{n}.db", batch_size=4)
            interview_id, notes = enqueue_interview_with_notes(client, unit, notes=8)
            client.sync()
            assert client.outbox() == []
            clients.append((client, interview_id))
            acked += notes
        photo = os.urandom(30_000)
        digest = hashlib.sha256(photo).hexdigest()
        auth = {"Authorization": f"Bearer {sessions[0]['access_token']}"}
        assert httpx.put(f"{server.url}/api/blobs/{digest}", content=photo, timeout=10,
                         headers={**auth, "Content-Type": "image/jpeg"}).status_code == 201
        assert fangtan("blobs", "mirror", str(replica / "blobs"), "--data-dir", str(data_dir)).returncode == 0

        server.stop(kill=True)  # SIGKILL: no checkpoint, no goodbye; the WAL on disk holds the last commits
        assert server.process.returncode == -signal.SIGKILL
        # Litestream (its own process) ships what the server committed; wait until a restore has it all.
        deadline = time.monotonic() + 60
        attempt = 0
        while True:
            attempt += 1
            probe = tmp_path / "probe" / f"{attempt}.db"
            if restore(replica_url, probe).returncode == 0 and set(acked) <= set(note_ids(probe)):
                break
            assert time.monotonic() < deadline, (tmp_path / "litestream.log").read_text(errors="replace")
            time.sleep(0.2)
        litestream.terminate()
        litestream.wait(30)

        fresh = tmp_path / "fresh"
        done = restore(replica_url, fresh / "fangtan.db")
        assert done.returncode == 0, done.stderr
        shutil.copytree(replica / "blobs", fresh / "blobs")
        for key in ("jwt.key", "vapid_private.pem"):  # from escrow (docs/deploy.md §7)
            shutil.copy2(data_dir / key, fresh / key)
        assert fangtan("mark-restored", "--data-dir", str(fresh)).returncode == 0
        db = fresh / "fangtan.db"
        assert server_rows(db, "PRAGMA integrity_check") == [("ok",)]
        counts = note_ids(db)
        assert all(counts[i] == 1 for i in acked), "every acknowledged note exactly once"

        restored_server = LiveServer(data_dir=fresh, port=server.port).start()
        got = httpx.get(f"{restored_server.url}/api/blobs/{digest}", headers=auth, timeout=10)
        assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == digest
        for n, (client, interview_id) in enumerate(clients):  # the devices carry on
            more = add_notes(client, interview_id, 2, f"after-restore-{n}-")
            results = client.sync()
            assert [r.status for r in results] == ["applied", "applied"]
            assert client.outbox() == [] and set(more) <= set(client.rows("note"))
            client.close()
        final = note_ids(db)
        assert all(final[i] == 1 for i in acked) and max(final.values()) == 1
    finally:
        server.stop(kill=True)
        if litestream.poll() is None:
            litestream.kill()
            litestream.wait(10)
        if restored_server:
            restored_server.stop()
