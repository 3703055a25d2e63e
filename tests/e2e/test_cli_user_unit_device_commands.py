"""``fangtan user list|edit|move|roles``, ``fangtan unit list|rename|move``, ``fangtan device list|revoke``
on a real SQLite file (with a live server where the effect shows over HTTP)."""

from __future__ import annotations

import sqlite3

import httpx

from server.demo import DEMO_PASSWORD
from tests.e2e.test_cli import fangtan


def _login(url: str, username: str, password: str = DEMO_PASSWORD) -> httpx.Response:
    return httpx.post(f"{url}/api/auth/login", json={"username": username, "password": password, "device_name": "cli"})


def test_a_second_unit_of_the_same_name_is_refused_and_an_ambiguous_name_lists_paths(tmp_path) -> None:
    data = tmp_path / "data"
    assert fangtan("demo", data_dir=data).returncode == 0
    again = fangtan("unit", "add", "精馏班组", "--kind", "team", "--parent", "甲醇生产车间", data_dir=data)
    assert again.returncode != 0 and "同一上级下已有同名单位「西北能化公司/甲醇生产车间/精馏班组」" in again.stderr
    # The same name under another parent is a different unit …
    assert fangtan("unit", "add", "精馏班组", "--kind", "team", "--parent", "热电车间", data_dir=data).returncode == 0
    # … and a bare name no longer picks one of the two.
    ambiguous = fangtan("user", "add", "x1", "--name", "某人", "--unit", "精馏班组", "--role", "干部",
                        "--password", "long-enough-1", data_dir=data)
    assert ambiguous.returncode != 0
    assert "西北能化公司/甲醇生产车间/精馏班组" in ambiguous.stderr and "西北能化公司/热电车间/精馏班组" in ambiguous.stderr
    by_path = fangtan("user", "add", "x1", "--name", "某人", "--unit", "热电车间/精馏班组", "--role", "干部",
                      "--role", "unit_lead", "--password", "long-enough-1", data_dir=data)
    assert by_path.returncode == 0, by_path.stderr
    listed = fangtan("user", "list", "--unit", "西北能化公司/热电车间", data_dir=data)
    assert listed.returncode == 0 and "x1\t某人\t西北能化公司/热电车间/精馏班组\t干部、单位负责人" in listed.stdout
    renamed = fangtan("unit", "rename", "热电车间/精馏班组", "精馏二班", data_dir=data)
    assert renamed.returncode == 0 and "西北能化公司/热电车间/精馏二班" in renamed.stdout
    clash = fangtan("unit", "rename", "精馏二班", "锅炉运行班组", data_dir=data)
    assert clash.returncode != 0 and "西北能化公司/热电车间/锅炉运行班组" in clash.stderr
    units = fangtan("unit", "list", data_dir=data)
    assert "西北能化公司/热电车间/精馏二班\tteam\t账号 1" in units.stdout


def test_user_edit_move_roles_and_device_revoke_act_at_once(live_server) -> None:
    data, url = live_server.data_dir, live_server.url
    session = _login(url, "cadre").json()
    headers = {"Authorization": f"Bearer {session['access_token']}"}

    edited = fangtan("user", "edit", "cadre", "--post", "甲醇生产车间副主任", "--phone", "139 0000 0001", data_dir=data)
    assert edited.returncode == 0 and "post: 甲醇生产车间主任 → 甲醇生产车间副主任" in edited.stdout
    bad_phone = fangtan("user", "edit", "cadre", "--phone", "12", data_dir=data)
    assert bad_phone.returncode != 0 and "手机号" in bad_phone.stderr

    moved = fangtan("user", "move", "cadre", "设备检修车间", data_dir=data)
    assert moved.returncode == 0 and "西北能化公司/甲醇生产车间 → 西北能化公司/设备检修车间" in moved.stdout
    me = httpx.get(f"{url}/api/me", headers=headers).json()
    units = {u["id"]: u["name"] for u in httpx.get(f"{url}/api/org/units", headers=headers).json()}
    assert units[me["user"]["unit_id"]] == "设备检修车间"  # the next request already has the new scope

    roles = fangtan("user", "roles", "cadre", "干部、单位负责人", data_dir=data)
    assert roles.returncode == 0, roles.stderr
    assert httpx.get(f"{url}/api/me", headers=headers).json()["user"]["roles"] == ["cadre", "unit_lead"]
    removed = fangtan("user", "roles", "cadre", "--remove", "单位负责人", data_dir=data)
    assert removed.returncode == 0
    shown = fangtan("user", "roles", "cadre", data_dir=data)
    assert "cadre: 干部 (cadre)" in shown.stdout
    unknown = fangtan("user", "roles", "cadre", "老板", data_dir=data)
    assert unknown.returncode != 0 and "老板" in unknown.stderr
    assert fangtan("user", "roles", "cadre", "--remove", "干部", data_dir=data).returncode != 0  # at least one role

    devices = fangtan("device", "list", "--user", "cadre", data_dir=data)
    assert devices.returncode == 0 and session["device_id"] in devices.stdout and "有效" in devices.stdout
    revoked = fangtan("device", "revoke", session["device_id"], data_dir=data)
    assert revoked.returncode == 0, revoked.stderr
    gone = httpx.get(f"{url}/api/me", headers=headers)
    assert gone.status_code == 401 and gone.json()["error"]["code"] == "auth.device_revoked"
    assert fangtan("device", "revoke", "no-such-device", data_dir=data).returncode != 0

    reset = fangtan("user", "reset", "cadre", data_dir=data)
    assert reset.returncode == 0, reset.stderr
    one_time = reset.stdout.split(": ", 1)[1].split("（")[0]
    assert _login(url, "cadre").status_code == 401  # the old password is gone
    again = _login(url, "cadre", one_time).json()
    assert again["must_change_password"] is True
    held = httpx.get(f"{url}/api/sync/pull", headers={"Authorization": f"Bearer {again['access_token']}"})
    assert held.json()["error"]["code"] == "auth.password_change_required"

    db = sqlite3.connect(data / "fangtan.db")
    actions = [a for (a,) in db.execute("SELECT action FROM admin_audit ORDER BY id")]
    assert actions == ["user.edit", "user.move", "user.roles", "user.roles", "device.revoke", "user.reset"]
    assert all(actor.startswith("cli") for (actor,) in db.execute("SELECT actor FROM admin_audit"))
    db.close()


def test_moving_a_unit_moves_its_subtree_and_rescopes_its_rows(live_server) -> None:
    data, url = live_server.data_dir, live_server.url
    lead = _login(url, "unitlead").json()  # unit lead of 甲醇生产车间
    headers = {"Authorization": f"Bearer {lead['access_token']}"}
    units = {u["name"]: u for u in httpx.get(f"{url}/api/org/units", headers=headers).json()}
    cadre = _login(url, "cadre").json()
    interview = "0190a000-0000-7000-8000-0000000000b1"
    body = {"protocol": 1, "schema_version": 1, "device_id": cadre["device_id"], "client_time": "2026-11-24T09:00:00+08:00",
            "mutations": [{"id": 1, "name": "interview.save", "client_time": "2026-11-24T09:00:00+08:00",
                           "args": {"id": interview, "adhoc_reason": "锅炉检修", "form": "walkthrough",
                                    "unit_id": units["锅炉运行班组"]["id"]}}]}
    pushed = httpx.post(f"{url}/api/sync/push", json=body,
                        headers={"Authorization": f"Bearer {cadre['access_token']}"}).json()
    assert pushed["results"][0]["status"] == "applied", pushed

    def lead_sees_interview(cursor: int = 0) -> tuple[bool, int]:
        page = httpx.get(f"{url}/api/sync/pull", params={"cursor": cursor, "limit": 1000}, headers=headers).json()
        return any(c["entity"] == "interview" and c["id"] == interview for c in page["changes"]), page["cursor"]

    seen, cursor = lead_sees_interview()
    assert not seen  # 锅炉运行班组 is under 热电车间, outside the lead's subtree
    moved = fangtan("unit", "move", "锅炉运行班组", "甲醇生产车间", data_dir=data)
    assert moved.returncode == 0 and "西北能化公司/甲醇生产车间/锅炉运行班组" in moved.stdout
    after = {u["name"]: u for u in httpx.get(f"{url}/api/org/units", headers=headers).json()}
    assert after["锅炉运行班组"]["parent_id"] == units["甲醇生产车间"]["id"]
    assert after["锅炉运行班组"]["path"].startswith(units["甲醇生产车间"]["path"])
    assert lead_sees_interview(cursor)[0]  # re-published with a new seq: an incremental pull brings it
    below = fangtan("unit", "move", "甲醇生产车间", "精馏班组", data_dir=data)
    assert below.returncode != 0 and "below itself" in below.stderr
