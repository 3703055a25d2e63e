"""Exports (.docx/.xlsx) and the archive bundle over HTTP, each for the roles allowed to have it."""

import io
import zipfile
from urllib.parse import quote

from docx import Document
from openpyxl import load_workbook

from server.followup.archive import verify_bundle
from sync.ids import new_id
from tests.builders import api_device, bearer, demo_interview_with_problem, followup_over_http, login


def test_report_ledger_and_agenda_downloads_by_role(client) -> None:
    w = demo_interview_with_problem(client)
    iid = w["interview_id"]
    leader, handler, cadre2 = (bearer(login(client, u)) for u in ("leader", "handler", "cadre2"))
    r = client.get(f"/api/exports/reports/{iid}", headers=w["cadre"].headers)  # own report
    assert r.status_code == 200 and "attachment;" in r.headers["content-disposition"]
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "访谈情况报告" in [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    assert client.get(f"/api/exports/reports/{iid}", headers=leader).status_code == 200
    assert client.get(f"/api/exports/reports/{iid}", headers=cadre2).status_code == 404
    assert client.get(f"/api/exports/reports/{iid}", headers=handler).status_code == 404
    ledger = client.get("/api/exports/ledger", headers=w["hr"].headers)
    assert ledger.status_code == 200
    ws = load_workbook(io.BytesIO(ledger.content)).active
    assert ws["A1"].value == "问题整改台账" and ws["B2"].value == "问题描述"
    assert ws["B3"].value == "循环泵密封频繁泄漏" and ws.freeze_panes == "A3"
    assert client.get("/api/exports/ledger", headers=handler).status_code == 403
    assert client.get("/api/exports/ledger", headers=w["cadre"].headers).status_code == 403
    followup_over_http(w["hr"], w["issue_id"], "escalate", text="需公司决策")
    agenda = client.get("/api/exports/agenda", headers=leader)
    assert agenda.status_code == 200
    assert "循环泵密封频繁泄漏" in "\n".join(p.text for p in Document(io.BytesIO(agenda.content)).paragraphs)


def test_hr_archives_a_closed_interview_and_downloads_the_verified_bundle(client, tmp_path) -> None:
    w = demo_interview_with_problem(client)
    iid, issue, hr = w["interview_id"], w["issue_id"], w["hr"]
    r = client.post(f"/api/archives/{iid}", headers=hr.headers)
    assert r.status_code == 409 and "报告尚未提交" in r.json()["error"]["message"]
    assert w["cadre"].push(("report.submit", {"interview_id": iid}))["results"][0]["status"] == "applied"
    r = client.post(f"/api/archives/{iid}", headers=hr.headers)
    assert r.status_code == 409 and "未销号" in r.json()["error"]["message"]
    handler = api_device(client, "handler")
    followup_over_http(hr, issue, "assign", handler_unit_id=w["units"]["设备管理部"], due_date="2025-11-28")
    followup_over_http(handler, issue, "resolve", text="已更换机械密封")
    supervisor = login(client, "supervisor")["user"]["id"]
    photo = b"\x89PNG evidence of the new seal"
    import hashlib as _hashlib

    assert client.put(f"/api/blobs/{_hashlib.sha256(photo).hexdigest()}", content=photo,
                      headers=hr.headers).status_code == 201
    evidence = new_id()
    assert hr.push(("attachment.add", {"id": evidence, "parent_entity": "issue", "parent_id": issue,
                                       "sha256": _hashlib.sha256(photo).hexdigest(), "mime": "image/png",
                                       "size": len(photo)}))["results"][0]["status"] == "applied"
    assert followup_over_http(hr, issue, "close", evidence=[evidence], evidence_text="现场核实",
                              verifier_id=supervisor)["status"] == "applied"
    assert client.post(f"/api/archives/{iid}", headers=w["cadre"].headers).status_code == 403
    r = client.post(f"/api/archives/{iid}", headers=hr.headers)
    assert r.status_code == 201, r.text
    info = r.json()
    assert client.post(f"/api/archives/{iid}", headers=hr.headers).status_code == 409
    bundle = client.get(f"/api/archives/{iid}", headers=hr.headers)
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    # Filed by what it is (issue 17 point 7): 访谈归档-<date>-<place>-<form>.zip, RFC 5987 for the
    # Chinese name and an ASCII fallback, in one header.
    assert bundle.headers.get_list("content-disposition") == [
        f"attachment; filename=\"fangtan-archive-{iid}.zip\"; filename*=UTF-8''"
        + quote("访谈归档-2025-09-26-合成工段-现场走访.zip")]
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundle.content)
    assert verify_bundle(path) == [] and zipfile.ZipFile(path).read("report.docx")
    import hashlib

    assert hashlib.sha256(bundle.content).hexdigest() == info["sha256"]
    late = followup_over_http(handler, issue, "progress", text="补充进展")
    assert late["status"] == "rejected" and late["error"]["code"] == "archived"
    assert client.get(f"/api/archives/{iid}", headers=w["cadre"].headers).status_code == 403


def test_calendar_overrides_and_working_days(client) -> None:
    admin, cadre = bearer(login(client, "admin")), bearer(login(client, "cadre"))
    info = client.get("/api/calendar/", headers=cadre).json()
    lo, hi = info["library_years"]
    assert lo <= 2025 <= hi
    r = client.get("/api/calendar/working-days", params={"start": "2025-09-26", "days": 7}, headers=cadre)
    assert r.json()["date"] == "2025-10-13"
    unknown = client.get("/api/calendar/working-days", params={"start": f"{hi + 1}-03-02", "days": 7}, headers=cadre)
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "calendar.unknown"
    assert client.put(f"/api/calendar/years/{hi + 1}", json={"complete": True}, headers=cadre).status_code == 403
    assert client.put(f"/api/calendar/years/{hi + 1}", json={"complete": True, "note": "已录入"},
                      headers=admin).status_code == 200
    assert client.put(f"/api/calendar/overrides/{hi + 1}-03-03", json={"workday": False, "note": "厂休"},
                      headers=admin).status_code == 200
    r = client.get("/api/calendar/working-days", params={"start": f"{hi + 1}-03-02", "days": 1}, headers=cadre)
    assert r.status_code == 200 and r.json()["date"] != f"{hi + 1}-03-03"
    assert client.put("/api/calendar/overrides/not-a-date", json={"workday": False},
                      headers=admin).json()["error"]["field"] == "day"
    assert client.delete(f"/api/calendar/overrides/{hi + 1}-03-03", headers=admin).status_code == 204
