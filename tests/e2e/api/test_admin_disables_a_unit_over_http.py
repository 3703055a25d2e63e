"""停用 / 启用 a unit over HTTP (``POST /api/admin/units/{id}/disable|enable``): by role, refused with
``409 unit.in_use`` naming what still needs the unit, audited; once disabled the unit is refused for
new work — user add/edit, a unit below it, roster and plan import — while history keeps its name."""

from __future__ import annotations

import io

from litestar.testing import TestClient
from openpyxl import Workbook, load_workbook

from server.plans.exports import COLUMNS
from tests.builders import company_today
from tests.roster_files import csv_bytes

RETIRED = "西北能化公司/甲醇生产车间/旧质检室"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _units(client: TestClient, headers) -> dict[str, dict]:
    return {u["name_path"]: u for u in client.get("/api/admin/units", headers=headers).json()}


def _retired_unit(client: TestClient, admin) -> str:
    added = client.post("/api/admin/units", json={"name": "旧质检室", "parent": "甲醇生产车间", "kind": "team"},
                        headers=admin)
    assert added.status_code == 201, added.text
    return added.json()["id"]


def test_a_unit_in_use_is_refused_naming_what_blocks_it(client: TestClient, as_user) -> None:
    admin, cadre = as_user("admin"), as_user("cadre")
    workshop = _units(client, admin)["西北能化公司/甲醇生产车间"]
    r = client.post(f"/api/admin/units/{workshop['id']}/disable", headers=admin)
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "unit.in_use" and error["field"] == "unit"
    assert "单位「西北能化公司/甲醇生产车间」不能停用" in error["message"]
    assert f"单位下还有 {workshop['accounts']} 名在职人员" in error["message"]
    assert "个未停用的下级单位" in error["message"]
    assert error["details"]["reasons"]
    assert _units(client, admin)["西北能化公司/甲醇生产车间"]["disabled"] is False
    company = _units(client, admin)["西北能化公司"]["id"]
    assert client.post(f"/api/admin/units/{company}/disable", headers=admin).status_code == 400
    assert client.post(f"/api/admin/units/{workshop['id']}/disable", headers=cadre).status_code == 403
    assert client.post("/api/admin/units/nowhere/disable", headers=admin).status_code == 404


def test_a_disabled_unit_is_kept_greyed_and_refused_for_new_work(client: TestClient, as_user) -> None:
    admin, hr = as_user("admin"), as_user("hr")
    uid = _retired_unit(client, admin)
    done = client.post(f"/api/admin/units/{uid}/disable", headers=hr)
    assert done.status_code == 200, done.text
    assert done.json() == {"id": uid, "path": RETIRED, "disabled": True}
    assert _units(client, admin)[RETIRED]["disabled"] is True
    public = {u["id"]: u for u in client.get("/api/org/units", headers=as_user("cadre")).json()}
    assert public[uid]["disabled"] is True and public[uid]["name"] == "旧质检室"  # history keeps the name

    def refused(response, field: str) -> None:
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "unit.disabled" and error["field"] == field, error
        assert f"单位「{RETIRED}」已停用" in error["message"]

    refused(client.post("/api/admin/roster/users", json={"username": "T9101", "name": "孙晓明", "unit": uid,
                                                          "roles": ["干部"]}, headers=admin), "unit")
    refused(client.patch("/api/admin/users/cadre2", json={"unit": RETIRED}, headers=admin), "unit")
    refused(client.post("/api/admin/units", json={"name": "一组", "parent": uid, "kind": "team"}, headers=admin),
            "parent")
    team = _units(client, admin)["西北能化公司/甲醇生产车间/精馏班组"]["id"]
    refused(client.patch(f"/api/admin/units/{team}", json={"parent": uid}, headers=admin), "parent")
    assert _units(client, admin)["西北能化公司/甲醇生产车间/精馏班组"]["parent_id"] != uid

    # The roster names the retired unit (or a new unit below it): refused rows, in Chinese, with the path.
    roster = csv_bytes([["T9102", "钱多多", RETIRED, "检验员", "干部", "", "在职"],
                        ["T9103", "周到", f"{RETIRED}/新班组", "检验员", "干部", "", "在职"],
                        ["T9104", "吴用", "西北能化公司/甲醇生产车间", "", "", "", "在职"]])
    preview = client.post("/api/admin/roster/preview", content=roster, headers={**admin, "Content-Type": "text/csv"})
    assert preview.status_code == 200, preview.text
    refusals = preview.json()["refused"]
    assert [(x["row"], x["column"]) for x in refusals] == [(2, "单位"), (3, "单位")]
    assert all(x["reason"] == f"单位「{RETIRED}」已停用，不能再选用" for x in refusals)
    assert RETIRED + "/新班组" not in [u["path"] for u in preview.json()["units_added"]]

    # A plan row for it: refused by the import's preview (the engine would refuse it as well).
    year = company_today().year + 1
    wb = Workbook()
    ws = wb.active
    ws.title = "访谈计划"
    ws.append(list(COLUMNS))
    row = {"计划": "公司年度访谈计划", "类别": "每季度访谈", "时段": f"{year}年第一季度", "干部工号": "cadre",
           "单位路径": RETIRED}
    ws.append([row.get(c) for c in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    plan = client.post("/api/plans/import/preview", params={"year": year}, files={"file": ("p.xlsx", buf.getvalue(), XLSX)},
                       headers=hr)
    assert plan.status_code == 200, plan.text
    [refusal] = plan.json()["refused"]
    assert refusal["column"] == "单位路径" and refusal["reason"] == f"单位「{RETIRED}」已停用，不能再选用"

    template = client.get("/api/plans/import/template", headers=hr)  # its 说明 lists the units that can be planned
    assert template.status_code == 200
    help_rows = [r[2] for r in load_workbook(io.BytesIO(template.content))["说明"].iter_rows(values_only=True)]
    assert RETIRED not in help_rows and "西北能化公司/甲醇生产车间" in help_rows

    enabled = client.post(f"/api/admin/units/{uid}/enable", headers=admin)
    assert enabled.status_code == 200 and enabled.json()["disabled"] is False
    again = client.post("/api/admin/roster/users", json={"username": "T9101", "name": "孙晓明", "unit": uid,
                                                          "roles": ["干部"]}, headers=admin)
    assert again.status_code == 201, again.text
    log = client.get("/api/admin/audit", headers=admin).json()
    assert [e["action"] for e in log][:3] == ["user.add", "unit.enable", "unit.disable"]
    assert log[2]["details"] == {"path": RETIRED} and log[2]["actor_name"] == "王丽娟"
