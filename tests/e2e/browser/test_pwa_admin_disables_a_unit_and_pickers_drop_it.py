"""停用 a unit in the PWA (``pwa/scripts/unitDisable.mjs``, issue 15 item 2): a cadre's 访谈单位 picker
offers a team; the admin is refused disabling a workshop with people in it (the count in Chinese),
confirms disabling the team, sees it greyed with 已停用 and hidden by the filter; after the cadre's
next sync the picker no longer offers it; the admin enables it again. Checked over HTTP after."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.browser.conftest import api_login, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser]

TEAM = "旧化验室"


def test_admin_disables_a_unit_and_the_cadres_picker_drops_it_after_sync(pwa_server: LiveServer,
                                                                          shots_dir: Path) -> None:
    _, admin = api_login(pwa_server, "admin")
    url, verify = pwa_server.url, pwa_server.verify
    added = httpx.post(f"{url}/api/admin/units", json={"name": TEAM, "parent": "甲醇生产车间", "kind": "team"},
                       headers=admin, timeout=30, verify=verify)
    assert added.status_code == 201, added.text

    output = run_script("unitDisable.mjs", pwa_server, shots_dir, TEAM, timeout=400)
    for needle in (f"ok: the cadre's unit picker offers {TEAM} before it is disabled",
                   "ok: a unit with people in it is refused, saying why",
                   "ok: the disabled unit is listed greyed, marked 已停用", "ok: 隐藏已停用单位 hides it",
                   f"ok: after a sync the cadre's unit picker no longer offers {TEAM}", "ok: 启用 brings it back"):
        assert needle in output, output

    units = {u["name_path"]: u for u in httpx.get(f"{url}/api/admin/units", headers=admin, timeout=30,
                                                   verify=verify).json()}
    assert units[f"西北能化公司/甲醇生产车间/{TEAM}"]["disabled"] is False
    assert units["西北能化公司/甲醇生产车间"]["disabled"] is False
    log = httpx.get(f"{url}/api/admin/audit", headers=admin, timeout=30, verify=verify).json()
    assert [e["action"] for e in log][:2] == ["unit.enable", "unit.disable"]
