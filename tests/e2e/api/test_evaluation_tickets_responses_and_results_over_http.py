"""The evaluation endpoints over HTTP: cadres get tickets, anyone holding one rates once without an
account, HR types in paper questionnaires, HR and leaders read pooled results; bad input is a
typed 4xx and nothing is stored."""

from __future__ import annotations

from server.store import connect
from tests.e2e.api.evaluation_release import after_release


def rate(client, ticket: str, a=4, p=4, r=4, **extra):
    return client.post(
        "/api/evaluation/responses",
        json={"ticket": ticket, "attitude": a, "professionalism": p, "responsiveness": r, **extra},
    )


def stored(settings) -> tuple[int, int]:
    db = connect(settings.db_path)
    try:
        return (
            db.conn.execute(
                "SELECT (SELECT COUNT(*) FROM evaluation_response) + (SELECT COUNT(*) FROM evaluation_pending)"
            ).fetchone()[0],
            db.conn.execute("SELECT COUNT(*) FROM evaluation_ticket_used").fetchone()[0],
        )
    finally:
        db.conn.close()


def test_only_cadres_get_tickets_and_the_pool_is_capped(client, as_user) -> None:
    cadre = as_user("cadre")
    r = client.post("/api/evaluation/tickets", json={"count": 50}, headers=cadre)
    assert r.status_code == 201, r.text
    body = r.json()
    assert len(body["tickets"]) == 50 and body["outstanding"] == 50
    first = body["tickets"][0]
    assert first["number"].replace("-", "") == first["ticket"] and len(first["ticket"]) == 20
    for user in ("hr", "leader", "handler"):
        denied = client.post("/api/evaluation/tickets", json={"count": 5}, headers=as_user(user))
        assert denied.status_code == 403 and denied.json()["error"]["code"] == "auth.forbidden"
    assert client.post("/api/evaluation/tickets", json={"count": 5}).status_code == 401
    too_many = client.post("/api/evaluation/tickets", json={"count": 51}, headers=cadre)
    assert too_many.status_code == 422 and too_many.json()["error"]["field"] == "count"
    unknown_field = client.post("/api/evaluation/tickets", json={"count": 5, "cadre_id": "x"}, headers=cadre)
    assert unknown_field.status_code == 400 and unknown_field.json()["error"]["field"] == "cadre_id"


def test_a_ticket_rates_once_without_an_account(client, as_user, settings) -> None:
    [t1, t2] = [
        t["ticket"]
        for t in client.post("/api/evaluation/tickets", json={"count": 2}, headers=as_user("cadre")).json()["tickets"]
    ]
    page = client.get(f"/e/{t1}")
    assert page.status_code == 200 and 'lang="zh-CN"' in page.text and "态度" in page.text and "专业性" in page.text
    assert (
        "问题响应速度" in page.text and 'name="viewport"' in page.text and page.headers["cache-control"] == "no-store"
    )
    assert len(page.content) + len(client.get("/e/rate.js").content) < 12_000  # light: no framework
    assert rate(client, t1, 5, 4, 3, comment="很好").status_code == 201
    second = rate(client, t1)
    assert second.status_code == 409
    assert (
        second.json()["error"]["code"] == "evaluation.ticket_used"
        and "只能评价一次" in second.json()["error"]["message"]
    )
    assert client.get(f"/e/{t1}").status_code == 409 and "此评价码已使用" in client.get(f"/e/{t1}").text
    forged = rate(client, "ABCD-EFGH-JKMN-PQRS-TVWX")
    assert forged.status_code == 404 and forged.json()["error"]["code"] == "evaluation.ticket_unknown"
    assert client.get("/e/ABCDEFGHJKMNPQRSTVWX").status_code == 404
    for kwargs, field in (
        ({"a": 0}, "attitude"),
        ({"p": 6}, "professionalism"),
        ({"r": 10}, "responsiveness"),
        ({"comment": "长" * 501}, "comment"),
    ):
        bad = rate(client, t2, **kwargs)
        assert bad.status_code == 422 and bad.json()["error"]["field"] == field, bad.text
    wrong_type = client.post(
        "/api/evaluation/responses", json={"ticket": t2, "attitude": "五", "professionalism": 4, "responsiveness": 4}
    )
    assert wrong_type.status_code == 400 and wrong_type.json()["error"]["field"] == "attitude"
    assert stored(settings) == (1, 1)
    assert rate(client, t2).status_code == 201  # refused attempts did not spend it
    assert stored(settings) == (2, 2)


def test_hr_enters_paper_questionnaires_by_printed_number(client, as_user, settings) -> None:
    [t] = client.post("/api/evaluation/tickets", json={"count": 1}, headers=as_user("cadre")).json()["tickets"]
    hr = as_user("hr")
    body = {"ticket": t["number"].lower(), "attitude": 3, "professionalism": 3, "responsiveness": 2, "comment": "纸质"}
    assert client.post("/api/evaluation/paper", json=body, headers=hr).status_code == 201
    again = client.post("/api/evaluation/paper", json=body, headers=hr)
    assert again.status_code == 409 and again.json()["error"]["code"] == "evaluation.ticket_used"
    assert rate(client, t["ticket"]).status_code == 409  # the same one-use rule as the phone
    assert client.post("/api/evaluation/paper", json=body, headers=as_user("cadre")).status_code == 403
    assert stored(settings) == (1, 1)


def test_results_for_hr_and_leaders_only_pending_until_the_quarter_is_over(client, as_user, monkeypatch) -> None:
    tickets = [
        t["ticket"]
        for t in client.post("/api/evaluation/tickets", json={"count": 5}, headers=as_user("cadre")).json()["tickets"]
    ]
    for t in tickets[:4]:
        assert rate(client, t, 5, 5, 4).status_code == 201
    from server.clock import utcnow
    from sync.calendar import local_date

    today = local_date(utcnow())
    params = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    period = f"{today.year}Q{params['quarter']}"
    hr, leader = as_user("hr"), as_user("leader")
    before = client.get("/api/evaluation/results", params=params, headers=hr).json()
    assert before["cells"] == [] and before["suppressed"] == [] and before["pooled"]["responses"] == 0
    [pending] = before["pending"]
    assert pending["period"] == period and pending["reason"] == "quarter_open"
    assert rate(client, tickets[4], 5, 5, 5).status_code == 201  # k reached, but the quarter is still open
    assert client.get("/api/evaluation/results", params=params, headers=leader).json() == before

    release = after_release(monkeypatch, today)
    assert pending["release_on"] == release.isoformat()
    after = client.get("/api/evaluation/results", params=params, headers=leader).json()
    [cell] = after["cells"]
    assert cell["responses"] == 5 and cell["scores"] == {"attitude": 5.0, "professionalism": 5.0, "responsiveness": 4.2}
    assert after["suppressed"] == [] and after["pooled"]["responses"] == 5 and after["pending"] == []
    for user in ("cadre", "handler", "supervisor"):
        assert client.get("/api/evaluation/results", params=params, headers=as_user(user)).status_code == 403
    bad = client.get("/api/evaluation/results", params={"year": today.year, "quarter": 5}, headers=hr)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "quarter"
