"""Issue 16 point 4: no English in a Chinese screen. ``pwa/scripts/chinese-only.mjs`` signs in as
every demo role (cadre, HR, leader, handler, unit lead, supervisor, officer, admin) in zh-CN and
visits every route of ``pwa/src/router.ts`` — read from the router's source, so screens added later
are crawled too — with every tab opened, and fails on any Latin word outside
``pwa/scripts/latin-whitelist.json`` (or an ISO week like 2026-W49), naming role, route and words.

The world it crawls has content on every kind of screen: a submitted interview with a problem
(its receipt code), the report submitted, the problem assigned to the handler, and a refusal in the
cadre's 被退回 — written by the server in the pusher's language (zh-CN), so that text is judged too."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from sync.ids import new_id
from tests.builders import demo_interview_with_problem, followup_over_http, units_by_name
from tests.e2e.browser.conftest import run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _world(server: LiveServer) -> dict[str, str]:
    with httpx.Client(base_url=server.url, timeout=30, verify=server.verify) as client:
        w = demo_interview_with_problem(client)
        cadre, hr = w["cadre"], w["hr"]
        r = cadre.push(("report.submit", {"interview_id": w["interview_id"]}))["results"][0]
        assert r["status"] == "applied", r
        handler_unit = units_by_name(client, hr.headers)["设备管理部"]
        assert followup_over_http(hr, w["issue_id"], "assign", handler_unit_id=handler_unit, owner="孙伟",
                                  due_date="2025-11-28")["status"] == "applied"
        # A refusal for the cadre's 被退回: a group interview with two people (the rule is 3-5).
        refused = cadre.push(("interview.save", {
            "id": new_id(), "adhoc_reason": "临时加访", "form": "group", "theme": "班组座谈",
            "unit_id": w["units"]["甲醇生产车间"], "started_at": "2025-09-27T09:00:00+08:00", "topics": ["business.2"],
            "summary": "座谈", "status": "submitted",
            "participants": [{"post": "操作工", "name": "甲"}, {"post": "班长", "name": "乙"}]}))["results"][0]
        assert refused["status"] == "rejected" and refused["error"]["message"] == "小组座谈须有 3-5 名参加人", refused
        return {"interview": w["interview_id"], "issue": w["issue_id"]}


def test_every_zh_cn_screen_of_every_role_is_chinese_only(pwa_server: LiveServer, shots_dir: Path) -> None:
    ids = _world(pwa_server)
    output = run_script("chinese-only.mjs", pwa_server, shots_dir, json.dumps(ids), timeout=1500)
    assert "ok: every route visited or excluded with a reason" in output, output
    assert "ok: no Latin word outside the whitelist" in output, output
    assert (shots_dir / "cadre-interview.png").is_file() and (shots_dir / "officer-remarks.png").is_file()
