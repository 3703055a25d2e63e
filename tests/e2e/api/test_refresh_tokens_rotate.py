from tests.builders import bearer, login


def test_refresh_gives_working_tokens_and_the_old_one_stops_working(client):
    session = login(client, "cadre")
    refreshed = client.post("/api/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert refreshed.status_code == 200
    body = refreshed.json()
    assert body["device_id"] == session["device_id"]
    assert body["refresh_token"] != session["refresh_token"]
    assert client.get("/api/me", headers=bearer(body)).status_code == 200
    reused = client.post("/api/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "auth.token_invalid"


def test_unknown_refresh_token_is_refused(client):
    response = client.post("/api/auth/refresh", json={"refresh_token": "made-up"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "auth.token_invalid"
    assert "access_token" not in response.text
