"""Plans and supervision over HTTP, by role: HR plans company visits and a unit lead only their own
unit's; completion is filtered to what the caller may see; only supervisors commit, reveal and
record findings; bad input gets a typed 4xx naming the problem."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from litestar.testing import TestClient

from sync.ids import new_id
from tests.builders import ApiDevice, api_device, company_today

YEAR = company_today().year
QUARTER = (company_today().month - 1) // 3 + 1


def units(client: TestClient, d: ApiDevice) -> dict[str, str]:
    return {u["name"]: u["id"] for u in client.get("/api/org/units", headers=d.headers).json()}


def plan_item(d: ApiDevice, cadre_id: str, unit_id: str, **extra) -> tuple[str, dict]:
    pid = new_id()
    args = {
        "id": pid,
        "scope": "company",
        "kind": "quarterly",
        "year": YEAR,
        "quarter": QUARTER,
        "cadre_id": cadre_id,
        "unit_id": unit_id,
        **extra,
    }
    return pid, d.push(("plan.save", args))["results"][0]


def test_plans_by_role(client: TestClient) -> None:
    hr, lead, cadre, cadre2 = (api_device(client, u) for u in ("hr", "unitlead", "cadre", "cadre2"))
    u = units(client, hr)
    pid, r = plan_item(hr, cadre.user_id, u["甲醇生产车间"])
    assert r["status"] == "applied", r
    _, r = plan_item(lead, cadre.user_id, u["甲醇生产车间"])
    assert r["status"] == "rejected" and r["error"]["code"] == "auth.forbidden"
    _, r = plan_item(lead, cadre.user_id, u["合成班组"], scope="unit", kind="monthly", quarter=None, month=1)
    assert r["status"] == "applied", r
    _, r = plan_item(lead, cadre.user_id, u["热电车间"], scope="unit", kind="monthly", quarter=None, month=1)
    assert r["status"] == "rejected" and r["error"]["code"] == "auth.forbidden"
    other, _ = plan_item(hr, cadre2.user_id, u["热电车间"])

    mine = client.get("/api/plans/completion", params={"year": YEAR}, headers=cadre.headers)
    assert mine.status_code == 200, mine.text
    assert pid in {s["item_id"] for s in mine.json()} and other not in {s["item_id"] for s in mine.json()}
    assert {s["status"] for s in mine.json()} <= {"planned", "missed"}
    all_items = client.get("/api/plans/completion", params={"year": YEAR}, headers=hr.headers).json()
    assert {pid, other} <= {s["item_id"] for s in all_items}
    summary = client.get("/api/plans/summary", params={"year": YEAR, "by": "cadre"}, headers=hr.headers).json()
    assert {c["key"] for c in summary} >= {cadre.user_id, cadre2.user_id}

    assert client.get("/api/plans/coverage", params={"year": YEAR}, headers=cadre.headers).status_code == 403
    cov = client.get("/api/plans/coverage", params={"year": YEAR}, headers=hr.headers)
    assert cov.status_code == 200 and any(w["kind"] == "deep_review" for w in cov.json())
    lead_cov = client.get("/api/plans/coverage", params={"year": YEAR}, headers=lead.headers).json()
    assert {w["kind"] for w in lead_cov} == {"unit_month", "cadre_unit_quarter"}  # only about their units
    assert {w["unit_id"] for w in lead_cov} <= {u["甲醇生产车间"], u["合成班组"], u["精馏班组"]}

    bad = client.get("/api/plans/completion", params={"year": 1800}, headers=hr.headers)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "year"
    bad = client.get("/api/plans/summary", params={"year": YEAR, "by": "weekday"}, headers=hr.headers)
    assert bad.status_code == 400


def test_supervision_by_role_and_bad_input(client: TestClient) -> None:
    sup, hr, cadre = (api_device(client, u) for u in ("supervisor", "hr", "cadre"))
    seed = secrets.token_hex(32)
    today = company_today()
    body = {
        "period_start": (today - dt.timedelta(days=3)).isoformat(),
        "period_end": today.isoformat(),
        "rate": 0.5,
        "seed_sha256": hashlib.sha256(bytes.fromhex(seed)).hexdigest(),
    }
    for who in (hr, cadre):
        assert client.post("/api/supervision/draws", json=body, headers=who.headers).status_code == 403
    r = client.post("/api/supervision/draws", json=body, headers=sup.headers)
    assert r.status_code == 201, r.text
    draw = r.json()
    assert draw["seed"] is None and draw["seed_sha256"] == body["seed_sha256"]
    assert client.get("/api/supervision/draws", headers=hr.headers).status_code == 200
    assert client.get("/api/supervision/draws", headers=cadre.headers).status_code == 403

    early = client.post(f"/api/supervision/draws/{draw['id']}/reveal", json={"seed": seed}, headers=sup.headers)
    assert early.status_code == 422 and early.json()["error"]["code"] == "supervision.reveal_too_early"
    no_sample = client.get(f"/api/supervision/draws/{draw['id']}/sample", headers=sup.headers)
    assert no_sample.status_code == 422 and no_sample.json()["error"]["code"] == "supervision.not_revealed"
    finding = client.post(
        f"/api/supervision/draws/{draw['id']}/findings",
        headers=sup.headers,
        json={"entity": "interview", "item_id": new_id(), "verdict": "formalism", "opinion": "x"},
    )
    assert finding.status_code == 422 and finding.json()["error"]["code"] == "supervision.not_revealed"
    bad_verdict = client.post(
        f"/api/supervision/draws/{draw['id']}/findings",
        headers=sup.headers,
        json={"entity": "interview", "item_id": new_id(), "verdict": "bad"},
    )
    assert bad_verdict.status_code == 400
    unknown = client.post(f"/api/supervision/draws/{new_id()}/reveal", json={"seed": seed}, headers=sup.headers)
    assert unknown.status_code == 404

    late = {**body, "period_start": "2020-01-01", "period_end": "2020-03-31"}
    r = client.post("/api/supervision/draws", json=late, headers=sup.headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "supervision.commit_too_late"
    r = client.post("/api/supervision/draws", json={**body, "seed_sha256": "xyz"}, headers=sup.headers)
    assert r.status_code == 400 and r.json()["error"]["field"] == "seed_sha256"
    r = client.post("/api/supervision/draws", json={**body, "extra": 1}, headers=sup.headers)
    assert r.status_code == 400

    sig = client.get(
        "/api/supervision/signals", params={"start": "2025-01-01", "end": "2025-12-31"}, headers=sup.headers
    )
    assert sig.status_code == 200 and sig.json() == []
    assert (
        client.get(
            "/api/supervision/signals", params={"start": "2025-01-01", "end": "2025-12-31"}, headers=cadre.headers
        ).status_code
        == 403
    )
    bad = client.get(
        "/api/supervision/signals", params={"start": "2025-13-01", "end": "2025-12-31"}, headers=sup.headers
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "start"


def test_period_draws_over_http(client: TestClient) -> None:
    """Only a supervisor draws a period; a period drawn is drawn once (200 the second time, same
    draw); a period not begun and a malformed period are refused naming the field; the log is public
    to anyone signed in."""
    sup, cadre = (api_device(client, u) for u in ("supervisor", "cadre"))
    last = company_today().replace(day=1) - dt.timedelta(days=1)
    period = f"{last:%Y-%m}"
    refused = client.post("/api/supervision/period-draws", json={"period": period, "rate": 0.1}, headers=cadre.headers)
    assert refused.status_code == 403
    first = client.post("/api/supervision/period-draws", json={"period": period, "rate": 0.1}, headers=sup.headers)
    assert first.status_code == 201, first.text
    assert first.json()["scheme"] == "period" and first.json()["seed"]
    again = client.post("/api/supervision/period-draws", json={"period": period, "rate": 0.9}, headers=sup.headers)
    assert again.status_code == 200 and again.json() == first.json()
    future = f"{company_today().year + 1}"
    late = client.post("/api/supervision/period-draws", json={"period": future, "rate": 0.1}, headers=sup.headers)
    assert late.status_code == 422 and late.json()["error"]["code"] == "supervision.period_not_started"
    bad = client.post("/api/supervision/period-draws", json={"period": "2026/11", "rate": 0.1}, headers=sup.headers)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "period"
    verify = client.get(f"/api/supervision/draws/{first.json()['id']}/verify", headers=cadre.headers)
    assert verify.status_code == 200 and verify.json()["ok"] is True, verify.text
    log = client.get("/api/supervision/log", headers=cadre.headers).json()
    assert [e["body"]["type"] for e in log] == ["anchor", "request", "draw"]
