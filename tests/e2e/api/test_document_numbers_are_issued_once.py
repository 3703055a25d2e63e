"""发文字号 (issue 17 point 6): the configured prefix and issuing organ, a yearly sequence stored in the
database, taken once per document on its first export and printed the same on every re-export (and in
the archive bundle); a draft report and a refused export take no number."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings
from tests.builders import bearer, company_today, demo_interview_with_problem, followup_over_http, login

ORGAN = "西北能化公司人力资源部"


@pytest.fixture
def numbered_client(data_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    env = {"FANGTAN_DOCUMENT_NUMBER_PREFIX": "西北能化人", "FANGTAN_DOCUMENT_ISSUER": ORGAN}
    settings = Settings.from_env(environ=env, data_dir=data_dir, static_dir=tmp_path / "no-pwa")
    with TestClient(create_app(settings)) as client:
        yield client


def _texts(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_each_document_keeps_the_number_it_got_first(numbered_client: TestClient) -> None:
    client = numbered_client
    year = company_today().year
    w = demo_interview_with_problem(client)
    hr, iid = w["hr"].headers, w["interview_id"]
    draft = _texts(client.get(f"/api/exports/reports/{iid}", headers=hr).content)
    assert draft[0] == ORGAN and not any("〕" in t for t in draft)  # a draft has no 发文字号
    assert client.get(f"/api/exports/reports/{iid}", headers=bearer(login(client, "cadre2"))).status_code == 404
    res = w["cadre"].push(("report.submit", {"interview_id": iid}))
    assert res["results"][0]["status"] == "applied", res

    first = _texts(client.get(f"/api/exports/reports/{iid}", headers=hr).content)
    assert first[0] == ORGAN and f"西北能化人〔{year}〕1号" in first  # the refused export took none
    assert "公司领导：" in first
    followup_over_http(w["hr"], w["issue_id"], "escalate", text="需公司决策")
    agenda = _texts(client.get("/api/exports/agenda", headers=hr).content)
    assert f"西北能化人〔{year}〕2号" in agenda and agenda[-1].endswith("日") and agenda[-2] == ORGAN
    # Again, by someone else: the same numbers.
    leader = bearer(login(client, "leader"))
    assert f"西北能化人〔{year}〕1号" in _texts(client.get(f"/api/exports/reports/{iid}", headers=leader).content)
    assert f"西北能化人〔{year}〕2号" in _texts(client.get("/api/exports/agenda", headers=leader).content)
    # HR's plan is the next document; a unit lead's working copy takes no number.
    assert f"西北能化人〔{year}〕3号" in _texts(
        client.get("/api/plans/export/docx", params={"year": year}, headers=hr).content)
    lead = _texts(client.get("/api/plans/export/docx", params={"year": year},
                             headers=bearer(login(client, "unitlead"))).content)
    assert lead[0] == ORGAN and not any("〕" in t for t in lead)
    assert f"西北能化人〔{year}〕3号" in _texts(
        client.get("/api/plans/export/docx", params={"year": year}, headers=hr).content)
