"""Request and response bodies of the follow-up endpoints (unknown fields are 400s)."""

from __future__ import annotations

import datetime as dt

import msgspec

from server.followup.late_reports import CadreLateReports, UnknownDue  # the late list's own types, served as they are


class _In(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class SubscriptionKeys(_In):
    p256dh: str
    auth: str


class SubscribeRequest(_In):
    """The browser's ``PushSubscription.toJSON()`` (``expirationTime`` accepted and ignored)."""

    endpoint: str
    keys: SubscriptionKeys
    expirationTime: int | None = None  # noqa: N815 (the browser's own field name)


class SubscriptionInfo(msgspec.Struct, kw_only=True):
    id: str
    user_id: str
    device_id: str | None
    endpoint: str
    created_at: str
    last_success_at: str | None
    last_error: str | None


class VapidPublicKey(msgspec.Struct, kw_only=True):
    public_key: str
    """``applicationServerKey`` for ``pushManager.subscribe``: uncompressed P-256 point, base64url."""


class OverrideRequest(_In):
    workday: bool
    note: str | None = None


class YearRequest(_In):
    complete: bool
    note: str | None = None


class NoticeRequest(_In):
    text: str
    """The notice as published (国务院办公厅关于××××年部分节假日安排的通知), title included."""
    year: int | None = None
    """When the pasted text lacks the title with its year."""


class NoticeDay(msgspec.Struct, kw_only=True):
    day: str
    workday: bool
    holiday: str


class NoticeAnswer(msgspec.Struct, kw_only=True):
    year: int
    days: list[NoticeDay]
    """Days off inside each holiday (weekends included) and the make-up working days (调休上班)."""
    holidays_off: int
    makeup_workdays: int
    warnings: list[str]
    """For a year the bundled library knows: every day where the notice as parsed disagrees with it."""
    saved: bool


class CalendarOverride(msgspec.Struct, kw_only=True):
    day: str
    workday: bool
    note: str | None
    updated_by: str | None
    updated_at: str


class CalendarYear(msgspec.Struct, kw_only=True):
    year: int
    complete: bool
    note: str | None
    updated_by: str | None
    updated_at: str


class CalendarInfo(msgspec.Struct, kw_only=True):
    library_years: list[int]
    """First and last year the bundled ``chinese-calendar`` knows."""
    overrides: list[CalendarOverride]
    years: list[CalendarYear]
    next_year_unknown: int | None = None
    """Set from November 1 while next year's calendar is unknown: HR and admins are to enter it."""


class WorkingDaysAnswer(msgspec.Struct, kw_only=True):
    start: dt.date
    days: int
    date: dt.date


class WorkdayTable(msgspec.Struct, kw_only=True):
    """The working-day calendar as a device carries it offline (``WorkCalendar.device_table``):
    ``exceptions`` decide a day, else Monday–Friday of a year in ``known_years``, else unknown."""

    from_year: int
    to_year: int
    known_years: list[int]
    exceptions: dict[str, bool]


class LateReportsAnswer(msgspec.Struct, kw_only=True):
    today: dt.date
    cadres: list[CadreLateReports]
    """Most overdue cadre first; each cadre's reports longest overdue first."""
    unknown_due: list[UnknownDue]
    """Pending reports whose due date cannot be computed (the calendar lacks the year)."""
