from server.demo import USERS
from tests.builders import bearer, login


def test_login_returns_tokens_device_and_user(client):
    session = login(client, "cadre", device_name="平板 A")
    assert session["token_type"] == "Bearer"
    assert session["user"]["name"] == "刘海涛"
    assert session["user"]["roles"] == ["cadre"]
    assert len(session["device_id"]) == 36
    me = client.get("/api/me", headers=bearer(session)).json()
    assert me["device_id"] == session["device_id"]
    assert me["user"]["username"] == "cadre"


def test_every_demo_user_can_sign_in(client):
    for username, name, *_ in USERS:
        assert login(client, username)["user"]["name"] == name


def test_each_login_from_a_new_install_enrols_a_new_device(client):
    first = login(client, "cadre", device_name="平板 A")
    second = login(client, "cadre", device_name="平板 B")
    assert first["device_id"] != second["device_id"]
    devices = client.get("/api/devices", headers=bearer(second)).json()
    assert {d["name"] for d in devices} == {"平板 A", "平板 B"}
    assert [d["current"] for d in devices if d["id"] == second["device_id"]] == [True]


def test_signing_in_again_on_the_same_install_keeps_its_device(client):
    first = login(client, "cadre")
    again = client.post(
        "/api/auth/login",
        json={"username": "cadre", "password": "fangtan-demo", "device_name": "平板", "device_id": first["device_id"]},
    ).json()
    assert again["device_id"] == first["device_id"]


def test_a_device_id_of_another_user_is_refused(client):
    other = login(client, "cadre2")
    response = client.post(
        "/api/auth/login",
        json={"username": "cadre", "password": "fangtan-demo", "device_name": "x", "device_id": other["device_id"]},
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "device_id"
