"""``POST /api/me/password``: the signed-in user sets their own password (required after a one-time one)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, post
from litestar.params import JSONBody

from server.accounts.one_time import change_own_password_tx
from server.clock import utcnow
from server.web.deps import StoreDep
from server.web.guards import allows
from sync.actor import Actor


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    new_password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class PasswordChanged(msgspec.Struct):
    must_change_password: bool = False


class PasswordController(Controller):
    path = "/api/me"
    tags = ["accounts"]

    @post("/password", guards=[allows("me.password.change")], status_code=200)
    async def change(self, request: Request[Actor, str, object], data: JSONBody[PasswordChange],
                     store: StoreDep) -> PasswordChanged:
        """Replace the caller's password; clears the one-time password's ``must_change_password``."""
        actor = request.user
        now = utcnow()
        await store.write_tx(
            lambda db: change_own_password_tx(db, actor.user_id, data.current_password, data.new_password, now))
        return PasswordChanged()
