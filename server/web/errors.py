"""Every error leaves as ``{"error": {"code", "message", "field"?, "details"?}}`` with a stable code."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from sync.errors import LOCALE, FangtanError, pick_locale, render_message

log = logging.getLogger("fangtan.errors")

_STATUS_CODES = {
    400: "request.invalid",
    401: "auth.required",
    403: "auth.forbidden",
    404: "not_found",
    405: "request.method_not_allowed",
    413: "request.too_large",
    415: "request.media_type",
    429: "rate_limited",
}


def request_locale(request: Request | None) -> str:
    """zh-CN unless the request asks for English (the PWA sends its chosen language as Accept-Language)."""
    if request is None:
        return LOCALE.get()
    return pick_locale(None, request.headers.get("accept-language"))


def error_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None, request: Request | None = None
) -> Response[Any]:
    """The envelope; its message rendered in the request's language (the code stays as it is)."""
    if isinstance(body.get("message"), str):
        body = {**body, "message": render_message(str(body.get("code")), status, body["message"], request_locale(request))}
    return Response(content={"error": body}, status_code=status, media_type=MediaType.JSON, headers=headers)


def fangtan_error_handler(request: Request, exc: FangtanError) -> Response[Any]:
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    return error_response(exc.status, exc.to_dict(), headers, request)


def _field_from_key(key: str | None, message: str) -> str | None:
    unknown = re.search(r"(?:unknown|missing required) field `([^`]+)`", message)
    if unknown:
        return unknown.group(1)
    # Litestar's own words for a parameter left out: "Missing required query parameter 'year' for path …"
    parameter = re.search(r"[Mm]issing required (?:query |header |cookie |path )?parameter '([^']+)'", message)
    if parameter:
        return parameter.group(1)
    if key and key != "data":
        return key
    match = re.search(r"`\$\.([^`]+)`", message)  # msgspec: "... - at `$.mutations[0].args`"
    return match.group(1) if match else None


def validation_handler(request: Request, exc: ValidationException) -> Response[Any]:
    """Litestar/msgspec decoding errors: malformed bodies, unknown fields, wrong types."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    first = extra[0] if extra and isinstance(extra[0], dict) else {}
    message = str(first.get("message") or exc.detail)
    field = _field_from_key(first.get("key"), message)
    malformed = "malformed" in message.lower() or "json is malformed" in message.lower() or "decode" in message.lower()
    if malformed and not field:
        body = {"code": "request.malformed", "message": f"请求体不是有效的 JSON (malformed body: {message})"}
    else:
        named = f" `{field}` " if field else ""
        body = {"code": "request.invalid_field", "message": f"字段{named}无效 (invalid field: {message})"}
        if field:
            body["field"] = field
    return error_response(400, body, request=request)


def not_found_handler(request: Request, exc: NotFoundException) -> Response[Any]:
    return error_response(404, {"code": "not_found", "message": f"没有这个地址 (no such resource: {request.url.path})"}, request=request)


def http_exception_handler(request: Request, exc: HTTPException) -> Response[Any]:
    if exc.status_code == 400:  # Litestar's own 400s are undecodable bodies (truncated, not JSON, bad length)
        return error_response(
            400, {"code": "request.malformed", "message": f"请求体无法解析 (malformed body: {exc.detail})"}, request=request
        )
    if exc.status_code >= 500:
        # Litestar's 5xx details can name server files (e.g. a missing static or blob file): log them,
        # answer the generic message.
        return internal_error_handler(request, exc)
    code = _STATUS_CODES.get(exc.status_code, f"http.{exc.status_code}")
    headers = dict(exc.headers or {})
    return error_response(exc.status_code, {"code": code, "message": str(exc.detail)}, headers or None, request)


def internal_error_handler(request: Request, exc: Exception) -> Response[Any]:
    # Log the type and where, never the request body: it may hold passwords or interview text.
    log.error("unhandled error on %s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc)
    return error_response(
        HTTP_500_INTERNAL_SERVER_ERROR, {"code": "internal", "message": "服务器内部错误 (internal server error)"},
        request=request,
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    FangtanError: fangtan_error_handler,
    ValidationException: validation_handler,
    NotFoundException: not_found_handler,
    HTTPException: http_exception_handler,
    Exception: internal_error_handler,
}
