"""Route guards by role. Unit-subtree checks live with the data (``Actor.sees_unit``)."""

from __future__ import annotations

from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from sync.actor import Actor, Role
from sync.errors import Forbidden


def requires_role(*roles: str | Role) -> Callable[[ASGIConnection, BaseRouteHandler], None]:
    """Guard: the caller must hold at least one of ``roles``."""
    names = sorted(r.value if isinstance(r, Role) else r for r in roles)

    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        actor: Actor = connection.user
        if not actor.has_role(*names):
            raise Forbidden(f"需要以下角色之一 (requires one of the roles): {', '.join(names)}")

    return guard
