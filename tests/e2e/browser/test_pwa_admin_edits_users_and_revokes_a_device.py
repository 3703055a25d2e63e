"""用户与设备 in the PWA (``pwa/scripts/adminUsers.mjs``, issue 15 item 2): the demo admin finds 刘海涛
and changes his post, resets 陈晓东's password to a one-time password, and revokes a device of a
user who signed in over HTTP first. Checked here over HTTP: the post, the one-time password signs in
(and must be changed), the revoked device's token is refused."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.e2e.browser.conftest import api_login, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser]


def test_admin_edits_a_user_resets_a_password_and_revokes_a_device(pwa_server: LiveServer, shots_dir: Path) -> None:
    session, unitlead = api_login(pwa_server, "unitlead")
    url, verify = pwa_server.url, pwa_server.verify
    assert httpx.get(f"{url}/api/sync/pull", headers=unitlead, timeout=30, verify=verify).status_code == 200

    output = run_script("adminUsers.mjs", pwa_server, shots_dir, "安全总监", "cadre2", "unitlead",
                        session["device_id"], timeout=400)
    assert "ok: the device is shown revoked" in output, output

    _, admin = api_login(pwa_server, "admin")
    liu = httpx.get(f"{url}/api/admin/users", params={"q": "刘海涛"}, headers=admin, timeout=30, verify=verify).json()
    assert liu["users"][0]["post"] == "安全总监"
    password = re.search(r"one-time password: (\S+)", output).group(1)
    signed_in = httpx.post(f"{url}/api/auth/login", json={"username": "cadre2", "password": password,
                                                          "device_name": "one-time check"}, timeout=30, verify=verify)
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["must_change_password"] is True

    refused = httpx.get(f"{url}/api/sync/pull", headers=unitlead, timeout=30, verify=verify)
    assert refused.status_code in (401, 403) and refused.json()["error"]["code"] == "auth.device_revoked"
    devices = httpx.get(f"{url}/api/admin/users/unitlead/devices", headers=admin, timeout=30, verify=verify).json()
    assert {d["id"]: d for d in devices}[session["device_id"]]["revoked_at"]
