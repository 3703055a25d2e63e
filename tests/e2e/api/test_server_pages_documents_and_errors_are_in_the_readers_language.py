"""Issue 16 point 4, the server's half: everything it writes for people is Chinese only for a zh-CN
reader — the pages it renders (/r/<code> known, unknown and rate-limited; /ca with and without a
private CA), the Chinese documents it exports (.xlsx ledgers, plan, assessment and dashboard sheets;
.docx report, agenda and plan: every cell and paragraph), the Web Push payload, and error envelopes —
while a reader who asks for English (Accept-Language, which the PWA sends from its language setting)
gets English error messages, also inside a push's refusal stored for 被退回. Latin words are judged by
``sync.errors.latin_words`` (whitelist shared with the browser crawl); data — receipt codes, ids,
dates, file names, addresses — is stripped first."""

from __future__ import annotations

import io
import re

from docx import Document
from openpyxl import load_workbook

from server.platform.channels import Message
from server.web.ca import render_ca_page
from sync.errors import latin_words
from sync.ids import new_id
from tests.builders import api_device, company_today, demo_interview_with_problem, followup_over_http

CJK = re.compile(r"[\u4e00-\u9fff]")
DATA = [re.compile(p) for p in (
    r"https?://\S+", r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b",
    r"[\w.-]+\.(?:xlsx|docx|zip|csv|crt)\b", r"\b\d{4}-\d{2}-\d{2}(?:T[\d:.+]+)?\b",
    r"\b(?:[0-9A-F]{2}:){7,}[0-9A-F]{2}\b",  # a certificate's fingerprint
)]
ISO_WEEK = re.compile(r"\b\d{4}-W\d{1,2}\b")


def offending(text: str) -> list[str]:
    weeks = ISO_WEEK.findall(text)
    for pattern in DATA:
        text = pattern.sub(" ", text)
    return weeks + latin_words(text)


def page_text(html: str) -> str:
    """What a person reads: the text and the title, not the markup, the style or an inline SVG."""
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    title = re.findall(r"<title>(.*?)</title>", html, flags=re.S)
    return " ".join(title) + " " + re.sub(r"<[^>]+>", " ", html)


def xlsx_texts(content: bytes) -> list[str]:
    """Every text cell, but the values of a 工号 column (account names are data, e.g. the demo's ``cadre``)."""
    wb = load_workbook(io.BytesIO(content))
    out = []
    for ws in wb.worksheets:
        data_columns: set[int] = set()
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str):
                    continue
                if c.column in data_columns:
                    continue
                if c.value.endswith("工号"):
                    data_columns.add(c.column)
                out.append(c.value)
    return out


def docx_texts(content: bytes) -> list[str]:
    doc = Document(io.BytesIO(content))
    texts = [p.text for p in doc.paragraphs]
    texts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    texts += [p.text for section in doc.sections for p in [*section.header.paragraphs, *section.footer.paragraphs]]
    return texts


def test_receipt_pages_and_the_ca_page_are_chinese_only(client, settings) -> None:
    w = demo_interview_with_problem(client)
    known = client.get(f"/r/{w['receipt_code']}")
    assert known.status_code == 200 and CJK.search(known.text)
    unknown = client.get("/r/ZZZZ-ZZZZ")
    assert unknown.status_code == 404 and "没有找到这个回执码" in unknown.text
    pages = {"known": known.text, "unknown": unknown.text}
    for _ in range(settings.receipt_max_misses_per_address + 1):
        limited = client.get("/r/2222-2222")
    assert limited.status_code == 429
    pages["rate-limited"] = limited.text
    no_ca = client.get("/ca")
    assert no_ca.status_code == 200 and "无需安装证书" in no_ca.text
    pages["ca without a private CA"] = no_ca.text
    pages["ca with the plant CA"] = render_ca_page(_ca_pem(), "https://fangtan.example/ca/fangtan-ca.crt")
    bad = {name: offending(page_text(html)) for name, html in pages.items()}
    assert bad == dict.fromkeys(pages, [])


def test_every_exported_document_is_chinese_only(client) -> None:
    w = demo_interview_with_problem(client)
    iid, issue, hr = w["interview_id"], w["issue_id"], w["hr"]
    assert w["cadre"].push(("report.submit", {"interview_id": iid}))["results"][0]["status"] == "applied"
    leader = api_device(client, "leader")
    unit = w["units"]["甲醇生产车间"]
    year = company_today().year
    assert hr.push(("plan.save", {"id": new_id(), "year": year, "scope": "company", "kind": "quarterly", "quarter": 1,
                                  "cadre_id": w["cadre"].user_id, "unit_id": unit, "title": "一季度走访"}))[
        "results"][0]["status"] == "applied"
    followup_over_http(hr, issue, "escalate", text="需公司决策")
    quarter = {"year": 2025, "quarter": 3}
    documents = {
        "report.docx": (client.get(f"/api/exports/reports/{iid}", headers=w["cadre"].headers), docx_texts),
        "ledger.xlsx": (client.get("/api/exports/ledger", headers=hr.headers), xlsx_texts),
        "agenda.docx": (client.get("/api/exports/agenda", headers=leader.headers), docx_texts),
        "plan.xlsx": (client.get("/api/plans/export/xlsx", params={"year": year}, headers=hr.headers), xlsx_texts),
        "plan.docx": (client.get("/api/plans/export/docx", params={"year": year}, headers=hr.headers), docx_texts),
        "assessment.xlsx": (client.get("/api/assessment/export", params=quarter, headers=hr.headers), xlsx_texts),
        "dashboards.xlsx": (client.get("/api/dashboards/export", params=quarter, headers=leader.headers), xlsx_texts),
    }
    bad = {}
    for name, (response, texts_of) in documents.items():
        assert response.status_code == 200, (name, response.text[:300])
        texts = texts_of(response.content)
        assert any(CJK.search(t) for t in texts), name  # the reader found the document's Chinese
        words = sorted({word for t in texts for word in offending(t)})
        if words:
            bad[name] = words
    assert bad == {}


def test_the_web_push_payload_carries_only_the_notifications_chinese() -> None:
    payload = Message("n1", "closed", "问题已销号，请向职工反馈", "循环泵密封频繁泄漏", "issue", new_id()).payload()
    people_read = [payload["title"], payload["body"]]
    assert all(offending(t) == [] for t in people_read), payload


def test_error_messages_follow_the_readers_language(client) -> None:
    cadre = api_device(client, "cadre")
    zh = client.get("/api/no-such-thing", headers=cadre.headers).json()["error"]
    en = client.get("/api/no-such-thing", headers={**cadre.headers, "Accept-Language": "en-US,en;q=0.9"}).json()["error"]
    assert zh["code"] == en["code"] == "not_found"
    assert CJK.search(zh["message"]) and offending(zh["message"]) == [], zh
    assert not CJK.search(en["message"]) and "no such resource" in en["message"], en
    bad_login = client.post("/api/auth/login", json={"username": "cadre", "password": 1, "device_name": "x"}).json()
    assert offending(bad_login["error"]["message"]) == [] and "`password`" in bad_login["error"]["message"], bad_login

    group = {"id": new_id(), "adhoc_reason": "临时加访", "form": "group", "theme": "班组座谈",
             "unit_id": _units(client, cadre)["甲醇生产车间"], "started_at": "2025-09-27T09:00:00+08:00",
             "topics": ["business.2"], "summary": "座谈", "status": "submitted",
             "participants": [{"post": "操作工", "name": "甲"}, {"post": "班长", "name": "乙"}]}
    r = cadre.push(("interview.save", group))["results"][0]
    assert r["status"] == "rejected" and r["error"]["message"] == "小组座谈须有 3-5 名参加人", r
    english = client.post("/api/sync/push", json=cadre.body(("interview.save", {**group, "id": new_id()})),
                          headers={**cadre.headers, "Accept-Language": "en"}).json()["results"][0]
    assert english["error"]["message"] == "group needs 3-5 participants", english
    stored = {row["error"]["message"] for (entity, _), row in cadre.pull_all().items() if entity == "rejection" and row}
    assert stored == {"小组座谈须有 3-5 名参加人", "group needs 3-5 participants"}  # 被退回, in the pusher's language


def test_a_user_who_chose_english_is_notified_in_english_and_the_others_in_chinese(client) -> None:
    w = demo_interview_with_problem(client)
    hr, leader = w["hr"], api_device(client, "leader")
    assert client.get("/api/me", headers=hr.headers).json()["locale"] is None  # never chose: zh-CN
    for bad, field in (({"locale": "fr"}, "locale"), ({"locale": 1}, "locale"), ({}, "locale"),
                       ({"locale": "en", "x": 1}, "x")):
        r = client.put("/api/me/locale", json=bad, headers=hr.headers)
        assert r.status_code == 400 and r.json()["error"]["field"] == field, r.text
    assert client.get("/api/me", headers=hr.headers).json()["locale"] is None  # nothing half-applied
    r = client.put("/api/me/locale", json={"locale": "en"}, headers=hr.headers)
    assert r.status_code == 200 and r.json() == {"locale": "en"}
    assert client.get("/api/me", headers=hr.headers).json()["locale"] == "en"
    assert w["cadre"].push(("report.submit", {"interview_id": w["interview_id"]}))["results"][0]["status"] == "applied"

    def inbox(device) -> list[dict]:
        return [row for (entity, _), row in device.pull_all().items() if entity == "notification" and row
                and row["kind"] == "report_submitted"]

    [to_hr], [to_leader] = inbox(hr), inbox(leader)
    assert to_hr["title"] == "Interview report submitted", to_hr
    cadre_name = client.get("/api/me", headers=w["cadre"].headers).json()["user"]["name"]
    assert not CJK.search(to_hr["body"].replace(cadre_name, "")), to_hr
    assert to_leader["title"] == "访谈情况报告已提交" and offending(to_leader["body"]) == [], to_leader
    # Back to Chinese: the next notification is Chinese again; the one sent keeps its words.
    assert client.put("/api/me/locale", json={"locale": "zh-CN"}, headers=hr.headers).status_code == 200
    assert client.get("/api/me", headers=hr.headers).json()["locale"] == "zh-CN"
    assert inbox(hr)[0]["title"] == "Interview report submitted"


def _units(client, device) -> dict[str, str]:
    return {u["name"]: u["id"] for u in client.get("/api/org/units", headers=device.headers).json()}


def _ca_pem() -> bytes:
    """A self-signed CA certificate, as ``fangtan tls init`` would make."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "访谈系统 CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)
