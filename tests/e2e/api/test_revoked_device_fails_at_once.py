from tests.builders import bearer, login


def test_revoking_a_device_stops_its_access_and_refresh_tokens_immediately(client):
    tablet = login(client, "cadre", device_name="丢失的平板")
    phone = login(client, "cadre", device_name="手机")
    assert client.get("/api/me", headers=bearer(tablet)).status_code == 200
    revoked = client.post(f"/api/devices/{tablet['device_id']}/revoke", headers=bearer(phone))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    after = client.get("/api/me", headers=bearer(tablet))
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "auth.device_revoked"
    refresh = client.post("/api/auth/refresh", json={"refresh_token": tablet["refresh_token"]})
    assert refresh.status_code == 401
    assert refresh.json()["error"]["code"] == "auth.device_revoked"  # so the tablet knows to purge
    assert client.get("/api/me", headers=bearer(phone)).status_code == 200


def test_a_user_cannot_revoke_someone_elses_device_but_an_admin_can(client):
    victim = login(client, "cadre")
    other = login(client, "cadre2")
    admin = login(client, "admin")
    denied = client.post(f"/api/devices/{victim['device_id']}/revoke", headers=bearer(other))
    assert denied.status_code == 404 and denied.json()["error"]["code"] == "not_found"  # not even "exists"
    assert client.get("/api/me", headers=bearer(victim)).status_code == 200
    assert client.post(f"/api/devices/{victim['device_id']}/revoke", headers=bearer(admin)).status_code == 200
    gone = client.get("/api/me", headers=bearer(victim))
    assert gone.status_code == 401 and gone.json()["error"]["code"] == "auth.device_revoked"
    assert client.get("/api/me", headers=bearer(other)).status_code == 200  # only that device was revoked
    [entry] = client.get("/api/admin/audit", headers=bearer(admin)).json()  # the admin's revocation is audited
    assert (entry["action"], entry["target"], entry["actor_name"]) == ("device.revoke", victim["device_id"], "郑凯")


def test_a_disabled_user_is_refused_at_once(client, settings):
    from server.accounts.service import set_disabled_tx
    from server.clock import utcnow
    from server.store import connect, in_transaction

    session = login(client, "cadre")
    db = connect(settings.db_path)
    in_transaction(db, lambda d: set_disabled_tx(d, "cadre", True, utcnow()))
    response = client.get("/api/me", headers=bearer(session))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.user_disabled"
    login_again = client.post("/api/auth/login", json={"username": "cadre", "password": "fangtan-demo", "device_name": "x"})
    assert login_again.status_code == 401
    assert login_again.json()["error"]["code"] == "auth.user_disabled"
