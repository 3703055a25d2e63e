"""Issue 15 point 4: 复制上年计划. HR previews how many items of last year's plans will be planned again,
then copies them: each is a ``plan.save`` through the sync engine (so it syncs — the cadre pulls it),
windows a year later, active; cancelled items are not copied; copying again creates nothing; only HR
may copy; bad years are refused naming the field."""

from __future__ import annotations

from litestar.testing import TestClient

from sync.ids import new_id
from tests.builders import ApiDevice, api_device, company_today

TO = company_today().year + 1
FROM = TO - 1


def _plan(d: ApiDevice, **args) -> str:
    pid = new_id()
    r = d.push(("plan.save", {"id": pid, "year": FROM, **args}))["results"][0]
    assert r["status"] == "applied", r
    return pid


def _rows(d: ApiDevice) -> list[dict]:
    page = d.client.get("/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=d.headers).json()
    rows = {c["id"]: c["row"] for c in page["changes"] if c["entity"] == "plan_item" and not c["deleted"]}
    return list(rows.values())


def test_hr_copies_last_years_plan_into_the_next_year_once(client: TestClient) -> None:
    hr, lead, cadre = (api_device(client, u) for u in ("hr", "unitlead", "cadre"))
    u = {x["name"]: x["id"] for x in client.get("/api/org/units", headers=hr.headers).json()}
    _plan(hr, scope="company", kind="quarterly", quarter=1, cadre_id=cadre.user_id, unit_id=u["甲醇生产车间"],
          title="一季度", window_start=f"{FROM}-02-10", window_end=f"{FROM}-03-20")
    _plan(lead, scope="unit", kind="adhoc", month=2, cadre_id=cadre.user_id, unit_id=u["合成班组"],
          reason="检修项目", window_start=f"{FROM}-02-01", window_end=f"{FROM}-02-28")
    gone = _plan(hr, scope="company", kind="deep_review", cadre_id=cadre.user_id, unit_id=u["热电车间"])
    seq = max(c["seq"] for c in client.get("/api/sync/pull", params={"cursor": 0, "limit": 1000},
                                           headers=hr.headers).json()["changes"] if c["id"] == gone)
    assert hr.push(("plan.save", {"id": gone, "status": "cancelled"}, seq))["results"][0]["status"] == "applied"

    body = {"from_year": FROM, "to_year": TO}
    r = client.post("/api/plans/copy", json=body, headers=hr.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["to_create"], r.json()["already_there"], r.json()["created"]) == (2, 0, 0)
    assert not [x for x in _rows(hr) if x["year"] == TO]  # the preview wrote nothing

    r = client.post("/api/plans/copy", json={**body, "apply": True}, headers=hr.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["rejected"]) == (2, [])
    # The cadre's tablet pulls the copies: they went through the sync engine.
    copies = sorted((x for x in _rows(cadre) if x["year"] == TO), key=lambda x: x["scope"])
    assert [(x["scope"], x["kind"], x["quarter"], x["month"], x["window_start"], x["window_end"], x["status"])
            for x in copies] == [
        ("company", "quarterly", 1, None, f"{TO}-02-10", f"{TO}-03-20", "active"),
        ("unit", "adhoc", None, 2, f"{TO}-02-01", f"{TO}-02-28", "active"),
    ]
    assert copies[0]["title"] == "一季度" and copies[1]["reason"] == "检修项目"

    r = client.post("/api/plans/copy", json={**body, "apply": True}, headers=hr.headers)
    assert (r.json()["to_create"], r.json()["already_there"], r.json()["created"]) == (0, 2, 0), r.text
    assert len([x for x in _rows(hr) if x["year"] == TO]) == 2

    for who in (lead, cadre):
        r = client.post("/api/plans/copy", json=body, headers=who.headers)
        assert r.status_code == 403 and r.json()["error"]["code"] == "auth.forbidden"
    r = client.post("/api/plans/copy", json={"from_year": FROM, "to_year": FROM}, headers=hr.headers)
    assert r.status_code == 400 and r.json()["error"]["field"] == "to_year"
    r = client.post("/api/plans/copy", json={"from_year": 1900, "to_year": TO}, headers=hr.headers)
    assert r.status_code == 400 and r.json()["error"]["field"] == "from_year"
