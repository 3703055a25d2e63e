"""A confidential remark written in the real browser is sealed on the tablet: a marker text typed
by the cadre appears nowhere in the SQLite file, its WAL, the server log, a ``fangtan backup`` copy
or the cadre's IndexedDB; the officer reads it in the app and the access log records it; the
submitted interview carries a verified signature (``pwa/scripts/confidential.mjs``). A second
marker typed into an ordinary note, a composer draft and a photo is on the server (only remarks are
end to end) but, sealed at rest, nowhere in the tablet's IndexedDB, localStorage or Cache Storage."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.fangtan_cli import fangtan
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()]


def test_confidential_remark_is_sealed_everywhere_but_readable_by_author_and_officer(
    pwa_server: LiveServer, shots_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    token = secrets.token_hex(8)
    marker = f"MARK-{token}-夜班保密"
    plain_marker = f"PLAIN-{secrets.token_hex(8)}-食堂明文"
    output = run_script("confidential.mjs", pwa_server, shots_dir, marker, plain_marker, timeout=300)
    for needle in (
        "ok: the marker is nowhere in the cadre’s IndexedDB",
        "ok: the officer reads the marker in the app",
        "ok: the access log shows",
        "ok: the submitted interview shows 已签名",
        "ok: the composer draft with the plain marker survives the reload",
        "ok: the photo, the draft and the pulled rows are in IndexedDB",
        "ok: the plain marker (note, draft, photo) is nowhere in IndexedDB, localStorage or Cache Storage",
    ):
        assert needle in output, output

    backup = tmp_path / "backup.db"
    fangtan("backup", str(backup), data_dir=data_dir, check=True)
    db = data_dir / "fangtan.db"
    storage_dump = (shots_dir / "cadre-storage.json").read_text(encoding="utf-8")
    assert plain_marker not in storage_dump and '"cacheStorage"' in storage_dump
    searched = [db, backup, *(_files_under(data_dir)), shots_dir / "cadre-storage.json"]
    if pwa_server.log_path:
        searched.append(pwa_server.log_path)
    wal = Path(f"{db}-wal")
    assert db.stat().st_size > 0 and backup.stat().st_size > 0
    for path in searched:
        data = path.read_bytes()
        for needle in (token.encode(), marker.encode("utf-8")):
            assert needle not in data, f"the marker is in {path}"
    print("searched:", [str(p) for p in searched], "wal present:", wal.exists())

    _, headers = api_login(pwa_server, "officer")
    rows = pull_rows(pwa_server, headers)
    [remark] = rows["remark"].values()
    users = {u["name"]: u["id"] for u in rows["user"].values()}
    recipients = {r["user_id"] for r in remark["envelope"]["recipients"]}
    assert recipients == {users["刘海涛"], users["吴静"]}, remark
    readers = {a["user_id"] for a in rows["remark_access"].values() if a["remark_id"] == remark["id"]}
    assert readers == {users["刘海涛"], users["吴静"]}

    _, cadre_headers = api_login(pwa_server, "cadre")
    cadre_rows = pull_rows(pwa_server, cadre_headers)
    [signature] = cadre_rows["interview_signature"].values()
    assert signature["interview_id"] == remark["interview_id"] and len(signature["canonical_sha256"]) == 64
    backups = list(cadre_rows["key_backup"].values())  # only the owner pulls their backups
    assert sorted(b["method"] for b in backups) == ["passphrase", "recovery_code"]
    assert all(b["user_id"] == users["刘海涛"] for b in backups)

    notes = [n["text"] for n in cadre_rows["note"].values()]
    assert any(plain_marker in text for text in notes), notes  # ordinary notes are not end to end

    _, hr_headers = api_login(pwa_server, "hr")
    assert "remark" not in pull_rows(pwa_server, hr_headers)  # HR never pulls remarks
