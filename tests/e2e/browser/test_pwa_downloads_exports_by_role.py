"""Exports downloaded from the PWA by the roles that may have them (``pwa/scripts/exports.mjs``):
the report .docx (HR, a leader, the interview's cadre, from the report's page), the ledger .xlsx
and the agenda .docx (HR, leaders). The saved files are read back here with python-docx and
openpyxl; a handler gets no buttons in the app and 403/404 from the API."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook

from tests.builders import demo_interview_with_problem, followup_over_http
from tests.e2e.browser.conftest import api_login, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LEDGER_HEADER = [
    "序号",
    "问题描述",
    "涉及单位",
    "类别",
    "整改措施",
    "责任部门",
    "责任人",
    "完成时限",
    "整改进度",
    "状态",
    "销号",
]


def _text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_report_ledger_and_agenda_download_from_the_app_by_role(pwa_server: LiveServer, shots_dir: Path) -> None:
    with httpx.Client(base_url=pwa_server.url, timeout=30) as client:
        w = demo_interview_with_problem(client)
        submitted = w["cadre"].push(("report.submit", {"interview_id": w["interview_id"]}))
        assert submitted["results"][0]["status"] == "applied", submitted
        assert followup_over_http(w["hr"], w["issue_id"], "escalate", text="涉及资金，提请经理层会议研究")["status"] == "applied"

    output = run_script("exports.mjs", pwa_server, shots_dir, w["interview_id"], timeout=300)
    for needle in (
        "ok: HR downloads the report (.docx) from the report page",
        "ok: HR downloads the ledger (.xlsx)",
        "ok: leader downloads the agenda (.docx)",
        "ok: the interview’s cadre downloads their report (.docx)",
        "ok: handler: no ledger or agenda download button",
        "ok: handler: the report is not on the device, no download button",
    ):
        assert needle in output, output

    for name in ("hr-report.docx", "leader-report.docx", "cadre-report.docx"):
        doc = Document(str(shots_dir / name))
        texts = [p.text for p in doc.paragraphs]  # 版头 (organ, 发文字号), then the title
        assert texts[0].endswith("人力资源部（党群部）") and "访谈情况报告" in texts, name
        assert "循环泵密封频繁泄漏" in _text(shots_dir / name), name
    for name in ("hr-agenda.docx", "leader-agenda.docx"):
        text = _text(shots_dir / name)
        assert "经理层会议议题" in text and "循环泵密封频繁泄漏" in text, name
    ws = load_workbook(shots_dir / "hr-ledger.xlsx").active
    assert [c.value for c in ws[2]][: len(LEDGER_HEADER)] == LEDGER_HEADER
    assert "循环泵密封频繁泄漏" in [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)]

    _, handler = api_login(pwa_server, "handler")
    for path in ("/api/exports/ledger", "/api/exports/agenda"):
        r = httpx.get(pwa_server.url + path, headers=handler, timeout=30)
        assert r.status_code == 403 and r.json()["error"]["code"] == "auth.forbidden", (path, r.text)
    r = httpx.get(f"{pwa_server.url}/api/exports/reports/{w['interview_id']}", headers=handler, timeout=30)
    assert r.status_code == 404  # not theirs: not even its existence is told
