"""``/api/assessment`` and ``/api/dashboards``: per cadre per quarter the scores (only from k
responses), plan completion, reports on time and problem speed; the dashboard's figures; both as
.xlsx that reads back with openpyxl; HR and leaders only."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from server.clock import utcnow
from sync.calendar import local_date
from tests.builders import demo_interview_with_problem, followup_over_http
from tests.e2e.api.evaluation_release import after_release


def rate_n(client, cadre_headers, n: int, scores=(4, 5, 3)) -> None:
    issued = client.post("/api/evaluation/tickets", json={"count": n}, headers=cadre_headers).json()["tickets"]
    for t in issued:
        body = {"ticket": t["ticket"], "attitude": scores[0], "professionalism": scores[1], "responsiveness": scores[2]}
        assert client.post("/api/evaluation/responses", json=body).status_code == 201


def test_assessment_and_dashboard_figures_and_exports(client, as_user, monkeypatch) -> None:
    today = local_date(utcnow())
    year, quarter = today.year, (today.month - 1) // 3 + 1
    w = demo_interview_with_problem(client, started="2025-09-26T09:00:00+08:00")  # report due 13 Oct 2025 (2025Q4)
    assert (
        followup_over_http(
            w["hr"],
            w["issue_id"],
            "assign",
            handler_unit_id=w["units"]["设备管理部"],
            owner="孙伟",
            due_date=(today + dt.timedelta(days=30)).isoformat(),
        )["status"]
        == "applied"
    )
    assert w["cadre"].push(("report.submit", {"interview_id": w["interview_id"]}))["results"][0]["status"] == "applied"
    rate_n(client, w["cadre"].headers, 5)
    rate_n(client, as_user("cadre2"), 2, scores=(1, 1, 1))  # below k: suppressed everywhere
    hr, leader = as_user("hr"), as_user("leader")
    params = {"year": year, "quarter": quarter}
    open_quarter = {row["cadre_name"]: row for row in client.get("/api/assessment", params=params, headers=hr).json()["rows"]}
    assert open_quarter["刘海涛"]["evaluation_status"] == "pending" and open_quarter["刘海涛"]["scores"] is None
    after_release(monkeypatch, today)  # the quarter is over: its cells are released

    r = client.get("/api/assessment", params=params, headers=leader)
    assert r.status_code == 200, r.text
    rows = {row["cadre_name"]: row for row in r.json()["rows"]}
    liu, chen = rows["刘海涛"], rows["陈晓东"]
    assert liu["evaluation_responses"] == 5
    assert liu["scores"] == {"attitude": 4.0, "professionalism": 5.0, "responsiveness": 3.0}
    assert chen["evaluation_responses"] is None and chen["scores"] is None
    assert (liu["evaluation_status"], chen["evaluation_status"]) == ("released", "insufficient")
    assert liu["problems"]["raised"] == 1 and liu["problems"]["assigned"] == 1
    assert liu["problems"]["median_days_to_assign"] is not None and liu["problems"]["median_days_to_close"] is None
    assert liu["plan"]["total"] == 0 and liu["plan"]["rate"] is None
    assert (liu["plan"]["held"], liu["plan"]["due"]) == (0, 0)  # the fraction comes with the rate (one computation)
    # The report counts in the quarter it fell due, submitted (now) after its due date.
    late = client.get("/api/assessment", params={"year": 2025, "quarter": 4}, headers=hr).json()
    [liu_2025q4] = [row for row in late["rows"] if row["cadre_name"] == "刘海涛"]
    assert liu_2025q4["reports"] == {"due": 1, "on_time": 0, "late": 1, "overdue": 0, "not_yet_due": 0}
    assert liu_2025q4["problems"]["raised"] == 0 and liu_2025q4["scores"] is None

    x = client.get("/api/assessment/export", params=params, headers=hr)
    assert x.status_code == 200 and x.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws["A1"].value.startswith("干部考核表")  # the title row; then the two-level header
    header = [c.value for c in ws[3]]
    assert header[:7] == ["姓名", "单位", "职务", "评价份数", "态度", "专业性", "问题响应速度"]
    by_name = {row[0]: row for row in ws.iter_rows(min_row=4, values_only=True) if row[0]}
    assert by_name["刘海涛"][3:7] == (5, 4.0, 5.0, 3.0)
    assert by_name["陈晓东"][3:7] == ("样本不足", None, None, None)  # said once, merged across the four

    d = client.get("/api/dashboards", params=params, headers=hr).json()
    assert (
        d["problems_total"] >= 1 and {"key": "business", "label": "业务问题", "count": 1} in d["problems_by_category"]
    )
    assert any(c["label"] == "设备管理部" and c["count"] == 1 for c in d["problems_by_department"])
    assert any(c["label"] == "已交办" for c in d["problems_by_status"])
    assert d["evaluation_company"]["responses"] == 5 and d["evaluation_company"]["cadres"] == 1
    assert [u["unit"] for u in d["evaluation_by_unit"]] == ["甲醇生产车间"]  # 设备检修车间 is below k
    assert [c["label"] for c in d["closure_time"]] == ["7天内", "8-30天", "31-90天", "90天以上"]
    year_view = client.get("/api/dashboards", params={"year": year}, headers=hr).json()
    assert year_view["evaluation_company"]["responses"] == 5 and year_view["quarter"] is None

    dx = client.get("/api/dashboards/export", params=params, headers=leader)
    assert dx.status_code == 200
    wb = load_workbook(io.BytesIO(dx.content))
    assert {"概况", "问题-按类别", "问题-按责任部门", "匿名评价", "计划完成-按单位"} <= set(wb.sheetnames)
    scores = list(wb["匿名评价"].iter_rows(min_row=2, values_only=True))
    assert scores == [("全公司", 5, 1, 4.0, 5.0, 3.0), ("甲醇生产车间", 5, 1, 4.0, 5.0, 3.0)]


def test_only_hr_and_leaders_and_bad_periods_are_named(client, as_user) -> None:
    for user in ("cadre", "handler", "supervisor", "officer"):
        h = as_user(user)
        assert client.get("/api/assessment", params={"year": 2026, "quarter": 1}, headers=h).status_code == 403
        assert client.get("/api/dashboards", params={"year": 2026}, headers=h).status_code == 403
        assert client.get("/api/assessment/export", params={"year": 2026, "quarter": 1}, headers=h).status_code == 403
    hr = as_user("hr")
    bad = client.get("/api/assessment", params={"year": 2026, "quarter": 7}, headers=hr)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "quarter"
    missing = client.get("/api/assessment", params={"year": 2026}, headers=hr)
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "quarter"
    assert client.get("/api/dashboards", params={"year": 1900}, headers=hr).json()["error"]["field"] == "year"


def test_the_dashboard_counts_formalism_signals_from_released_cells(client, as_user, monkeypatch) -> None:
    today = local_date(utcnow())
    params = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    rate_n(client, as_user("cadre"), 5, scores=(5, 5, 5))
    rate_n(client, as_user("cadre2"), 4, scores=(5, 5, 5))  # below k: no signal
    hr = as_user("hr")
    still_open = client.get("/api/dashboards", params=params, headers=hr).json()
    assert "ratings_at_max" not in [s["kind"] for s in still_open["signals"]]  # 待发布 until the quarter is over
    after_release(monkeypatch, today)
    d = client.get("/api/dashboards", params=params, headers=hr).json()
    assert {"kind": "ratings_at_max", "label": "匿名评价全部满分", "count": 1} in d["signals"]
    wb = load_workbook(io.BytesIO(client.get("/api/dashboards/export", params=params, headers=hr).content))
    assert ("匿名评价全部满分", 1) in list(wb["形式主义信号"].iter_rows(min_row=2, values_only=True))
