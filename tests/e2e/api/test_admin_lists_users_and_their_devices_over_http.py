"""``GET /api/admin/users`` and ``GET /api/admin/users/{username}/devices`` (the 用户与设备 screen):
search by name, 工号 and unit path; a user's devices with the clock offset at the last sync; by role."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.builders import api_device, bearer, draft_interview_args, login, units_by_name


def test_admin_and_hr_search_users_and_read_their_devices_others_are_refused(client: TestClient, as_user) -> None:
    admin, hr = as_user("admin"), as_user("hr")
    by_name = client.get("/api/admin/users", params={"q": "刘海涛"}, headers=admin).json()
    assert by_name["total"] == 1
    liu = by_name["users"][0]
    assert liu["username"] == "cadre" and liu["roles_zh"] == "干部" and liu["post"] == "甲醇生产车间主任"
    assert liu["unit_path"].endswith("甲醇生产车间") and liu["disabled"] is False
    assert client.get("/api/admin/users", params={"q": "cadre2"}, headers=hr).json()["users"][0]["username"] == "cadre2"
    by_path = client.get("/api/admin/users", params={"q": "甲醇生产车间"}, headers=admin).json()
    assert "cadre" in {u["username"] for u in by_path["users"]} and by_path["total"] >= 2
    assert all("甲醇生产车间" in u["unit_path"] for u in by_path["users"])
    everyone = client.get("/api/admin/users", headers=admin).json()
    page = client.get("/api/admin/users", params={"limit": 2, "offset": 1}, headers=admin).json()
    assert page["total"] == everyone["total"] and page["users"] == everyone["users"][1:3]
    units = units_by_name(client, admin)
    scoped = client.get("/api/admin/users", params={"unit_id": units["甲醇生产车间"]}, headers=admin).json()
    assert {u["username"] for u in scoped["users"]} == {u["username"] for u in by_path["users"]}
    assert client.get("/api/admin/users", params={"limit": 0}, headers=admin).status_code == 400

    cadre = api_device(client, "cadre")
    body = cadre.body(("interview.save", draft_interview_args(units["合成班组"])))
    body["client_time"] = "2025-11-24T09:00:00+08:00"  # a year behind
    body["mutations"][0]["client_time"] = "2025-11-24T09:00:00+08:00"
    assert client.post("/api/sync/push", json=body, headers=cadre.headers).status_code == 200
    login(client, "cadre", device_name="备用平板")
    devices = client.get("/api/admin/users/cadre/devices", headers=hr).json()
    assert [d["name"] for d in devices][0] == "备用平板" and devices[0]["clock_offset_ms"] is None
    synced = {d["id"]: d for d in devices}[cadre.session["device_id"]]
    assert abs(synced["clock_offset_ms"]) > 364 * 24 * 3600 * 1000 and synced["revoked_at"] is None
    assert synced["last_seen_at"] and synced["created_at"]
    after = client.get("/api/admin/users", params={"q": "刘海涛"}, headers=admin).json()["users"][0]
    assert after["device_count"] == len(devices) >= 2

    assert client.post(f"/api/devices/{cadre.session['device_id']}/revoke", headers=admin).status_code == 200
    revoked = {d["id"]: d for d in client.get("/api/admin/users/cadre/devices", headers=admin).json()}
    assert revoked[cadre.session["device_id"]]["revoked_at"]
    assert client.get("/api/sync/pull", headers=cadre.headers).status_code == 401

    assert client.get("/api/admin/users/nobody/devices", headers=admin).status_code == 404
    for role in ("cadre", "officer", "unitlead", "leader"):
        headers = bearer(login(client, role))
        assert client.get("/api/admin/users", headers=headers).status_code == 403
        assert client.get("/api/admin/users/cadre/devices", headers=headers).status_code == 403
