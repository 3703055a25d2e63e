"""Explicitly marked dependencies every controller may ask for (provided in ``server.app``)."""

from __future__ import annotations

from litestar.di import NamedDependency

from server.settings import Settings
from server.store import Store

StoreDep = NamedDependency[Store]
SettingsDep = NamedDependency[Settings]
SigningKeyDep = NamedDependency[bytes]
