"""Small things that erode trust (issue 16 point 7, docs/pwa.md "Small things a cadre trusts the app
by") in real Chromium (``pwa/scripts/trust.mjs``): the PIN fields open the number pad and the PIN and
lock screens are centred at 1024, 800 and 390 px; 临时加访请填写原因 and 请选择问题分类 go once the
field is fixed; 按计划访谈 lists overdue and current items first with their status; submitting with an
unsaved problem draft asks first and 返回草稿 opens it; 立即同步 offline and with the server out of
reach says so; 我的报告 names the interview as 我的访谈 does, opens from anywhere on its card and by
keyboard, and starts 访谈情况综述 from the 访谈总结 without replacing what the cadre wrote. Then the
server is asked what the device sent."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from sync.ids import new_id
from tests.builders import company_today, units_by_name
from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _push(server: LiveServer, username: str, *mutations: tuple[str, dict]) -> None:
    session, headers = api_login(server, username)
    stamp = f"{company_today().isoformat()}T09:00:00+08:00"
    with httpx.Client(base_url=server.url, timeout=30, verify=server.verify) as client:
        r = client.post("/api/sync/push", headers=headers, json={
            "protocol": 1, "schema_version": 1, "device_id": session["device_id"], "client_time": stamp,
            "mutations": [{"id": i + 1, "name": n, "args": a, "client_time": stamp} for i, (n, a) in enumerate(mutations)]})
    assert r.status_code == 200 and all(x["status"] == "applied" for x in r.json()["results"]), r.text


def _plan_the_cadres_visits(server: LiveServer) -> dict[str, str]:
    """HR's company plan for the cadre, whatever today's date: last December's visit not made (已逾期),
    this year's (待访谈), next January's (未开始), and last June's, made (已完成)."""
    _, hr = api_login(server, "hr")
    with httpx.Client(base_url=server.url, timeout=30, verify=server.verify) as client:
        units = units_by_name(client, hr)
    cadre, _ = api_login(server, "cadre")
    year = company_today().year
    windows = {"overdue": (year - 1, "12-01", "12-31"), "current": (year, "01-01", "12-31"),
               "upcoming": (year + 1, "01-01", "01-31"), "completed": (year - 1, "06-01", "06-30")}
    ids = {k: new_id() for k in windows}
    _push(server, "hr", *[("plan.save", {
        "id": ids[k], "scope": "company", "kind": "deep_review", "year": y, "cadre_id": cadre["user"]["id"],
        "unit_id": units["甲醇生产车间"], "window_start": f"{y}-{lo}", "window_end": f"{y}-{hi}", "title": f"计划{k}",
    }) for k, (y, lo, hi) in windows.items()])
    day = f"{year - 1}-06-15"
    _push(server, "cadre", ("interview.save", {
        "id": new_id(), "plan_item_id": ids["completed"], "form": "walkthrough", "unit_id": units["甲醇生产车间"],
        "started_at": f"{day}T09:00:00+08:00", "ended_at": f"{day}T10:00:00+08:00", "place": "甲醇合成装置区",
        "topics": ["business.1"], "summary": "去年六月的走访。", "status": "submitted"}))
    return ids


def test_small_things_that_erode_trust(pwa_server: LiveServer, shots_dir: Path) -> None:
    _plan_the_cadres_visits(pwa_server)
    downs: list[str] = []
    output = run_script("trust.mjs", pwa_server, shots_dir, timeout=420, controls={
        "stop-server": lambda: (pwa_server.stop(), downs.append("stopped")),
        "start-server": lambda: (pwa_server.start(), downs.append("started")),
    })
    assert downs == ["stopped", "started"], output
    for needle in (
        "ok: the PIN fields ask for the number pad", "ok: 设置解锁密码 is centred at 1024×768", "ok: the lock screen is centred at 800×1280",
        "ok: the lock screen is centred at 390×844", "ok: the reason typed: 临时加访请填写原因 is gone",
        "ok: a category chosen: 请选择问题分类 is gone", "ok: the first plan item is overdue or due now",
        "ok: completed plan items are folded away", "ok: the statuses read 已逾期 and 待访谈", "ok: 显示已完成 adds the completed items after",
        "ok: submitting with an unsaved problem asks first",
        "ok: 返回草稿 opens the draft", "ok: 立即同步 offline says so", "ok: 立即同步 with the server out of reach says so",
        "ok: 我的报告 names it the same", "ok: a click on the card below its header opens the report",
        "ok: 访谈情况综述 starts from the interview’s 访谈总结", "ok: reopened: what the cadre wrote is kept",
        "ok: the keyboard opens and closes the report",
    ):
        assert needle in output, output
    for name in ("1024x768-02-lock", "800x1280-02-lock", "390x844-01-pin-setup", "800x1280-03-plan-picker", "800x1280-06-report-open"):
        assert (shots_dir / f"{name}.png").is_file(), name

    # What the tablet sent: the walk-through with its place, submitted, and the problem saved from the draft.
    _, cadre = api_login(pwa_server, "cadre")
    rows = pull_rows(pwa_server, cadre)
    walk = [r for r in rows["interview"].values() if r.get("place") == "合成车间压缩机房"]
    assert len(walk) == 1 and walk[0]["status"] == "submitted", walk
    issues = [r for r in rows["issue"].values() if r["interview_id"] == walk[0]["id"]]
    assert [(i["category"], i["description"]) for i in issues] == [("business", "压缩机房夜间照明不足")], issues
