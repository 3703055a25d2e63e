"""Explicitly marked dependencies every controller may ask for (provided in ``server.app``)."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency

from server.settings import Settings
from server.store import Store

StoreDep = NamedDependency[Store]
SettingsDep = NamedDependency[Settings]
SigningKeyDep = NamedDependency[bytes]


def client_address(connection: ASGIConnection) -> str:
    """The address the rate limits count: the TCP peer, or what a trusted proxy forwarded.

    ``fangtan serve`` passes ``FANGTAN_TRUSTED_PROXIES`` to uvicorn, which rewrites the peer from
    ``X-Forwarded-For`` only when the request comes from one of them; from anyone else the header is
    ignored, so a forged one cannot reset a limit (docs/configuration.md)."""
    return connection.client.host if connection.client else "unknown"
