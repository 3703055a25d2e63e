"""Submitted records are not silently edited (issue 13 point 9), in Chromium (``pwa/scripts/amend.mjs``):
a cadre's interview is submitted and signed (over the API, with a real ECDSA signature); HR and the
supervisor get a read-only screen that says why; the cadre gives a reason and amends the summary; the
history and 签名后已修改 show on the cadre's and HR's screens. The API then confirms the amendment."""

from __future__ import annotations

from pathlib import Path

import httpx
import msgspec
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from sync import signing
from sync.entities import InterviewRow
from sync.ids import new_id
from tests.builders import api_device, units_by_name
from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def signed_interview(server: LiveServer) -> str:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        cadre = api_device(client, "cadre")
        units = units_by_name(client, cadre.headers)
        key, kid, iid = ec.generate_private_key(ec.SECP256R1()), new_id(), new_id()
        res = cadre.push(
            ("key.publish", {"id": kid, "purpose": "signing", "public_key": signing.public_key_b64(key)}),
            ("interview.save", {"id": iid, "adhoc_reason": "设备故障后临时加访", "form": "walkthrough",
                                "unit_id": units["甲醇生产车间"], "started_at": "2025-11-03T09:00:00+08:00",
                                "ended_at": "2025-11-03T10:00:00+08:00", "place": "合成工段",
                                "topics": ["business.2"], "summary": "循环泵密封问题突出",
                                "participants": [{"post": "操作工", "name": "李师傅"}], "status": "submitted"}),
        )
        assert [r["status"] for r in res["results"]] == ["applied", "applied"], res
        row = cadre.pull_all()[("interview", iid)]
        document = signing.document_for(msgspec.convert(row, InterviewRow), [])
        signature = signing.sign(key, signing.canonical_bytes(document))
        res = cadre.push(("interview.sign", {"id": new_id(), "interview_id": iid, "key_id": kid,
                                             "document": document, "signature": signature}))
        assert res["results"][0]["status"] == "applied", res
        return iid


def test_only_the_cadre_amends_a_submitted_interview_in_the_pwa(pwa_server: LiveServer, shots_dir: Path) -> None:
    iid = signed_interview(pwa_server)
    output = run_script("amend.mjs", pwa_server, shots_dir, iid, timeout=240)
    for needle in ("ok: hr: the screen says why", "ok: supervisor: no save or amend button", "ok: an empty reason is refused",
                   "ok: cadre: 签名后已修改", "ok: HR: the history names who, which field and why"):
        assert needle in output, output
    cadre, headers = api_login(pwa_server, "cadre")
    [interview] = [r for r in pull_rows(pwa_server, headers)["interview"].values() if r["id"] == iid]
    [entry] = interview["amendments"]
    assert entry["author_id"] == cadre["user"]["id"] and entry["reason"] == "补记会后职工反映的备件短缺"
    assert entry["before"]["summary"] == "循环泵密封问题突出" and "备件短缺" in interview["summary"]
