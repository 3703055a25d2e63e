"""Offline export of confidential remarks for officers (docs/security.md §8), like ODK Briefcase.

``fangtan remarks export``: signs in as the officer (a device named "fangtan remarks export", revoked
again at the end), pulls what that officer may see and writes the ``remark``, ``remark_access``,
``user_key`` and the officer's own ``key_backup`` rows to one JSON file with a manifest. The file
holds **ciphertext only**: envelopes and passphrase-wrapped key backups, exactly as the server has
them; it is as safe to carry as a database backup.

``fangtan remarks open``: on any workstation, offline: asks for the officer's backup passphrase (or
recovery code), unwraps the officer's private key(s) from the exported ``key_backup`` rows exactly as
the browser does (PBKDF2-SHA256 → AES-256-GCM, associated data
``["fangtan.key-backup",1,<key id>,<method>]``, docs/security.md §3) and opens each remark with
``sync.sealing.open_envelope``. Nothing is written; opening offline is not in the server's access log.
"""

from __future__ import annotations

import base64
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from sync import sealing

KIND = "fangtan.remarks-export"
VERSION = 1
ENTITIES = ("remark", "remark_access", "user_key", "key_backup")
BACKUP_KDF = "PBKDF2-SHA256"
MIN_ITERATIONS = 600_000
PAGE = 1000
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class ExportError(Exception):
    """A clear, user-facing reason (Chinese first, English in brackets)."""


class WrongSecret(ExportError):
    def __init__(self) -> None:
        super().__init__("口令或恢复码不正确 (wrong passphrase or recovery code)")


# -- export -----------------------------------------------------------------------------------
def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _error_message(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", {})
        return f"{error.get('message')} ({error.get('code')})"
    except ValueError:
        return f"HTTP {response.status_code}"


def _in_period(row: dict[str, Any], since: str | None, until: str | None) -> bool:
    when = str(row.get("updated_at") or row.get("created_at") or "")[:10]
    return (since is None or when >= since) and (until is None or when <= until)


def export_remarks(server_url: str, username: str, password: str, *, since: str | None = None,
                   until: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The export document (ciphertext only). ``since``/``until`` are dates (YYYY-MM-DD, inclusive)
    of a remark's last change; the access log is kept for the exported remarks only."""
    base = server_url.rstrip("/")
    with httpx.Client(base_url=base, timeout=60) as http:
        try:
            login = http.post("/api/auth/login", json={"username": username, "password": password,
                                                        "device_name": "fangtan remarks export"})
        except httpx.HTTPError as exc:
            raise ExportError(f"无法连接服务器 (cannot reach {server_url}): {exc}") from None
        if login.status_code != 200:
            raise ExportError(f"登录失败 (login failed): {_error_message(login)}")
        session = login.json()
        user = session["user"]
        if "officer" not in user.get("roles", []):
            raise ExportError(f"{username} 不是保密管理员 (not an officer): 只有保密管理员可以导出保密备注")
        headers = {"Authorization": f"Bearer {session['access_token']}"}
        rows: dict[str, dict[str, dict[str, Any]]] = {e: {} for e in (*ENTITIES, "user")}
        cursor, upto = 0, None
        try:
            while True:
                params: dict[str, Any] = {"cursor": cursor, "limit": PAGE}
                if upto is not None:
                    params["upto"] = upto
                page = http.get("/api/sync/pull", params=params, headers=headers)
                if page.status_code != 200:
                    raise ExportError(f"读取失败 (pull failed): {_error_message(page)}")
                body = page.json()
                for change in body["changes"]:
                    bucket = rows.get(change["entity"])
                    if bucket is None:
                        continue
                    if change["deleted"]:
                        bucket.pop(change["id"], None)
                    else:
                        bucket[change["id"]] = change["row"]
                cursor = body["cursor"]
                upto = body.get("upto")
                if not body["has_more"]:
                    break
        finally:
            # The export's own device is not kept: its tokens stop working at once.
            http.post(f"/api/devices/{session['device_id']}/revoke", headers=headers)
    remarks = sorted((r for r in rows["remark"].values() if _in_period(r, since, until)),
                     key=lambda r: (str(r.get("created_at")), r["id"]))
    kept = {r["id"] for r in remarks}
    content = {
        "remark": remarks,
        "remark_access": sorted((a for a in rows["remark_access"].values() if a["remark_id"] in kept),
                                key=lambda a: (str(a.get("created_at")), a["id"])),
        "user_key": sorted(rows["user_key"].values(), key=lambda k: (str(k.get("created_at")), k["id"])),
        "key_backup": sorted((b for b in rows["key_backup"].values() if b["user_id"] == user["id"]),
                             key=lambda b: (str(b.get("created_at")), b["id"])),
        "user": sorted(({"id": u["id"], "name": u["name"]} for u in rows["user"].values()), key=lambda u: u["id"]),
    }
    manifest = {
        "kind": KIND, "v": VERSION,
        "exported_at": (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
        "server": base, "device_id": session["device_id"],
        "exported_by": {"user_id": user["id"], "username": username, "name": user["name"]},
        "period": {"since": since, "until": until},
        "counts": {k: len(v) for k, v in content.items()},
        "content_sha256": hashlib.sha256(_canonical(content)).hexdigest(),
        "note": "Ciphertext only: remark envelopes (docs/security.md §2) and passphrase-wrapped key backups (§3).",
    }
    return {"manifest": manifest, **content}


# -- open -------------------------------------------------------------------------------------
def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _is_recovery_code(secret: str) -> bool:
    """32 base32 characters: 128 random bits + the first 4 bytes of their SHA-256 (browser: isRecoveryCode)."""
    s = normalise_secret(secret, "recovery_code")
    if len(s) != 32 or any(c not in _B32 for c in s):
        return False
    bits = "".join(f"{_B32.index(c):05b}" for c in s)
    raw = int(bits, 2).to_bytes(20, "big")
    return hashlib.sha256(raw[:16]).digest()[:4] == raw[16:]


def normalise_secret(secret: str, method: str) -> str:
    if method == "recovery_code":
        return "".join(secret.split()).replace("-", "").upper()
    return unicodedata.normalize("NFC", secret)


def backup_aad(key_id: str, method: str) -> bytes:
    return json.dumps(["fangtan.key-backup", 1, key_id, method], ensure_ascii=False, separators=(",", ":")).encode()


def unwrap_backup(backup: dict[str, Any], secret: str) -> ec.EllipticCurvePrivateKey:
    """The private key in a ``key_backup`` row, or ``WrongSecret`` (wrong secret and tampering look alike)."""
    if backup.get("kdf") != BACKUP_KDF or int(backup.get("iterations", 0)) < MIN_ITERATIONS:
        raise WrongSecret()
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=_unb64(backup["salt"]),
                     iterations=int(backup["iterations"]))
    kek = kdf.derive(normalise_secret(secret, backup["method"]).encode("utf-8"))
    try:
        pkcs8 = AESGCM(kek).decrypt(_unb64(backup["nonce"]), _unb64(backup["wrapped"]),
                                    backup_aad(backup["key_id"], backup["method"]))
    except InvalidTag:
        raise WrongSecret() from None
    key = serialization.load_der_private_key(pkcs8, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise WrongSecret()
    return key


@dataclass(frozen=True)
class Opened:
    remark_id: str
    interview_id: str
    author: str
    created_at: str
    updated_at: str
    text: str | None
    error: str | None = None


def load_export(text: str) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ExportError(f"不是导出文件 (not an export file): {exc}") from None
    manifest = doc.get("manifest") if isinstance(doc, dict) else None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND or manifest.get("v") != VERSION:
        raise ExportError("不是 fangtan 保密备注导出文件 (not a fangtan remarks export, v1)")
    content = {k: doc.get(k) for k in (*ENTITIES, "user")}
    if hashlib.sha256(_canonical(content)).hexdigest() != manifest.get("content_sha256"):
        raise ExportError("文件已损坏或被改动 (content does not match the manifest)")
    return doc


def open_export(doc: dict[str, Any], username: str, secret: str) -> list[Opened]:
    """Every exported remark, opened with the officer's key(s) unwrapped from the exported backups."""
    by = doc["manifest"]["exported_by"]
    if by["username"] != username:
        raise ExportError(f"此文件是 {by['username']} 导出的，只含其密钥备份 (exported by {by['username']}, not {username})")
    user_id = by["user_id"]
    method = "recovery_code" if _is_recovery_code(secret) else "passphrase"
    my_keys = {k["id"] for k in doc["user_key"] if k["user_id"] == user_id and k["purpose"] == "encryption"}
    backups = [b for b in doc["key_backup"] if b["method"] == method and b["key_id"] in my_keys]
    if not backups:
        raise ExportError("文件中没有你的密钥备份 (no key backup of yours in the file)")
    private: dict[str, ec.EllipticCurvePrivateKey] = {}
    for b in backups:
        try:
            private[b["key_id"]] = unwrap_backup(b, secret)
        except WrongSecret:
            continue
    if not private:
        raise WrongSecret()
    names = {u["id"]: u["name"] for u in doc.get("user", [])}
    out: list[Opened] = []
    for remark in doc["remark"]:
        envelope = remark["envelope"]
        mine = [r for r in envelope.get("recipients", []) if r.get("user_id") == user_id]
        meta = dict(remark_id=remark["id"], interview_id=remark["interview_id"],
                    author=names.get(remark["author_id"], remark["author_id"]),
                    created_at=remark.get("created_at") or "", updated_at=remark.get("updated_at") or "")
        key = private.get(mine[0]["key_id"]) if mine else None
        if key is None:
            reason = "未授权给你 (not granted to you)" if not mine else "需要另一把密钥 (needs another of your keys)"
            out.append(Opened(**meta, text=None, error=reason))
            continue
        try:
            text = sealing.open_envelope(envelope, row_id=remark["id"], user_id=user_id, private_key=key)
        except sealing.CannotOpen as exc:
            out.append(Opened(**meta, text=None, error=str(exc)))
            continue
        out.append(Opened(**meta, text=text))
    return out
