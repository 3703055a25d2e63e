"""``fangtan backup`` while devices push, ``fangtan restore`` into a new directory, serve it (issue 14.7).

Every blob comes back with its hash, the keys too (the devices' tokens still work), nothing
acknowledged before the backup is missing, and a device whose cursor is beyond the restored head
re-snapshots through ``410 sync.cursor_expired`` and ends with exactly the server's view.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tarfile
import threading
from collections import Counter

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlite_utils import Database

from sync import rowstore, signing
from sync.ids import new_id
from tests.builders import interview_args
from tests.fangtan_cli import fangtan
from tests.faults.conftest import (
    NOTE_TEXT,
    device_client,
    enqueue_interview_with_notes,
    login,
    server_rows,
    unit_id,
)
from tests.live_server import LiveServer

pytestmark = pytest.mark.slow




def add_notes(client, interview_id: str, count: int, label: str) -> list[str]:
    ids = []
    for i in range(count):
        ids.append(new_id())
        client.enqueue("note.add", {"id": ids[-1], "interview_id": interview_id, "prompt_id": "business.2",
                                    "text": f"{NOTE_TEXT}（{label}{i + 1}）"})
    return ids


def interview_document(db_path, interview_id: str) -> dict:
    db = Database(db_path)
    try:
        return signing.document_for(rowstore.load(db, "interview", interview_id),
                                    rowstore.load_where(db, "note", "interview_id = ?", [interview_id]))
    finally:
        db.close()


def sign_an_interview(client, db_path, unit: str) -> tuple[str, ec.EllipticCurvePrivateKey]:
    """A submitted interview signed by the device's published key (the PWA's 签名, sync.signing)."""
    key, key_id, interview_id = ec.generate_private_key(ec.SECP256R1()), new_id(), new_id()
    client.enqueue("key.publish", {"id": key_id, "purpose": "signing", "public_key": signing.public_key_b64(key)})
    client.enqueue("interview.save", interview_args(interview_id, status="submitted", unit_id=unit))
    client.enqueue("note.add", {"id": new_id(), "interview_id": interview_id, "prompt_id": "business.2",
                                "text": "签名前的记录"})
    assert {r.status for r in client.sync()} == {"applied"}
    document = interview_document(db_path, interview_id)
    client.enqueue("interview.sign", {"id": new_id(), "interview_id": interview_id, "key_id": key_id,
                                      "document": document,
                                      "signature": signing.sign(key, signing.canonical_bytes(document))})
    [signed] = client.sync()
    assert signed.status == "applied", signed
    return interview_id, key


def assert_signature_verifies(db_path, interview_id: str, key: ec.EllipticCurvePrivateKey) -> None:
    """After the restore the stored signature verifies over the record rebuilt from the restored rows,
    with the public key the restored database holds."""
    db = Database(db_path)
    try:
        [sig] = rowstore.load_where(db, "interview_signature", "interview_id = ?", [interview_id])
        published = rowstore.load(db, "user_key", sig.key_id)
    finally:
        db.close()
    assert published.public_key == signing.public_key_b64(key)
    message = signing.canonical_bytes(interview_document(db_path, interview_id))
    assert sig.canonical_sha256 == signing.sha256_hex(message)
    assert signing.verify(published.public_key, sig.signature, message)


def test_backup_under_pushes_restores_everything_acknowledged_and_devices_resync(data_dir, tmp_path) -> None:
    server = LiveServer(data_dir=data_dir).start()
    restored_server = None
    try:
        session_a, session_b = login(server), login(server)
        auth = {"Authorization": f"Bearer {session_a['access_token']}"}
        photos = [os.urandom(20_000 + i) for i in range(4)]
        for photo in photos:
            digest = hashlib.sha256(photo).hexdigest()
            put = httpx.put(f"{server.url}/api/blobs/{digest}", content=photo, timeout=10,
                            headers={**auth, "Content-Type": "image/jpeg"})
            assert put.status_code == 201, put.text
        unit = unit_id(server, session_a)
        client_a = device_client(server, session_a, tmp_path / "a.db", batch_size=5)
        interview_id, before_notes = enqueue_interview_with_notes(client_a, unit, notes=10)
        client_a.sync()
        assert client_a.outbox() == []
        signed_id, signing_key = sign_an_interview(client_a, data_dir / "fangtan.db", unit)

        # Device B pushes batch after batch while the backup runs.
        stop, pushed_once = threading.Event(), threading.Event()
        acked_before_backup: list[str] = []
        backup_started = threading.Event()
        errors: list[BaseException] = []

        def pusher() -> None:
            try:
                client_b = device_client(server, session_b, tmp_path / "b.db", batch_size=5)
                b_interview, first = enqueue_interview_with_notes(client_b, unit, notes=5)
                n = 0
                while not stop.is_set():
                    started_before = not backup_started.is_set()
                    ids = first if n == 0 else add_notes(client_b, b_interview, 5, f"B{n}-")
                    results = client_b.sync()
                    assert {r.status for r in results} <= {"applied"}
                    if started_before:
                        acked_before_backup.extend(ids)
                    n += 1
                    pushed_once.set()
                client_b.close()
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
                pushed_once.set()

        thread = threading.Thread(target=pusher, daemon=True)
        thread.start()
        assert pushed_once.wait(60)
        archive = tmp_path / "backups" / "fangtan-backup.tar"
        backup_started.set()
        made = fangtan("backup", str(archive), "--data-dir", str(data_dir))
        stop.set()
        thread.join(60)
        assert not errors, errors
        assert made.returncode == 0, made.stderr
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600
        with tarfile.open(archive) as tar:
            manifest = json.loads(tar.extractfile("manifest.json").read())
        assert {"fangtan.db", "jwt.key", "vapid_private.pem"} <= set(manifest["files"])
        assert {f"blobs/{h[:2]}/{h[2:]}" for h in (hashlib.sha256(p).hexdigest() for p in photos)} <= set(
            manifest["files"]
        )

        # Work acknowledged after the backup: lost by the restore, and device A's cursor is past its head.
        after_notes = add_notes(client_a, interview_id, 3, "after-backup-")
        client_a.sync()
        assert client_a.cursor > manifest["head_seq"]
        server.stop()

        refused = fangtan("restore", str(archive), "--data-dir", str(data_dir))
        assert refused.returncode != 0 and "不为空" in refused.stderr and "non-empty" in refused.stderr
        restored = tmp_path / "restored"
        done = fangtan("restore", str(archive), "--data-dir", str(restored))
        assert done.returncode == 0, done.stderr
        db = restored / "fangtan.db"
        assert server_rows(db, "PRAGMA integrity_check") == [("ok",)]
        notes = Counter(i for (i,) in server_rows(db, "SELECT id FROM note"))
        for note_id in before_notes + acked_before_backup:
            assert notes[note_id] == 1, note_id
        assert not set(after_notes) & set(notes)
        assert_signature_verifies(db, signed_id, signing_key)

        restored_server = LiveServer(data_dir=restored, port=server.port).start()
        for photo in photos:  # the same jwt.key: device A's access token still works
            digest = hashlib.sha256(photo).hexdigest()
            got = httpx.get(f"{restored_server.url}/api/blobs/{digest}", headers=auth, timeout=10)
            assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == digest

        # Device A: its cursor is beyond the restored head → 410 → snapshot; it converges on the server.
        more = add_notes(client_a, interview_id, 2, "after-restore-")
        client_a.sync()
        assert client_a.outbox() == []
        on_server = {i for (i,) in server_rows(db, "SELECT id FROM note WHERE interview_id = ?", interview_id)}
        assert on_server == set(before_notes) | set(more)
        assert set(client_a.rows("note")) >= on_server and not set(after_notes) & set(client_a.rows("note"))
        client_a.close()

        # A recorded blob whose file is gone is a 404 that names no server path.
        gone = hashlib.sha256(photos[0]).hexdigest()
        (restored / "blobs" / gone[:2] / gone[2:]).unlink()
        missing = httpx.get(f"{restored_server.url}/api/blobs/{gone}", headers=auth, timeout=10)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert str(restored) not in missing.text and "/blobs/" not in missing.text
    finally:
        server.stop(kill=True)
        if restored_server:
            restored_server.stop()


def test_restore_refuses_a_damaged_archive_and_writes_nothing(data_dir, tmp_path) -> None:
    archive = tmp_path / "b.tar"
    assert fangtan("backup", str(archive), "--without-keys", "--data-dir", str(data_dir)).returncode == 0
    with tarfile.open(archive) as tar:
        assert "jwt.key" not in tar.getnames()
    raw = bytearray(archive.read_bytes())
    raw[4096] ^= 0xFF  # inside the database member's bytes
    archive.write_bytes(bytes(raw))
    target = tmp_path / "restored"
    result = fangtan("restore", str(archive), "--data-dir", str(target))
    assert result.returncode != 0 and "SHA-256" in result.stderr
    assert not target.exists() or list(target.iterdir()) == []
