"""企业微信 web sign-in through the real uvicorn server against a local fake WeCom API
(tests/fake_wecom_api.py): gettoken + getuserinfo → userid → the account with that 工号."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.builders import demo_data_dir
from tests.fake_wecom_api import FakeWecomApi
from tests.fangtan_cli import fangtan
from tests.live_server import LiveServer


@pytest.fixture(scope="module")
def api() -> Iterator[FakeWecomApi]:
    fake = FakeWecomApi().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_template, api) -> Iterator[LiveServer]:
    data_dir = demo_data_dir(demo_template, tmp_path_factory.mktemp("wecom"))
    fangtan("user", "disable", "cadre2", data_dir=data_dir, check=True)
    live = LiveServer(data_dir=data_dir, env=api.env()).start()
    yield live
    live.stop()


@pytest.fixture(autouse=True)
def _member(api):
    api.user = "cadre"


def _sign_in(server: LiveServer) -> tuple[dict[str, str], str]:
    """Browser: start → WeCom's page → callback → back to the app; returns the fragment and the callback URL."""
    url, callback = server.url + "/api/auth/wecom/start", ""
    with httpx.Client() as client:
        for _ in range(6):
            response = client.get(url, follow_redirects=False)
            assert response.status_code == 302, response.text
            if "/api/auth/wecom/callback" in url:
                callback = url
            url = response.headers["location"]
            if url.startswith(server.url + "/login#"):
                return {k: v[0] for k, v in parse_qs(urlsplit(url).fragment).items()}, callback
    raise AssertionError(url)


def test_wecom_sign_in_links_by_userid_and_ends_like_a_password_login(server, api):
    assert httpx.get(server.url + "/api/auth/config").json()["sso_providers"] == ["wecom"]
    start = httpx.get(server.url + "/api/auth/wecom/start", follow_redirects=False).headers["location"]
    assert start.startswith(api.url + "/connect/oauth2/authorize?") and start.endswith("#wechat_redirect")
    result, _ = _sign_in(server)
    session = httpx.post(server.url + "/api/auth/oidc/exchange", json={"code": result["sso_code"], "device_name": "平板 企微"})
    assert session.status_code == 200, session.text
    me = httpx.get(server.url + "/api/me", headers={"Authorization": f"Bearer {session.json()['access_token']}"}).json()
    assert me["user"]["username"] == "cadre" and me["device_id"] == session.json()["device_id"]
    calls = api.gettoken_calls
    _sign_in(server)
    assert api.gettoken_calls == calls  # the access token is cached, as WeCom asks


@pytest.mark.parametrize(("user", "code"), [("nobody", "sso.unknown_user"), ("cadre2", "auth.user_disabled"),
                                            (None, "sso.unknown_user")])
def test_unknown_non_member_and_disabled_users_are_refused(server, api, user, code):
    api.user = user
    assert _sign_in(server)[0] == {"sso_error": code}


def test_a_replayed_callback_and_a_wrong_state_are_refused(server):
    _, callback = _sign_in(server)
    replay = httpx.get(callback, follow_redirects=False)
    assert parse_qs(urlsplit(replay.headers["location"]).fragment) == {"sso_error": ["sso.state_invalid"]}
    code = parse_qs(urlsplit(callback).query)["code"][0]
    start = httpx.get(server.url + "/api/auth/wecom/start", follow_redirects=False).headers["location"]
    state = parse_qs(urlsplit(start).query)["state"][0]
    used_code = httpx.get(server.url + "/api/auth/wecom/callback", params={"code": code, "state": state},
                          follow_redirects=False)
    assert parse_qs(urlsplit(used_code.headers["location"]).fragment) == {"sso_error": ["sso.provider_error"]}
    forged = httpx.get(server.url + "/api/auth/wecom/callback", params={"code": "x", "state": "forged"},
                       follow_redirects=False)
    assert parse_qs(urlsplit(forged.headers["location"]).fragment) == {"sso_error": ["sso.state_invalid"]}


def test_an_oidc_start_is_not_configured_here(server):
    response = httpx.get(server.url + "/api/auth/oidc/start", follow_redirects=False)
    assert response.status_code == 404 and response.json()["error"]["code"] == "sso.not_configured"
