"""Issue 17 points 5 and 7 in real Chromium at 1440×900 zh-CN, per role (``pwa/scripts/decisionCards.mjs``):
HR, the leader and the handler see 建议解决方案 on the problem's card, leaders the report's 访谈情况综述
where they decide and read, and a timeline that says who took each step (name · role, a handler by
department — the users' public directory every role pulls; participants never appear) and to which
department, owner and due date a problem was assigned. HR's 交办 sheet refuses a due date before the
interview at once, and HR's 销号 sheet offers only plausible verifiers, never the closer. The API then
confirms that the refused due date never reached the server."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.builders import demo_interview_with_problem, followup_over_http
from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_problem_cards_carry_what_a_decision_needs(pwa_server: LiveServer, shots_dir: Path) -> None:
    with httpx.Client(base_url=pwa_server.url, timeout=30, verify=pwa_server.verify) as client:
        w = demo_interview_with_problem(client)  # 2025-09-26, 甲醇生产车间 / 合成班组, cadre 刘海涛
        assert w["cadre"].push(("report.submit", {"interview_id": w["interview_id"]}))["results"][0]["status"] == "applied"
        assert followup_over_http(w["hr"], w["issue_id"], "escalate", text="涉及备件采购，需经理层决策")["status"] == "applied"
    output = run_script("decisionCards.mjs", pwa_server, shots_dir, w["issue_id"], "2025-09-26", timeout=300)
    for needle in ("ok: HR: a due date before the interview is refused at once",
                   "ok: leader: the agenda card carries the report's 访谈情况综述",
                   "ok: handler: the timeline says who assigned it and to which department",
                   "ok: HR: 销号 offers the leader and the supervision group, then the interview's cadre"):
        assert needle in output, output
    _, headers = api_login(pwa_server, "hr")
    followups = pull_rows(pwa_server, headers).get("followup", {}).values()
    assigns = [r for r in followups if r["issue_id"] == w["issue_id"] and r["kind"] == "assign"]
    assert [a["due_date"] for a in assigns] == ["2025-11-28"]  # one assignment, the corrected date
