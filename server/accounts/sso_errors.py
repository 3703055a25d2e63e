"""Stable error codes of single sign-on and of switched-off password sign-in (docs/security.md)."""

from __future__ import annotations

from sync.errors import define_error

SsoNotConfigured = define_error("sso.not_configured", 404, "No single sign-on issuer is configured.")
SsoStateInvalid = define_error(
    "sso.state_invalid", 400, "Unknown, expired or already used sign-in state (a wrong or replayed callback).")
SsoProviderError = define_error("sso.provider_error", 502, "The issuer refused the code exchange or is unreachable.")
SsoDenied = define_error("sso.denied", 403, "The issuer answered the sign-in with an error (e.g. access_denied).")
SsoIdTokenInvalid = define_error(
    "sso.id_token_invalid", 401, "The id_token failed validation (signature, issuer, audience, nonce, expiry).")
SsoUnknownUser = define_error("sso.unknown_user", 403, "The directory's user id matches no fangtan account.")
SsoCodeInvalid = define_error("sso.code_invalid", 401, "Unknown, expired or already used one-time sign-in code.")
PasswordLoginDisabled = define_error(
    "auth.password_login_disabled", 403, "Password sign-in is switched off (globally or for this user): use SSO.")
