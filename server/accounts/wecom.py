"""企业微信 (WeCom) web sign-in (OAuth2 网页授权 / 扫码登录): the browser goes to
``open.weixin.qq.com/connect/oauth2/authorize`` with ``appid`` = corp id, ``agentid``, ``scope=snsapi_base``
and our single-use ``state`` (kept server-side, as for OIDC); WeCom sends it back with a ``code``, which
the server resolves with the documented API: ``/cgi-bin/gettoken?corpid&corpsecret`` (an access token,
cached until shortly before it expires, as WeCom asks) and ``/cgi-bin/auth/getuserinfo?access_token&code``
→ ``userid`` — the directory's user id, linked to the account whose username (工号) equals it.
A code is valid once and for five minutes (WeCom's rule); a used one answers errcode 40029.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
from authlib.common.urls import add_params_to_uri

from server.accounts.sso_errors import SsoProviderError, SsoUnknownUser
from server.settings import Settings

_token_cache: dict[tuple[str, str, str], tuple[str, float]] = {}


def authorize_url(settings: Settings, state: str, redirect_uri: str) -> str:
    base = settings.wecom_authorize_base_url.rstrip("/") + "/connect/oauth2/authorize"
    return add_params_to_uri(base, [
        ("appid", settings.wecom_corp_id), ("redirect_uri", redirect_uri), ("response_type", "code"),
        ("scope", "snsapi_base"), ("state", state), ("agentid", settings.wecom_agent_id),
    ]) + "#wechat_redirect"


async def _get(client: httpx.AsyncClient, url: str, params: dict[str, str]) -> dict[str, Any]:
    try:
        response = await client.get(url, params=params)
        body = response.json()
    except (httpx.HTTPError, ValueError):
        raise SsoProviderError("企业微信服务暂不可用，请稍后再试 (WeCom API unreachable)") from None
    if not isinstance(body, dict):
        raise SsoProviderError("企业微信返回了无法识别的结果 (unexpected WeCom answer)")
    return body


async def access_token(settings: Settings, client: httpx.AsyncClient) -> str:
    key = (settings.wecom_api_base_url, settings.wecom_corp_id, settings.wecom_secret)
    cached = _token_cache.get(key)
    if cached and cached[1] > time.monotonic():
        return cached[0]
    body = await _get(client, settings.wecom_api_base_url.rstrip("/") + "/cgi-bin/gettoken",
                      {"corpid": settings.wecom_corp_id, "corpsecret": settings.wecom_secret})
    if body.get("errcode", 0) != 0 or not body.get("access_token"):
        raise SsoProviderError(f"企业微信拒绝了应用凭证，请联系管理员 (gettoken errcode {body.get('errcode')})")
    lifetime = max(0, int(body.get("expires_in", 7200)) - 300)
    _token_cache[key] = (str(body["access_token"]), time.monotonic() + lifetime)
    return str(body["access_token"])


async def user_id_for_code(settings: Settings, client: httpx.AsyncClient, code: str) -> str:
    """The directory user id behind a sign-in code; refusals name WeCom's errcode."""
    token = await access_token(settings, client)
    body = await _get(client, settings.wecom_api_base_url.rstrip("/") + "/cgi-bin/auth/getuserinfo",
                      {"access_token": token, "code": code})
    if body.get("errcode") in (40014, 42001):  # our cached access token went stale: fetch anew next time
        _token_cache.pop((settings.wecom_api_base_url, settings.wecom_corp_id, settings.wecom_secret), None)
    if body.get("errcode", 0) != 0:
        raise SsoProviderError(
            f"企业微信登录码无效或已使用，请重新登录 (getuserinfo errcode {body.get('errcode')})")
    if not body.get("userid"):  # a non-member (openid only): nobody of this company
        raise SsoUnknownUser("该企业微信用户不是本企业成员，无法登录 (not a member of this corp)")
    return str(body["userid"])
