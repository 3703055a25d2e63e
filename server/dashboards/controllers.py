"""``/api/dashboards``: the figures of the HR and leader dashboard, as JSON and .xlsx."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.params import FromQuery

from server.assessment.controllers import check_period
from server.clock import utcnow
from server.dashboards.figures import Dashboard, dashboard
from server.dashboards.xlsx import render_dashboard
from server.followup.exports.official_docx import XLSX_MEDIA
from server.web.deps import SettingsDep, StoreDep
from server.web.downloads import attachment
from server.web.guards import allows
from sync.calendar import local_date


class DashboardController(Controller):
    path = "/api/dashboards"
    tags = ["dashboards"]
    guards = [allows("dashboard.read")]

    @get("/")
    async def figures(
        self, store: StoreDep, settings: SettingsDep, year: FromQuery[int], quarter: FromQuery[int | None] = None
    ) -> Dashboard:
        """Plan completion, problems by category/status/department, overdue, closure time, scores, signals."""
        check_period(year, quarter, quarter_required=False)
        k, today = settings.evaluation_min_responses, local_date(utcnow())
        return await store.read(lambda db: dashboard(db, year=year, quarter=quarter, k=k, today=today))

    @get("/export")
    async def export(
        self, store: StoreDep, settings: SettingsDep, year: FromQuery[int], quarter: FromQuery[int | None] = None
    ) -> Response[bytes]:
        """The same figures as .xlsx, one sheet per chart."""
        check_period(year, quarter, quarter_required=False)
        k, today = settings.evaluation_min_responses, local_date(utcnow())
        d = await store.read(lambda db: dashboard(db, year=year, quarter=quarter, k=k, today=today))
        name = f"统计看板-{year}" + (f"Q{quarter}" if quarter else "") + ".xlsx"
        return attachment(render_dashboard(d), XLSX_MEDIA, name)
