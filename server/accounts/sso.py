"""Single sign-on: OpenID Connect authorization code flow with PKCE (S256) against one issuer.

``start`` keeps a random ``state`` (stored hashed), a ``nonce`` and the PKCE verifier server-side for
ten minutes; ``callback`` consumes that row (single use), exchanges the code at the issuer's token
endpoint (``client_secret_basic``), validates the id_token (signature against the issuer's JWKS,
``iss``, ``aud``, ``nonce``, ``exp``/``iat``) and links the account by the configured claim (工号) to an
existing, active user — SSO never creates accounts. It then stores a one-time hand-off code (hashed,
two minutes, single use) that the PWA exchanges at ``POST /api/auth/oidc/exchange`` for the same
tokens a password login gives, so no token ever appears in a URL, a log line or a Referer.

PKCE and token helpers come from ``authlib``; the id_token is checked with ``joserfc`` (authlib's
JOSE implementation, which its own ``authlib.jose`` now defers to).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlite_utils import Database

from server.accounts.service import user_by_username
from server.accounts.sso_errors import (
    SsoCodeInvalid,
    SsoIdTokenInvalid,
    SsoProviderError,
    SsoStateInvalid,
    SsoUnknownUser,
)
from server.clock import iso
from server.settings import Settings
from sync.errors import UserDisabled

PENDING_TTL_S = 600
HANDOFF_TTL_S = 120
CLOCK_LEEWAY_S = 60
_ALGORITHMS = ["RS256", "PS256", "ES256"]


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# -- talking to the issuer ------------------------------------------------------------------
async def discover(settings: Settings, client: httpx.AsyncClient) -> dict[str, Any]:
    """The issuer's metadata; its ``issuer`` must equal the configured one (OIDC Discovery §4.3)."""
    url = settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = await client.get(url)
        response.raise_for_status()
        meta = response.json()
    except (httpx.HTTPError, ValueError):
        raise SsoProviderError("统一登录服务暂不可用，请稍后再试 (the issuer's discovery document is unreachable)") from None
    if meta.get("issuer") != settings.oidc_issuer or not all(
        meta.get(k) for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")
    ):
        raise SsoProviderError("统一登录服务配置不一致 (discovery issuer or endpoints do not match)")
    return meta


def new_pending_tx(db: Database, *, now: datetime, provider: str = "oidc") -> dict[str, str]:
    """A fresh state, nonce and PKCE verifier; only the state's hash is the key."""
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    db["sso_pending"].insert({"state_hash": _hash(state), "provider": provider, "nonce": nonce, "verifier": verifier,
                              "created_at": iso(now), "expires_at": iso(now + timedelta(seconds=PENDING_TTL_S))})
    db.execute("delete from sso_pending where expires_at < ?", [iso(now)])
    return {"state": state, "nonce": nonce, "verifier": verifier}


def authorize_url(meta: dict[str, Any], settings: Settings, pending: dict[str, str], redirect_uri: str) -> str:
    return add_params_to_uri(meta["authorization_endpoint"], [
        ("response_type", "code"), ("client_id", settings.oidc_client_id), ("redirect_uri", redirect_uri),
        ("scope", "openid profile"), ("state", pending["state"]), ("nonce", pending["nonce"]),
        ("code_challenge", create_s256_code_challenge(pending["verifier"])), ("code_challenge_method", "S256"),
    ])


def take_pending_tx(db: Database, state: str, *, now: datetime, provider: str = "oidc") -> dict[str, Any]:
    """Consume the state (single use): a wrong, replayed or expired state is refused."""
    rows = list(db.query("select * from sso_pending where state_hash = ? and provider = ?",
                         [_hash(state or ""), provider]))
    if not rows:
        raise SsoStateInvalid("登录请求无效或已使用，请重新发起统一登录 (unknown or used state)")
    db["sso_pending"].delete(rows[0]["state_hash"])
    if rows[0]["expires_at"] < iso(now):
        raise SsoStateInvalid("登录请求已过期，请重新发起统一登录 (state expired)")
    return rows[0]


async def exchange_code(meta: dict[str, Any], settings: Settings, client: httpx.AsyncClient, *, code: str,
                        verifier: str, redirect_uri: str) -> str:
    """Trade the code (with the PKCE verifier) for tokens; returns the id_token."""
    try:
        response = await client.post(
            meta["token_endpoint"],
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                  "code_verifier": verifier},
            auth=(settings.oidc_client_id, settings.oidc_client_secret),
            headers={"Accept": "application/json"},
        )
        body = response.json()
    except (httpx.HTTPError, ValueError):
        raise SsoProviderError("统一登录服务暂不可用，请稍后再试 (token endpoint unreachable)") from None
    if response.status_code != 200 or not isinstance(body, dict) or not body.get("id_token"):
        reason = body.get("error", response.status_code) if isinstance(body, dict) else response.status_code
        raise SsoProviderError(f"统一登录服务拒绝了登录码，请重新登录 (token endpoint refused the code: {reason})")
    return str(body["id_token"])


async def validate_id_token(meta: dict[str, Any], settings: Settings, client: httpx.AsyncClient, *, id_token: str,
                            nonce: str, now: datetime) -> dict[str, Any]:
    """Signature (issuer's JWKS), ``iss``, ``aud``, ``nonce``, ``exp`` and ``iat``; returns the claims."""
    try:
        response = await client.get(meta["jwks_uri"])
        response.raise_for_status()
        keys = KeySet.import_key_set(response.json())
    except (httpx.HTTPError, ValueError, JoseError):
        raise SsoProviderError("统一登录服务的签名密钥不可用 (JWKS unreachable or invalid)") from None
    try:
        token = jwt.decode(id_token, keys, algorithms=_ALGORITHMS)
        registry = jwt.JWTClaimsRegistry(
            now=int(now.timestamp()), leeway=CLOCK_LEEWAY_S,
            iss={"essential": True, "value": settings.oidc_issuer},
            aud={"essential": True, "value": settings.oidc_client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True}, iat={"essential": True}, sub={"essential": True},
        )
        registry.validate(token.claims)
    except (JoseError, ValueError) as exc:
        reason = getattr(exc, "error", None) or type(exc).__name__
        raise SsoIdTokenInvalid(f"身份令牌校验失败，请重新登录 (id_token invalid: {reason})") from None
    return dict(token.claims)


# -- linking and the hand-off -----------------------------------------------------------------
def link_user(db: Database, username: str) -> dict[str, Any]:
    """The existing account whose username is the directory's 工号; SSO creates no accounts."""
    user = user_by_username(db, username) if username else None
    if user is None:
        raise SsoUnknownUser(f"统一登录账号 {username or '（空）'} 未在访谈系统中开通，请联系管理员 (no account for this user)")
    if user["disabled"]:
        raise UserDisabled("账号已停用，请联系管理员 (account disabled)")
    return user


def new_handoff_tx(db: Database, user_id: str, *, now: datetime) -> str:
    code = secrets.token_urlsafe(32)
    db.execute("delete from sso_handoff where expires_at < ?", [iso(now - timedelta(days=1))])
    db["sso_handoff"].insert({"code_hash": _hash(code), "user_id": user_id, "created_at": iso(now),
                              "expires_at": iso(now + timedelta(seconds=HANDOFF_TTL_S)), "used_at": None})
    return code


def take_handoff_tx(db: Database, code: str, *, now: datetime) -> dict[str, Any]:
    """Consume the one-time code: returns the (still active) user row."""
    rows = list(db.query("select * from sso_handoff where code_hash = ?", [_hash(code)]))
    if not rows or rows[0]["used_at"] or rows[0]["expires_at"] < iso(now):
        raise SsoCodeInvalid("登录码无效、已使用或已过期，请重新登录 (one-time code invalid, used or expired)")
    db["sso_handoff"].update(rows[0]["code_hash"], {"used_at": iso(now)})
    user = next(db.query('select * from "user" where id = ?', [rows[0]["user_id"]]))
    if user["disabled"]:
        raise UserDisabled("账号已停用，请联系管理员 (account disabled)")
    return user
