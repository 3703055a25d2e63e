"""Security headers on every response, and a JSON access log without secrets or client addresses."""

from __future__ import annotations

import json
import logging
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

# Vant sets inline styles, hence 'unsafe-inline' for styles only; scripts come from 'self' alone.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' blob: data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(self), microphone=(self), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

access_log = logging.getLogger("fangtan.access")


async def add_security_headers(message: Message, scope: Scope) -> None:
    """``before_send`` hook: runs for every response, error responses and unmatched paths included."""
    if message["type"] == "http.response.start":
        present = {name.lower() for name, _ in message.get("headers", [])}
        message["headers"] = list(message.get("headers", [])) + [(n, v) for n, v in SECURITY_HEADERS if n not in present]
        scope.setdefault("state", {})["fangtan_status"] = message["status"]  # type: ignore[typeddict-item]
    elif message["type"] == "http.response.body" and not message.get("more_body", False):
        _log_access(scope)


def request_timer_middleware(app: ASGIApp) -> ASGIApp:
    """Stamps the request's start so the access log can say how long it took."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        scope.setdefault("state", {})["fangtan_t0"] = time.perf_counter()  # type: ignore[typeddict-item]
        await app(scope, receive, send)

    return middleware


def _log_access(scope: Scope) -> None:
    state = scope.get("state", {})
    if state.get("fangtan_no_log"):
        return  # e.g. the anonymous evaluation endpoint: not even that a request happened
    t0 = state.get("fangtan_t0")
    user = scope.get("user")
    # Path only (no query string: it could carry identifiers), no client address, no user agent.
    access_log.info(
        json.dumps(
            {
                "method": scope.get("method"),
                "path": scope.get("path"),
                "status": state.get("fangtan_status"),
                "ms": round((time.perf_counter() - t0) * 1000, 1) if t0 else None,
                "user": getattr(user, "user_id", None),
            },
            ensure_ascii=False,
        )
    )
