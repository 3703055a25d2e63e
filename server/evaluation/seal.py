"""The sealed pending pool of anonymous responses (docs/evaluation.md, "What is stored").

A response is acknowledged only once it is on disk, and the ticket's used-mark must be on disk at
the same moment (a restart must not let a ticket rate twice). Written in plain text, the two would
sit in one commit of the WAL and any copy of the data directory would pair them. So a response is
first stored *sealed*: AES-256-GCM under a key that lives **outside the data directory**
(``FANGTAN_EVALUATION_KEY_FILE``), padded to one fixed length so that not even the length of the
comment shows. A cell's (cadre x quarter) pending responses are written out in plain text only
together, in shuffled order with fresh random ids, once there are at least k of them
(``server.evaluation.tickets.flush_tx``); those that never reach k stay sealed and are counted by
decrypting them in memory.

The key is found by the database file's path: ``register`` (called at start-up with the
configured path) or, for a database nobody registered (CLI, tests), ``FANGTAN_EVALUATION_KEY_FILE``
from the environment, else the default location next to the data directory,
``<data dir>/../<data dir name>-evaluation.key``.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlite_utils import Database

SEALED_SIZE = 2048
"""Every sealed plaintext is padded to this many bytes (a 500-character comment is at most 1,500 bytes)."""
_AAD = b"fangtan.evaluation.pending.v1"
_NONCE = 12
_lock = threading.Lock()
_keys: dict[str, bytes] = {}
_paths: dict[str, Path] = {}


class MissingKey(SystemExit):
    """Sealed responses exist but their key file is gone: refusing to start rather than lose them."""


def default_key_path(data_dir: Path) -> Path:
    data_dir = Path(data_dir).resolve()
    return data_dir.parent / f"{data_dir.name}-evaluation.key"


def _db_file(db: Database) -> str:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return str(Path(row[2]).resolve())


def register(db_path: Path, key_path: Path | None) -> None:
    """Use ``key_path`` (else the default location) for the database at ``db_path``."""
    db_file = str(Path(db_path).resolve())
    with _lock:
        _paths[db_file] = Path(key_path) if key_path else default_key_path(Path(db_file).parent)
        _keys.pop(db_file, None)


def _unregistered_path(db_file: str) -> Path:
    """A database opened without the app (the CLI, ``fangtan init --demo``): the environment's
    ``FANGTAN_EVALUATION_KEY_FILE`` as the server will read it, else the default location."""
    configured = os.environ.get("FANGTAN_EVALUATION_KEY_FILE", "")
    return Path(configured) if configured else default_key_path(Path(db_file).parent)


def _load_or_create(path: Path, *, create: bool) -> bytes | None:
    if path.is_file():
        key = path.read_bytes()
        if len(key) != 32:
            raise SystemExit(f"{path}: an evaluation key is 32 bytes, found {len(key)}")
        return key
    if not create:
        return None
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise SystemExit(
            f"cannot create the evaluation key {path} ({exc.strerror}): set FANGTAN_EVALUATION_KEY_FILE to a"
            " writable path outside the data directory (docs/evaluation.md)"
        ) from None
    return key


def key_for(db: Database) -> bytes:
    """The key of this database's sealed pool, created on first use when nothing is sealed yet."""
    db_file = _db_file(db)
    with _lock:
        if db_file in _keys:
            return _keys[db_file]
        path = _paths.get(db_file) or _unregistered_path(db_file)
        sealed = _pending_count(db)
        key = _load_or_create(path, create=sealed == 0)
        if key is None:
            raise MissingKey(
                f"{sealed} sealed evaluation responses in {db_file} but their key file {path} is missing"
                " (FANGTAN_EVALUATION_KEY_FILE): restore it, or they cannot be counted"
            )
        _check(db, key, path)
        _keys[db_file] = key
        return key


def _check(db: Database, key: bytes, path: Path) -> None:
    """A key that opens no sealed row is the wrong file: refuse at once, not at the first read."""
    if _pending_count(db) == 0:
        return
    (blob,) = db.conn.execute("SELECT sealed FROM evaluation_pending LIMIT 1").fetchone()
    try:
        unseal(key, blob)
    except InvalidTag:
        raise MissingKey(
            f"{path} does not open the sealed evaluation responses (FANGTAN_EVALUATION_KEY_FILE): restore the"
            " key they were sealed with"
        ) from None


def _pending_count(db: Database) -> int:
    exists = db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'evaluation_pending'").fetchone()
    return db.conn.execute("SELECT COUNT(*) FROM evaluation_pending").fetchone()[0] if exists else 0


def seal(key: bytes, record: dict) -> bytes:
    plain = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(plain) > SEALED_SIZE - 1:
        raise ValueError("sealed record too long")
    padded = plain + b"\n" + b" " * (SEALED_SIZE - 1 - len(plain))
    nonce = secrets.token_bytes(_NONCE)
    return nonce + AESGCM(key).encrypt(nonce, padded, _AAD)


def unseal(key: bytes, blob: bytes) -> dict:
    padded = AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], _AAD)
    return json.loads(padded.split(b"\n", 1)[0])


def pending(db: Database) -> list[tuple[str, dict]]:
    """(row id, record) of every sealed response, decrypted in memory."""
    rows = db.conn.execute("SELECT id, sealed FROM evaluation_pending").fetchall()
    if not rows:
        return []
    key = key_for(db)
    return [(rid, unseal(key, blob)) for rid, blob in rows]
