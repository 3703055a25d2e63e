"""``/api/admin/roster``: template, upload → preview → apply, slips; ``POST /api/admin/roster/users`` (新增用户: one person, its
slip kept with the roster's); ``/api/admin/audit``: the admin log."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from server import audit
from server.clock import utcnow
from server.followup.exports.official_docx import XLSX_MEDIA
from server.org.admin import create_user_tx
from server.roster.errors import RosterPreviewUnknown, RosterUnreadable
from server.roster.plan import apply_plan_tx, plan_import, prepare_passwords
from server.roster.previews import TTL_S, memory_of
from server.roster.workbooks import slips_xlsx, template_xlsx
from server.web.deps import StoreDep
from server.web.downloads import attachment
from server.web.guards import allows
from sync import policy
from sync.actor import Actor
from sync.errors import InvalidField

_Text = Annotated[str, msgspec.Meta(max_length=120)]


class UserNew(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, msgspec.Meta(max_length=32)]
    """工号."""
    name: _Text
    unit: _Text
    """Path of names, unique name or id."""
    roles: list[Annotated[str, msgspec.Meta(max_length=32)]]
    post: _Text = ""
    phone: Annotated[str, msgspec.Meta(max_length=32)] = ""


class ApplyRequest(msgspec.Struct, forbid_unknown_fields=True):
    token: str
    apply_valid: bool = False


async def _uploaded_bytes(request: Request) -> bytes:
    """The roster as the raw body, or the ``file`` part of a multipart form."""
    if request.content_type[0] == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or not hasattr(upload, "read"):
            raise RosterUnreadable("没有收到上传的文件 (multipart form without a `file` part)", field="file")
        return await upload.read()
    return await request.body()


class RosterController(Controller):
    path = "/api/admin"
    tags = ["admin"]

    @get("/roster/template", guards=[allows("roster.template.read")], media_type=XLSX_MEDIA)
    async def template(self) -> Response[bytes]:
        """The roster template (.xlsx): 人员名单, 单位, 填写说明."""
        return attachment(template_xlsx(), XLSX_MEDIA, "人员名单模板.xlsx")

    @post("/roster/preview", guards=[allows("roster.import")], status_code=200)
    async def preview(self, request: Request[Actor, str, object], store: StoreDep) -> dict[str, Any]:
        """Upload a roster (.xlsx or .csv, as the body or the ``file`` part of a form): what an import
        would add, change, disable, leave alone and refuse, with a token for ``apply``."""
        data = await _uploaded_bytes(request)
        privileged = policy.can(request.user, "role.grant.privileged")
        plan = await store.read(lambda db: plan_import(db, data, may_grant_privileged=privileged))
        token = memory_of(request.app.state).previews.put(request.user.user_id, data)
        return {**plan.as_dict(), "token": token, "expires_in": TTL_S}

    @post("/roster/apply", guards=[allows("roster.import")], status_code=200)
    async def apply(self, request: Request[Actor, str, object], data: JSONBody[ApplyRequest],
                    store: StoreDep) -> dict[str, Any]:
        """Apply a previewed roster in one transaction (planned again against the database as it is
        now). While any row is refused nothing is applied (422 ``roster.refused``) unless ``apply_valid``."""
        actor = request.user
        memory = memory_of(request.app.state)
        entry = memory.previews.get(data.token)
        if entry is None or entry.owner != actor.user_id:
            raise RosterPreviewUnknown("没有这个预览，或已过期，请重新上传 (no such preview; upload again)", field="token")
        file = entry.data
        privileged = policy.can(actor, "role.grant.privileged")
        plan = await store.read(lambda db: plan_import(db, file, may_grant_privileged=privileged))

        def hash_all() -> dict[str, tuple[str, str]]:
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # argon2 releases the GIL
                return prepare_passwords(plan, pool.map)

        prepared = await asyncio.get_running_loop().run_in_executor(None, hash_all)
        now = utcnow()
        _, applied = await store.write_tx(
            lambda db: apply_plan_tx(db, file, actor=actor.user_id, now=now, apply_valid=data.apply_valid,
                                     passwords=prepared, may_grant_privileged=privileged))
        memory.previews.pop(data.token)
        result: dict[str, Any] = {"summary": applied.summary, "slips_url": None, "slips_count": len(applied.slips)}
        if applied.slips:
            slips_token = memory.slips.put(actor.user_id, slips_xlsx(applied.slips))
            result["slips_url"] = f"/api/admin/roster/slips/{slips_token}"
            result["slips_expires_in"] = TTL_S
        return result

    @get("/roster/slips/{token:str}", guards=[allows("roster.slips.read")], media_type=XLSX_MEDIA)
    async def slips(self, request: Request[Actor, str, object], token: FromPath[str]) -> Response[bytes]:
        """The one-time password slips of an apply (.xlsx), for the admin who applied it, for 30 minutes."""
        entry = memory_of(request.app.state).slips.get(token)
        policy.can_or_reject(request.user, "roster.slips.read", entry.owner if entry else None)
        assert entry is not None
        return attachment(entry.data, XLSX_MEDIA, "一次性密码条.xlsx")

    @post("/roster/users", guards=[allows("user.add")], status_code=201)
    async def add_user(self, request: Request[Actor, str, object], data: JSONBody[UserNew],
                       store: StoreDep) -> dict[str, Any]:
        """新增用户: one account with a one-time password (shown once, and as a printable slip at
        ``slips_url`` for 30 minutes); 409 ``conflict`` naming the holder when the 工号 is taken."""
        actor, now = request.user, utcnow()
        privileged = policy.can(actor, "role.grant.privileged")
        created = await store.write_tx(lambda db: create_user_tx(
            db, msgspec.structs.asdict(data), actor=actor.user_id, may_grant_privileged=privileged, now=now))
        slip = created["slip"]
        token = memory_of(request.app.state).slips.put(actor.user_id, slips_xlsx([slip]))
        return {"user": {k: created["user"][k] for k in ("id", "username", "name", "roles", "post", "unit_id",
                                                          "unit_path")},
                "one_time_password": slip["password"], "slips_url": f"/api/admin/roster/slips/{token}",
                "slips_expires_in": TTL_S}

    @get("/audit", guards=[allows("audit.read")])
    async def audit_log(self, store: StoreDep, limit: FromQuery[int] = 200,
                        before_id: FromQuery[int | None] = None) -> list[dict[str, Any]]:
        """Admin actions, newest first: who (user or ``cli:<login>``), what, on what, when."""
        if not 1 <= limit <= 1000:
            raise InvalidField("`limit` 应在 1 到 1000 之间 (limit must be 1..1000)", field="limit")
        if before_id is not None and not 0 < before_id < 2**62:
            raise InvalidField("`before_id` 无效 (before_id out of range)", field="before_id")
        return await store.read(lambda db: audit.list_entries(db, limit=limit, before_id=before_id))
