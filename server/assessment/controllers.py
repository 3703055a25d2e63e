"""``/api/assessment``: the quarter's cadre assessment for HR and leaders, as JSON and .xlsx."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.params import FromQuery

from server.assessment.schemas import Assessment
from server.assessment.table import assessment
from server.assessment.xlsx import render_assessment
from server.clock import utcnow
from server.followup.exports.official_docx import XLSX_MEDIA
from server.web.deps import SettingsDep, StoreDep
from server.web.downloads import attachment
from server.web.guards import allows
from sync.calendar import local_date
from sync.errors import InvalidField


def check_period(year: int, quarter: int | None, *, quarter_required: bool) -> None:
    if not 2000 <= year <= 2100:
        raise InvalidField("`year` 超出范围 (out of range)", field="year")
    if quarter is None and quarter_required:
        raise InvalidField("缺少 `quarter` (1-4) (quarter is required)", field="quarter")
    if quarter is not None and not 1 <= quarter <= 4:
        raise InvalidField("`quarter` 应为 1-4 (must be 1-4)", field="quarter")


class AssessmentController(Controller):
    path = "/api/assessment"
    tags = ["assessment"]
    guards = [allows("assessment.read")]

    @get("/")
    async def table(
        self, store: StoreDep, settings: SettingsDep, year: FromQuery[int], quarter: FromQuery[int | None] = None
    ) -> Assessment:
        """Every cadre for one quarter: scores (when ≥ k), plan completion, reports on time, problem speed."""
        check_period(year, quarter, quarter_required=True)
        k, today = settings.evaluation_min_responses, local_date(utcnow())
        return await store.read(lambda db: assessment(db, year=year, quarter=quarter, k=k, today=today))

    @get("/export")
    async def export(
        self, store: StoreDep, settings: SettingsDep, year: FromQuery[int], quarter: FromQuery[int | None] = None
    ) -> Response[bytes]:
        """The same table as .xlsx for 干部考核."""
        check_period(year, quarter, quarter_required=True)
        k, today = settings.evaluation_min_responses, local_date(utcnow())
        a = await store.read(lambda db: assessment(db, year=year, quarter=quarter, k=k, today=today))
        return attachment(render_assessment(a), XLSX_MEDIA, f"干部考核-{a.period}.xlsx")
