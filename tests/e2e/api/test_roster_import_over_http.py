"""Roster import over HTTP (docs/administration.md): template → preview → apply → slips, by role;
a new account signs in with its one-time password, must set its own, then syncs."""

from __future__ import annotations

import io

from litestar.testing import TestClient
from openpyxl import load_workbook

from server.org.roles import ROLE_NAMES_ZH
from tests.builders import ApiDevice, bearer, draft_interview_args, login
from tests.roster_files import csv_bytes

CO = "西北能化公司"


def _rows() -> list[list[str]]:
    return [
        ["10001", "马建华", f"{CO}/甲醇生产车间/精馏班组", "精馏班组长", "干部", "13900000001", "在职"],
        ["10002", "何晓燕", f"{CO}/甲醇生产车间/新建班组", "管理干部", "干部、单位负责人", "", "在职"],
        ["10003", "罗平", f"{CO}/设备检修车间", "操作工", "", "", "在职"],
        ["cadre", "刘海涛", f"{CO}/甲醇生产车间", "甲醇生产车间主任", "干部", "", "在职"],  # the demo cadre: unchanged
        ["cadre2", "陈晓东", f"{CO}/设备检修车间", "设备检修车间主任", "干部", "", "停用"],  # disabled
    ]


def test_preview_then_apply_then_the_new_cadre_changes_the_password_and_syncs(client: TestClient, as_user) -> None:
    admin = as_user("admin")
    template = client.get("/api/admin/roster/template", headers=admin)
    assert template.status_code == 200
    wb = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in wb["人员名单"][1]] == ["工号", "姓名", "单位", "职务", "角色", "手机号", "状态"]
    assert {"单位", "填写说明"} <= set(wb.sheetnames)

    bad = _rows() + [["10004", "", f"{CO}/综合部", "", "老板", "12", "离职"]]
    preview = client.post("/api/admin/roster/preview", content=csv_bytes(bad, "gb18030"), headers=admin)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    refused = {(r["row"], r["column"]) for r in body["refused"]}
    assert refused == {(7, "姓名"), (7, "角色"), (7, "手机号"), (7, "状态")}
    assert all(r["reason"] and r["column_letter"] for r in body["refused"])
    refusal = client.post("/api/admin/roster/apply", json={"token": body["token"]}, headers=admin)
    assert refusal.status_code == 422 and refusal.json()["error"]["code"] == "roster.refused"
    assert client.get("/api/org/users", headers=admin).json().__len__() == 9  # nothing applied

    fixed = client.post("/api/admin/roster/preview", files={"file": ("名单.csv", csv_bytes(_rows()), "text/csv")},
                        headers=admin).json()
    assert fixed["summary"] == {"added": 2, "changed": 0, "disabled": 1, "unchanged": 1, "refused": 0,
                                "units_added": 1, "headcount_changed": 1, "employees": 1}
    assert fixed["units_added"] == [{"path": f"{CO}/甲醇生产车间/新建班组", "kind": "team", "is_handler_dept": False}]
    applied = client.post("/api/admin/roster/apply", json={"token": fixed["token"]}, headers=admin)
    assert applied.status_code == 200, applied.text
    result = applied.json()
    assert result["summary"]["added"] == 2 and result["slips_count"] == 2
    assert client.post("/api/admin/roster/apply", json={"token": fixed["token"]}, headers=admin).status_code == 404

    # The slips: only for the admin who applied.
    assert client.get(result["slips_url"], headers=as_user("hr")).status_code == 404
    slips = client.get(result["slips_url"], headers=admin)
    assert slips.status_code == 200
    sheet = load_workbook(io.BytesIO(slips.content)).active
    passwords = {row[0]: row[4] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(passwords) == {"10001", "10002"}

    # Re-importing the same file changes nothing.
    again = client.post("/api/admin/roster/preview", content=csv_bytes(_rows()), headers=admin).json()
    assert again["summary"]["unchanged"] == 4 and not (again["added"] or again["changed"] or again["disabled"])
    assert again["headcount"] == [] and again["units_added"] == []

    # The new cadre signs in with the one-time password, is held to changing it, then works.
    session = login(client, "10001", passwords["10001"])
    assert session["must_change_password"] is True and session["user"]["roles"] == ["cadre"]
    headers = bearer(session)
    held = client.get("/api/sync/pull", headers=headers)
    assert held.status_code == 403 and held.json()["error"]["code"] == "auth.password_change_required"
    assert client.get("/api/me", headers=headers).json()["must_change_password"] is True
    wrong = client.post("/api/me/password", json={"current_password": "nope-nope", "new_password": "my-own-pass-1"},
                        headers=headers)
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "current_password"
    short = client.post("/api/me/password", json={"current_password": passwords["10001"], "new_password": "x"},
                        headers=headers)
    assert short.status_code == 400 and short.json()["error"]["field"] == "new_password"
    changed = client.post("/api/me/password",
                          json={"current_password": passwords["10001"], "new_password": "my-own-pass-1"},
                          headers=headers)
    assert changed.status_code == 200, changed.text
    device = ApiDevice(client=client, session=session)
    units = {u["name"]: u["id"] for u in client.get("/api/org/units", headers=headers).json()}
    res = device.push(("interview.save", draft_interview_args(units["精馏班组"])))
    assert res["results"][0]["status"] == "applied", res
    assert login(client, "10001", "my-own-pass-1")["must_change_password"] is False

    # The disabled demo cadre cannot sign in; the audit log says who did all this.
    assert client.post("/api/auth/login", json={"username": "cadre2", "password": "fangtan-demo",
                                                "device_name": "t"}).json()["error"]["code"] == "auth.user_disabled"
    log = client.get("/api/admin/audit", headers=admin).json()
    actions = [e["action"] for e in log]
    assert actions[0] == "roster.apply" and {"user.add", "user.disable", "unit.add"} <= set(actions)
    assert {e["actor_name"] for e in log} == {"郑凯"}


def test_roster_routes_are_for_admin_and_hr_only(client: TestClient, as_user) -> None:
    rows = csv_bytes(_rows())
    for role in ("cadre", "unitlead", "handler", "leader", "supervisor", "officer"):
        headers = as_user(role)
        assert client.post("/api/admin/roster/preview", content=rows, headers=headers).status_code == 403, role
        assert client.get("/api/admin/audit", headers=headers).status_code == 403, role
    hr = as_user("hr")
    preview = client.post("/api/admin/roster/preview", content=rows, headers=hr)
    assert preview.status_code == 200 and preview.json()["refused"] == []
    # HR may not make anyone (itself included) an officer or an admin, nor take those roles away.
    grab = [["hr", "王丽娟", f"{CO}/人力资源部（党群部）", "主任", "人力资源、保密管理员", "", "在职"],
            ["admin", "郑凯", f"{CO}/综合部", "信息化管理员", "干部", "", "在职"],
            ["20001", "新人", f"{CO}/综合部", "", "管理员", "", "在职"]]
    refused = client.post("/api/admin/roster/preview", content=csv_bytes(grab), headers=hr).json()["refused"]
    assert [(r["row"], r["column"]) for r in refused] == [(2, "角色"), (3, "角色"), (4, "角色")]
    assert "只有管理员可以授予或撤销「保密管理员」角色" == refused[0]["reason"]
    by_admin = client.post("/api/admin/roster/preview", content=csv_bytes(grab), headers=as_user("admin")).json()
    assert by_admin["refused"] == [] and len(by_admin["changed"]) == 2
    # A preview is its uploader's: another admin cannot apply it.
    other = client.post("/api/admin/roster/apply", json={"token": preview.json()["token"]}, headers=as_user("admin"))
    assert other.status_code == 404 and other.json()["error"]["code"] == "roster.preview_unknown"


def test_an_unreadable_upload_is_a_clear_400(client: TestClient, as_user) -> None:
    admin = as_user("admin")
    for content in (b"", "姓名,职务\n张三,主任\n".encode(), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old-xls"):
        response = client.post("/api/admin/roster/preview", content=content, headers=admin)
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "roster.unreadable"
    missing = client.post("/api/admin/roster/preview", content="姓名,职务\n张三,主任\n".encode(), headers=admin)
    assert "工号" in missing.json()["error"]["message"] and "单位" in missing.json()["error"]["message"]
    assert set(ROLE_NAMES_ZH.values()) == {"干部", "人力资源", "单位负责人", "责任部门", "公司领导", "监督小组", "保密管理员",
                                           "管理员"}
