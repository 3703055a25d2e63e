"""组织机构 and 新增用户 in the PWA (``pwa/scripts/orgAdmin.mjs``, issue 15 item 2): the admin adds a
unit, is refused a same-named sibling, renames and moves the unit, marks it a 责任部门, adds a user
into it with two roles and downloads the slip; the new user signs in with the one-time password and
must set a new one. Checked here over HTTP (tree, account, password) and with openpyxl (the slip)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from tests.e2e.browser.conftest import api_login, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser]

STAFF_NO = "31001"
NEW = "Zhijian-shi-2027-mima"
PATH = "西北能化公司/设备检修车间/质量检验室"


def test_admin_builds_a_unit_and_adds_a_user_who_then_signs_in(pwa_server: LiveServer, shots_dir: Path) -> None:
    output = run_script("orgAdmin.mjs", pwa_server, shots_dir, STAFF_NO, NEW, timeout=400)
    for needle in ("ok: the new unit 质检室 is in the tree", "ok: a same-named sibling is refused naming its path",
                   "ok: moved below 设备检修车间", "ok: marked 责任部门", "ok: a taken 工号 is refused in Chinese",
                   "ok: the new user must set a new password first", "ok: the new user syncs"):
        assert needle in output, output
    password = re.search(r"one-time password: (\S+)", output).group(1)

    sheet = load_workbook(shots_dir / "slip.xlsx").active
    assert [STAFF_NO, "孙晓明", PATH, "干部、责任部门", password] in [
        list(r[:5]) for r in sheet.iter_rows(min_row=3, values_only=True)]

    _, admin = api_login(pwa_server, "admin")
    url, verify = pwa_server.url, pwa_server.verify
    units = {u["name_path"]: u for u in httpx.get(f"{url}/api/admin/units", headers=admin, timeout=30,
                                                   verify=verify).json()}
    assert units[PATH]["is_handler_dept"] is True and units[PATH]["accounts"] == 1
    assert not [p for p in units if p.endswith("/质检室")]
    user = httpx.get(f"{url}/api/admin/users", params={"q": STAFF_NO}, headers=admin, timeout=30,
                     verify=verify).json()["users"]
    assert [(u["unit_path"], u["roles"], u["must_change_password"]) for u in user] == [(PATH, ["cadre", "handler"], False)]
    for secret, ok in ((password, False), (NEW, True)):
        answer = httpx.post(f"{url}/api/auth/login", json={"username": STAFF_NO, "password": secret,
                                                           "device_name": "pytest check"}, timeout=30, verify=verify)
        assert (answer.status_code == 200) is ok, answer.text
