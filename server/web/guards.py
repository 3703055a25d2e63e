"""Route guards that name a permission of the one policy (``sync.policy.PERMISSIONS``).

A guard checks the role part of the permission before anything is read; the row part (unit
subtree, writers, responsible people) is asked by the handler or its service through
``policy.can_or_reject`` with the row in hand. The permission name is kept on the guard so that
``permission_of`` (and the policy matrix test) can find it for every route.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from sync import policy
from sync.errors import Forbidden

Guard = Callable[[ASGIConnection, BaseRouteHandler], None]


def allows(name: str) -> Guard:
    """Guard: the caller must pass the role part of permission ``name``."""
    perm = policy.permission(name)  # an unknown name fails at import, not at request time

    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        if perm.public:
            return
        if not policy.role_allows(connection.user, name):
            raise Forbidden(policy.role_refusal(name))

    guard.permission = name  # type: ignore[attr-defined]
    return guard


def permission_of(handler: BaseRouteHandler) -> str | None:
    """The permission a route declares (through its own guard or its controller's)."""
    guards = [g for layer in handler.ownership_layers for g in (getattr(layer, "guards", None) or ())]
    names = {getattr(g, "permission", None) for g in guards} - {None}
    if len(names) > 1:
        raise ValueError(f"{handler} names more than one permission: {sorted(names)}")
    return next(iter(names), None)
