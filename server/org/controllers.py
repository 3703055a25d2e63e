"""HTTP endpoints for the org tree and the user directory."""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, get

from server.org import service
from server.web.deps import StoreDep
from server.web.guards import allows
from sync.actor import Actor


class OrgUnit(msgspec.Struct):
    id: str
    parent_id: str | None
    name: str
    kind: str
    path: str
    is_handler_dept: bool
    sort: int
    disabled: bool = False
    """停用: old records still name it; pickers leave it out and new work in it is refused."""


class DirectoryUser(msgspec.Struct):
    id: str
    username: str
    name: str
    roles: list[str]
    unit_id: str
    post: str
    disabled: bool


class OrgController(Controller):
    path = "/api/org"
    tags = ["org"]

    @get("/units", guards=[allows("org.unit.list")])
    async def units(self, store: StoreDep) -> list[OrgUnit]:
        """The whole org tree, parents first."""
        rows = await store.read(service.list_units)
        return [OrgUnit(**r) for r in rows]

    @get("/users", guards=[allows("org.user.list")])
    async def users(self, request: Request[Actor, str, object], store: StoreDep) -> list[DirectoryUser]:
        """Users the caller may see (company-wide roles: all; others: their unit subtree)."""
        actor = request.user
        rows = await store.read(lambda db: service.list_users_visible_to(db, actor))
        return [DirectoryUser(**r) for r in rows]
