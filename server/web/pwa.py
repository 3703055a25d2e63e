"""Serve the built PWA at ``/``: hashed assets immutable, the service worker never cached,
and every non-API path falls back to ``index.html`` so deep links work (the SW then takes over)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import HttpMethod, Request, Response, route
from litestar.params import FromPath
from litestar.response import File

from server.web.guards import allows
from sync.errors import MethodNotAllowed, NotFound

_NO_CACHE = "no-cache"
_IMMUTABLE = "public, max-age=31536000, immutable"
_NEVER_CACHED = {"sw.js", "index.html", "manifest.webmanifest", "registerSW.js"}

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


def _resolve(static_dir: Path, rel: str) -> Path | None:
    root = static_dir.resolve()
    candidate = (root / rel).resolve()
    if root not in candidate.parents and candidate != root:
        return None  # path traversal
    return candidate if candidate.is_file() else None


def _cache_control(rel: str) -> str:
    if rel in _NEVER_CACHED or rel.endswith(".html"):
        return _NO_CACHE
    if rel.startswith("assets/"):
        return _IMMUTABLE  # Vite content-hashes every file under assets/
    return "public, max-age=3600"


_ALL_METHODS = [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE]


@route(["/", "/{path:path}"], http_method=_ALL_METHODS, exclude_from_auth=True, include_in_schema=False, sync_to_thread=False,
       guards=[allows("pwa.read")],
       status_code=200)
def serve_pwa(
    request: Request,
    path: FromPath[str] = "/",
) -> Response:
    rel = path.lstrip("/")
    if rel == "api" or rel.startswith("api/"):
        raise NotFound(f"没有这个地址 (no such resource): /{rel}")
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(f"不支持的请求方法 (method not allowed): {request.method} /{rel}")
    static_dir: Path = request.app.state.settings.static_dir
    target = _resolve(static_dir, rel) if rel else None
    if target is None:
        looks_like_file = "." in rel.rsplit("/", 1)[-1]
        index = _resolve(static_dir, "index.html")
        if looks_like_file or index is None:
            if index is None and not looks_like_file:
                return Response(
                    content="<!doctype html><meta charset=utf-8><title>访谈</title>"
                    "<p>前端尚未构建：请运行 <code>make run</code>。The PWA is not built yet: run <code>make run</code>.</p>",
                    media_type="text/html",
                    status_code=503,
                    headers={"Cache-Control": _NO_CACHE},
                )
            raise NotFound(f"没有这个文件 (no such file): /{rel}")
        target, rel = index, "index.html"
    media_type, _ = mimetypes.guess_type(target.name)
    return File(
        path=target,
        media_type=media_type or "application/octet-stream",
        content_disposition_type="inline",
        headers={"Cache-Control": _cache_control(rel)},
    )
