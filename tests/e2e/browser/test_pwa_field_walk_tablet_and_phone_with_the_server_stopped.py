"""Issue 16 "Done when": one walk through points 1, 2, 3, 6 and 8 (``pwa/scripts/field-walk.mjs``).

With the server STOPPED a cadre's tablet holds a group interview of five, raises a problem and shows
its 回执码 at once, shows the report's countdown on the interview and the report (counted on the
device's working-day calendar), opens 评价码 for 5 tickets, every control ≥ 44×44 CSS px at
1024×768 and 800×1280; the server comes back, the tablet syncs, HR assigns; a 390×844 phone shows
the rating page (cadre, date, place) and the receipt page (description, department, expected date,
progress). Then the server is asked: the code is the problem's, the countdown is its calendar's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from sync.calendar import local_date
from tests.e2e.browser.conftest import api_login, hr_assigns_problem, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _after(output: str, prefix: str) -> str:
    return output.split(f"ok: {prefix}")[1].splitlines()[0].strip()


def test_the_field_walk_offline_tablet_then_phone(pwa_server: LiveServer, shots_dir: Path) -> None:
    steps: list[str] = []
    output = run_script("field-walk.mjs", pwa_server, shots_dir, timeout=420, controls={
        "stop-server": lambda: (pwa_server.stop(), steps.append("stopped")),
        "start-server": lambda: (pwa_server.start(), steps.append("started")),
        "assign-problem": lambda: (hr_assigns_problem(pwa_server, "检修期间夜班更衣室"), steps.append("assigned")),
    })
    assert steps == ["stopped", "started", "assigned"], output
    for needle in ("ok: the server is down while the cadre works", "ok: offline, the receipt code is shown at once",
                   "ok: the report shows the same countdown as the interview",
                   "ok: the tickets screen asks for 5 tickets for the 5 participants",
                   "ok: five tickets to hand out (第 1 / 5 张)", "ok: after the sync the countdown stands",
                   "ok: before the report exists the date is marked as counted on the device",
                   "ok: after the report is saved and synced the due date is the server's",
                   "ok: the rating page shows the cadre, the date and the place",
                   "ok: the receipt page shows the department (责任部门：设备管理部)",
                   "ok: the receipt page shows the public progress",
                   "ok: every visible control on", "ok: no button label wraps"):
        assert needle in output, output
    assert "@800×1280" in output or "800x1280" in output, output

    # The code the offline tablet showed is the problem's code on the server.
    shown = _after(output, "offline, the receipt code is shown at once: ")
    _, hr = api_login(pwa_server, "hr")
    [issue] = [i for i in pull_rows(pwa_server, hr)["issue"].values() if "检修期间夜班更衣室" in i["description"]]
    assert issue["receipt_code"] == shown, issue

    # The countdown the tablet counted offline is the server calendar's: an interview held today has
    # 7 working days left, unless the due date falls in a year whose calendar is not published.
    countdown = _after(output, "countdown on the interview: ")
    today = local_date(dt.datetime.now(dt.UTC))
    r = httpx.get(f"{pwa_server.url}/api/calendar/working-days", params={"start": today.isoformat(), "days": 7},
                  headers=hr, timeout=30, verify=pwa_server.verify)
    if r.status_code == 200:
        assert countdown == "还剩 7 个工作日", output
        assert f"报告应于：{r.json()['date']}" in output, output  # 我的报告 shows the server calendar's date
        # ... counted on the device before the report existed, and the server's row says the same.
        assert f"the due date is the server's: 报告应于：{r.json()['date']}" in output, output
    else:
        assert r.json()["code"] == "calendar.unknown" and "日历未公布" in countdown, (r.text, output)
