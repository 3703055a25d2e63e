"""Single sign-on is off unless an issuer and client id are configured; password sign-in can be
switched off globally only with SSO configured (else nobody could sign in)."""

from __future__ import annotations

import dataclasses

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.settings import check_deploy_settings


def test_without_configuration_sso_is_off_and_passwords_work(client):
    assert client.get("/api/auth/config").json() == {"sso": False, "sso_providers": [], "password_login": True}
    for response in (client.get("/api/auth/oidc/start", follow_redirects=False),
                     client.get("/api/auth/oidc/callback", params={"code": "x", "state": "y"}, follow_redirects=False),
                     client.post("/api/auth/oidc/exchange", json={"code": "x", "device_name": "平板"})):
        assert response.status_code == 404 and response.json()["error"]["code"] == "sso.not_configured"
    ok = client.post("/api/auth/login", json={"username": "cadre", "password": "fangtan-demo", "device_name": "平板"})
    assert ok.status_code == 200


def test_password_sign_in_switched_off_globally(settings):
    off = dataclasses.replace(settings, oidc_issuer="http://127.0.0.1:9", oidc_client_id="fangtan",
                              password_login="off")
    with TestClient(create_app(off)) as client:
        assert client.get("/api/auth/config").json() == {"sso": True, "sso_providers": ["oidc"], "password_login": False}
        refused = client.post("/api/auth/login",
                              json={"username": "cadre", "password": "fangtan-demo", "device_name": "平板"})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "auth.password_login_disabled"
        assert "企业统一登录" in refused.json()["error"]["message"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"password_login": "off"}, "needs single sign-on"),
    ({"password_login": "no"}, "must be on or off"),
])
def test_start_up_refuses_a_password_switch_that_would_lock_everyone_out(settings, fields, message):
    with pytest.raises(SystemExit, match=message):
        check_deploy_settings(dataclasses.replace(settings, **fields))
