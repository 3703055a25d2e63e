"""GET /api/followup/late-reports: HR (and leaders) see, per cadre, the reports past their due date
with the days overdue; everyone else gets 403."""

from tests.builders import bearer, demo_interview_with_problem, login


def test_hr_sees_the_late_report_of_the_cadre_others_are_refused(client) -> None:
    w = demo_interview_with_problem(client, started="2025-09-26T09:00:00+08:00")  # report due 13 Oct 2025
    r = client.get("/api/followup/late-reports", headers=w["hr"].headers)
    assert r.status_code == 200, r.text
    body = r.json()
    [entry] = [c for c in body["cadres"] if any(x["interview_id"] == w["interview_id"] for x in c["reports"])]
    [late] = [x for x in entry["reports"] if x["interview_id"] == w["interview_id"]]
    assert late["due_date"] == "2025-10-13" and late["report_status"] == "none"
    assert late["days_overdue"] > 0 and late["working_days_overdue"] > 0
    assert entry["cadre_name"] and entry["cadre_id"]
    assert client.get("/api/followup/late-reports", headers=bearer(login(client, "leader"))).status_code == 200
    for user in ("cadre", "handler", "supervisor"):
        r = client.get("/api/followup/late-reports", headers=bearer(login(client, user)))
        assert r.status_code == 403 and r.json()["error"]["code"] == "auth.forbidden", (user, r.text)

    assert w["cadre"].push(("report.submit", {"interview_id": w["interview_id"]}))["results"][0]["status"] == "applied"
    body = client.get("/api/followup/late-reports", headers=w["hr"].headers).json()
    assert all(x["interview_id"] != w["interview_id"] for c in body["cadres"] for x in c["reports"])
