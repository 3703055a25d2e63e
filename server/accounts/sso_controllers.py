"""Single sign-on endpoints (OIDC) and the public sign-in configuration the login screen asks for."""

from __future__ import annotations

import json
import logging
from typing import Annotated
from urllib.parse import urlencode

import httpx
import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.response import Redirect

from server.accounts import sso, wecom
from server.accounts.controllers import finish_sign_in
from server.accounts.schemas import LoginResponse, SsoExchangeRequest
from server.accounts.sso_errors import SsoDenied, SsoNotConfigured
from server.clock import iso, utcnow
from server.settings import Settings
from server.web.deps import SettingsDep, SigningKeyDep, StoreDep
from server.web.guards import allows
from sync.errors import FangtanError

log = logging.getLogger("fangtan.security")
_TIMEOUT_S = 10


class SignInConfig(msgspec.Struct):
    sso: bool
    """An enterprise single sign-on (企业统一登录) is configured: the login screen shows its button."""
    sso_providers: list[str]
    """Which: ``oidc`` (the directory, ``/api/auth/oidc/start``), ``wecom`` (企业微信, ``/api/auth/wecom/start``)."""
    password_login: bool
    """Password sign-in is on globally (a user may still have it switched off)."""


def _redirect_uri(request: Request, settings: Settings) -> str:
    return settings.oidc_redirect_url or str(request.base_url).rstrip("/") + "/api/auth/oidc/callback"


def _to_app(request: Request, **fragment: str) -> Redirect:
    """Back to the PWA with the result in the fragment: never sent to a server, logged or in a Referer."""
    return Redirect(path=str(request.base_url).rstrip("/") + "/login#" + urlencode(fragment), status_code=302)


def _require(settings: Settings, enabled: bool | None = None) -> None:
    if not (settings.oidc_enabled if enabled is None else enabled):
        raise SsoNotConfigured("未配置企业统一登录 (single sign-on is not configured)")


def _refused(request: Request, exc: FangtanError, provider: str, now) -> Redirect:
    log.warning(json.dumps({"event": "security.sso_refused", "provider": provider, "code": exc.code,
                            "message": str(exc), "at": iso(now)}, ensure_ascii=False))
    return _to_app(request, sso_error=exc.code)


async def _hand_off(store, username: str, now) -> str:
    def link(db):
        user = sso.link_user(db, username)
        return sso.new_handoff_tx(db, user["id"], now=now)

    return await store.write_tx(link)


class SignInConfigController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @get("/config", exclude_from_auth=True, guards=[allows("session.config.read")])
    async def config(self, settings: SettingsDep) -> SignInConfig:
        """How one may sign in here (public: the login screen asks before anyone is signed in)."""
        providers = [name for name, on in (("oidc", settings.oidc_enabled), ("wecom", settings.wecom_enabled)) if on]
        return SignInConfig(sso=bool(providers), sso_providers=providers,
                            password_login=settings.password_login != "off")


class OidcController(Controller):
    path = "/api/auth/oidc"
    tags = ["auth"]

    @get("/start", exclude_from_auth=True, guards=[allows("session.sso")])
    async def start(self, request: Request, store: StoreDep, settings: SettingsDep) -> Redirect:
        """Send the browser to the issuer, with state, nonce and a PKCE (S256) challenge kept here."""
        _require(settings)
        async with httpx.AsyncClient(timeout=_TIMEOUT_S) as client:
            meta = await sso.discover(settings, client)
        now = utcnow()
        pending = await store.write_tx(lambda db: sso.new_pending_tx(db, now=now))
        return Redirect(path=sso.authorize_url(meta, settings, pending, _redirect_uri(request, settings)),
                        status_code=302)

    @get("/callback", exclude_from_auth=True, guards=[allows("session.sso")])
    async def callback(
        self, request: Request, store: StoreDep, settings: SettingsDep,
        code: FromQuery[str | None] = None, error: FromQuery[str | None] = None,
        oauth_state: Annotated[str | None, QueryParameter(name="state")] = None,
    ) -> Redirect:
        """The issuer's answer: check and consume the state, exchange the code, validate the id_token,
        link the account; the PWA gets a one-time code (or an error code) in the URL fragment."""
        _require(settings)
        now = utcnow()
        try:
            pending = await store.write_tx(lambda db: sso.take_pending_tx(db, oauth_state or "", now=now))
            if error or not code:
                raise SsoDenied(f"统一登录未完成：{error or '缺少授权码'} (the issuer did not sign you in)")
            redirect_uri = _redirect_uri(request, settings)
            async with httpx.AsyncClient(timeout=_TIMEOUT_S) as client:
                meta = await sso.discover(settings, client)
                id_token = await sso.exchange_code(meta, settings, client, code=code, verifier=pending["verifier"],
                                                   redirect_uri=redirect_uri)
                claims = await sso.validate_id_token(meta, settings, client, id_token=id_token,
                                                     nonce=pending["nonce"], now=now)
            handoff = await _hand_off(store, str(claims.get(settings.oidc_username_claim) or ""), now)
        except FangtanError as exc:
            return _refused(request, exc, "oidc", now)
        return _to_app(request, sso_code=handoff)

    @post("/exchange", exclude_from_auth=True, guards=[allows("session.sso")], status_code=200)
    async def exchange(
        self, data: JSONBody[SsoExchangeRequest], store: StoreDep, settings: SettingsDep, signing_key: SigningKeyDep
    ) -> LoginResponse:
        """Trade the one-time code (single use, two minutes) for tokens, enrolling the device as a login does
        (the code of either provider: OIDC or WeCom)."""
        _require(settings, settings.sso_enabled)
        now = utcnow()
        # Consumed in the enrolment's transaction: a refused device_id (revoked, another user's) leaves
        # the code usable, so the app can retry as a new device without a second trip to the issuer.
        return await finish_sign_in(store, settings, signing_key, user=None, device_name=data.device_name,
                                    device_id=data.device_id, now=now,
                                    before=lambda db: sso.take_handoff_tx(db, data.code, now=now))


class WecomController(Controller):
    path = "/api/auth/wecom"
    tags = ["auth"]

    @staticmethod
    def _redirect_uri(request: Request) -> str:
        return str(request.base_url).rstrip("/") + "/api/auth/wecom/callback"

    @get("/start", exclude_from_auth=True, guards=[allows("session.sso")])
    async def start(self, request: Request, store: StoreDep, settings: SettingsDep) -> Redirect:
        """Send the browser to WeCom's sign-in page (网页授权 / 扫码) with a single-use state kept here."""
        _require(settings, settings.wecom_enabled)
        now = utcnow()
        pending = await store.write_tx(lambda db: sso.new_pending_tx(db, now=now, provider="wecom"))
        return Redirect(path=wecom.authorize_url(settings, pending["state"], self._redirect_uri(request)),
                        status_code=302)

    @get("/callback", exclude_from_auth=True, guards=[allows("session.sso")])
    async def callback(
        self, request: Request, store: StoreDep, settings: SettingsDep, code: FromQuery[str | None] = None,
        oauth_state: Annotated[str | None, QueryParameter(name="state")] = None,
    ) -> Redirect:
        """WeCom's answer: consume the state, resolve the code to the directory's ``userid`` (gettoken,
        getuserinfo), link the account; the PWA gets a one-time code (or an error code) in the fragment."""
        _require(settings, settings.wecom_enabled)
        now = utcnow()
        try:
            await store.write_tx(lambda db: sso.take_pending_tx(db, oauth_state or "", now=now, provider="wecom"))
            if not code:  # the user cancelled or WeCom refused: no code comes back
                raise SsoDenied("企业微信登录未完成 (WeCom did not sign you in)")
            async with httpx.AsyncClient(timeout=_TIMEOUT_S) as client:
                user_id = await wecom.user_id_for_code(settings, client, code)
            handoff = await _hand_off(store, user_id, now)
        except FangtanError as exc:
            return _refused(request, exc, "wecom", now)
        return _to_app(request, sso_code=handoff)
