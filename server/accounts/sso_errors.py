"""Stable error codes of single sign-on and of switched-off password sign-in (docs/security.md)."""

from __future__ import annotations

from sync.errors import define_error

SsoNotConfigured = define_error("sso.not_configured", 404, "No single sign-on issuer is configured.",
    zh="尚未配置企业统一登录")
SsoStateInvalid = define_error(
    "sso.state_invalid", 400, "Unknown, expired or already used sign-in state (a wrong or replayed callback).",
    zh="登录请求已失效，请重新登录")
SsoProviderError = define_error("sso.provider_error", 502, "The issuer refused the code exchange or is unreachable.",
    zh="统一登录服务暂时不可用，请稍后再试")
SsoDenied = define_error("sso.denied", 403, "The issuer answered the sign-in with an error (e.g. access_denied).",
    zh="统一登录未获准许")
SsoIdTokenInvalid = define_error(
    "sso.id_token_invalid", 401, "The id_token failed validation (signature, issuer, audience, nonce, expiry).",
    zh="统一登录的身份凭证无效，请重新登录")
SsoUnknownUser = define_error("sso.unknown_user", 403, "The directory's user id matches no fangtan account.",
    zh="统一登录的账号没有对应的访谈系统用户，请联系管理员")
SsoCodeInvalid = define_error("sso.code_invalid", 401, "Unknown, expired or already used one-time sign-in code.",
    zh="登录码无效、已过期或已使用，请重新登录")
PasswordLoginDisabled = define_error(
    "auth.password_login_disabled", 403, "Password sign-in is switched off (globally or for this user): use SSO.",
    zh="已关闭密码登录，请使用企业统一登录")
