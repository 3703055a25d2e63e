"""Clock honesty (issue 3 §5): every push records the device clock offset; HR sees it, flagged
when wrong; the server orders by its own sequence, never by device clocks."""

from tests.builders import api_device, draft_interview_args, units_by_name


def test_a_device_a_year_behind_syncs_and_is_flagged(client):
    cadre = api_device(client, "cadre")
    honest = api_device(client, "cadre2")
    units = units_by_name(client, cadre.headers)
    late_body = cadre.body(("interview.save", draft_interview_args(units["合成班组"])))
    late_body["client_time"] = "2025-11-24T09:00:00+08:00"  # a year behind
    late_body["mutations"][0]["client_time"] = "2025-11-24T09:00:00+08:00"
    first = client.post("/api/sync/push", json=late_body, headers=cadre.headers).json()
    from server.clock import iso, utcnow

    honest_body = honest.body(("interview.save", draft_interview_args(units["电仪班组"])))
    honest_body["client_time"] = iso(utcnow())
    second = client.post("/api/sync/push", json=honest_body, headers=honest.headers).json()
    assert first["results"][0]["status"] == second["results"][0]["status"] == "applied"
    assert first["results"][0]["seq"] < second["results"][0]["seq"]  # server order, not device clocks

    clocks = client.get("/api/sync/devices", headers=api_device(client, "hr").headers).json()
    by_device = {c["device_id"]: c for c in clocks}
    late = by_device[cadre.session["device_id"]]
    assert late["clock_flagged"] is True and late["clock_offset_ms"] > 364 * 24 * 3600 * 1000
    assert late["user_name"] == "刘海涛" and late["pushes"] == 1
    assert by_device[honest.session["device_id"]]["clock_flagged"] is False
    assert clocks[0]["device_id"] == cadre.session["device_id"]  # worst first


def test_only_hr_and_admin_see_device_clocks(client):
    for username in ("cadre", "handler", "leader"):
        response = client.get("/api/sync/devices", headers=api_device(client, username).headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "auth.forbidden"
    assert client.get("/api/sync/devices", headers=api_device(client, "admin").headers).status_code == 200
