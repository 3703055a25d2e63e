"""HR plans a visit in the company plan; the cadre's tablet syncs, goes offline, starts the visit
from 我的访谈计划 and records it; back online the item shows done on the tablet and on HR's plan
(``pwa/scripts/plans.mjs``); the unit lead plans a 临时加访 with its reason. Then the server is
asked, independently of the script."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import httpx
import pytest

from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_visit_started_offline_from_its_plan_item_counts_as_done(pwa_server: LiveServer, shots_dir: Path) -> None:
    output = run_script("plans.mjs", pwa_server, shots_dir)
    for needle in (
        "ok: HR lands on 待办",
        "ok: the cadre’s tablet lists the synced item as 待访谈",
        "ok: offline, the new-interview form opens on the plan item",
        "ok: offline, the item shows 已完成 once the visit is submitted",
        "ok: back online, HR’s plan shows the item 已完成",
        "ok: an ad-hoc visit without a reason is refused in the form",
        "ok: the ad-hoc visit is in the unit plan with its reason",
    ):
        assert needle in output, output
    ids = re.search(r"plan_item_id=(\S+) interview_id=(\S+)", output)
    assert ids, output
    plan_id, interview_id = ids.groups()

    cadre, _ = api_login(pwa_server, "cadre")
    _, hr = api_login(pwa_server, "hr")
    rows = pull_rows(pwa_server, hr)
    item = rows["plan_item"][plan_id]
    assert (item["cadre_id"], item["scope"], item["kind"], item["status"]) == (
        cadre["user"]["id"],
        "company",
        "quarterly",
        "active",
    )
    iv = rows["interview"][interview_id]
    assert (iv["plan_item_id"], iv["status"], iv["unit_id"]) == (plan_id, "submitted", item["unit_id"])
    assert "rejection" not in rows or not rows["rejection"]
    year = dt.date.fromisoformat(item["window_end"]).year
    r = httpx.get(f"{pwa_server.url}/api/plans/completion", params={"year": year}, headers=hr, timeout=30)
    assert r.status_code == 200, r.text
    mine = [s for s in r.json() if s["item_id"] == plan_id]
    assert [(s["status"], s["interview_id"]) for s in mine] == [("done", interview_id)]
    adhoc = [r for r in rows["plan_item"].values() if r["kind"] == "adhoc"]
    assert [(r["scope"], r["reason"]) for r in adhoc] == [("unit", "精馏塔检修项目")]
    shots = sorted(p.stem for p in shots_dir.glob("*.png"))
    assert shots == [
        "01-hr-company-plan",
        "02-cadre-my-plan",
        "03-cadre-start-from-plan-offline",
        "04-cadre-done-offline",
        "05-hr-plan-done",
        "06-unit-lead-adhoc",
    ], shots
