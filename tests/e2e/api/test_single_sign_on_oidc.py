"""Single sign-on (OIDC, authorization code + PKCE) through the real uvicorn server against a local
OpenID provider started by the test (tests/fake_oidc_provider.py): sign-in ends like a password login
(device enrolment, tokens via a one-time code), and every refusal has its stable code."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.builders import demo_data_dir
from tests.fake_oidc_provider import FakeOidcProvider
from tests.fangtan_cli import fangtan
from tests.live_server import LiveServer


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeOidcProvider]:
    fake = FakeOidcProvider().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_template, provider) -> Iterator[LiveServer]:
    data_dir = demo_data_dir(demo_template, tmp_path_factory.mktemp("sso"))
    fangtan("user", "disable", "cadre2", data_dir=data_dir, check=True)
    fangtan("user", "edit", "officer", "--password-login", "off", data_dir=data_dir, check=True)
    live = LiveServer(data_dir=data_dir, env=provider.env()).start()
    yield live
    live.stop()


@pytest.fixture(autouse=True)
def _fresh_provider(provider):
    provider.user, provider.tamper = "cadre", {}


def _follow(client: httpx.Client, url: str, server: LiveServer) -> tuple[dict[str, str], list[str]]:
    """Follow redirects until the server sends the browser back to the PWA; returns the fragment's
    parameters and the URLs visited (the callback among them)."""
    visited = []
    for _ in range(10):
        visited.append(url)
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 302, response.text
        url = response.headers["location"]
        if url.startswith(server.url + "/login#"):
            return {k: v[0] for k, v in parse_qs(urlsplit(url).fragment).items()}, visited
    raise AssertionError(f"no way back to the app: {visited}")


def _sign_in(server: LiveServer) -> tuple[dict[str, str], list[str]]:
    with httpx.Client() as client:
        return _follow(client, server.url + "/api/auth/oidc/start", server)


def _exchange(server: LiveServer, code: str, **extra) -> httpx.Response:
    return httpx.post(server.url + "/api/auth/oidc/exchange",
                      json={"code": code, "device_name": "平板 SSO", **extra})


def test_sign_in_by_oidc_enrols_a_device_and_hands_tokens_over_a_one_time_code(server, provider):
    config = httpx.get(server.url + "/api/auth/config").json()
    assert config == {"sso": True, "sso_providers": ["oidc"], "password_login": True}
    start = httpx.get(server.url + "/api/auth/oidc/start", follow_redirects=False)
    authorize = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["location"]).query).items()}
    assert authorize["code_challenge_method"] == "S256" and authorize["state"] and authorize["nonce"]
    assert authorize["redirect_uri"] == server.url + "/api/auth/oidc/callback"

    result, visited = _sign_in(server)
    assert set(result) == {"sso_code"}, result
    assert not any("access_token" in url for url in visited)
    assert provider.token_requests[-1]["code_verifier"]  # PKCE: the provider checked it against S256
    session = _exchange(server, result["sso_code"])
    assert session.status_code == 200, session.text
    body = session.json()
    assert body["user"]["username"] == "cadre"
    me = httpx.get(server.url + "/api/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert me["device_id"] == body["device_id"] and me["user"]["username"] == "cadre"
    devices = httpx.get(server.url + "/api/devices", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert "平板 SSO" in {d["name"] for d in devices}
    refreshed = httpx.post(server.url + "/api/auth/refresh", json={"refresh_token": body["refresh_token"]})
    assert refreshed.status_code == 200  # an ordinary session chain

    again = _exchange(server, result["sso_code"])  # the one-time code is single use
    assert again.status_code == 401 and again.json()["error"]["code"] == "sso.code_invalid"
    assert _exchange(server, "made-up").json()["error"]["code"] == "sso.code_invalid"


def test_signing_in_again_on_the_same_install_keeps_its_device(server):
    first = _exchange(server, _sign_in(server)[0]["sso_code"]).json()
    second = _exchange(server, _sign_in(server)[0]["sso_code"], device_id=first["device_id"]).json()
    assert second["device_id"] == first["device_id"]


def test_a_replayed_callback_is_refused(server):
    result, visited = _sign_in(server)
    callback = next(url for url in visited if "/api/auth/oidc/callback" in url)
    with httpx.Client() as client:
        replay = client.get(callback, follow_redirects=False)
    assert parse_qs(urlsplit(replay.headers["location"]).fragment) == {"sso_error": ["sso.state_invalid"]}


def test_a_replayed_code_with_a_fresh_state_is_refused_by_the_issuer(server):
    _, visited = _sign_in(server)
    old_code = parse_qs(urlsplit(next(u for u in visited if "/callback" in u)).query)["code"][0]
    start = httpx.get(server.url + "/api/auth/oidc/start", follow_redirects=False)
    state = parse_qs(urlsplit(start.headers["location"]).query)["state"][0]
    replay = httpx.get(server.url + "/api/auth/oidc/callback", params={"code": old_code, "state": state},
                       follow_redirects=False)
    assert parse_qs(urlsplit(replay.headers["location"]).fragment) == {"sso_error": ["sso.provider_error"]}


def test_a_wrong_state_is_refused(server):
    httpx.get(server.url + "/api/auth/oidc/start", follow_redirects=False)  # a real sign-in is pending
    forged = httpx.get(server.url + "/api/auth/oidc/callback", params={"code": "x", "state": "forged"},
                       follow_redirects=False)
    assert parse_qs(urlsplit(forged.headers["location"]).fragment) == {"sso_error": ["sso.state_invalid"]}
    missing = httpx.get(server.url + "/api/auth/oidc/callback", params={"code": "x"}, follow_redirects=False)
    assert parse_qs(urlsplit(missing.headers["location"]).fragment) == {"sso_error": ["sso.state_invalid"]}


@pytest.mark.parametrize(("user", "code"), [("nobody", "sso.unknown_user"), ("cadre2", "auth.user_disabled")])
def test_unknown_and_disabled_users_are_refused(server, provider, user, code):
    provider.user = user
    result, _ = _sign_in(server)
    assert result == {"sso_error": code}


@pytest.mark.parametrize("tamper", [
    {"nonce": "not-the-nonce"},
    {"iss": "https://evil.example.com"},
    {"aud": "another-client"},
    {"exp": 1_000_000_000},
    {"sign_with_other_key": True},
])
def test_an_id_token_that_fails_validation_is_refused(server, provider, tamper):
    provider.tamper = tamper
    result, _ = _sign_in(server)
    assert result == {"sso_error": "sso.id_token_invalid"}


def test_password_sign_in_switched_off_for_one_user_leaves_sso(server):
    refused = httpx.post(server.url + "/api/auth/login",
                         json={"username": "officer", "password": "fangtan-demo", "device_name": "平板"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "auth.password_login_disabled"
    assert "企业统一登录" in refused.json()["error"]["message"]
    wrong = httpx.post(server.url + "/api/auth/login",
                       json={"username": "officer", "password": "wrong-password", "device_name": "平板"})
    assert wrong.json()["error"]["code"] == "auth.bad_credentials"  # says nothing about the account before the password
    ok = httpx.post(server.url + "/api/auth/login",
                    json={"username": "cadre", "password": "fangtan-demo", "device_name": "平板"})
    assert ok.status_code == 200


def test_a_refused_device_leaves_the_one_time_code_usable_for_a_new_enrolment(server):
    other = httpx.post(server.url + "/api/auth/login",
                       json={"username": "hr", "password": "fangtan-demo", "device_name": "HR 平板"}).json()
    code = _sign_in(server)[0]["sso_code"]
    refused = _exchange(server, code, device_id=other["device_id"])  # this install was HR's
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "device_id"
    fresh = _exchange(server, code)
    assert fresh.status_code == 200 and fresh.json()["device_id"] != other["device_id"]
    assert _exchange(server, code).json()["error"]["code"] == "sso.code_invalid"
