import base64

from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings
from server.store import connect
from tests.builders import bearer, login

URL = "/api/devices/me/unlock-share"


def _share_bytes(body: dict) -> bytes:
    return base64.urlsafe_b64decode(body["share"] + "=" * (-len(body["share"]) % 4))


def test_each_device_gets_its_own_stable_32_byte_share(client, settings):
    tablet = login(client, "cadre", device_name="平板")
    phone = login(client, "cadre", device_name="手机")
    first = client.get(URL, headers=bearer(tablet))
    assert first.status_code == 200
    assert "no-store" in first.headers["cache-control"]
    body = first.json()
    assert body["device_id"] == tablet["device_id"]
    assert len(_share_bytes(body)) == 32
    assert body["valid_days"] == 30
    again = client.get(URL, headers=bearer(tablet)).json()
    assert again["share"] == body["share"]  # stable: the tablet's lock is wrapped under it
    other = client.get(URL, headers=bearer(phone)).json()
    assert other["device_id"] == phone["device_id"] and other["share"] != body["share"]
    # There is no way to name another device: the path has no device id and a query is ignored.
    assert client.get(f"{URL}?device_id={tablet['device_id']}", headers=bearer(phone)).json()["share"] == other["share"]
    db = connect(settings.db_path)
    stored = {r["device_id"]: r["share"] for r in db.query("select device_id, share from device_unlock_share")}
    assert stored[tablet["device_id"]] == _share_bytes(body)


def test_a_revoked_device_is_refused_its_share(client):
    tablet = login(client, "cadre", device_name="丢失的平板")
    phone = login(client, "cadre", device_name="手机")
    assert client.get(URL, headers=bearer(tablet)).status_code == 200
    assert client.post(f"/api/devices/{tablet['device_id']}/revoke", headers=bearer(phone)).status_code == 200
    refused = client.get(URL, headers=bearer(tablet))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "auth.device_revoked"
    assert "share" not in refused.text
    assert client.get(URL).status_code == 401  # and nobody gets one without a token


def test_validity_comes_from_the_unlock_share_days_setting(data_dir, tmp_path):
    settings = Settings.from_env(
        environ={"FANGTAN_UNLOCK_SHARE_DAYS": "7"}, data_dir=data_dir, static_dir=tmp_path / "x"
    )
    assert settings.unlock_share_days == 7
    with TestClient(create_app(settings)) as client:
        session = login(client, "cadre")
        assert client.get(URL, headers=bearer(session)).json()["valid_days"] == 7
