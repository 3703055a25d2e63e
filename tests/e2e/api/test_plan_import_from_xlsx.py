"""Issue 15 point 4, 计划导入: HR's company plan and a unit's plan from .xlsx.

The template has the export's columns and a 说明 sheet; a preview saves nothing and lists added /
unchanged / refused rows (row, column, Chinese reason); apply pushes the added items through the sync
engine (the cadre's tablet pulls them), refuses everything while a row is refused unless asked for
the valid rows only, and re-importing the same file — or an exported plan — changes nothing. HR
imports either plan; a unit lead only the unit plan of their own subtree; other roles get 403. Bad
files answer 4xx naming the file."""

from __future__ import annotations

import io

from litestar.testing import TestClient
from openpyxl import Workbook, load_workbook

from server.plans.exports import COLUMNS
from tests.builders import ApiDevice, api_device, company_today

YEAR = company_today().year + 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(rows: list[dict], header: tuple[str, ...] = COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "访谈计划"
    ws.append(list(header))
    for n, row in enumerate(rows, 1):
        ws.append([n if c == "序号" else row.get(c) for c in header])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


QUARTERLY = {"计划": "公司年度访谈计划", "类别": "每季度访谈", "时段": f"{YEAR}年第一季度", "访谈干部": "刘海涛",
             "干部工号": "cadre", "单位路径": "西北能化公司/甲醇生产车间", "事项": "一季度走访甲醇"}
DEEP = {"类别": "年度深度复盘访谈", "时段": f"{YEAR}年度", "访谈干部": "陈晓东", "访谈单位": "热电车间",
        "开始日期": f"{YEAR}-11-01", "截止日期": f"{YEAR}-12-15"}
MONTHLY = {"计划": "单位访谈计划", "类别": "每月访谈", "时段": "3月", "干部工号": "cadre", "访谈单位": "合成班组"}
ADHOC = {"计划": "单位访谈计划", "类别": "临时加访", "时段": f"{YEAR}年5月", "干部工号": "cadre",
         "单位路径": "西北能化公司/甲醇生产车间/精馏班组", "加访原因": "检修项目"}


def _preview(client: TestClient, d: ApiDevice, data: bytes, **params) -> dict:
    r = client.post("/api/plans/import/preview", params={"year": YEAR, **params}, files={"file": ("p.xlsx", data, XLSX)},
                    headers=d.headers)
    assert r.status_code == 200, r.text
    return r.json()


def _apply(client: TestClient, d: ApiDevice, data: bytes, **params):
    return client.post("/api/plans/import/apply", params={"year": YEAR, **params}, content=data,
                       headers={**d.headers, "Content-Type": XLSX})


def _pulled(d: ApiDevice) -> list[dict]:
    page = d.client.get("/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=d.headers).json()
    rows = {c["id"]: c["row"] for c in page["changes"] if c["entity"] == "plan_item" and not c["deleted"]}
    return [r for r in rows.values() if r["year"] == YEAR]


def test_template_has_the_export_columns_and_a_help_sheet_with_allowed_values(client: TestClient) -> None:
    hr, lead = api_device(client, "hr"), api_device(client, "unitlead")
    r = client.get("/api/plans/import/template", params={"scope": "company"}, headers=hr.headers)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"], r.text
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["访谈计划", "说明"]
    sheet = book["访谈计划"]
    assert "访谈计划" in str(sheet["A1"].value)  # the title row, as on the export
    assert tuple(c.value for c in sheet[2]) == COLUMNS
    assert sheet.max_row == 2 or not any(c.value for c in sheet[3])
    help_text = [c.value for row in book["说明"].iter_rows() for c in row if c.value]
    assert "每季度访谈、年度深度复盘访谈" in " ".join(help_text)
    assert "西北能化公司/热电车间" in help_text and "cadre" in help_text
    # The unit lead's template: unit kinds, and only the units of their own subtree.
    r = client.get("/api/plans/import/template", params={"scope": "unit"}, headers=lead.headers)
    assert r.status_code == 200, r.text
    help_text = [c.value for row in load_workbook(io.BytesIO(r.content))["说明"].iter_rows() for c in row if c.value]
    assert "每月访谈、临时加访" in " ".join(help_text)
    assert "西北能化公司/甲醇生产车间/精馏班组" in help_text and "西北能化公司/热电车间" not in help_text
    # An empty template previews as nothing to do; it re-imports as a file with the right header.
    assert _preview(client, hr, r.content, scope="unit")["summary"] == {"added": 0, "unchanged": 0, "refused": 0, "refused_rows": 0}
    for who in ("cadre", "admin", "leader"):
        r = client.get("/api/plans/import/template", headers=api_device(client, who).headers)
        assert r.status_code == 403, (who, r.text)


def test_preview_saves_nothing_apply_syncs_and_reimport_changes_nothing(client: TestClient) -> None:
    hr, cadre = api_device(client, "hr"), api_device(client, "cadre")
    data = _file([QUARTERLY, DEEP, MONTHLY, ADHOC])
    p = _preview(client, hr, data)
    assert p["summary"] == {"added": 4, "unchanged": 0, "refused": 0, "refused_rows": 0}, p["refused"]
    assert [(a["row"], a["kind"], a["period"], a["cadre_no"], a["unit"]) for a in p["added"]] == [
        (2, "quarterly", f"{YEAR}年第一季度", "cadre", "西北能化公司/甲醇生产车间"),
        (3, "deep_review", f"{YEAR}年度", "cadre2", "西北能化公司/热电车间"),
        (4, "monthly", f"{YEAR}年3月", "cadre", "西北能化公司/甲醇生产车间/合成班组"),
        (5, "adhoc", f"{YEAR}年5月", "cadre", "西北能化公司/甲醇生产车间/精馏班组"),
    ]
    assert _pulled(cadre) == []  # the preview wrote nothing

    r = _apply(client, hr, data)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["rejected"]) == (4, [])
    mine = sorted(_pulled(cadre), key=lambda x: (x["scope"], x["kind"]))
    assert [(x["scope"], x["kind"], x["quarter"], x["month"], x["window_start"], x["window_end"]) for x in mine] == [
        ("company", "quarterly", 1, None, f"{YEAR}-01-01", f"{YEAR}-03-31"),
        ("unit", "adhoc", None, 5, f"{YEAR}-05-01", f"{YEAR}-05-31"),
        ("unit", "monthly", None, 3, f"{YEAR}-03-01", f"{YEAR}-03-31"),
    ]
    assert mine[0]["title"] == "一季度走访甲醇" and mine[1]["reason"] == "检修项目"
    deep = next(x for x in _pulled(hr) if x["kind"] == "deep_review")
    assert (deep["window_start"], deep["window_end"]) == (f"{YEAR}-11-01", f"{YEAR}-12-15")

    # The same file again: nothing to add, nothing created.
    assert _preview(client, hr, data)["summary"] == {"added": 0, "unchanged": 4, "refused": 0, "refused_rows": 0}
    r = _apply(client, hr, data)
    assert r.status_code == 200 and r.json()["created"] == 0, r.text
    assert len(_pulled(hr)) == 4

    # The exported plan re-imports unchanged: same columns, 工号 and unit paths.
    exported = client.get("/api/plans/export/xlsx", params={"year": YEAR}, headers=hr.headers).content
    assert _preview(client, hr, exported)["summary"] == {"added": 0, "unchanged": 4, "refused": 0, "refused_rows": 0}


def test_refused_rows_name_row_column_and_reason_and_block_the_apply(client: TestClient) -> None:
    hr = api_device(client, "hr")
    bad = [
        QUARTERLY,
        {**QUARTERLY, "时段": f"{YEAR}年第五季度"},  # row 3
        {**DEEP, "访谈干部": "不存在的人"},  # row 4
        {**ADHOC, "加访原因": None},  # row 5
        {**MONTHLY, "时段": f"{YEAR - 1}年3月"},  # row 6
        {**QUARTERLY, "类别": "每月访谈"},  # row 7: a company plan holds no monthly visits
        {**DEEP, "开始日期": f"{YEAR + 1}-01-02"},  # row 8
        {**QUARTERLY, "干部工号": "unitlead", "访谈干部": None},  # row 9: not a cadre
        {**QUARTERLY, "访谈干部": "陈晓东"},  # row 10: name and 工号 disagree
        QUARTERLY,  # row 11: the same visit as row 2
    ]
    p = _preview(client, hr, _file(bad))
    refused = {(r["row"], r["column"]): r for r in p["refused"]}
    assert (p["summary"]["added"], p["summary"]["refused_rows"]) == (1, 9), p
    assert set(refused) == {(3, "时段"), (4, "访谈干部"), (5, "加访原因"), (6, "时段"), (7, "类别"), (7, "时段"),
                            (8, "开始日期"),
                            (9, "干部工号"), (10, "访谈干部"), (11, "干部工号")}, sorted(refused)
    assert refused[(3, "时段")]["column_letter"] == "D" and refused[(3, "时段")]["value"] == f"{YEAR}年第五季度"
    assert "时段格式" in refused[(3, "时段")]["reason"]
    assert "加访原因" in refused[(5, "加访原因")]["reason"]
    assert f"与导入的年度 {YEAR} 年不符" in refused[(6, "时段")]["reason"]
    assert "与第 2 行重复" in refused[(11, "干部工号")]["reason"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r["reason"]) for r in p["refused"])

    r = _apply(client, hr, _file(bad))
    assert r.status_code == 422 and r.json()["error"]["code"] == "plan.import_refused", r.text
    assert _pulled(hr) == []  # nothing half-applied
    r = _apply(client, hr, _file(bad), apply_valid="true")
    assert r.status_code == 200 and r.json()["created"] == 1, r.text
    assert len(_pulled(hr)) == 1


def test_a_unit_lead_imports_only_their_own_units_plan(client: TestClient) -> None:
    lead, hr = api_device(client, "unitlead"), api_device(client, "hr")
    rows = [MONTHLY, {**MONTHLY, "访谈单位": "热电车间"}, QUARTERLY]
    p = _preview(client, lead, _file(rows))
    refused = {(r["row"], r["column"]): r["reason"] for r in p["refused"]}
    assert p["summary"]["added"] == 1 and set(refused) == {(3, "访谈单位"), (4, "计划")}, p
    assert "本单位" in refused[(3, "访谈单位")] and "人力资源部" in refused[(4, "计划")]
    r = _apply(client, lead, _file(rows))
    assert r.status_code == 422, r.text
    r = _apply(client, lead, _file(rows), apply_valid="true")
    assert r.status_code == 200 and r.json()["created"] == 1, r.text
    # The unit screen (scope=unit) refuses company rows for HR too, naming the other screen.
    p = _preview(client, hr, _file([QUARTERLY]), scope="unit")
    assert [(r["row"], r["column"]) for r in p["refused"]] == [(2, "计划")] and "本页面导入单位访谈计划" in p["refused"][0]["reason"]
    for who in ("cadre", "admin", "supervisor"):
        d = api_device(client, who)
        assert _apply(client, d, _file([MONTHLY])).status_code == 403, who


def test_bad_files_answer_4xx_naming_the_file(client: TestClient) -> None:
    hr = api_device(client, "hr")
    cases = {
        b"": "plan.file_unreadable",
        "工号,姓名\n1,2\n".encode(): "plan.file_unreadable",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100: "plan.file_unreadable",
        b"PK\x03\x04 broken zip": "plan.file_unreadable",
        _file([QUARTERLY], header=("序号", "姓名", "工号")): "plan.file_unreadable",
        b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024 + 1): "plan.file_too_large",
    }
    for data, code in cases.items():
        r = client.post("/api/plans/import/preview", params={"year": YEAR}, content=data,
                        headers={**hr.headers, "Content-Type": XLSX})
        assert r.status_code in (400, 413), (data[:20], r.text)
        assert r.json()["error"]["code"] == code and r.json()["error"]["field"] == "file", r.text
    missing = client.post("/api/plans/import/preview", content=_file([QUARTERLY], header=("序号", "姓名")),
                          headers={**hr.headers, "Content-Type": XLSX}).json()["error"]
    assert "缺少必填列" in missing["message"]
    r = client.post("/api/plans/import/preview", params={"year": 1999}, content=_file([QUARTERLY]),
                    headers={**hr.headers, "Content-Type": XLSX})
    assert r.status_code == 400 and r.json()["error"]["field"] == "year"
    too_many = _file([{**MONTHLY, "时段": f"{(n % 12) + 1}月", "事项": str(n)} for n in range(501)])
    r = client.post("/api/plans/import/preview", params={"year": YEAR}, content=too_many,
                    headers={**hr.headers, "Content-Type": XLSX})
    assert r.status_code == 413 and r.json()["error"]["code"] == "plan.file_too_large", r.text
