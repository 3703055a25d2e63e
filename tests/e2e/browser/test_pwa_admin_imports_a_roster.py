"""The admin imports a 500-row roster in the PWA (``pwa/scripts/admin.mjs``, issue 15 "Done when"):
template, three bad rows refused in Chinese with row and column, the fixed file applied, the
one-time password slips downloaded, the same file again changes nothing. Checked here over HTTP
(the accounts exist) and with openpyxl (template and slips open)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from tests.e2e.browser.conftest import api_login, run_script
from tests.live_server import LiveServer
from tests.roster_files import HEADER, csv_bytes, roster_rows, write_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CO = "西北能化公司"
ACCOUNTS = 500


def test_admin_imports_a_roster_from_the_admin_screen(pwa_server: LiveServer, shots_dir: Path, tmp_path: Path) -> None:
    good = roster_rows(ACCOUNTS, company=CO)
    bad = [list(r) for r in good]
    # Spreadsheet rows: the header is row 1, so list index i is row i + 2.
    bad[50][4] = "老板"  # 角色, column E
    bad[100][1] = ""  # 姓名, column B
    bad[200][5] = "12"  # 手机号, column F
    bad_file = tmp_path / "名单有误.csv"
    bad_file.write_bytes(csv_bytes(bad, "gb18030"))
    fixed_file = write_xlsx(tmp_path / "名单.xlsx", good)
    expected = "52:角色:E,102:姓名:B,202:手机号:F"

    output = run_script("admin.mjs", pwa_server, shots_dir, str(bad_file), str(fixed_file), expected, str(ACCOUNTS),
                        timeout=900)
    assert "ok: re-uploading the same file shows no changes" in output, output

    template = load_workbook(shots_dir / "template.xlsx")
    assert [c.value for c in template["人员名单"][1]] == HEADER
    sheet = load_workbook(shots_dir / "slips.xlsx").active
    slips = {row[0]: row[4] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert set(slips) == {r[0] for r in good}
    assert all(isinstance(p, str) and len(p) >= 8 for p in slips.values())

    _, admin = api_login(pwa_server, "admin")
    users = httpx.get(f"{pwa_server.url}/api/org/users", headers=admin, timeout=30, verify=pwa_server.verify).json()
    by_name = {u["username"]: u for u in users}
    assert {r[0] for r in good} <= set(by_name)
    assert by_name["A0010"]["name"] == good[10][1]
    # A one-time password from the slips signs the new account in (and it must change it).
    first = httpx.post(f"{pwa_server.url}/api/auth/login", json={"username": "A0020", "password": slips["A0020"],
                                                                  "device_name": "slip check"},
                       timeout=30, verify=pwa_server.verify)
    assert first.status_code == 200, first.text
    assert first.json()["must_change_password"] is True
