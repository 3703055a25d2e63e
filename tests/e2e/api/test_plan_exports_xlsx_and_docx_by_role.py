"""Issue 15 point 4: a year's plan exports as .xlsx and as a .docx to issue (GB/T 9704 layout, title
《××××年度干部访谈计划》, one table of the items). Each file lists the active items the caller may see:
HR and leaders the whole plan, a unit lead their subtree's; a cadre or an admin gets 403; cancelled
items and other years are left out. Both files are read back with openpyxl / python-docx."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Mm, Pt
from litestar.testing import TestClient
from openpyxl import load_workbook

from sync.ids import new_id
from tests.builders import ApiDevice, api_device, company_today

YEAR = company_today().year


def _units(client: TestClient, d: ApiDevice) -> dict[str, str]:
    return {u["name"]: u["id"] for u in client.get("/api/org/units", headers=d.headers).json()}


def _plan(d: ApiDevice, **args) -> str:
    pid = new_id()
    r = d.push(("plan.save", {"id": pid, "year": YEAR, **args}))["results"][0]
    assert r["status"] == "applied", r
    return pid


def _seq(d: ApiDevice, row_id: str) -> int:
    page = d.client.get("/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=d.headers).json()
    return max(c["seq"] for c in page["changes"] if c["entity"] == "plan_item" and c["id"] == row_id)


def _world(client: TestClient) -> dict:
    hr, lead, cadre, cadre2 = (api_device(client, u) for u in ("hr", "unitlead", "cadre", "cadre2"))
    u = _units(client, hr)
    _plan(hr, scope="company", kind="quarterly", quarter=1, cadre_id=cadre.user_id, unit_id=u["甲醇生产车间"],
          title="一季度走访甲醇")
    _plan(hr, scope="company", kind="deep_review", cadre_id=cadre2.user_id, unit_id=u["热电车间"], title="热电深度复盘")
    _plan(lead, scope="unit", kind="adhoc", month=3, cadre_id=cadre.user_id, unit_id=u["合成班组"],
          title="合成班组加访", reason="=HYPERLINK(\"http://x\",\"y\") 重点项目")
    gone = _plan(hr, scope="company", kind="quarterly", quarter=2, cadre_id=cadre.user_id, unit_id=u["甲醇生产车间"],
                 title="已取消的访谈")
    r = hr.push(("plan.save", {"id": gone, "status": "cancelled"}, _seq(hr, gone)))["results"][0]
    assert r["status"] == "applied", r
    d = new_id()
    r = hr.push(("plan.save", {"id": d, "year": YEAR - 1, "scope": "company", "kind": "deep_review",
                               "cadre_id": cadre.user_id, "unit_id": u["甲醇生产车间"], "title": "上一年度"}))
    assert r["results"][0]["status"] == "applied", r
    return {"hr": hr, "lead": lead, "cadre": cadre}


def _xlsx_rows(client: TestClient, d: ApiDevice, **params) -> list[tuple]:
    r = client.get("/api/plans/export/xlsx", params={"year": YEAR, **params}, headers=d.headers)
    assert r.status_code == 200, r.text
    assert "attachment" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert ws["A1"].value == f"{YEAR}年度干部访谈计划"  # the title row above the table
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2)]


def test_the_plan_exports_as_xlsx_with_what_the_caller_may_see(client: TestClient) -> None:
    w = _world(client)
    rows = _xlsx_rows(client, w["hr"])
    assert rows[0] == ("序号", "计划", "类别", "时段", "访谈干部", "访谈单位", "开始日期", "截止日期", "事项", "加访原因",
                       "干部工号", "单位路径")
    titles = [r[8] for r in rows[1:]]
    assert sorted(titles) == sorted(["一季度走访甲醇", "热电深度复盘", "合成班组加访"]), titles
    q1 = next(r for r in rows if r[8] == "一季度走访甲醇")
    assert q1[1:4] == ("公司年度访谈计划", "每季度访谈", f"{YEAR}年第一季度")
    assert q1[5] == "甲醇生产车间" and q1[6].date().isoformat() == f"{YEAR}-01-01"
    assert q1[7].date().isoformat() == f"{YEAR}-03-31"
    adhoc = next(r for r in rows if r[8] == "合成班组加访")
    assert adhoc[1:4] == ("单位访谈计划", "临时加访", f"{YEAR}年3月")
    assert adhoc[9].startswith("=HYPERLINK")  # typed as text, not a formula (checked above)
    # One scope only.
    assert [r[8] for r in _xlsx_rows(client, w["hr"], scope="unit")[1:]] == ["合成班组加访"]
    # The unit lead: their subtree's items only (甲醇生产车间 and its 合成班组, not 热电车间).
    lead_titles = sorted(r[8] for r in _xlsx_rows(client, w["lead"])[1:])
    assert lead_titles == sorted(["一季度走访甲醇", "合成班组加访"]), lead_titles
    # A cadre does not export plans (they see their own in 我的访谈计划).
    r = client.get("/api/plans/export/xlsx", params={"year": YEAR}, headers=w["cadre"].headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "auth.forbidden"
    r = client.get("/api/plans/export/xlsx", params={"year": 1999}, headers=w["hr"].headers)
    assert r.status_code == 400 and "year" in r.text
    r = client.get("/api/plans/export/docx", params={"year": YEAR, "scope": "team"}, headers=w["hr"].headers)
    assert r.status_code == 400 and "scope" in r.text


def test_the_plan_exports_as_an_official_docx(client: TestClient) -> None:
    w = _world(client)
    r = client.get("/api/plans/export/docx", params={"year": YEAR}, headers=w["hr"].headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(r.content))
    section = doc.sections[0]
    got = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
           section.left_margin, section.right_margin)
    assert all(abs(g - Mm(want)) < Mm(0.1) for g, want in zip(got, (210, 297, 37, 35, 28, 26), strict=True)), got
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "西北能化公司人力资源部（党群部）"  # 版头: the issuing organ
    assert texts[2] == f"人资〔{company_today().year}〕1号"  # HR's export is numbered
    title = next(p for p in doc.paragraphs if p.text == f"{YEAR}年度干部访谈计划")
    assert title.runs[0].font.size == Pt(22) and title.runs[0].font.name == "方正小标宋简体"
    assert "各单位、各访谈干部：" in texts and any("共3项" in t for t in texts)
    (table,) = doc.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["序号", "类别", "时段", "访谈干部", "访谈单位", "时间窗口", "事项"]
    assert [row[0] for row in cells[1:]] == ["1", "2", "3"]
    q1 = next(row for row in cells if row[6] == "一季度走访甲醇")
    assert q1[1:3] == ["每季度访谈", f"{YEAR}年第一季度"] and q1[4] == "甲醇生产车间" and q1[5] == "1月1日—3月31日"
    deep = next(row for row in cells if row[6] == "热电深度复盘")
    assert deep[1:3] == ["年度深度复盘访谈", f"{YEAR}年度"] and deep[5] == "1月1日—12月31日"
    assert not any("已取消" in c or "上一年度" in c for row in cells for c in row)
    # The unit lead's document holds only their subtree's items.
    r = client.get("/api/plans/export/docx", params={"year": YEAR}, headers=w["lead"].headers)
    rows = [[c.text for c in row.cells] for row in Document(io.BytesIO(r.content)).tables[0].rows]
    assert sorted(row[6].split("；")[0] for row in rows[1:]) == sorted(["一季度走访甲醇", "合成班组加访"])
    adhoc = next(row for row in rows if row[6].startswith("合成班组加访"))
    assert adhoc[6] == "合成班组加访；=HYPERLINK(\"http://x\",\"y\") 重点项目"
