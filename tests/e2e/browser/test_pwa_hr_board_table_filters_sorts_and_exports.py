"""Issue 17 point 4, as HR at the office desk (1440×900, zh-CN) on the demo (``fangtan demo``: 12
interviews, 22 problems, 11 submitted reports). ``pwa/scripts/board.mjs`` filters and sorts the
tracking board's table and exports each view; here every .xlsx is opened with openpyxl and its rows
must be exactly the table's rows, in the table's order — mapped to ids through HR's own pull, and
the overdue view checked once more against the one overdue rule. The 报告收件箱 (7,510 px tall on the
demo before) is grouped and paged: no view of it is taller than three screens."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sync.followup_rules import is_overdue
from tests.builders import company_today, seed_demo_story
from tests.e2e.browser.conftest import DIST, api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INBOX_MAX_PX = 3 * 900


@pytest.fixture
def story_server(browser_ready, data_dir: Path) -> Iterator[LiveServer]:
    seed_demo_story(data_dir)
    server = LiveServer(data_dir=data_dir, static_dir=DIST).start()
    yield server
    server.stop()


def _ledger_rows(path: Path) -> list[dict]:
    ws = load_workbook(path).active
    assert ws.cell(1, 1).value == "问题整改台账"
    header = [c.value for c in ws[2]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=3)]


def test_hr_filters_sorts_and_exports_exactly_the_tables_rows(story_server: LiveServer, shots_dir: Path) -> None:
    output = run_script("board.mjs", story_server, shots_dir, timeout=600)
    _, hr = api_login(story_server, "hr")
    issues = pull_rows(story_server, hr)["issue"]
    assert len(issues) == 22
    by_description: dict[str, str] = {}
    for issue_id, row in issues.items():
        assert row["description"] not in by_description, "the demo's descriptions tell its problems apart"
        by_description[row["description"]] = issue_id

    assert re.search(r"^board total: 22$", output, re.M), output
    views = dict(re.findall(r"^rows (\w+): (\[.*\])$", output, re.M))
    assert set(views) == {"overdue", "dept", "mixed", "cadre"}, output
    for name, shown in views.items():
        table = json.loads(shown)
        rows = _ledger_rows(shots_dir / f"board-{name}.xlsx")
        assert [by_description[r["问题描述"]] for r in rows] == table, name
        assert [r["序号"] for r in rows] == list(range(1, len(table) + 1)), name
        assert 0 < len(table) < 22, (name, "a filter that selects something, not everything")

    today = company_today()
    overdue = sorted((i for i in issues.values() if is_overdue(i["status"], i["due_date"], today)),
                     key=lambda i: (i["due_date"], i["created_at"], i["id"]))
    assert json.loads(views["overdue"]) == [i["id"] for i in overdue]
    units = {u["id"]: u["name"] for u in httpx_units(story_server, hr)}
    assert {units[issues[i]["handler_unit_id"]] for i in json.loads(views["dept"])} == {"设备管理部"}
    dues = [issues[i]["due_date"] for i in json.loads(views["dept"])]
    assert dues == sorted(dues)

    # The inbox: every submitted report in one of the two groups, and no view taller than three screens.
    todo, done = (int(n) for n in re.search(r"^inbox groups: todo (\d+), done (\d+)$", output, re.M).groups())
    assert todo + done == 11, output
    heights = [int(h) for h in re.findall(r"^inbox height \w+(?: page 2)?: (\d+)$", output, re.M)]
    assert heights and max(heights) <= INBOX_MAX_PX, (heights, output)


def httpx_units(server: LiveServer, headers: dict[str, str]) -> list[dict]:
    import httpx

    r = httpx.get(f"{server.url}/api/org/units", headers=headers, timeout=30, verify=server.verify)
    assert r.status_code == 200, r.text
    return r.json()
