"""``fangtan remarks export`` / ``fangtan remarks open`` (docs/security.md §8) against a live server:
keys, passphrase and recovery-code backups are made here exactly as the browser makes them
(PBKDF2-SHA256 + AES-256-GCM over PKCS#8, docs/security.md §3) and a remark is sealed with
``sync.sealing``; the export holds ciphertext only; opening it offline with the officer's passphrase
or recovery code prints the marker; a wrong passphrase and a tampered file are refused clearly."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from server.demo import DEMO_PASSWORD
from sync import sealing
from sync.ids import new_id
from tests.builders import api_device, draft_interview_args, units_by_name
from tests.fangtan_cli import fangtan

PASSPHRASE = "甲醇车间-保密口令-2025"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def recovery_code() -> str:
    entropy = os.urandom(16)
    raw = entropy + hashlib.sha256(entropy).digest()[:4]
    bits = bin(int.from_bytes(raw, "big"))[2:].zfill(160)
    code = "".join(B32[int(bits[i:i + 5], 2)] for i in range(0, 160, 5))
    return "-".join(code[i:i + 4] for i in range(0, 32, 4))


def backup(key: ec.EllipticCurvePrivateKey, key_id: str, secret: str, method: str) -> dict:
    """A ``key.backup`` as pwa/src/crypto/backup.ts makes it."""
    normal = secret.replace("-", "").upper() if method == "recovery_code" else secret
    salt, nonce = os.urandom(16), os.urandom(12)
    kek = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=600_000).derive(normal.encode())
    pkcs8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    aad = json.dumps(["fangtan.key-backup", 1, key_id, method], separators=(",", ":")).encode()
    return {"id": new_id(), "key_id": key_id, "method": method, "kdf": "PBKDF2-SHA256", "iterations": 600_000,
            "salt": sealing.b64(salt), "nonce": sealing.b64(nonce), "wrapped": sealing.b64(AESGCM(kek).encrypt(nonce, pkcs8, aad))}


def point(key: ec.EllipticCurvePrivateKey) -> str:
    return sealing.b64(key.public_key().public_bytes(serialization.Encoding.X962,
                                                     serialization.PublicFormat.UncompressedPoint))


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return fangtan("remarks", *args, env=env, timeout=180)


def test_officer_exports_ciphertext_and_opens_it_offline(live_server, tmp_path: Path) -> None:
    marker = f"MARK-{secrets.token_hex(8)}-家庭困难需保密"
    code = recovery_code()
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        cadre, officer = api_device(client, "cadre"), api_device(client, "officer")
        units = units_by_name(client, cadre.headers)
        officer_key, cadre_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
        officer_kid, cadre_kid = new_id(), new_id()
        result = officer.push(("key.publish", {"id": officer_kid, "purpose": "encryption", "public_key": point(officer_key)}),
                              ("key.backup", backup(officer_key, officer_kid, PASSPHRASE, "passphrase")),
                              ("key.backup", backup(officer_key, officer_kid, code, "recovery_code")))
        assert [r["status"] for r in result["results"]] == ["applied"] * 3, result
        interview = draft_interview_args(units["精馏班组"])
        remark_id, private_id = new_id(), new_id()
        to_both = sealing.seal(marker, row_id=remark_id, recipients=[
            sealing.Recipient(cadre.user_id, cadre_kid, cadre_key.public_key()),
            sealing.Recipient(officer.user_id, officer_kid, officer_key.public_key())])
        author_only = sealing.seal("只给作者", row_id=private_id, recipients=[
            sealing.Recipient(cadre.user_id, cadre_kid, cadre_key.public_key())])
        result = cadre.push(("key.publish", {"id": cadre_kid, "purpose": "encryption", "public_key": point(cadre_key)}),
                            ("interview.save", interview),
                            ("remark.put", {"id": remark_id, "interview_id": interview["id"], "envelope": to_both}),
                            ("remark.put", {"id": private_id, "interview_id": interview["id"], "envelope": author_only}))
        assert [r["status"] for r in result["results"]] == ["applied"] * 4, result
        officer.push(("remark.access", {"id": new_id(), "remark_id": remark_id}))

    out = tmp_path / "remarks.json"
    exported = cli("export", str(out), "--server", live_server.url, "--username", "officer",
                   FANGTAN_PASSWORD=DEMO_PASSWORD)
    assert exported.returncode == 0, exported.stderr
    assert "已导出 (exported) 2 条保密备注" in exported.stdout
    text = out.read_text(encoding="utf-8")
    assert marker not in text and "家庭困难" not in text  # ciphertext only
    doc = json.loads(text)
    manifest = doc["manifest"]
    assert manifest["kind"] == "fangtan.remarks-export" and manifest["exported_by"]["username"] == "officer"
    assert manifest["counts"] == {"remark": 2, "remark_access": 1, "user_key": 2, "key_backup": 2, "user": 9}
    assert {b["user_id"] for b in doc["key_backup"]} == {officer.user_id}  # only the officer's own backups
    assert {r["id"]: r["envelope"] for r in doc["remark"]}[remark_id] == to_both
    # The export's own device was revoked at the end: no token of it lingers.
    devices = httpx.get(f"{live_server.url}/api/devices", headers=officer.headers).json()
    assert [d["revoked_at"] is not None for d in devices if d["name"] == "fangtan remarks export"] == [True]
    assert marker not in live_server.log()

    opened = cli("open", str(out), "--username", "officer", FANGTAN_PASSPHRASE=PASSPHRASE)
    assert opened.returncode == 0, opened.stderr
    assert marker in opened.stdout and "作者 (author) 刘海涛" in opened.stdout
    assert "未授权给你" in opened.stdout and "只给作者" not in opened.stdout
    assert "已打开 1 条" in opened.stderr
    by_code = cli("open", str(out), "--username", "officer", FANGTAN_PASSPHRASE=code.lower())
    assert by_code.returncode == 0 and marker in by_code.stdout, by_code.stderr

    wrong = cli("open", str(out), "--username", "officer", FANGTAN_PASSPHRASE="这不是口令-wrong-pass")
    assert wrong.returncode == 1 and "口令或恢复码不正确 (wrong passphrase or recovery code)" in wrong.stderr
    assert marker not in wrong.stdout + wrong.stderr
    other = cli("open", str(out), "--username", "cadre", FANGTAN_PASSPHRASE=PASSPHRASE)
    assert other.returncode == 1 and "exported by officer" in other.stderr

    tampered = tmp_path / "tampered.json"
    doc["remark"][0]["envelope"]["ct"] = sealing.b64(b"\x00" * 32)
    tampered.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    broken = cli("open", str(tampered), "--username", "officer", FANGTAN_PASSPHRASE=PASSPHRASE)
    assert broken.returncode == 1 and "文件已损坏或被改动" in broken.stderr
