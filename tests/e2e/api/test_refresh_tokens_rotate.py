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


def test_a_replayed_refresh_token_ends_the_devices_whole_session_chain(client, caplog):
    """Rotation with reuse detection (OAuth 2.0 security BCP): an already-used refresh token coming
    back means one of two holders is a thief, so every token of that chain stops working."""
    first = login(client, "cadre")
    second = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    third = client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]}).json()
    assert client.get("/api/me", headers=bearer(third)).status_code == 200
    with caplog.at_level("WARNING", logger="fangtan.security"):
        replay = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "auth.token_invalid"
    assert "重新登录" in replay.json()["error"]["message"] and "access_token" not in replay.text
    events = [r.getMessage() for r in caplog.records if r.name == "fangtan.security"]
    assert any("security.refresh_token_reuse" in e and first["device_id"] in e for e in events), events
    # Every access and refresh token of the chain is dead, the newest included.
    for session in (first, second, third):
        me = client.get("/api/me", headers=bearer(session))
        assert me.status_code == 401 and me.json()["error"]["code"] == "auth.token_invalid", me.text
    live = client.post("/api/auth/refresh", json={"refresh_token": third["refresh_token"]})
    assert live.status_code == 401 and live.json()["error"]["code"] == "auth.token_invalid"
    # The device is not revoked (its offline work is not purged): the user signs in again on it.
    again = client.post("/api/auth/login", json={"username": "cadre", "password": "fangtan-demo",
                                                  "device_name": "pytest", "device_id": first["device_id"]})
    assert again.status_code == 200 and again.json()["device_id"] == first["device_id"]
    fresh = again.json()
    assert client.get("/api/me", headers=bearer(fresh)).status_code == 200
    # An old, ended chain's token replayed later is refused without ending the new sign-in.
    stale = client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert stale.status_code == 401
    assert client.get("/api/me", headers=bearer(fresh)).status_code == 200
    assert client.post("/api/auth/refresh", json={"refresh_token": fresh["refresh_token"]}).status_code == 200


def test_signing_in_again_ends_the_earlier_chain_of_the_same_device(client):
    first = login(client, "cadre")
    again = client.post("/api/auth/login", json={"username": "cadre", "password": "fangtan-demo",
                                                  "device_name": "pytest", "device_id": first["device_id"]}).json()
    assert client.get("/api/me", headers=bearer(first)).status_code == 401
    assert client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]}).status_code == 401
    assert client.get("/api/me", headers=bearer(again)).status_code == 200
