"""Wire shapes of the account endpoints (msgspec Structs; unknown fields are rejected)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

_Name = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: _Name
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    device_name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    device_id: str | None = None
    """The install's existing device id, to sign in again on the same install (keeps its outbox)."""


class SsoExchangeRequest(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    """The one-time code the SSO callback put in the PWA's URL fragment."""
    device_name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    device_id: str | None = None


class UserInfo(msgspec.Struct):
    id: str
    name: str
    roles: list[str]
    unit_id: str
    username: str = ""
    post: str = ""


class LoginResponse(msgspec.Struct):
    access_token: str
    refresh_token: str
    device_id: str
    user: UserInfo
    token_type: str = "Bearer"
    expires_in: int = 0
    public_base_url: str = ""
    """Origin employees' phones open ``/r/`` and ``/e/`` at (``FANGTAN_PUBLIC_BASE_URL``); empty: this server's."""
    must_change_password: bool = False
    """Signed in with a one-time password: every call but ``GET /api/me`` and ``POST /api/me/password``
    answers 403 ``auth.password_change_required`` until the user sets their own."""
    locale: str | None = None
    """The language the user chose for what the server writes to them (``PUT /api/me/locale``); none: zh-CN."""


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class RefreshResponse(msgspec.Struct):
    access_token: str
    refresh_token: str
    device_id: str
    token_type: str = "Bearer"
    expires_in: int = 0


class DeviceInfo(msgspec.Struct):
    id: str
    name: str
    created_at: str
    last_seen_at: str | None = None
    revoked_at: str | None = None
    current: bool = False


class LocaleChoice(msgspec.Struct, forbid_unknown_fields=True):
    locale: Literal["zh-CN", "en"]
    """``zh-CN`` (the company's) or ``en``."""


class MeResponse(msgspec.Struct):
    user: UserInfo
    device_id: str | None
    unit_path: str
    company_wide: bool
    must_change_password: bool = False
    """Still on a one-time password (see ``LoginResponse.must_change_password``)."""
    locale: str | None = None
    """See ``LoginResponse.locale``."""
