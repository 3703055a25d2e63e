"""新增用户 and the org-tree editor over HTTP (``POST /api/admin/roster/users``, ``GET|POST /api/admin/units``,
``PATCH /api/admin/units/{id}`` with ``is_handler_dept``): by role, bad input naming the field, nothing
half-applied, every change in the admin log."""

from __future__ import annotations

import io

from litestar.testing import TestClient
from openpyxl import load_workbook

from tests.builders import bearer, login


def _units(client: TestClient, headers) -> dict[str, dict]:
    return {u["name_path"]: u for u in client.get("/api/admin/units", headers=headers).json()}


def test_admin_adds_a_unit_renames_moves_marks_it_and_adds_a_user_into_it(client: TestClient, as_user) -> None:
    admin = as_user("admin")
    before = _units(client, admin)
    assert "西北能化公司/甲醇生产车间" in before
    added = client.post("/api/admin/units", json={"name": "质检室", "parent": "甲醇生产车间", "kind": "team"},
                        headers=admin)
    assert added.status_code == 201, added.text
    uid = added.json()["id"]
    assert added.json()["path"] == "西北能化公司/甲醇生产车间/质检室"

    clash = client.post("/api/admin/units", json={"name": "精馏班组", "parent": "甲醇生产车间", "kind": "team"},
                        headers=admin)
    assert clash.status_code == 409 and clash.json()["error"]["field"] == "name"
    assert "西北能化公司/甲醇生产车间/精馏班组" in clash.json()["error"]["message"]

    renamed = client.patch(f"/api/admin/units/{uid}", json={"name": "质量检验室"}, headers=admin)
    assert renamed.json()["path"] == "西北能化公司/甲醇生产车间/质量检验室"
    moved = client.patch(f"/api/admin/units/{uid}", json={"parent": "设备检修车间", "is_handler_dept": True},
                         headers=admin)
    assert moved.status_code == 200, moved.text
    assert moved.json()["path"] == "西北能化公司/设备检修车间/质量检验室"
    tree = _units(client, admin)
    assert tree["西北能化公司/设备检修车间/质量检验室"]["is_handler_dept"] is True

    # Below its own descendant: refused, and the rename sent with it is not half-applied.
    workshop = tree["西北能化公司/设备检修车间"]["id"]
    loop = client.patch(f"/api/admin/units/{workshop}", json={"name": "改名", "parent": uid}, headers=admin)
    assert loop.status_code == 400 and loop.json()["error"]["field"] == "parent"
    assert "西北能化公司/设备检修车间" in _units(client, admin)

    new = client.post("/api/admin/roster/users", json={"username": "T9001", "name": "孙晓明", "unit": uid,
                                                "post": "检验员", "roles": ["干部", "责任部门"], "phone": "138 0000 1234"},
                      headers=admin)
    assert new.status_code == 201, new.text
    body = new.json()
    assert body["user"]["unit_path"] == "西北能化公司/设备检修车间/质量检验室"
    assert body["user"]["roles"] == ["cadre", "handler"]
    password = body["one_time_password"]
    slip = client.get(body["slips_url"], headers=admin)
    assert slip.status_code == 200
    rows = [[c for c in r if c] for r in load_workbook(io.BytesIO(slip.content)).active.iter_rows(values_only=True)]
    assert ["T9001", "孙晓明", "西北能化公司/设备检修车间/质量检验室", "干部、责任部门", password] in rows

    session = login(client, "T9001", password)
    assert session["must_change_password"] is True
    assert client.get("/api/sync/pull", headers=bearer(session)).json()["error"]["code"] == "auth.password_change_required"

    again = client.post("/api/admin/roster/users", json={"username": "T9001", "name": "别人", "unit": uid, "roles": ["干部"]},
                        headers=admin)
    assert again.status_code == 409 and again.json()["error"]["field"] == "username"
    assert "工号 T9001 已被 孙晓明（西北能化公司/设备检修车间/质量检验室）使用" in again.json()["error"]["message"]

    actions = [e["action"] for e in client.get("/api/admin/audit", headers=admin).json()][:5]
    assert actions == ["user.add", "unit.handler", "unit.move", "unit.rename", "unit.add"]


def test_bad_input_names_the_field_and_adds_nothing(client: TestClient, as_user) -> None:
    admin = as_user("admin")
    base = {"username": "T9002", "name": "赵六", "unit": "甲醇生产车间", "roles": ["干部"]}
    for change, field, status in [({"roles": ["老板"]}, "roles", 400), ({"roles": []}, "roles", 400),
                                  ({"unit": "没有的车间"}, "unit", 400), ({"name": " "}, "name", 400),
                                  ({"username": ""}, "username", 400), ({"phone": "12345"}, "phone", 400)]:
        answer = client.post("/api/admin/roster/users", json={**base, **change}, headers=admin)
        assert answer.status_code == status, (change, answer.text)
        assert answer.json()["error"]["field"] == field, change
    assert client.post("/api/admin/roster/users", json={**base, "extra": 1}, headers=admin).status_code == 400
    assert client.get("/api/admin/users?q=T9002", headers=admin).json()["total"] == 0
    for body, field in [({"name": "", "parent": "甲醇生产车间"}, "name"), ({"name": "a/b", "parent": "甲醇生产车间"}, "name"),
                        ({"name": "新室", "parent": "无此单位"}, "parent"),
                        ({"name": "新室", "parent": "甲醇生产车间", "kind": "company"}, "kind")]:
        answer = client.post("/api/admin/units", json=body, headers=admin)
        assert answer.status_code == 400 and answer.json()["error"]["field"] == field, body
    assert not [p for p in _units(client, admin) if "新室" in p]
    assert client.get("/api/admin/audit", headers=admin).json() == []


def test_only_admin_and_hr_add_and_only_an_admin_grants_privileged_roles(client: TestClient, as_user) -> None:
    hr = as_user("hr")
    officer = {"username": "T9003", "name": "钱七", "unit": "甲醇生产车间", "roles": ["保密管理员"]}
    refused = client.post("/api/admin/roster/users", json=officer, headers=hr)
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "roles"
    assert client.post("/api/admin/roster/users", json={**officer, "roles": ["干部"]}, headers=hr).status_code == 201
    for who in ("cadre", "leader", "supervisor", "handler"):
        headers = as_user(who)
        assert client.post("/api/admin/roster/users", json={**officer, "username": "T9004", "roles": ["干部"]},
                           headers=headers).status_code == 403, who
        assert client.post("/api/admin/units", json={"name": "x", "parent": "甲醇生产车间"},
                           headers=headers).status_code == 403, who
        assert client.get("/api/admin/units", headers=headers).status_code == 403, who
    assert client.get("/api/admin/users?q=T9004", headers=hr).json()["total"] == 0
