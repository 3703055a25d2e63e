"""The language the server speaks to this request (docs/api.md "Which language the server speaks").

zh-CN unless the request's Accept-Language asks for English first — the PWA sends the language its user
chose in 设置 on every call, anonymous pages get the browser's. The choice sits in ``sync.errors.LOCALE``
for the request, so a refusal stored inside a push (被退回) is written in the pusher's language too."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from sync.errors import LOCALE, pick_locale


def locale_of_scope(scope: Scope) -> str:
    accept = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"accept-language"), None)
    return pick_locale(None, accept)


def locale_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        token = LOCALE.set(locale_of_scope(scope))
        try:
            await app(scope, receive, send)
        finally:
            LOCALE.reset(token)

    return middleware
