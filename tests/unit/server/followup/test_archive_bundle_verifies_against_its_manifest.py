"""The archive bundle: record, report, materials and signatures, checked against manifest.json."""

import hashlib
import io
import json
import os
import stat
import zipfile

from docx import Document

from server.followup.archive import read_record, verify_bundle
from tests.builders import World
from tests.followup_archive import PHOTO, archived_interview


def test_bundle_contents_and_manifest(world: World, dev, tmp_path) -> None:
    iid, issue, att, row, archive_dir = archived_interview(world, dev, tmp_path)
    path = archive_dir / row.file_name
    assert verify_bundle(path) == []
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256 and row.size == path.stat().st_size
    assert not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # read-only file
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        manifest_bytes = zf.read("manifest.json")
        photo = zf.read(f"materials/issue/{att}-整改后照片.png")
        report = Document(io.BytesIO(zf.read("report.docx")))
    assert {"record.json", "report.docx", "manifest.json"} <= names
    assert photo == PHOTO
    assert hashlib.sha256(manifest_bytes).hexdigest() == row.manifest_sha256
    manifest = json.loads(manifest_bytes)
    assert set(manifest["files"]) == names - {"manifest.json"}
    record = read_record(path)
    assert record["interview"]["id"] == iid and record["report"]["status"] == "submitted"
    assert [i["id"] for i in record["issues"]] == [issue]
    assert [f["kind"] for f in record["followups"]] == ["assign", "start", "progress", "resolve", "close"]
    assert record["attachments"][0]["id"] == att and "signatures" in record
    assert any("循环泵密封频繁泄漏" in p.text for p in report.paragraphs)


def test_a_tampered_bundle_fails_verification(world: World, dev, tmp_path) -> None:
    *_, row, archive_dir = archived_interview(world, dev, tmp_path)
    src = archive_dir / row.file_name
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(forged, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "record.json":
                data = data.replace("循环泵".encode(), "离心泵".encode())
            zout.writestr(item, data)
        zout.writestr("extra.txt", b"smuggled")
    assert verify_bundle(forged) == ["record.json: sha256 mismatch", "extra.txt: not in the manifest"]
