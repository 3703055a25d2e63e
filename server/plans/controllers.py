"""HTTP endpoints of plans (docs/api.md §Plans): completion, counts and coverage warnings. The plan
items themselves travel by sync (``plan.save``)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from server.clock import utcnow
from server.followup.exports import numbering
from server.followup.exports.official_docx import DOCX_MEDIA, XLSX_MEDIA
from server.plans import carryover, imports, service
from server.plans.coverage import CoverageWarning
from server.plans.errors import PlanFileUnreadable
from server.plans.exports import SCOPE_ZH, plan_key, render_plan_docx, render_plan_xlsx
from server.plans.progress import CompletionCount, PlanItemStatus
from server.web.deps import SettingsDep, StoreDep
from server.web.downloads import attachment
from server.web.guards import allows
from sync import policy
from sync.actor import Actor
from sync.calendar import local_date
from sync.errors import InvalidField


def _check_period(year: int, quarter: int | None, month: int | None) -> None:
    if not 2000 <= year <= 2100:
        raise InvalidField("`year` 应为 2000-2100 (year out of range)", field="year")
    if quarter is not None and not 1 <= quarter <= 4:
        raise InvalidField("`quarter` 应为 1-4 (quarter out of range)", field="quarter")
    if month is not None and not 1 <= month <= 12:
        raise InvalidField("`month` 应为 1-12 (month out of range)", field="month")


Scope = Literal["company", "unit"]


class CopyRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    from_year: int
    to_year: int
    apply: bool = False
    """False: only count what would be created (the preview)."""


async def _uploaded_plan(request: Request) -> bytes:
    """The plan file as the raw body, or the ``file`` part of a multipart form."""
    if request.content_type[0] == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or not hasattr(upload, "read"):
            raise PlanFileUnreadable("表单中没有 `file` 字段 (multipart form without a `file` part)", field="file")
        return await upload.read()
    return await request.body()


def _import_year(year: int | None) -> None:
    if year is not None:
        _check_period(year, None, None)


class PlanController(Controller):
    path = "/api/plans"
    tags = ["plans"]

    @get("/completion", guards=[allows("plan.completion.read")])
    async def completion(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        year: FromQuery[int],
        quarter: FromQuery[int | None] = None,
        month: FromQuery[int | None] = None,
        unit_id: FromQuery[str | None] = None,
        cadre_id: FromQuery[str | None] = None,
    ) -> list[PlanItemStatus]:
        """Status (planned/done/late/missed) of each active plan item the caller may see."""
        _check_period(year, quarter, month)
        actor = request.user
        return await store.read(
            lambda db: service.visible_completion(
                db, actor, year=year, quarter=quarter, month=month, unit_id=unit_id, cadre_id=cadre_id
            )
        )

    @get("/summary", guards=[allows("plan.summary.read")])
    async def summary(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        year: FromQuery[int],
        by: FromQuery[Literal["cadre", "unit", "month", "quarter"]] = "cadre",
        quarter: FromQuery[int | None] = None,
        month: FromQuery[int | None] = None,
    ) -> list[CompletionCount]:
        """Counts per cadre, unit, month or quarter over the items the caller may see."""
        _check_period(year, quarter, month)
        actor = request.user
        return await store.read(
            lambda db: service.visible_summary(db, actor, year=year, quarter=quarter, month=month, by=by)
        )

    @get("/coverage", guards=[allows("plan.coverage.read")])
    async def coverage(
        self, request: Request[Actor, str, object], store: StoreDep, year: FromQuery[int]
    ) -> list[CoverageWarning]:
        """Where the year's plans miss 每季度 1 次 / 年度深度复盘 / 每月 1 次 (a unit lead: their units)."""
        _check_period(year, None, None)
        actor = request.user
        return await store.read(lambda db: service.visible_coverage(db, actor, year=year))

    @get("/export/xlsx", guards=[allows("plan.export")])
    async def export_xlsx(
        self, request: Request[Actor, str, object], store: StoreDep, year: FromQuery[int],
        plan_scope: Annotated[Scope | None, QueryParameter(name="scope")] = None,
    ) -> Response[bytes]:
        """The year's plan (one scope or both) as .xlsx: the active items the caller may see."""
        _check_period(year, None, None)
        actor = request.user
        plan = await store.read(lambda db: service.visible_plan_export(db, actor, year=year, scope=plan_scope))
        return attachment(render_plan_xlsx(plan), XLSX_MEDIA, f"{plan.title}.xlsx")

    @get("/export/docx", guards=[allows("plan.export")])
    async def export_docx(
        self, request: Request[Actor, str, object], store: StoreDep, settings: SettingsDep, year: FromQuery[int],
        plan_scope: Annotated[Scope | None, QueryParameter(name="scope")] = None,
    ) -> Response[bytes]:
        """The same plan as a .docx to issue (GB/T 9704: 版头, 发文字号, title, 主送, one table of the
        items, 落款, page numbers). HR's export is the issued plan and gets its 发文字号 (once per year
        and scope); anyone else's (a unit lead's subtree) is a working copy without a number."""
        _check_period(year, None, None)
        actor, now = request.user, utcnow()
        plan, organ = await store.read(lambda db: (
            service.visible_plan_export(db, actor, year=year, scope=plan_scope), numbering.issuer(settings, db)))
        number = None
        if policy.can(actor, "plan.issue"):
            key = plan_key(year, plan_scope)
            number = await store.write_tx(lambda db: numbering.assign(
                db, key, local_date(now).year, settings.document_number_prefix, now.isoformat()))
        content = render_plan_docx(plan, local_date(now), organ=organ, number=number)
        return attachment(content, DOCX_MEDIA, f"{plan.title}.docx")

    @post("/copy", guards=[allows("plan.copy")], status_code=200)
    async def copy_plan(self, request: Request[Actor, str, object], store: StoreDep,
                        data: JSONBody[CopyRequest]) -> carryover.CopyAnswer:
        """复制上年计划 (HR): ``apply: false`` counts the items to create; ``apply: true`` creates them
        through ``plan.save`` (windows a year later, active). Items already copied are skipped."""
        for name in ("from_year", "to_year"):
            if not 2000 <= getattr(data, name) <= 2100:
                raise InvalidField(f"`{name}` 应为 2000-2100 (year out of range)", field=name)
        if not data.apply:
            return await store.read(lambda db: carryover.preview_copy(db, from_year=data.from_year, to_year=data.to_year))
        actor, now = request.user, utcnow()
        return await store.write(
            lambda db: carryover.apply_copy(db, actor, from_year=data.from_year, to_year=data.to_year, now=now))

    @get("/import/template", guards=[allows("plan.import")])
    async def import_template(
        self, request: Request[Actor, str, object], store: StoreDep,
        plan_scope: Annotated[Scope, QueryParameter(name="scope")] = "company",
    ) -> Response[bytes]:
        """The plan template (.xlsx): sheet 访谈计划 with the export's columns, sheet 说明 with the
        allowed values, the units the caller may plan and the cadres by 工号."""
        actor = request.user
        content = await store.read(lambda db: imports.template_xlsx(db, actor, scope=plan_scope))
        return attachment(content, XLSX_MEDIA, f"{SCOPE_ZH[plan_scope]}模板.xlsx")

    @post("/import/preview", guards=[allows("plan.import")], status_code=200)
    async def import_preview(
        self, request: Request[Actor, str, object], store: StoreDep,
        year: FromQuery[int | None] = None,
        plan_scope: Annotated[Scope | None, QueryParameter(name="scope")] = None,
    ) -> dict:
        """Upload a plan (.xlsx, as the body or the ``file`` part of a form): the items an import would
        add, those already planned (unchanged) and the refused rows (row, column, reason). Saves nothing."""
        _import_year(year)
        data, actor = await _uploaded_plan(request), request.user
        plan = await store.read(lambda db: imports.plan_import(db, actor, data, year=year, scope=plan_scope))
        return plan.as_dict()

    @post("/import/apply", guards=[allows("plan.import")], status_code=200)
    async def import_apply(
        self, request: Request[Actor, str, object], store: StoreDep,
        year: FromQuery[int | None] = None,
        plan_scope: Annotated[Scope | None, QueryParameter(name="scope")] = None,
        apply_valid: FromQuery[bool] = False,
    ) -> dict:
        """The same upload, applied: the added items through ``plan.save`` in one push (one transaction),
        so they sync to the cadres' tablets. While a row is refused nothing is applied (422
        ``plan.import_refused``) unless ``apply_valid=true``."""
        _import_year(year)
        data, actor, now = await _uploaded_plan(request), request.user, utcnow()
        answer = await store.write(lambda db: imports.apply_import(
            db, actor, data, year=year, scope=plan_scope, apply_valid=apply_valid, now=now))
        return answer.as_dict()
