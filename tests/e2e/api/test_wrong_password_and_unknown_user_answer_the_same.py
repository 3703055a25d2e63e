def test_wrong_password_and_unknown_user_get_identical_answers(client):
    wrong = client.post("/api/auth/login", json={"username": "cadre", "password": "nope-nope", "device_name": "x"})
    ghost = client.post("/api/auth/login", json={"username": "ghost", "password": "nope-nope", "device_name": "x"})
    assert wrong.status_code == ghost.status_code == 401
    assert wrong.json() == ghost.json()
    assert wrong.json()["error"]["code"] == "auth.bad_credentials"


def test_failed_login_enrols_no_device(client, settings):
    client.post("/api/auth/login", json={"username": "cadre", "password": "nope-nope", "device_name": "x"})
    from server.store import connect

    db = connect(settings.db_path)
    assert db["device"].count == 0
