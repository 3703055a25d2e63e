"""One-file backups of a data directory and their restore (docs/deploy.md §7).

An archive is an uncompressed tar (photos and memos are already compressed) holding:

* ``fangtan.db`` — a consistent copy taken with SQLite's online backup API while the server writes;
* every other file of the data directory: verified blobs (``blobs/ab/cdef…``, content-addressed and
  append-only, so every blob the database copy refers to is already on disk when it is taken),
  archive bundles, and the keys ``jwt.key`` / ``vapid_private.pem`` unless ``with_keys`` is false;
* ``manifest.json`` — format, versions, the database's head seq and the SHA-256 and size of every
  member. Unfinished uploads (``blobs/partial``) and SQLite's ``-wal``/``-shm`` files are left out.

Restore refuses a non-empty target, verifies every member against the manifest before writing
anything, and then moves the sync sequence forward (:func:`mark_restored`) so that a device whose
cursor is beyond the restored head re-snapshots through ``410 sync.cursor_expired``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from server import __version__

FORMAT = "fangtan-backup/1"
MANIFEST = "manifest.json"
DATABASE = "fangtan.db"
KEY_FILES = ("jwt.key", "vapid_private.pem")
"""Secret key files of a data directory; ``--without-keys`` leaves them out (docs/deploy.md §7)."""

RESTORE_SEQ_GAP = 1 << 40
"""How far :func:`mark_restored` moves the sync sequence: more changes than any server makes between
a backup and its restore, and small enough (with many restores) to stay an exact JavaScript number."""

_SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is shown to the operator."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    files: int
    blobs: int
    bytes: int
    with_keys: bool
    head_seq: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _data_files(data_dir: Path, *, with_keys: bool) -> list[tuple[str, Path]]:
    """(archive name, path) of every file to copy besides the database, in a stable order."""
    out: list[tuple[str, Path]] = []
    for path in sorted(data_dir.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(data_dir).as_posix()
        if rel == DATABASE or rel.startswith(DATABASE) and rel.endswith(_SKIPPED_SUFFIXES):
            continue
        if rel.startswith(("blobs/partial/", f"{UPGRADE_BACKUP_DIR}/")) or rel.startswith(".fangtan-") or "/.fangtan-" in rel:
            continue
        if rel in KEY_FILES and not with_keys:
            continue
        out.append((rel, path))
    return out


def _head_seq(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'sync_change'").fetchone()
        return int(row[0]) if row else 0
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def create_backup(data_dir: Path, out: Path, *, with_keys: bool = True) -> BackupSummary:
    """Write the archive to ``out`` (mode 0600, replaced atomically); safe while the server serves."""
    from server.store import backup as online_backup

    db_path = data_dir / DATABASE
    if not db_path.exists():
        raise BackupError(f"数据目录中没有数据库 (no database in the data directory): {DATABASE}")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fangtan-backup-", dir=out.parent) as work:
        db_copy = Path(work) / DATABASE
        online_backup(db_path, db_copy)  # first: every blob it refers to is on disk already
        os.chmod(db_copy, 0o600)
        members = [(DATABASE, db_copy), *_data_files(data_dir, with_keys=with_keys)]
        files: dict[str, dict] = {}
        total = 0
        partial = out.with_name(f".{out.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for name, path in members:
                    # Hash the bytes as they go into the archive (a file is never rewritten in place).
                    data_hash = hashlib.sha256()
                    size = path.stat().st_size
                    info = tarfile.TarInfo(name)
                    info.size = size
                    info.mode = 0o600
                    info.mtime = int(path.stat().st_mtime)
                    with open(path, "rb") as fh:
                        tar.addfile(info, _HashingReader(fh, data_hash))
                    files[name] = {"sha256": data_hash.hexdigest(), "size": size}
                    total += size
                manifest = {
                    "format": FORMAT,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "fangtan_version": __version__,
                    "head_seq": _head_seq(db_copy),
                    "with_keys": with_keys,
                    "files": files,
                }
                payload = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(payload)
                info.mode = 0o600
                info.mtime = int(datetime.now(UTC).timestamp())
                tar.addfile(info, io.BytesIO(payload))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    blobs = sum(1 for name in files if name.startswith("blobs/"))
    return BackupSummary(out, len(files), blobs, total, with_keys, manifest["head_seq"])


class _HashingReader:
    def __init__(self, fh, digest) -> None:
        self._fh = fh
        self._digest = digest

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._digest.update(data)
        return data


def _safe_name(name: str) -> str:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"备份中有不安全的路径 (unsafe path in the archive): {name!r}")
    return pure.as_posix()


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, mode="r:") as tar:
        try:
            member = tar.getmember(MANIFEST)
        except KeyError:
            raise BackupError("备份中没有 manifest.json，不是 fangtan 备份 (not a fangtan backup)") from None
        manifest = json.loads(tar.extractfile(member).read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式 (unsupported backup format): {manifest.get('format')!r}")
    return manifest


def restore_backup(archive: Path, data_dir: Path, *, keys_from: Path | None = None) -> dict:
    """Verify ``archive`` against its manifest and restore it into the empty ``data_dir``.

    Nothing is written to ``data_dir`` until every member has been verified; ``keys_from`` supplies
    the key files of a ``--without-keys`` archive (from escrow). Returns the manifest."""
    if data_dir.exists() and any(data_dir.iterdir()):
        raise BackupError(f"目标目录不为空，拒绝覆盖 (refusing to restore into a non-empty directory): {data_dir}")
    try:
        manifest = read_manifest(archive)
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError(f"无法读取备份 (cannot read the archive): {exc}") from None
    expected: dict[str, dict] = manifest["files"]
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".fangtan-restore-", dir=data_dir))
    try:
        seen: set[str] = set()
        with tarfile.open(archive, mode="r:") as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                name = _safe_name(member.name)
                if not member.isfile() or name not in expected:
                    raise BackupError(f"备份中有清单外的条目 (member not in the manifest): {name}")
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as src, open(target, "wb") as dst:
                    os.fchmod(dst.fileno(), 0o600)
                    shutil.copyfileobj(_HashingReader(src, digest), dst)
                if digest.hexdigest() != expected[name]["sha256"]:
                    raise BackupError(f"校验失败，备份已损坏 (SHA-256 mismatch, the archive is damaged): {name}")
                seen.add(name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(f"备份不完整，缺少 {len(missing)} 个文件 (archive incomplete), e.g. {missing[0]}")
        if keys_from is not None:
            for key in KEY_FILES:
                source = keys_from / key
                if source.is_file():
                    shutil.copyfile(source, staging / key)
                    os.chmod(staging / key, 0o600)
        integrity = _integrity(staging / DATABASE)
        if integrity != "ok":
            raise BackupError(f"数据库完整性检查失败 (integrity_check failed): {integrity}")
        mark_restored(staging / DATABASE)
        for child in staging.iterdir():
            os.replace(child, data_dir / child.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def mark_restored(db_path: Path) -> int:
    """Make every cursor handed out before the restore get ``410 sync.cursor_expired``.

    Devices may hold cursors beyond the restored head (changes made after the backup). Were the
    sequence simply to go on, new changes would reuse those seqs and such a device would skip
    them. So the sequence jumps by :data:`RESTORE_SEQ_GAP` and the tombstone horizon is moved to
    the new head: older cursors are "too old", newer ones "ahead of the server"; both re-snapshot
    (docs/sync-protocol.md §3). Returns the new horizon. Also used after ``litestream restore``."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'sync_change'").fetchone()
        head = int(row[0]) if row else 0
        new_head = head + RESTORE_SEQ_GAP
        if row:
            conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'sync_change'", (new_head,))
        else:
            conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('sync_change', ?)", (new_head,))
        conn.execute(
            "INSERT INTO sync_meta (key, value) VALUES ('horizon_seq', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(new_head),),
        )
        conn.execute("COMMIT")
        return new_head
    finally:
        conn.close()


@dataclass(frozen=True)
class MirrorSummary:
    copied: int
    present: int


def mirror_blobs(blob_dir: Path, dest: Path) -> MirrorSummary:
    """Copy every verified blob missing from ``dest`` (same ``ab/cdef…`` layout).

    Blobs are content-addressed and never rewritten, so a file already in ``dest`` with the right
    size is the same blob; a new one is copied under a temporary name, checked against its hash
    and renamed into place, so a mirror interrupted half-way never holds a torn blob."""
    copied = present = 0
    for path in sorted(blob_dir.glob("??/*")):
        rel = path.relative_to(blob_dir)
        if rel.parts[0] == "partial" or not path.is_file():
            continue
        sha256 = rel.parts[0] + rel.parts[1]
        target = dest / rel
        if target.is_file() and target.stat().st_size == path.stat().st_size:
            present += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(path, partial)
        if _sha256_file(partial) != sha256:
            partial.unlink(missing_ok=True)
            raise BackupError(f"附件校验失败 (blob does not hash to its name): {sha256}")
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
        copied += 1
    return MirrorSummary(copied, present)


UPGRADE_BACKUP_DIR = "backups"
"""``<data dir>/backups``: the archive taken automatically before migrations run (never backed up itself)."""


def pending_migrations(db_path: Path) -> list[str]:
    """Names of the migrations an existing database still lacks (empty for a new database)."""
    from server.migrations import core
    from server.store import connect
    from sync.migrations import migrations as sync_migrations

    if not db_path.exists():
        return []
    db = connect(db_path)
    try:
        if "_sqlite_migrations" not in db.table_names():
            return []
        return [m.name for m in (*core.pending(db), *sync_migrations.pending(db))]
    finally:
        db.conn.close()


def backup_before_migrating(data_dir: Path) -> Path | None:
    """Before an upgrade migrates the database, keep an archive of the data as it was
    (``<data dir>/backups/pre-upgrade-<UTC time>.tar``); returns its path, or None if nothing is pending."""
    pending = pending_migrations(data_dir / DATABASE)
    if not pending:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = data_dir / UPGRADE_BACKUP_DIR / f"pre-upgrade-{stamp}.tar"
    create_backup(data_dir, out)
    return out
