"""Issue 16 point 4, in the browser: a language picked offline under 同步与存储 reaches the server with
the next sync, and the notifications written afterwards — the inbox row the PWA shows, the Web Push
built from it — are in that language; the other recipients keep theirs (``notice-language.mjs``)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.builders import api_device, demo_interview_with_problem
from tests.e2e.browser.conftest import run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _inbox(device, kind: str) -> list[dict]:
    rows = [row for (entity, _), row in device.pull_all().items() if entity == "notification" and row
            and row["kind"] == kind]
    return sorted(rows, key=lambda r: r["created_at"])


def test_notifications_follow_the_language_the_reader_picked_offline(pwa_server: LiveServer, shots_dir: Path) -> None:
    with httpx.Client(base_url=pwa_server.url, timeout=30, verify=pwa_server.verify) as client:
        first = demo_interview_with_problem(client)
        second = demo_interview_with_problem(client, started="2025-09-29T09:00:00+08:00")
        hr, leader = first["hr"], api_device(client, "leader")

        def submit(w) -> None:
            r = w["cadre"].push(("report.submit", {"interview_id": w["interview_id"]}))["results"][0]
            assert r["status"] == "applied", r

        def submit_report() -> None:
            assert client.get("/api/me", headers=hr.headers).json()["locale"] == "en"  # told by the sync
            submit(first)

        def check_chinese() -> None:
            assert client.get("/api/me", headers=hr.headers).json()["locale"] == "zh-CN"
            submit(second)

        output = run_script("notice-language.mjs", pwa_server, shots_dir, timeout=300,
                            controls={"submit-report": submit_report, "check-chinese": check_chinese})
        assert "ok: the report's notification reads English" in output, output
        to_hr, to_leader = _inbox(hr, "report_submitted"), _inbox(leader, "report_submitted")
    assert [n["title"] for n in to_hr] == ["Interview report submitted", "访谈情况报告已提交"], to_hr
    assert [n["title"] for n in to_leader] == ["访谈情况报告已提交"] * 2, to_leader  # never chose: zh-CN
    assert (shots_dir / "notice-english.png").is_file()
