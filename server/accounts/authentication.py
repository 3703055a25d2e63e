"""Bearer-token authentication: every request (but ``server.web.auth.PUBLIC_PATHS``) gets an
``Actor`` or a 401."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware.authentication import AbstractAuthenticationMiddleware, AuthenticationResult

from server.accounts.one_time import ALLOWED_WHILE_PENDING, PasswordChangeRequired, password_change_pending
from server.accounts.service import actor_for
from server.accounts.tokens import decode_access_token
from sync.errors import NotAuthenticated


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("需要登录：缺少登录令牌 (missing bearer token)")
        state = connection.app.state
        user_id, device_id, session_id = decode_access_token(state.signing_key, token.strip())
        actor, pending = await state.store.read(
            lambda db: (actor_for(db, user_id, device_id, session_id), password_change_pending(db, user_id)))
        # --- one-time passwords (roster import): nothing but setting one's own password until done ---
        if pending and (connection.scope.get("method", "GET"), connection.scope["path"]) not in ALLOWED_WHILE_PENDING:
            raise PasswordChangeRequired(
                "首次登录请先设置自己的密码 (set your own password first: POST /api/me/password)")
        return AuthenticationResult(user=actor, auth=token)
