"""Issue 15 point 4, in the app (``pwa/scripts/plan-exports.mjs``): 导出 Excel and 导出公文 on HR's
company plan and on the unit lead's unit plan download the server's exports; the files are read back
here: the company file holds the company items only, the unit lead's the unit plan of their subtree.
HR's 复制上年计划 asks to confirm the count and copies last year's item into this year."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook

from sync.ids import new_id
from tests.builders import api_device, company_today, units_by_name
from tests.e2e.browser.conftest import run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_plan_screens_download_the_plan_as_xlsx_and_docx(pwa_server: LiveServer, shots_dir: Path) -> None:
    year = company_today().year
    with httpx.Client(base_url=pwa_server.url, timeout=30) as client:
        hr, lead, cadre = (api_device(client, u) for u in ("hr", "unitlead", "cadre"))
        units = units_by_name(client, hr.headers)
        res = hr.push(("plan.save", {"id": new_id(), "scope": "company", "kind": "deep_review", "year": year,
                                     "cadre_id": cadre.user_id, "unit_id": units["甲醇生产车间"], "title": "甲醇深度复盘"}))
        assert res["results"][0]["status"] == "applied", res
        res = lead.push(("plan.save", {"id": new_id(), "scope": "unit", "kind": "monthly", "year": year, "month": 5,
                                       "cadre_id": cadre.user_id, "unit_id": units["合成班组"], "title": "合成班组五月"}))
        assert res["results"][0]["status"] == "applied", res
        last = hr.push(("plan.save", {"id": new_id(), "scope": "company", "kind": "quarterly", "year": year - 1,
                                      "quarter": 2, "cadre_id": cadre.user_id, "unit_id": units["热电车间"],
                                      "title": "上年二季度"}))
        assert last["results"][0]["status"] == "applied", last

    output = run_script("plan-exports.mjs", pwa_server, shots_dir, timeout=300)
    for needle in ("ok: HR sees 导出 Excel", "ok: HR downloads the company plan (.xlsx)",
                   "ok: HR downloads the company plan as a document (.docx)",
                   "ok: the unit lead downloads the unit plan (.xlsx)",
                   "ok: the unit lead downloads the unit plan as a document (.docx)", "ok: no page errors",
                   "ok: HR is asked to confirm copying 1 item of last year",
                   "ok: HR copies last year’s plan (已复制 1 项计划)"):
        assert needle in output, output

    ws = load_workbook(shots_dir / "hr-company-plan.xlsx").active
    assert [r[8] for r in ws.iter_rows(min_row=3, values_only=True)] == ["甲醇深度复盘"]
    doc = Document(str(shots_dir / "hr-company-plan.docx"))
    texts = [p.text for p in doc.paragraphs]  # 版头 (organ, 发文字号), then the title
    assert texts[0].endswith("人力资源部（党群部）") and f"{year}年度干部访谈计划" in texts
    assert [row.cells[6].text for row in doc.tables[0].rows[1:]] == ["甲醇深度复盘"]
    ws = load_workbook(shots_dir / "lead-unit-plan.xlsx").active
    assert [r[8] for r in ws.iter_rows(min_row=3, values_only=True)] == ["合成班组五月"]
    doc = Document(str(shots_dir / "lead-unit-plan.docx"))
    assert [row.cells[6].text for row in doc.tables[0].rows[1:]] == ["合成班组五月"]
    # The copy is a plan item of this year, pulled like any other (the server pushed plan.save).
    with httpx.Client(base_url=pwa_server.url, timeout=30) as client:
        page = client.get("/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=cadre.headers).json()
    copies = [c["row"] for c in page["changes"] if c["entity"] == "plan_item" and c["row"]["title"] == "上年二季度"]
    assert sorted((r["year"], r["quarter"], r["status"]) for r in copies) == [(year - 1, 2, "active"), (year, 2, "active")]
