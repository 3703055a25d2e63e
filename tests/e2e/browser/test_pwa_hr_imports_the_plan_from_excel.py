"""Issue 15 point 4, 计划导入 in the app (``pwa/scripts/plan-import.mjs``): HR downloads the plan template
on 公司年度访谈计划, it is filled here with openpyxl, a file with a bad row is refused in Chinese (row,
column, reason), the fixed file is applied, the cadre's tablet lists the item after sync, and the
same file again shows no changes. Checked here over HTTP: the items were created once."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from tests.builders import api_device, company_today
from tests.e2e.browser.conftest import run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "浏览器导入的一季度访谈"


def test_hr_imports_the_company_plan_from_the_template(pwa_server: LiveServer, shots_dir: Path) -> None:
    year = company_today().year + 1

    def fill() -> None:
        book = load_workbook(shots_dir / "plan-template.xlsx")
        assert book.sheetnames == ["访谈计划", "说明"]
        ws = book["访谈计划"]
        header = [c.value for c in ws[2]]  # row 1: the title 《××××年度干部访谈计划》
        rows = [{"类别": "每季度访谈", "时段": f"{year}年第一季度", "干部工号": "cadre", "访谈干部": "刘海涛",
                 "单位路径": "西北能化公司/甲醇生产车间", "事项": TITLE},
                {"类别": "年度深度复盘访谈", "时段": f"{year}年第五季度", "干部工号": "cadre2", "访谈单位": "热电车间"}]
        for name, bad_period in (("plan-bad.xlsx", True), ("plan-good.xlsx", False)):
            for r, row in enumerate(rows, start=3):
                period = row["时段"] if bad_period or "五" not in row["时段"] else f"{year}年度"
                for c, col in enumerate(header, start=1):
                    ws.cell(r, c).value = period if col == "时段" else row.get(col)
            book.save(shots_dir / name)

    output = run_script("plan-import.mjs", pwa_server, shots_dir, str(year), TITLE, timeout=600,
                        controls={"fill": fill})
    for needle in ("ok: HR downloads the plan template", "ok: HR sees the refusal in Chinese",
                   "ok: with a refused row only 仅导入有效行 is offered", "ok: HR imports the plan (已导入 2 项计划)",
                   "ok: re-importing the same file shows no changes", "ok: the cadre’s tablet lists the imported item",
                   "ok: no page errors"):
        assert needle in output, output
    with httpx.Client(base_url=pwa_server.url, timeout=30) as client:
        cadre = api_device(client, "cadre")
        page = client.get("/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=cadre.headers).json()
    items = [c["row"] for c in page["changes"] if c["entity"] == "plan_item" and c["row"]["year"] == year
             and c["row"]["cadre_id"] == cadre.user_id]
    assert [(r["kind"], r["quarter"], r["title"]) for r in items] == [("quarterly", 1, TITLE)]
