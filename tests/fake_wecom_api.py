"""A local fake of the WeCom (企业微信) API for tests: the sign-in page
``/connect/oauth2/authorize`` (signs in ``api.user`` at once), ``/cgi-bin/gettoken`` (checks corpid and
corpsecret) and ``/cgi-bin/auth/getuserinfo`` (checks the access token; a code is valid once, then
errcode 40029 as the real API answers). ``api.user = None`` plays a non-member (openid only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from tests import local_http


@dataclass
class FakeWecomApi:
    corp_id: str = "ww-test-corp"
    agent_id: str = "1000002"
    secret: str = "wecom-secret-for-tests"
    user: str | None = "cadre"
    codes: dict = field(default_factory=dict)
    tokens: set = field(default_factory=set)
    gettoken_calls: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return local_http.origin(self.server)

    def env(self) -> dict[str, str]:
        return {"FANGTAN_WECOM_CORP_ID": self.corp_id, "FANGTAN_WECOM_AGENT_ID": self.agent_id,
                "FANGTAN_WECOM_SECRET": self.secret, "FANGTAN_WECOM_API_BASE_URL": self.url,
                "FANGTAN_WECOM_AUTHORIZE_BASE_URL": self.url}

    def start(self) -> FakeWecomApi:
        api = self

        class Handler(local_http.QuietHandler):
            def _json(self, body: dict) -> None:  # WeCom answers 200 with an errcode
                self.send_json(200, body)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/connect/oauth2/authorize":
                    assert q.get("appid") == api.corp_id and q.get("agentid") == api.agent_id
                    assert q.get("scope") == "snsapi_base" and q.get("response_type") == "code"
                    code = secrets.token_hex(16)
                    api.codes[code] = api.user
                    self.send_redirect(q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]}))
                elif url.path == "/cgi-bin/gettoken":
                    api.gettoken_calls += 1
                    if q.get("corpid") != api.corp_id or q.get("corpsecret") != api.secret:
                        return self._json({"errcode": 40001, "errmsg": "invalid credential"})
                    token = secrets.token_hex(16)
                    api.tokens.add(token)
                    self._json({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})
                elif url.path == "/cgi-bin/auth/getuserinfo":
                    if q.get("access_token") not in api.tokens:
                        return self._json({"errcode": 40014, "errmsg": "invalid access_token"})
                    if q.get("code") not in api.codes:
                        return self._json({"errcode": 40029, "errmsg": "invalid code"})
                    user = api.codes.pop(q["code"])
                    if user is None:
                        return self._json({"errcode": 0, "errmsg": "ok", "openid": "o-outsider"})
                    self._json({"errcode": 0, "errmsg": "ok", "userid": user, "user_ticket": "t"})
                else:
                    self.send_empty(404)

        self.server = local_http.serve(Handler)
        return self

    def stop(self) -> None:
        local_http.stop(self.server)
