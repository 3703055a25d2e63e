"""The differencing attacker over HTTP (issue 13, point 1): HR or a leader reads every place an
evaluation figure appears — the results (each quarter, the whole year, each unit), the cadre
assessment and the dashboards with their .xlsx exports, the supervision group's formalism signals
— then one more response comes in, and they read everything again. Nothing may change, at any
k-crossing, until the quarter is released; after the release the released figures never change
again, whatever comes in later. The all-5s signal included."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from server.clock import utcnow
from sync.calendar import local_date
from tests.e2e.api.evaluation_release import after_release

K = 5


def rate(client, ticket: str, scores=(5, 5, 5), comment: str | None = None) -> None:
    body = {"ticket": ticket, "attitude": scores[0], "professionalism": scores[1], "responsiveness": scores[2]}
    if comment:
        body["comment"] = comment
    r = client.post("/api/evaluation/responses", json=body)
    assert r.status_code == 201, r.text


def xlsx_values(content: bytes) -> dict[str, list[tuple]]:
    """The cell values of every sheet (the file's bytes carry a creation time, the values must not differ)."""
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def read_everything(client, hr, supervisor, year: int, quarter: int, units: list[str]) -> dict[str, object]:
    seen: dict[str, object] = {}

    def get(name: str, path: str, headers, **params) -> None:
        r = client.get(path, params=params, headers=headers)
        assert r.status_code == 200, (name, r.text)
        if r.headers["content-type"].startswith("application/vnd.openxmlformats"):
            seen[name] = xlsx_values(r.content)
        else:
            seen[name] = r.json()

    for q in (quarter, None):
        label = f"Q{q}" if q else "year"
        qp = {"quarter": q} if q else {}
        get(f"results {label}", "/api/evaluation/results", hr, year=year, **qp)
        for unit in units:
            get(f"results {label} {unit}", "/api/evaluation/results", hr, year=year, unit_id=unit, **qp)
        get(f"dashboard {label}", "/api/dashboards", hr, year=year, **qp)
        get(f"dashboard.xlsx {label}", "/api/dashboards/export", hr, year=year, **qp)
    get("assessment", "/api/assessment", hr, year=year, quarter=quarter)
    get("assessment.xlsx", "/api/assessment/export", hr, year=year, quarter=quarter)
    start, end = f"{year}-{3 * quarter - 2:02d}-01", f"{year}-{3 * quarter:02d}-28"
    get("signals", "/api/supervision/signals", supervisor, start=start, end=end)
    return seen


def differences(a: dict, b: dict) -> list[str]:
    return [name for name in a if a[name] != b[name]]


def test_no_read_at_any_moment_differences_out_one_response(client, as_user, monkeypatch) -> None:
    today = local_date(utcnow())
    year, quarter = today.year, (today.month - 1) // 3 + 1
    hr, supervisor, cadre = as_user("hr"), as_user("supervisor"), as_user("cadre")
    all_units = client.get("/api/org/units", headers=hr).json()
    units = [u["id"] for u in all_units if u["parent_id"] is None or u["name"] in ("甲醇生产车间", "设备检修车间")]
    assert len(units) == 3
    issued = [t["ticket"] for t in client.post("/api/evaluation/tickets", json={"count": 12}, headers=cadre).json()["tickets"]]

    # While the quarter collects: every read before and after each response is identical — through
    # the first response, the k-th (the cell would reach k), the k_comments-th, and an all-5s cell.
    baseline = read_everything(client, hr, supervisor, year, quarter, units)
    for i, ticket in enumerate(issued[:11]):
        rate(client, ticket, scores=(5, 5, 5) if i != 7 else (5, 5, 4), comment=f"第{i}条意见")
        now = read_everything(client, hr, supervisor, year, quarter, units)
        assert differences(baseline, now) == [], f"after response {i + 1}: {differences(baseline, now)}"
    period = f"{year}Q{quarter}"
    assert baseline[f"results Q{quarter}"]["pending"][0]["period"] == period
    assert baseline["assessment"]["rows"][0]["evaluation_status"] == "pending"
    assert any("待发布" in str(v) for row in baseline["assessment.xlsx"].values() for v in row)
    assert baseline[f"dashboard Q{quarter}"]["evaluation_pending"][0]["period"] == period

    # The quarter is over: the cell is released whole, 11 responses, comments shuffled out of arrival order.
    after_release(monkeypatch, today)
    released = read_everything(client, hr, supervisor, year, quarter, units)
    [cell] = released[f"results Q{quarter}"]["cells"]
    assert cell["cadre_name"] == "刘海涛" and cell["responses"] == 11
    assert cell["comments"] == sorted(f"第{i}条意见" for i in range(11))
    assert [s["kind"] for s in released["signals"]].count("ratings_at_max") == 0  # one 5/5/4: not all fives

    # A response after the release lands in the next quarter: not one released figure moves.
    rate(client, issued[11], scores=(1, 1, 1), comment="发布之后")
    again = read_everything(client, hr, supervisor, year, quarter, units)
    assert differences(released, again) == []


def test_the_all_fives_signal_appears_only_at_release(client, as_user, monkeypatch) -> None:
    today = local_date(utcnow())
    year, quarter = today.year, (today.month - 1) // 3 + 1
    supervisor = as_user("supervisor")
    start, end = f"{year}-{3 * quarter - 2:02d}-01", f"{year}-{3 * quarter:02d}-28"
    issued = client.post("/api/evaluation/tickets", json={"count": K}, headers=as_user("cadre")).json()["tickets"]

    def signal() -> list[dict]:
        r = client.get("/api/supervision/signals", params={"start": start, "end": end}, headers=supervisor)
        assert r.status_code == 200, r.text
        return [s for s in r.json() if s["kind"] == "ratings_at_max"]

    for t in issued:
        rate(client, t["ticket"])
        assert signal() == []  # the k-th 5/5/5 does not flip it while the quarter is open
    after_release(monkeypatch, today)
    [s] = signal()
    assert s["cadre_id"] == client.get("/api/me", headers=as_user("cadre")).json()["user"]["id"]
