"""``/api/admin/users`` and ``/api/admin/units`` (the admin screens' edits): by role, audited, acting at once."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.builders import bearer, login


def test_admin_and_hr_edit_users_and_units_but_only_an_admin_grants_officer_or_resets(client: TestClient,
                                                                                        as_user) -> None:
    admin, hr, cadre = as_user("admin"), as_user("hr"), as_user("cadre")
    units = {u["name"]: u for u in client.get("/api/org/units", headers=admin).json()}
    edit = client.patch("/api/admin/users/cadre", json={"post": "副主任", "unit": "设备检修车间", "roles": ["干部", "单位负责人"]},
                        headers=hr)
    assert edit.status_code == 200, edit.text
    assert edit.json()["roles"] == [["cadre"], ["cadre", "unit_lead"]]
    me = client.get("/api/me", headers=cadre).json()
    assert me["user"]["unit_id"] == units["设备检修车间"]["id"] and me["user"]["post"] == "副主任"

    grab = client.patch("/api/admin/users/hr", json={"roles": ["人力资源", "保密管理员"]}, headers=hr)
    assert grab.status_code == 403 and grab.json()["error"]["field"] == "roles"
    assert client.patch("/api/admin/users/hr", json={"roles": ["人力资源", "保密管理员"]}, headers=admin).status_code == 200
    assert client.patch("/api/admin/users/cadre", json={"roles": ["老板"]}, headers=admin).status_code == 400
    assert client.patch("/api/admin/users/nobody", json={"post": "x"}, headers=admin).status_code == 404
    assert client.patch("/api/admin/users/cadre", json={"post": "x"}, headers=cadre).status_code == 403

    assert client.post("/api/admin/users/cadre/reset-password", headers=hr).status_code == 403
    reset = client.post("/api/admin/users/cadre/reset-password", headers=admin)
    assert reset.status_code == 200
    session = login(client, "cadre", reset.json()["one_time_password"])
    assert session["must_change_password"] is True
    assert client.get("/api/sync/pull", headers=bearer(session)).json()["error"]["code"] == "auth.password_change_required"

    team = units["锅炉运行班组"]["id"]
    renamed = client.patch(f"/api/admin/units/{team}", json={"name": "锅炉一班", "parent": "甲醇生产车间"}, headers=hr)
    assert renamed.status_code == 200 and renamed.json()["path"] == "西北能化公司/甲醇生产车间/锅炉一班"
    clash = client.patch(f"/api/admin/units/{team}", json={"name": "精馏班组"}, headers=admin)
    assert clash.status_code == 409 and "西北能化公司/甲醇生产车间/精馏班组" in clash.json()["error"]["message"]
    assert client.patch(f"/api/admin/units/{team}", json={"name": "x"}, headers=cadre).status_code == 403

    disabled = client.patch("/api/admin/users/cadre2", json={"disabled": True}, headers=admin)
    assert disabled.json() == {"disabled": [False, True]}
    log = client.get("/api/admin/audit", headers=admin).json()
    assert [e["action"] for e in log][:3] == ["user.edit", "unit.move", "unit.rename"]
    assert {e["actor_name"] for e in log} == {"王丽娟", "郑凯"}
