"""Keeping pushes from clients that are too old (426) instead of dropping them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from sqlite_utils import Database

from server.clock import iso
from sync import wire
from sync.actor import Actor
from sync.errors import ClientTooOld

# What SQLite can store: a larger number is not a version, and the strict decoder names the field.
_Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]


class _Versions(msgspec.Struct):
    """The only fields every protocol version is guaranteed to carry; the rest is ignored here."""

    protocol: _Int64
    schema_version: _Int64
    device_id: str | None = None


def below_window(body: bytes, media: wire.Media) -> _Versions | None:
    """The versions of a push that is too old to decode with today's types, else None."""
    try:
        versions = (msgspec.json.decode if media == "json" else msgspec.msgpack.decode)(body, type=_Versions)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError):
        return None  # not even that much: the strict decoder will name the problem
    if versions.protocol < wire.MIN_PROTOCOL or versions.schema_version < wire.MIN_SCHEMA_VERSION:
        return versions
    return None


def park_tx(db: Database, *, actor: Actor, versions: _Versions, media: str, body: bytes, now: datetime) -> None:
    db["parked_push"].insert(
        {
            "device_id": versions.device_id if versions.device_id == actor.device_id else actor.device_id,
            "user_id": actor.user_id,
            "received_at": iso(now),
            "protocol": versions.protocol,
            "schema_version": versions.schema_version,
            "media": media,
            "body": body,
        }
    )


def too_old_error(versions: _Versions) -> ClientTooOld:
    return ClientTooOld(
        f"应用版本过旧（协议 {versions.protocol}，数据版本 {versions.schema_version}），请更新；未同步的内容已保存在服务器"
        f"和设备上 (client below the accepted window: protocol >= {wire.MIN_PROTOCOL}, schema >= "
        f"{wire.MIN_SCHEMA_VERSION}; this push was kept, update the app)",
        details={"min_protocol": wire.MIN_PROTOCOL, "min_schema_version": wire.MIN_SCHEMA_VERSION, "parked": True},
    )
