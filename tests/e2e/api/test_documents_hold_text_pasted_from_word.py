"""Text pasted from Word or WPS carries control characters XML cannot hold: the manual line break
(U+000B), the page break (U+000C), and now and then another C0 character. Stored as typed, they
made openpyxl and python-docx refuse the whole document, so one planted character in a problem
turned the ledger, the report, the agenda and the plan into a 500. Every document the server hands
out is written: the breaks as line breaks, the rest left out (server/platform/xmltext.py)."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from openpyxl import load_workbook

from tests.builders import company_today, followup_over_http, issue_args, new_id
from tests.e2e.api.test_xlsx_exports_write_text_never_formulas import ENDPOINTS, _plant

PASTED = "第一段\x0b第二段\x0c第三段\x01\x00\x1f完"
WRITTEN = "第一段\n第二段\n第三段完"


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_every_document_is_written_with_pasted_control_characters(client, data_dir) -> None:
    w = _plant(client, data_dir)  # every .xlsx export has rows to write
    cadre, hr, units = w["cadre"], w["hr"], w["units"]
    iid, issue = new_id(), new_id()
    res = cadre.push(
        ("interview.save", {"id": iid, "adhoc_reason": PASTED, "form": "walkthrough", "unit_id": units["甲醇生产车间"],
                            "started_at": "2025-09-29T09:00:00+08:00", "place": PASTED, "topics": ["business.2"],
                            "summary": PASTED, "status": "submitted", "participants": [{"post": PASTED, "name": "李师傅"}]}),
        ("issue.raise", issue_args(issue, iid, unit_ids=[units["合成班组"]], description=PASTED, solution=PASTED,
                                   owner=PASTED)),
        ("report.save", {"interview_id": iid, "title": "关于" + PASTED, "summary": PASTED}),
        ("report.submit", {"interview_id": iid}),
    )
    assert [r["status"] for r in res["results"]] == ["applied"] * 4, res
    followup_over_http(hr, issue, "escalate", text=PASTED)
    res = hr.push(("plan.save", {"id": new_id(), "scope": "company", "kind": "deep_review", "year": company_today().year,
                                 "cadre_id": cadre.user_id, "unit_id": units["合成班组"], "title": PASTED}))
    assert res["results"][0]["status"] == "applied", res

    today = company_today()
    params = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    for module, (path, period) in ENDPOINTS.items():
        if period == "roster":
            continue
        r = client.get(path, params=params if period else None, headers=hr.headers)
        assert r.status_code == 200, (module, r.status_code, r.text[:300])
        load_workbook(io.BytesIO(r.content))  # opens
        if module.endswith("ledger_xlsx") or module.endswith("plans.exports"):
            values = {c.value for ws in load_workbook(io.BytesIO(r.content)).worksheets
                      for row in ws.iter_rows() for c in row}
            assert any(isinstance(v, str) and WRITTEN in v for v in values), module

    documents = {
        "report": client.get(f"/api/exports/reports/{iid}", headers=hr.headers),
        "agenda": client.get("/api/exports/agenda", headers=hr.headers),
        "plan": client.get("/api/plans/export/docx", params={"year": today.year}, headers=hr.headers),
    }
    for name, r in documents.items():
        assert r.status_code == 200, (name, r.status_code, r.text[:300])
        assert WRITTEN in _docx_text(r.content), name
        xml = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
        assert not any(c in xml for c in "\x00\x01\x0b\x0c\x1f"), name

    # The archive bundle carries the issued report (of an interview without open problems).
    quiet = new_id()
    res = cadre.push(
        ("interview.save", {"id": quiet, "form": "individual", "unit_id": units["甲醇生产车间"], "adhoc_reason": PASTED,
                            "started_at": "2025-09-30T09:00:00+08:00", "place": "会议室", "topics": ["business.2"],
                            "summary": PASTED, "status": "submitted", "participants": [{"post": "班长", "name": "王"}]}),
        ("report.save", {"interview_id": quiet, "title": "关于" + PASTED, "summary": PASTED}),
        ("report.submit", {"interview_id": quiet}),
    )
    assert [r["status"] for r in res["results"]] == ["applied"] * 3, res
    r = client.post(f"/api/archives/{quiet}", headers=hr.headers)
    assert r.status_code == 201, r.text[:300]
    bundle = client.get(f"/api/archives/{quiet}", headers=hr.headers)
    assert bundle.status_code == 200, bundle.text[:300]
    report = zipfile.ZipFile(io.BytesIO(bundle.content)).read("report.docx")
    assert WRITTEN in _docx_text(report)
