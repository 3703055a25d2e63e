"""The follow-up loop in the PWA (issue 6 item 9), one browser profile per role
(``pwa/scripts/followup.mjs``): a problem raised offline on the cadre's tablet goes through the
report (first refused with field errors in Chinese, then submitted), HR's agenda (from the tracking
board) and assignment, the leader's decision, the handler's progress (with a photo) and resolution,
HR's close (销号); the cadre reopens it, the handler opens the notification on the problem's own page,
comments and resolves again; HR closes it and archives (refused offline with a clear message, then
done online); HR's late-report list matches the API; and the employee's receipt page ``/r/<code>`` on a
phone-sized viewport. The API then confirms the server's side."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from sync.ids import new_id
from tests.builders import api_device, units_by_name
from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def late_interview(server: LiveServer) -> str:
    """Another cadre's interview of 26 Sep 2025 with no report: late since 13 Oct 2025 (HR's late list)."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        cadre2 = api_device(client, "cadre2")
        units = units_by_name(client, cadre2.headers)
        iid = new_id()
        res = cadre2.push(
            (
                "interview.save",
                {
                    "id": iid,
                    "adhoc_reason": "班组交接班问题",
                    "form": "walkthrough",
                    "unit_id": units["甲醇生产车间"],
                    "started_at": "2025-09-26T09:00:00+08:00",
                    "place": "中控室",
                    "topics": ["business.2"],
                    "summary": "交接班记录不全",
                    "status": "submitted",
                    "participants": [{"post": "班长", "name": "赵师傅"}],
                },
            )
        )
        assert res["results"][0]["status"] == "applied", res
        return iid


def test_followup_loop_from_tablet_to_receipt_page(pwa_server: LiveServer, shots_dir: Path) -> None:
    late_iid = late_interview(pwa_server)
    output = run_script("followup.mjs", pwa_server, shots_dir, timeout=420)
    for needle in (
        "ok: refused submit: 责任人 error at its field",
        "ok: report submitted after completing the fields",
        "ok: assigned (status 已交办 after sync)",
        "ok: the opened report stays open while the overlay changes under it",
        "ok: leader decision in the timeline",
        "ok: closed (已销号)",
        "ok: board: 列入议题 marks the problem and is offered once only",
        "ok: cadre reopens a closed problem: back to 整改中",
        "ok: reopen notification opens the problem page: 整改中 with the reason in the timeline",
        "ok: closed again after the reopen",
        "ok: archive offline: clear message",
        "ok: archived (archive row pulled)",
        "ok: with the service worker installed, /r/ is the server page",
        "ok: receipt page on a phone: 已办结 (销号)",
    ):
        assert needle in output, output

    _, headers = api_login(pwa_server, "hr")
    rows = pull_rows(pwa_server, headers)
    [issue] = [i for i in rows["issue"].values() if "更衣室热水" in (i["description"] or "")]
    assert issue["status"] == "closed" and issue["major"], issue
    kinds = [
        f["kind"]
        for f in sorted(rows["followup"].values(), key=lambda f: f["created_at"])
        if f["issue_id"] == issue["id"]
    ]
    assert kinds == [
        "escalate",
        "assign",
        "comment",
        "decide",
        "progress",
        "resolve",
        "close",
        "reopen",
        "comment",
        "resolve",
        "close",
    ], kinds
    closes = [f for f in rows["followup"].values() if f["issue_id"] == issue["id"] and f["kind"] == "close"]
    assert all(f["verifier_id"] and f["evidence_text"] for f in closes)
    late = httpx.get(f"{pwa_server.url}/api/followup/late-reports", headers=headers, timeout=30).json()
    shown = re.search(r"late report list: (\d+) cadre\(s\), (\d+) report\(s\)", output)
    assert shown and (int(shown[1]), int(shown[2])) == (
        len(late["cadres"]),
        sum(len(c["reports"]) for c in late["cadres"]),
    )
    assert late_iid in [r["interview_id"] for c in late["cadres"] for r in c["reports"]]
    assert "ok: late report shows the days overdue" in output
    report = rows["report"][issue["interview_id"]]
    assert report["status"] == "submitted" and report["title"] == "甲醇生产车间职工访谈情况报告"
    assert issue["interview_id"] in rows["archive"]
    photos = [a for a in rows["attachment"].values() if a["parent_entity"] == "followup"]
    assert (
        len(photos) == 1
        and httpx.head(f"{pwa_server.url}/api/blobs/{photos[0]['sha256']}", headers=headers, timeout=30).status_code
        == 200
    )
    r = httpx.get(f"{pwa_server.url}/r/{issue['receipt_code']}", timeout=30)
    assert r.status_code == 200 and "已办结" in r.text

    for name in (
        "40-cadre-report-offline",
        "41-cadre-report-errors",
        "42-cadre-progress",
        "43-hr-inbox",
        "44-hr-assign",
        "45-hr-board",
        "46-hr-overdue",
        "46b-hr-late-reports",
        "47-leader-agenda",
        "48-handler-notifications",
        "49-handler-tasks",
        "50a-cadre-reopened",
        "50b-handler-problem-page",
        "50-hr-archive-offline",
        "51-hr-archived",
        "52-cadre-timeline",
        "53-phone-receipt",
    ):
        assert (shots_dir / f"{name}.png").is_file(), name
