"""HTTP endpoints for sign-in, token refresh, the caller's identity and devices."""

from __future__ import annotations

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from server import audit
from server.accounts import service
from server.accounts.schemas import (
    DeviceInfo,
    LocaleChoice,
    LoginRequest,
    LoginResponse,
    MeResponse,
    RefreshRequest,
    RefreshResponse,
    UserInfo,
)
from server.accounts.sso_errors import PasswordLoginDisabled
from server.accounts.tokens import issue_access_token
from server.clock import utcnow
from server.web.deps import SettingsDep, SigningKeyDep, StoreDep, client_address
from server.web.guards import allows
from sync import policy
from sync.actor import Actor
from sync.errors import FangtanError


def _user_info(row: dict) -> UserInfo:
    public = service.public_user(row)
    return UserInfo(
        id=public["id"], name=public["name"], roles=public["roles"], unit_id=public["unit_id"],
        username=public["username"], post=public["post"],
    )


async def finish_sign_in(store, settings, signing_key, *, user: dict | None, device_name: str, device_id: str | None,
                         now, before=None) -> LoginResponse:
    """What every sign-in ends with (password or SSO): device enrolment, a session chain, tokens.

    ``before(db)`` runs first in the same transaction; when it returns a user row (SSO: consuming the
    one-time code) that is the user, so a refused device rolls the consumption back too."""

    def enrol(db):  # one transaction: a device never exists without its refresh token
        nonlocal user
        if before is not None:
            user = before(db) or user
        assert user is not None
        enrolled = service.enrol_device_tx(db, user_id=user["id"], device_name=device_name, now=now,
                                           device_id=device_id)
        session_id, token = service.start_session_tx(db, device_id=enrolled, now=now,
                                                     ttl_s=settings.refresh_token_ttl_s)
        return enrolled, session_id, token

    device_id, session_id, refresh_token = await store.write_tx(enrol)
    access = issue_access_token(
        signing_key, user_id=user["id"], device_id=device_id, ttl_s=settings.access_token_ttl_s, now=now,
        session_id=session_id,
    )
    return LoginResponse(
        access_token=access, refresh_token=refresh_token, device_id=device_id, user=_user_info(user),
        expires_in=settings.access_token_ttl_s, public_base_url=settings.public_origin,
        must_change_password=bool(user.get("must_change_password")),  # one-time password (roster import)
        locale=user.get("locale"),
    )


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", exclude_from_auth=True, guards=[allows("session.login")], status_code=200)
    async def login(
        self, request: Request, data: JSONBody[LoginRequest], store: StoreDep, settings: SettingsDep, signing_key: SigningKeyDep
    ) -> LoginResponse:
        """Sign in and enrol this install as a device (or re-use ``device_id`` on the same install)."""
        if settings.password_login == "off":
            raise PasswordLoginDisabled("已关闭密码登录，请使用企业统一登录 (password sign-in is switched off)")
        now = utcnow()
        address = client_address(request)
        limits = dict(
            window_s=settings.login_failure_window_s,
            per_account=settings.login_max_failures_per_account,
            per_address=settings.login_max_failures_per_address,
            backoff_base_s=settings.guess_backoff_base_s,
            backoff_max_s=settings.guess_backoff_max_s,
        )
        # Check and count in one write transaction, before the hash is verified (atomic under load).
        await store.write_tx(
            lambda db: service.reserve_login_attempt_tx(db, username=data.username, address=address, now=now, **limits)
        )
        # A failure keeps the reserved row; only a success removes it.
        user = await store.read(lambda db: service.authenticate(db, data.username, data.password))

        if not user.get("password_login", 1):  # per user: said only after the right password
            raise PasswordLoginDisabled("该账号已关闭密码登录，请使用企业统一登录 (password sign-in is off for this user)")
        return await finish_sign_in(
            store, settings, signing_key, user=user, device_name=data.device_name, device_id=data.device_id, now=now,
            before=lambda db: service.login_succeeded_tx(db, username=data.username, address=address),
        )

    @post("/refresh", exclude_from_auth=True, guards=[allows("session.refresh")], status_code=200)
    async def refresh(
        self, data: JSONBody[RefreshRequest], store: StoreDep, settings: SettingsDep, signing_key: SigningKeyDep
    ) -> RefreshResponse:
        """Trade a refresh token (single use) for a new access token and a new refresh token."""
        now = utcnow()
        rotated = await store.write_tx(
            lambda db: service.rotate_refresh_token_tx(db, data.refresh_token, now=now, ttl_s=settings.refresh_token_ttl_s)
        )
        if isinstance(rotated, FangtanError):  # a replay: the chain's end is committed, then refused
            raise rotated
        device, token = rotated
        access = issue_access_token(
            signing_key, user_id=device["user_id"], device_id=device["id"], ttl_s=settings.access_token_ttl_s, now=now,
            session_id=device["session_id"],
        )
        return RefreshResponse(
            access_token=access, refresh_token=token, device_id=device["id"], expires_in=settings.access_token_ttl_s
        )


class MeController(Controller):
    path = "/api"
    tags = ["accounts"]

    @get("/me", guards=[allows("me.read")])
    async def me(self, request: Request[Actor, str, object], store: StoreDep) -> MeResponse:
        """The signed-in user, their device and reading scope."""
        actor = request.user
        row = await store.read(lambda db: service.user_row(db, actor.user_id))
        return MeResponse(
            user=_user_info(row), device_id=actor.device_id, unit_path=actor.unit_path, company_wide=actor.company_wide,
            must_change_password=bool(row.get("must_change_password")),  # one-time password (roster import)
            locale=row.get("locale"),
        )

    @put("/me/locale", guards=[allows("me.locale.write")], status_code=200)
    async def set_locale(self, request: Request[Actor, str, object], data: JSONBody[LocaleChoice],
                         store: StoreDep) -> LocaleChoice:
        """The language the caller's notifications (inbox, Web Push) are written in from now on;
        those already sent keep their words."""
        actor = request.user
        await store.write_tx(lambda db: service.set_locale_tx(db, actor.user_id, data.locale))
        return data

    @get("/devices", guards=[allows("device.list")])
    async def devices(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        user_id: FromQuery[str | None] = None,
    ) -> list[DeviceInfo]:
        """The caller's devices; an admin may list another user's with ``?user_id=``."""
        actor = request.user
        target = user_id if (user_id and policy.can(actor, "device.list", user_id)) else actor.user_id
        rows = await store.read(lambda db: service.list_devices(db, target))
        return [DeviceInfo(**row, current=row["id"] == actor.device_id) for row in rows]

    @post("/devices/{device_id:str}/revoke", guards=[allows("device.revoke")], status_code=200)
    async def revoke(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        device_id: FromPath[str],
    ) -> DeviceInfo:
        """Revoke a device (own, or any as admin): its tokens fail from the next request on."""
        actor = request.user
        now = utcnow()

        def revoke(db):
            row = service.revoke_device_tx(db, device_id=device_id, by=actor, now=now)
            if row["user_id"] != actor.user_id:  # an admin revoking someone's device: the admin audit log
                audit.record_tx(db, actor=actor.user_id, action="device.revoke", target=device_id,
                                details={"user_id": row["user_id"]}, now=now)
            return row

        row = await store.write_tx(revoke)
        return DeviceInfo(
            id=row["id"], name=row["name"], created_at=row["created_at"], last_seen_at=row["last_seen_at"],
            revoked_at=row["revoked_at"], current=row["id"] == actor.device_id,
        )
