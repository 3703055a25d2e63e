"""``fangtan plan template|import`` on a real SQLite file beside a real server (issue 15 point 4): the
template opens, a file with a bad row is refused with row, column and reason and changes nothing,
``--dry-run`` changes nothing, the fixed file applies through plan.save (the cadre pulls the item),
the same file again changes nothing, and an account without HR or unit-lead role is refused."""

from __future__ import annotations

import sqlite3

import httpx
from openpyxl import load_workbook

from tests.builders import api_device, company_today
from tests.e2e.api.test_plan_import_from_xlsx import QUARTERLY, _file
from tests.e2e.test_cli import fangtan

YEAR = company_today().year + 1


def _count(data) -> int:
    with sqlite3.connect(data / "fangtan.db") as db:
        return db.execute("SELECT count(*) FROM plan_item WHERE year = ?", [YEAR]).fetchone()[0]


def test_plan_template_and_import_from_the_command_line(live_server, tmp_path) -> None:
    data = live_server.data_dir
    template = tmp_path / "计划模板.xlsx"
    made = fangtan("plan", "template", str(template), data_dir=data)
    assert made.returncode == 0, made.stderr
    assert load_workbook(template).sheetnames == ["访谈计划", "说明"]

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_file([QUARTERLY, {**QUARTERLY, "时段": f"{YEAR}年第二季度", "干部工号": "nobody",
                                       "访谈干部": None}]))
    refused = fangtan("plan", "import", str(bad), "--as", "hr", "--year", str(YEAR), data_dir=data)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "拒绝 第 3 行 干部工号（K 列）：没有这个工号的干部" in refused.stdout, refused.stdout
    assert "nothing applied" in refused.stderr and _count(data) == 0

    good = tmp_path / "good.xlsx"
    good.write_bytes(_file([QUARTERLY]))
    dry = fangtan("plan", "import", str(good), "--as", "hr", "--year", str(YEAR), "--dry-run", data_dir=data)
    assert dry.returncode == 0 and "新增 1 项" in dry.stdout and _count(data) == 0, dry.stdout
    done = fangtan("plan", "import", str(good), "--as", "hr", "--year", str(YEAR), data_dir=data)
    assert done.returncode == 0 and "已导入 (applied): 1 项计划" in done.stdout, done.stdout + done.stderr
    again = fangtan("plan", "import", str(good), "--as", "hr", "--year", str(YEAR), data_dir=data)
    assert again.returncode == 0 and "已在计划中 1 项" in again.stdout and "nothing to import" in again.stdout
    assert _count(data) == 1
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        cadre = api_device(client, "cadre")
        page = client.get("/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=cadre.headers).json()
    assert [c["row"]["title"] for c in page["changes"] if c["entity"] == "plan_item" and c["row"]["year"] == YEAR] \
        == [QUARTERLY["事项"]]

    other = fangtan("plan", "import", str(good), "--as", "cadre", data_dir=data)
    assert other.returncode == 1 and "不能导入计划" in other.stderr, other.stderr
