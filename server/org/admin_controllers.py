"""``/api/admin/users`` and ``/api/admin/units``: what the admin screens change (docs/administration.md).

The same operations as ``fangtan user edit|move|roles|reset`` and ``fangtan unit rename|move``, each
audited in its own transaction."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from server.clock import utcnow
from server.org.admin import (
    add_unit_admin_tx,
    edit_unit_tx,
    edit_user_tx,
    reset_password_tx,
    set_unit_disabled_admin_tx,
)
from server.org.service import UNIT_KINDS, list_units_with_paths
from server.org.user_queries import search_users, user_devices
from server.web.deps import StoreDep
from server.web.guards import allows
from sync import policy
from sync.actor import Actor
from sync.errors import InvalidField

_Text = Annotated[str, msgspec.Meta(max_length=120)]


class UserEdit(msgspec.Struct, forbid_unknown_fields=True):
    name: _Text | None = None
    post: _Text | None = None
    phone: Annotated[str, msgspec.Meta(max_length=32)] | None = None
    unit: _Text | None = None
    """Path of names, unique name or id."""
    roles: list[Annotated[str, msgspec.Meta(max_length=32)]] | None = None
    """Chinese names or ids; 管理员 / 保密管理员 only by an admin (``role.grant.privileged``)."""
    disabled: bool | None = None


class UnitEdit(msgspec.Struct, forbid_unknown_fields=True):
    name: _Text | None = None
    parent: _Text | None = None
    is_handler_dept: bool | None = None
    """Mark (true) or unmark (false) the unit as a 责任部门: problems can be assigned to it."""


class UnitNew(msgspec.Struct, forbid_unknown_fields=True):
    name: _Text
    parent: _Text
    """Parent unit: path of names, unique name or id."""
    kind: Annotated[str, msgspec.Meta(max_length=16)] = "department"
    is_handler_dept: bool = False


class AdminUser(msgspec.Struct):
    id: str
    username: str
    name: str
    roles: list[str]
    roles_zh: str
    post: str
    unit_id: str
    unit_path: str
    disabled: bool
    must_change_password: bool
    device_count: int
    active_devices: int


class AdminUserPage(msgspec.Struct):
    total: int
    users: list[AdminUser]


class AdminDevice(msgspec.Struct):
    id: str
    name: str
    created_at: str
    last_seen_at: str | None
    revoked_at: str | None
    clock_offset_ms: int | None
    """The device clock's offset from the server's at its last sync (as ``/api/sync/devices``); ``None`` before one."""


class AdminController(Controller):
    path = "/api/admin"
    tags = ["admin"]

    @get("/users", guards=[allows("user.list")])
    async def users(self, store: StoreDep,
                    q: Annotated[str, QueryParameter(max_length=120)] = "",
                    unit_id: FromQuery[str | None] = None,
                    limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
                    offset: Annotated[int, QueryParameter(ge=0)] = 0) -> AdminUserPage:
        """Users whose name, 工号 or unit path contains ``q``, in ``unit_id``'s subtree, one page by 工号."""
        page = await store.read(lambda db: search_users(db, q=q, unit_id=unit_id, limit=limit, offset=offset))
        return msgspec.convert(page, AdminUserPage)

    @get("/users/{username:str}/devices", guards=[allows("user.device.list")])
    async def devices(self, username: FromPath[str], store: StoreDep) -> list[AdminDevice]:
        """A user's devices: name, enrolled, last seen, clock offset at the last sync, revoked."""
        rows = await store.read(lambda db: user_devices(db, username))
        return msgspec.convert(rows, list[AdminDevice])

    @patch("/users/{username:str}", guards=[allows("user.edit")])
    async def edit_user(self, request: Request[Actor, str, object], username: FromPath[str],
                        data: JSONBody[UserEdit], store: StoreDep) -> dict[str, Any]:
        """Change a user's name, post, phone, unit, roles or disabled state → ``{field: [old, new]}``."""
        actor = request.user
        privileged = policy.can(actor, "role.grant.privileged")
        now = utcnow()
        return await store.write_tx(lambda db: edit_user_tx(
            db, username, msgspec.structs.asdict(data), actor=actor.user_id, may_grant_privileged=privileged, now=now))

    @post("/users/{username:str}/reset-password", guards=[allows("user.password.reset")], status_code=200)
    async def reset_password(self, request: Request[Actor, str, object], username: FromPath[str],
                             store: StoreDep) -> dict[str, str]:
        """A one-time password for the user (shown once); they must set their own at the next sign-in."""
        actor, now = request.user, utcnow()
        password = await store.write_tx(lambda db: reset_password_tx(db, username, actor=actor.user_id, now=now))
        return {"username": username, "one_time_password": password}

    @get("/units", guards=[allows("unit.edit")])
    async def units(self, store: StoreDep) -> list[dict[str, Any]]:
        """The org tree for the editor: every unit, parents first, with its path of names, 责任部门
        flag and the number of active accounts in it."""
        return await store.read(list_units_with_paths)

    @post("/units", guards=[allows("unit.add")], status_code=201)
    async def add_unit(self, request: Request[Actor, str, object], data: JSONBody[UnitNew],
                       store: StoreDep) -> dict[str, Any]:
        """A unit under ``parent`` (kind: ``department``/``workshop``/``team``) → its id and path; a
        same-named sibling is refused (409) naming the existing unit's path."""
        actor, now = request.user, utcnow()
        if data.kind not in UNIT_KINDS or data.kind == "company":
            raise InvalidField("单位类型应为部门、车间或班组 (kind must be department, workshop or team)", field="kind")
        return await store.write_tx(lambda db: add_unit_admin_tx(
            db, name=data.name, kind=data.kind, parent=data.parent, is_handler_dept=data.is_handler_dept,
            actor=actor.user_id, now=now))

    @patch("/units/{unit_id:str}", guards=[allows("unit.edit")])
    async def edit_unit(self, request: Request[Actor, str, object], unit_id: FromPath[str],
                        data: JSONBody[UnitEdit], store: StoreDep) -> dict[str, Any]:
        """Rename a unit, move it (with its subtree) below another parent, mark/unmark it as a 责任部门 →
        the unit's new path. All in one transaction: a refused move leaves the rename undone too."""
        actor, now = request.user, utcnow()
        return await store.write_tx(
            lambda db: edit_unit_tx(db, unit_id, name=data.name, parent=data.parent, actor=actor.user_id, now=now,
                                    is_handler_dept=data.is_handler_dept))

    @post("/units/{unit_id:str}/disable", guards=[allows("unit.disable")], status_code=200)
    async def disable_unit(self, request: Request[Actor, str, object], unit_id: FromPath[str],
                           store: StoreDep) -> dict[str, Any]:
        """停用: the unit keeps its history but is no longer chosen for new work. ``409 unit.in_use``
        while it has active people, active sub-units, employees, open problems assigned to it or open
        plan items — the message names each (docs/administration.md)."""
        actor, now = request.user, utcnow()
        return await store.write_tx(
            lambda db: set_unit_disabled_admin_tx(db, unit_id, True, actor=actor.user_id, now=now))

    @post("/units/{unit_id:str}/enable", guards=[allows("unit.disable")], status_code=200)
    async def enable_unit(self, request: Request[Actor, str, object], unit_id: FromPath[str],
                          store: StoreDep) -> dict[str, Any]:
        """启用 a disabled unit again (refused while its parent is disabled)."""
        actor, now = request.user, utcnow()
        return await store.write_tx(
            lambda db: set_unit_disabled_admin_tx(db, unit_id, False, actor=actor.user_id, now=now))
