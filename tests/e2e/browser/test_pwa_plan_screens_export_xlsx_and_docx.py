"""Issue 15 point 4, in the app (``pwa/scripts/plan-exports.mjs``): 导出 Excel and 导出公文 on HR's
company plan and on the unit lead's unit plan download the server's exports; the files are read back
here: the company file holds the company items only, the unit lead's the unit plan of their subtree."""

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

    output = run_script("plan-exports.mjs", pwa_server, shots_dir, timeout=300)
    for needle in ("ok: HR sees 导出 Excel", "ok: HR downloads the company plan (.xlsx)",
                   "ok: HR downloads the company plan as a document (.docx)",
                   "ok: the unit lead downloads the unit plan (.xlsx)",
                   "ok: the unit lead downloads the unit plan as a document (.docx)", "ok: no page errors"):
        assert needle in output, output

    ws = load_workbook(shots_dir / "hr-company-plan.xlsx").active
    assert [r[8] for r in ws.iter_rows(min_row=2, values_only=True)] == ["甲醇深度复盘"]
    doc = Document(str(shots_dir / "hr-company-plan.docx"))
    assert doc.paragraphs[0].text == f"{year}年度干部访谈计划"
    assert [row.cells[6].text for row in doc.tables[0].rows[1:]] == ["甲醇深度复盘"]
    ws = load_workbook(shots_dir / "lead-unit-plan.xlsx").active
    assert [r[8] for r in ws.iter_rows(min_row=2, values_only=True)] == ["合成班组五月"]
    doc = Document(str(shots_dir / "lead-unit-plan.docx"))
    assert [row.cells[6].text for row in doc.tables[0].rows[1:]] == ["合成班组五月"]
