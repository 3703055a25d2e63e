"""HTTP endpoints of the follow-up loop (docs/api.md §Follow-up): push subscriptions, the working-day
calendar, exports (.docx/.xlsx) and archive bundles. Everything else travels by sync."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import File

from server.clock import utcnow
from server.followup import archive as archive_mod
from server.followup import board, calendar_notice
from server.followup.exports import data as export_data
from server.followup.exports import numbering
from server.followup.exports.agenda_docx import agenda_key, render_agenda
from server.followup.exports.ledger_xlsx import render_ledger
from server.followup.exports.official_docx import DOCX_MEDIA, XLSX_MEDIA
from server.followup.exports.report_docx import issued_report
from server.followup.late_reports import late_reports
from server.followup.schemas import (
    CalendarInfo,
    CalendarOverride,
    CalendarYear,
    LateReportsAnswer,
    NoticeAnswer,
    NoticeDay,
    NoticeRequest,
    OverrideRequest,
    SubscribeRequest,
    SubscriptionInfo,
    VapidPublicKey,
    WorkdayTable,
    WorkingDaysAnswer,
    YearRequest,
)
from server.platform import notifications
from server.web.deps import SettingsDep, StoreDep
from server.web.downloads import attachment, disposition
from server.web.guards import allows
from server.web.params import parse_day
from sync import calendar, policy, rowstore
from sync.actor import Actor
from sync.calendar import WorkCalendar, local_date
from sync.entities import ArchiveRow
from sync.errors import InvalidField, NotFound


class PushController(Controller):
    path = "/api/push"
    tags = ["push"]

    @get("/vapid-public-key", guards=[allows("notification.vapid_key.read")])
    async def vapid_public_key(self, request: Request[Actor, str, object]) -> VapidPublicKey:
        """The server's VAPID public key (``applicationServerKey``) for ``pushManager.subscribe``."""
        return VapidPublicKey(public_key=request.app.state.vapid_keys.public_key)

    @post("/subscriptions", guards=[allows("notification.subscription.write")], status_code=201)
    async def subscribe(self, request: Request[Actor, str, object], store: StoreDep,
                        data: JSONBody[SubscribeRequest]) -> SubscriptionInfo:
        """Register this device's push subscription (re-registering the same endpoint updates it)."""
        actor, now = request.user, utcnow().isoformat()
        row = await store.write_tx(lambda db: notifications.subscribe_tx(
            db, actor, data.endpoint, data.keys.p256dh, data.keys.auth, now))
        return SubscriptionInfo(**row)

    @get("/subscriptions", guards=[allows("notification.subscription.list")])
    async def list_subscriptions(self, request: Request[Actor, str, object], store: StoreDep) -> list[SubscriptionInfo]:
        """The caller's push subscriptions (one per device/browser)."""
        uid = request.user.user_id
        return [SubscriptionInfo(**r) for r in await store.read(lambda db: notifications.list_subscriptions(db, uid))]

    @delete("/subscriptions", guards=[allows("notification.subscription.write")], status_code=204)
    async def unsubscribe(self, request: Request[Actor, str, object], store: StoreDep,
                          endpoint: FromQuery[str]) -> None:
        """Remove the caller's subscription with this ``endpoint`` (on unsubscribe or sign-out)."""
        actor = request.user
        await store.write_tx(lambda db: notifications.unsubscribe_tx(db, actor, endpoint))


class CalendarController(Controller):
    path = "/api/calendar"
    tags = ["calendar"]

    @get("/", guards=[allows("calendar.read")])
    async def info(self, store: StoreDep) -> CalendarInfo:
        """The years the bundled statutory calendar knows, the admin overrides, and from November 1
        the next year while it is unknown (``next_year_unknown``)."""
        today = local_date(utcnow())
        o, y, unknown = await store.read(lambda db: (
            calendar.list_overrides(db), calendar.list_years(db),
            calendar.unknown_next_year(WorkCalendar.from_db(db), today)))
        return CalendarInfo(library_years=list(calendar.library_years()), next_year_unknown=unknown,
                            overrides=[CalendarOverride(**r) for r in o], years=[CalendarYear(**r) for r in y])

    @post("/notice/preview", guards=[allows("calendar.notice.import")], status_code=200)
    async def preview_notice(self, data: JSONBody[NoticeRequest]) -> NoticeAnswer:
        """Parse the State Council's holiday notice and show the days; nothing is saved."""
        return _notice_answer(_parse_notice(data), saved=False)

    @post("/notice", guards=[allows("calendar.notice.import")], status_code=201)
    async def import_notice(self, request: Request[Actor, str, object], store: StoreDep,
                            data: JSONBody[NoticeRequest]) -> NoticeAnswer:
        """Parse the notice again (never a client's list) and save its days as overrides, marking the
        year complete, in one transaction."""
        parsed, actor, now = _parse_notice(data), request.user, utcnow().isoformat()
        await store.write_tx(lambda db: calendar_notice.apply_notice_tx(db, parsed, actor.user_id, now))
        return _notice_answer(parsed, saved=True)

    @put("/overrides/{day:str}", guards=[allows("calendar.override.write")], status_code=200)
    async def put_override(self, request: Request[Actor, str, object], store: StoreDep, day: FromPath[str],
                           data: JSONBody[OverrideRequest]) -> CalendarOverride:
        """Declare one day a working day or a day off (holiday, 调休 make-up day, local rule)."""
        d, actor, now = parse_day(day, "day"), request.user, utcnow().isoformat()
        await store.write_tx(lambda db: calendar.set_override_tx(db, d, data.workday, data.note, actor.user_id, now))
        return CalendarOverride(day=d.isoformat(), workday=data.workday, note=data.note, updated_by=actor.user_id,
                                updated_at=now)

    @delete("/overrides/{day:str}", guards=[allows("calendar.override.write")], status_code=204)
    async def delete_override(self, store: StoreDep, day: FromPath[str]) -> None:
        """Remove an override (the library, or the weekday rule of a completed year, applies again)."""
        d = parse_day(day, "day")
        if not await store.write_tx(lambda db: calendar.delete_override_tx(db, d)):
            raise NotFound("没有这个日期的设置 (no override for that day)", field="day")

    @put("/years/{year:int}", guards=[allows("calendar.year.write")], status_code=200)
    async def put_year(self, request: Request[Actor, str, object], store: StoreDep, year: FromPath[int],
                       data: JSONBody[YearRequest]) -> CalendarYear:
        """Mark a year the library does not know as complete: its holidays and make-up days have been
        entered as overrides, every other Monday-Friday is a working day."""
        if not 2000 <= year <= 2100:
            raise InvalidField("`year` 超出范围 (out of range)", field="year")
        actor, now = request.user, utcnow().isoformat()
        await store.write_tx(lambda db: calendar.set_year_tx(db, year, data.complete, data.note, actor.user_id, now))
        return CalendarYear(year=year, complete=data.complete, note=data.note, updated_by=actor.user_id, updated_at=now)

    @get("/table", guards=[allows("calendar.read")])
    async def table(self, store: StoreDep) -> WorkdayTable:
        """The working-day calendar from last year to two years ahead, for devices to count report
        deadlines offline (the server's due date stays authoritative, docs/followup.md)."""
        year = local_date(utcnow()).year
        table = await store.read(lambda db: WorkCalendar.from_db(db).device_table(year - 1, year + 2))
        return WorkdayTable(**table)

    @get("/working-days", guards=[allows("calendar.read")])
    async def working_days(self, store: StoreDep, start: FromQuery[str], days: FromQuery[int] = 7) -> WorkingDaysAnswer:
        """The ``days``-th working day after ``start`` (422 ``calendar.unknown`` when a year is unknown)."""
        d = parse_day(start, "start")
        if not 0 <= days <= 366:
            raise InvalidField("`days` 应在 0-366 之间 (must be 0-366)", field="days")
        due = await store.read(lambda db: WorkCalendar.from_db(db).add_working_days(d, days))
        return WorkingDaysAnswer(start=d, days=days, date=due)


MAX_NOTICE_CHARS = 20_000
"""A notice is about 1,000 characters; anything far longer is not one."""


def _parse_notice(data: NoticeRequest) -> calendar_notice.ParsedNotice:
    if len(data.text) > MAX_NOTICE_CHARS:
        raise InvalidField(f"通知正文过长（超过 {MAX_NOTICE_CHARS} 字）", field="text")
    return calendar_notice.parse_notice(data.text, data.year)


def _notice_answer(parsed: calendar_notice.ParsedNotice, *, saved: bool) -> NoticeAnswer:
    j = parsed.as_json()
    return NoticeAnswer(year=j["year"], days=[NoticeDay(**d) for d in j["days"]], holidays_off=j["holidays_off"],
                        makeup_workdays=j["makeup_workdays"], warnings=j["warnings"], saved=saved)


class ExportController(Controller):
    path = "/api/exports"
    tags = ["exports"]

    @get("/reports/{interview_id:str}", guards=[allows("report.export")])
    async def report(self, request: Request[Actor, str, object], store: StoreDep, settings: SettingsDep,
                     interview_id: FromPath[str]) -> Response[bytes]:
        """《访谈情况报告》 as .docx (HR, leaders, or the interview's own cadres); a submitted report gets
        its 发文字号 on the first export and keeps it."""
        actor, now = request.user, utcnow()

        def build(db):
            d = export_data.report_data(db, interview_id, actor)
            policy.can_or_reject(actor, "report.export", d.interview, refusal="没有这个访谈 (no such interview)")
            return d

        d = await store.read(build)  # refused before any number is taken
        content = await store.write_tx(lambda db: issued_report(
            db, d, now.isoformat(), issuer=settings.document_issuer, prefix=settings.document_number_prefix))
        return attachment(content, DOCX_MEDIA, f"访谈情况报告-{d.day.isoformat()}.docx")

    @get("/ledger", guards=[allows("ledger.export")])
    async def ledger(
        self, request: Request[Actor, str, object], store: StoreDep,
        q: FromQuery[str | None] = None, cadre: FromQuery[str | None] = None, unit: FromQuery[str | None] = None,
        dept: FromQuery[str | None] = None, category: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None, due_from: FromQuery[str | None] = None,
        due_to: FromQuery[str | None] = None, overdue: FromQuery[str | None] = None,
        sort: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        """问题整改台账 as .xlsx (HR, leaders): the problems and events the caller may pull. With the
        tracking board's filters (docs/followup.md "The tracking board") exactly the rows HR's table
        shows, in its order; without them every problem, oldest first."""
        now, actor = utcnow(), request.user
        params = {k: v for k, v in {"q": q, "cadre": cadre, "unit": unit, "dept": dept, "category": category,
                                     "status": status, "due_from": due_from, "due_to": due_to,
                                     "overdue": overdue, "sort": sort}.items() if v is not None}

        def build(db):
            cal, today = WorkCalendar.from_db(db), local_date(now)
            look = export_data.board_lookup(db, today)
            query = board.parse_query(params, look)  # a bad filter is refused before anything is read
            return render_ledger(export_data.ledger_rows(db, actor, query, look), export_data.unit_names(db),
                                 export_data.user_names(db), today, cal)

        content = await store.read(build)
        return attachment(content, XLSX_MEDIA, f"问题整改台账-{local_date(now).isoformat()}.xlsx")

    @get("/agenda", guards=[allows("agenda.export")])
    async def agenda(self, request: Request[Actor, str, object], store: StoreDep,
                     settings: SettingsDep) -> Response[bytes]:
        """经理层会议议题 as .docx (HR, leaders): the agenda items the caller may pull; the day's agenda
        gets its 发文字号 on its first export."""
        now, actor = utcnow(), request.user
        today = local_date(now)
        rows, units, organ = await store.read(lambda db: (export_data.agenda_rows(db, actor),
                                                          export_data.unit_names(db), numbering.issuer(settings, db)))
        number = await store.write_tx(lambda db: numbering.assign(
            db, agenda_key(today), today.year, settings.document_number_prefix, now.isoformat()))
        content = render_agenda(rows, units, today, organ=organ, number=number)
        return attachment(content, DOCX_MEDIA, f"经理层会议议题-{today.isoformat()}.docx")


class ArchiveController(Controller):
    path = "/api/archives"
    tags = ["archive"]

    @post("/{interview_id:str}", guards=[allows("archive.create")], status_code=201)
    async def create(self, request: Request[Actor, str, object], store: StoreDep, settings: SettingsDep,
                     interview_id: FromPath[str]) -> ArchiveRow:
        """Archive an interview whose problems are all closed (409 ``conflict`` naming what is missing)."""
        actor, now = request.user, utcnow().isoformat()
        blobs = request.app.state.blob_files
        row = await store.write_tx(lambda db: archive_mod.archive_tx(
            db, actor, interview_id, settings.archive_dir, blobs, now, issuer=settings.document_issuer,
            number_prefix=settings.document_number_prefix))
        request.app.state.wake_push()
        return row

    @get("/{interview_id:str}", guards=[allows("archive.read")])
    async def download(self, store: StoreDep, settings: SettingsDep, interview_id: FromPath[str]) -> File:
        """The bundle (.zip with manifest.json)."""
        row, name = await store.read(lambda db: (rowstore.load(db, "archive", interview_id),
                                                 archive_mod.download_name(db, interview_id)))
        if row is None:
            raise NotFound("该访谈尚未归档 (not archived)")
        path = settings.archive_dir / row.file_name
        if not path.is_file():
            raise NotFound("归档文件缺失 (bundle file missing)")
        # RFC 6266/5987: the Chinese name in filename*, an ASCII fallback for clients without it.
        return File(path=path, media_type="application/zip", filename=name,
                    content_disposition_type="attachment",
                    headers={"Cache-Control": "no-store", "content-disposition": disposition(name, f"fangtan-archive-{interview_id}.zip")})




class LateReportController(Controller):
    path = "/api/followup"
    tags = ["followup"]

    @get("/late-reports", guards=[allows("late_report.list")])
    async def late_reports(self, store: StoreDep) -> LateReportsAnswer:
        """Reports past their due date (interview day + 7 working days) and not submitted, per cadre,
        with calendar and working days overdue (HR, leaders)."""
        today = local_date(utcnow())
        per_cadre, unknown = await store.read(lambda db: late_reports(db, today, WorkCalendar.from_db(db)))
        return LateReportsAnswer(today=today, cadres=per_cadre, unknown_due=unknown)
