"""``fangtan roster`` as HR and the IT admin use it, on a real SQLite file beside a real server:
500 rows with three bad ones are refused with row, column and reason; fixed, they apply; the same file
again changes nothing; the slips open in openpyxl; a new cadre must set a password, then syncs."""

from __future__ import annotations

import sqlite3

import httpx
from openpyxl import load_workbook

from tests.fangtan_cli import fangtan
from tests.roster_files import roster_rows, write_xlsx

CO = "西北能化公司"  # the demo company the live server holds


def test_import_500_rows_three_bad_then_fixed_then_again_and_the_new_cadre_syncs(live_server, tmp_path) -> None:
    data = live_server.data_dir
    template = tmp_path / "模板.xlsx"
    made = fangtan("roster", "template", str(template))
    assert made.returncode == 0, made.stderr
    assert load_workbook(template).sheetnames == ["人员名单", "单位", "填写说明"]

    good = roster_rows(500, company=CO)
    bad = [list(r) for r in good]
    bad[10][4] = "干部、老板"  # unknown role (row 12 of the sheet)
    bad[200][0] = bad[199][0]  # duplicate 工号 (row 202)
    bad[321][2] = "别的公司/一车间"  # not this company (row 323)
    bad_file = write_xlsx(tmp_path / "名单-有错.xlsx", bad)
    refused = fangtan("roster", "import", str(bad_file), "--passwords-out", str(tmp_path / "no.xlsx"), data_dir=data)
    assert refused.returncode == 1, refused.stderr
    out = refused.stdout
    assert "拒绝 3 行" in out
    assert "拒绝 第 12 行 角色（E 列）：未知角色：老板" in out
    assert "拒绝 第 202 行 工号（A 列）：工号与第 201 行重复" in out
    assert "拒绝 第 323 行 单位（C 列）：单位路径应从本公司「西北能化公司」开始" in out
    assert "nothing applied" in refused.stderr and not (tmp_path / "no.xlsx").exists()
    db = sqlite3.connect(data / "fangtan.db")
    assert db.execute('SELECT count(*) FROM "user"').fetchone()[0] == 9  # the demo's nine, nothing more

    dry = fangtan("roster", "import", str(write_xlsx(tmp_path / "名单.xlsx", good)), "--dry-run", data_dir=data)
    assert dry.returncode == 0 and "新增 500 人" in dry.stdout and "dry run" in dry.stdout
    assert db.execute('SELECT count(*) FROM "user"').fetchone()[0] == 9
    no_slips = fangtan("roster", "import", str(tmp_path / "名单.xlsx"), data_dir=data)
    assert no_slips.returncode != 0 and "--passwords-out" in no_slips.stderr

    slips_file = tmp_path / "密码条.xlsx"
    applied = fangtan("roster", "import", str(tmp_path / "名单.xlsx"), "--passwords-out", str(slips_file), data_dir=data)
    assert applied.returncode == 0, applied.stderr
    assert "已导入 (applied): 新增 500" in applied.stdout
    assert db.execute('SELECT count(*) FROM "user"').fetchone()[0] == 509
    assert db.execute("SELECT count(*) FROM org_unit").fetchone()[0] > 15
    assert db.execute("SELECT count(*) FROM admin_audit WHERE action = 'user.add'").fetchone()[0] == 500
    assert (slips_file.stat().st_mode & 0o777) == 0o600
    sheet = load_workbook(slips_file).active
    slips = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert len(slips) == 500 and slips["A0020"][1] == good[20][1]

    again = fangtan("roster", "import", str(tmp_path / "名单.xlsx"), data_dir=data)
    assert again.returncode == 0, again.stderr
    assert "新增 0 人，修改 0 人，停用 0 人，不变 500 人，拒绝 0 行；新建单位 0 个" in again.stdout
    assert "nothing to change" in again.stdout
    db.close()

    url = live_server.url
    login = httpx.post(f"{url}/api/auth/login", json={"username": "A0020", "password": slips["A0020"][4],
                                                      "device_name": "tablet"}).json()
    assert login["must_change_password"] is True
    headers = {"Authorization": f"Bearer {login['access_token']}"}
    held = httpx.get(f"{url}/api/sync/pull", headers=headers)
    assert held.status_code == 403 and held.json()["error"]["code"] == "auth.password_change_required"
    changed = httpx.post(f"{url}/api/me/password", headers=headers,
                         json={"current_password": slips["A0020"][4], "new_password": "a-password-of-my-own"})
    assert changed.status_code == 200, changed.text
    units = {u["name"]: u["id"] for u in httpx.get(f"{url}/api/org/units", headers=headers).json()}
    body = {"protocol": 1, "schema_version": 1, "device_id": login["device_id"], "client_time": "2026-11-24T09:00:00+08:00",
            "mutations": [{"id": 1, "name": "interview.save", "client_time": "2026-11-24T09:00:00+08:00",
                           "args": {"id": "0190a000-0000-7000-8000-0000000000a1", "adhoc_reason": "新干部首次访谈",
                                    "form": "walkthrough", "unit_id": units["甲醇生产车间"]}}]}
    pushed = httpx.post(f"{url}/api/sync/push", headers=headers, json=body)
    assert pushed.status_code == 200 and pushed.json()["results"][0]["status"] == "applied", pushed.text
    pulled = httpx.get(f"{url}/api/sync/pull", headers=headers, params={"cursor": 0, "limit": 1000})
    assert pulled.status_code == 200
