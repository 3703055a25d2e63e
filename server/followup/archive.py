"""成果归档: when every problem of an interview is closed, HR archives it into an immutable bundle.

``<data dir>/archives/<interview id>.zip`` (read-only file, never rewritten) holds:

* ``record.json`` — the interview, its notes, problems, follow-up events, attachment metadata,
  the report row and the device signatures over the record (if any), as synced;
* ``report.docx`` — the 访谈情况报告 (GB/T 9704 layout);
* ``materials/<entity>/<attachment id>-<name>`` — every attached file (photos, rectification
  evidence, documents), byte-identical to the blob;
* ``manifest.json`` — SHA-256 and size of every other file in the bundle.

The ``archive`` row (synced, seen like the interview) records the bundle's own SHA-256 and the
manifest's. From then on every mutation against the interview or anything under it is rejected
with ``archived`` (``sync.archive_guard``). Confidential remarks are not included: they are
end-to-end encrypted and stay only in the database for their author and the officers.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import msgspec
from sqlite_utils import Database

from server.blobs.storage import BlobFiles
from server.followup.exports import numbering
from server.followup.exports.data import FORM_ZH, report_data, unit_names
from server.followup.exports.report_docx import issued_report
from sync import policy, rowstore, visibility
from sync.actor import Actor
from sync.calendar import local_date
from sync.entities import ArchiveRow
from sync.errors import Conflict, NotFound
from sync.followup_rules import interview_date, notify
from sync.notices import notice

_SAFE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]+")
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entry times: the bundle's bytes depend on its content only


def _rows(db: Database, actor: Actor, entity: str, where: str, params: list[Any]) -> list[Any]:
    """The rows the archiver may pull (``sync.policy.may_read_row``): a bundle never holds more than
    the pull gives the person who makes it."""
    rows = policy.readable_rows(db, actor, entity, rowstore.load_where(db, entity, where, params))
    return [msgspec.to_builtins(r) for r in rows]


def _readable(db: Database, actor: Actor, entity: str, row_id: str) -> Any:
    row = rowstore.load(db, entity, row_id)
    return row if row is not None and policy.may_read_row(db, actor, entity, row) else None


def _signatures(db: Database, interview_id: str) -> list[dict]:
    if "interview_signature" not in db.table_names():
        return []
    cur = db.conn.execute("SELECT * FROM interview_signature WHERE interview_id = ? ORDER BY rowid", (interview_id,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def check_archivable(db: Database, interview_id: str) -> None:
    iv = rowstore.load(db, "interview", interview_id)
    if iv is None:
        raise NotFound("没有这个访谈 (no such interview)", field="interview_id")
    if rowstore.load(db, "archive", interview_id) is not None:
        raise Conflict("该访谈已归档 (already archived)", field="interview_id")
    report = rowstore.load(db, "report", interview_id)
    if report is None or report.status != "submitted":
        raise Conflict("访谈情况报告尚未提交，不能归档 (the report is not submitted yet)", field="interview_id")
    open_issues = [r[0] for r in db.conn.execute(
        "SELECT receipt_code FROM issue WHERE interview_id = ? AND status != 'closed' ORDER BY created_at",
        (interview_id,)).fetchall()]
    if open_issues:
        raise Conflict(f"还有 {len(open_issues)} 个问题未销号，不能归档 (problems not closed yet: "
                       f"{', '.join(open_issues[:10])})", field="interview_id", details={"open": open_issues})


def bundle_files(db: Database, interview_id: str, blobs: BlobFiles, archiver: Actor,
                 now_iso: str, *, issuer: str = "", number_prefix: str = numbering.DEFAULT_PREFIX
                 ) -> dict[str, bytes | Path]:
    """Every file of the bundle but the manifest: name → bytes, or the blob's path on disk."""
    issues = _rows(db, archiver, "issue", "interview_id = ?", [interview_id])
    issue_ids = [i["id"] for i in issues]
    notes = _rows(db, archiver, "note", "interview_id = ?", [interview_id])
    followups = [f for i in issue_ids for f in _rows(db, archiver, "followup", "issue_id = ?", [i])]
    parents = ([("interview", interview_id)] + [("note", n["id"]) for n in notes]
               + [("issue", i) for i in issue_ids] + [("followup", f["id"]) for f in followups])
    attachments = [a for e, pid in parents
                   for a in _rows(db, archiver, "attachment", "parent_entity = ? AND parent_id = ?", [e, pid])]
    record = {
        "format": "fangtan.archive/1", "interview_id": interview_id, "archived_at": now_iso,
        "archived_by": archiver.user_id,
        "interview": msgspec.to_builtins(_readable(db, archiver, "interview", interview_id)),
        "report": msgspec.to_builtins(_readable(db, archiver, "report", interview_id)),
        "notes": notes, "issues": issues, "followups": followups, "attachments": attachments,
        "signatures": _signatures(db, interview_id),
    }
    files: dict[str, bytes | Path] = {
        "record.json": json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True).encode(),
        "report.docx": issued_report(db, report_data(db, interview_id, archiver), now_iso, issuer=issuer,
                                     prefix=number_prefix),
    }
    missing = []
    for a in attachments:
        path = blobs.final_path(a["sha256"])
        if not path.is_file():
            missing.append(a["id"])
            continue
        name = _SAFE.sub("_", a.get("name") or "file")[:80]
        files[f"materials/{a['parent_entity']}/{a['id']}-{name}"] = path
    if missing:
        raise Conflict(f"{len(missing)} 个附件仍在上传，暂不能归档 (attachments still uploading)",
                       field="interview_id", details={"missing_attachments": missing})
    return files


def _sha256_file(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def write_bundle(target: Path, files: dict[str, bytes | Path], interview_id: str, now_iso: str) -> tuple[str, str]:
    """Write the zip (tmp + rename, then read-only); returns (zip sha256, manifest sha256)."""
    manifest: dict[str, Any] = {"format": "fangtan.archive/1", "interview_id": interview_id,
                                "created_at": now_iso, "algorithm": "sha256", "files": {}}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            content = files[name]
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(content, Path):
                digest, size = _sha256_file(content)
                with zf.open(info, "w") as out, open(content, "rb") as src:
                    for chunk in iter(lambda src=src: src.read(1 << 20), b""):
                        out.write(chunk)
            else:
                digest, size = hashlib.sha256(content).hexdigest(), len(content)
                zf.writestr(info, content)
            manifest["files"][name] = {"sha256": digest, "size": size}
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        info = zipfile.ZipInfo("manifest.json", _FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, manifest_bytes)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    os.chmod(target, 0o400)  # read-only, and private like the whole data directory
    return _sha256_file(target)[0], hashlib.sha256(manifest_bytes).hexdigest()


def archive_tx(db: Database, actor: Actor, interview_id: str, archive_dir: Path, blobs: BlobFiles,
               now_iso: str, *, issuer: str = "", number_prefix: str = numbering.DEFAULT_PREFIX) -> ArchiveRow:
    """Check, write the bundle, record the ``archive`` row — inside the caller's write transaction.

    The file is written before COMMIT; if the transaction then fails, the file is left behind but
    no row points at it, and a retry overwrites nothing (same name → replaced before the row exists).
    """
    check_archivable(db, interview_id)
    files = bundle_files(db, interview_id, blobs, actor, now_iso, issuer=issuer, number_prefix=number_prefix)
    name = f"{interview_id}.zip"
    target = archive_dir / name
    if target.exists():  # an orphan from a failed earlier attempt (no row): replace it
        os.chmod(target, 0o600)
    sha, manifest_sha = write_bundle(target, files, interview_id, now_iso)
    row = ArchiveRow(id=interview_id, interview_id=interview_id, file_name=name, sha256=sha,
                     size=target.stat().st_size, manifest_sha256=manifest_sha, archived_by=actor.user_id,
                     archived_at=now_iso)
    rowstore.save(db, "archive", row, visibility.visibility_for(db, "archive", row), now_iso)
    iv = rowstore.load(db, "interview", interview_id)
    notify(db, now_iso, iv.cadre_ids, notice("archived", day=local_date(row.archived_at).isoformat()),
           "interview", interview_id, exclude=(actor.user_id,))
    return row


_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def download_name(db: Database, interview_id: str) -> str:
    """What HR files the bundle as: ``访谈归档-<date>-<place>-<form>.zip`` — the interview's day, its
    place (else its unit) and its form, so a folder of bundles reads like the register of visits."""
    iv = rowstore.load(db, "interview", interview_id)
    if iv is None:
        return f"访谈归档-{interview_id}.zip"
    place = (iv.place or "").strip() or unit_names(db).get(iv.unit_id, "")
    parts = [interview_date(iv).isoformat(), place, FORM_ZH.get(iv.form, iv.form)]
    return "访谈归档-" + "-".join(_UNSAFE_IN_FILE_NAME.sub("_", p).strip("_") for p in parts if p) + ".zip"


def verify_bundle(path: Path) -> list[str]:
    """Problems found checking a bundle against its manifest (empty list: intact)."""
    problems = []
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "manifest.json" not in names:
            return ["manifest.json missing"]
        manifest = json.loads(zf.read("manifest.json"))
        listed = manifest.get("files", {})
        for name, meta in sorted(listed.items()):
            if name not in names:
                problems.append(f"{name}: missing")
                continue
            data = zf.read(name)
            if hashlib.sha256(data).hexdigest() != meta["sha256"] or len(data) != meta["size"]:
                problems.append(f"{name}: sha256 mismatch")
        for extra in sorted(names - set(listed) - {"manifest.json"}):
            problems.append(f"{extra}: not in the manifest")
    return problems


def read_record(path: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("record.json"))


def bundle_bytes(path: Path) -> bytes:
    return Path(path).read_bytes()


def open_docx_from_bundle(path: Path) -> io.BytesIO:
    with zipfile.ZipFile(path) as zf:
        return io.BytesIO(zf.read("report.docx"))
