"""A cadre imported from HR's roster signs in to the PWA with the one-time password printed on the
slip, must set a password of their own before anything else (a common one refused in Chinese),
sets the PIN, works offline and syncs; later changes the password again from the status screen
(``pwa/scripts/onetime.mjs``). The roster goes in over HTTP as the admin would, the one-time
password is read from the slips workbook, and the server is asked afterwards through the API."""

from __future__ import annotations

import io
import re
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer
from tests.roster_files import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STAFF_NO = "20001"
NEW = "Jingliu-banzu-2027"
NEWER = "Huiliubeng-mifeng-88"
NEWEST = "Jiachun-chejian-2028"
NOTE = "回流泵密封渗漏，需安排检修。"


def _import_one_cadre(server: LiveServer) -> str:
    """Preview and apply a one-row roster as the admin; return the new account's one-time password."""
    _, admin = api_login(server, "admin")
    rows = [[STAFF_NO, "孙志强", "西北能化公司/甲醇生产车间/精馏班组", "精馏班组长", "干部", "", "在职"]]
    preview = httpx.post(f"{server.url}/api/admin/roster/preview", content=csv_bytes(rows), headers=admin, timeout=60)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["summary"]["added"] == 1 and body["summary"]["refused"] == 0, body["summary"]
    applied = httpx.post(f"{server.url}/api/admin/roster/apply", json={"token": body["token"]}, headers=admin, timeout=60)
    assert applied.status_code == 200, applied.text
    slips = httpx.get(f"{server.url}{applied.json()['slips_url']}", headers=admin, timeout=60)
    assert slips.status_code == 200
    sheet = load_workbook(io.BytesIO(slips.content)).active
    passwords = {row[0]: row[4] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(passwords) == {STAFF_NO}, passwords
    return str(passwords[STAFF_NO])


def _login(server: LiveServer, password: str) -> httpx.Response:
    return httpx.post(f"{server.url}/api/auth/login", timeout=30,
                      json={"username": STAFF_NO, "password": password, "device_name": "pytest check"})


def test_a_roster_imported_cadre_sets_a_password_then_works_offline(pwa_server: LiveServer, shots_dir: Path) -> None:
    one_time = _import_one_cadre(pwa_server)
    resets: list[str] = []

    def reset() -> None:
        _, admin = api_login(pwa_server, "admin")
        r = httpx.post(f"{pwa_server.url}/api/admin/users/{STAFF_NO}/reset-password", headers=admin, timeout=30)
        assert r.status_code == 200, r.text
        resets.append(r.json()["one_time_password"])
        (shots_dir / "one-time-password.txt").write_text(resets[-1])

    output = run_script("onetime.mjs", pwa_server, shots_dir, STAFF_NO, one_time, NEW, NEWER, NEWEST, timeout=300,
                        controls={"reset-password": reset})
    assert len(resets) == 1, output
    for needle in ("ok: after the one-time password: 设置新密码 with the policy stated",
                   "ok: a common password is refused in Chinese", "ok: nothing synced before the new password",
                   "ok: after the new password: the PIN setup", "ok: the note is kept offline",
                   "ok: a wrong current password is refused in Chinese", "ok: 修改密码 accepted",
                   "ok: a restored session answered 403 password_change_required shows 设置新密码 again",
                   "ok: after the reset: new password set and the app syncs again"):
        assert needle in output, output
    match = re.search(r"^interview: ([0-9a-f-]{36})$", output, re.M)
    assert match, output
    interview_id = match.group(1)

    # Only the password set last signs in; the one-time one and the first own one no longer do.
    for old in (one_time, NEW, NEWER, resets[0]):
        refused = _login(pwa_server, old)
        assert refused.status_code == 401, refused.text
    session = _login(pwa_server, NEWEST)
    assert session.status_code == 200, session.text
    assert session.json()["must_change_password"] is False
    headers = {"Authorization": f"Bearer {session.json()['access_token']}"}

    # The interview and its note, written offline, are on the server.
    rows = pull_rows(pwa_server, headers)
    assert interview_id in rows["interview"], sorted(rows.get("interview", {}))
    notes = [n for n in rows.get("note", {}).values() if n["interview_id"] == interview_id]
    assert [n["text"] for n in notes] == [NOTE], notes
    for name in ("01-set-new-password", "02-common-refused", "03-offline-note", "04-status-changed"):
        assert (shots_dir / f"{name}.png").is_file(), name
