"""Working days on China's statutory calendar with 调休 make-up days (``chinese-calendar``), plus an
admin override table for years the library does not know yet and for local rules.

Rules, in order, for one day:

1. an override row (``calendar_override``) decides: ``workday`` 1 or 0;
2. a year the library knows: ``chinese_calendar.is_workday``;
3. a year an admin declared complete (``calendar_year``): Monday–Friday are working days
   (the holidays and make-up days of that year are expected as override rows);
4. otherwise the year is **unknown**: ``CalendarUnknown`` — never a silent guess.

Deadlines count *after* the start day: ``add_working_days(d, 7)`` is the 7th working day after ``d``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import chinese_calendar
from sqlite_utils import Database

from sync.errors import CalendarUnknown, pick_locale
from sync.notices import week

TZ = ZoneInfo("Asia/Shanghai")
"""Deadlines, digests and "today" are all in China Standard Time."""

REPORT_DUE_WORKING_DAYS = 7
"""Rule book §五: the report within 1-7 working days after the interview."""

_LIB_YEARS: tuple[int, int] = (
    min(d.year for d in chinese_calendar.holidays), max(d.year for d in chinese_calendar.holidays)
)


def library_years() -> tuple[int, int]:
    """First and last year ``chinese-calendar`` has published data for."""
    return _LIB_YEARS


def local_date(moment: dt.datetime | str) -> dt.date:
    """The calendar date of an instant in Asia/Shanghai (naive datetimes are taken as UTC)."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(TZ).date()


def within_days(start: dt.date, end: dt.date) -> Callable[[str], bool]:
    """Whether a stored ISO timestamp's company day (``local_date``) lies in ``start``..``end``.
    Any UTC offset moves a written date by at most a day, so a stamp written from the day after
    ``start`` to the day before ``end`` is decided by its text alone and only the days at the edges
    are parsed: a year's dashboard parsed 27,000 timestamps to keep all but a few hundred."""
    inner_low, inner_high = (start + dt.timedelta(days=1)).isoformat(), (end - dt.timedelta(days=1)).isoformat()

    def holds(stamp: str) -> bool:
        written = stamp[:10]
        if inner_low <= written <= inner_high and stamp[4:5] == stamp[7:8] == "-":
            return True
        return start <= local_date(stamp) <= end

    return holds


def stamp_bounds(start: dt.date, end: dt.date) -> dict[str, str]:
    """``low`` / ``below`` for ``<timestamp> >= :low AND <timestamp> < :below``: the days from
    ``start`` to ``end`` with a day's margin either side, since a stored timestamp carries its own
    offset. An ISO timestamp sorts as its text, so the comparison is on the column itself (or the
    indexed expression) and an index serves it (``sync.migrations.m102_period_indexes``): the
    query reads the period's rows, not the whole history's. The exact company day (``local_date``)
    is still decided on each row it returns."""
    return {"low": (start - dt.timedelta(days=1)).isoformat(), "below": (end + dt.timedelta(days=2)).isoformat()}


def week_label(day: dt.date, lang: str = "zh-CN") -> str:
    """An ISO week as a person reads it: ``2026年第49周`` (zh-CN), ``Week 49, 2026`` (English) — never
    the ISO form ``2026-W49``, which is a key for machines (reminder keys), not a text for people.
    The words are the notification catalogue's (``sync.notices.week``)."""
    return week(day).render(pick_locale(lang))


def week_key(day: dt.date) -> str:
    """The ISO week as a machine key (``2026-W49``): reminder keys, never shown to anyone."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


NEXT_YEAR_WARNING_FROM = (11, 1)
"""From November 1 HR and admins are warned while next year's calendar is unknown: reports of
interviews held from about December 20 fall due in January (rule book §五, 7 working days)."""


def unknown_next_year(cal: WorkCalendar, today: dt.date) -> int | None:
    """Next year, when it is time to warn and the calendar does not know it yet; else ``None``."""
    if (today.month, today.day) < NEXT_YEAR_WARNING_FROM or cal.knows(today.year + 1):
        return None
    return today.year + 1


def unknown_year_error(year: int) -> CalendarUnknown:
    lo, hi = _LIB_YEARS
    return CalendarUnknown(
        f"{year} 年的工作日历尚未公布，请管理员录入节假日与调休 (calendar unknown for {year}: the library covers "
        f"{lo}-{hi}; an admin must enter {year}'s holidays and make-up days and mark the year complete)",
        field="date", details={"year": year},
    )


@functools.lru_cache(maxsize=16_384)
def _library_workday(day: dt.date) -> bool:
    """The bundled calendar's answer, remembered: ``chinese_calendar`` checks each date against its
    whole range (~25 µs), and a scheduler tick over a year of open problems asks ~10⁵ times."""
    return bool(chinese_calendar.is_workday(day))


@dataclass
class WorkCalendar:
    """A snapshot of the overrides; cheap to build per request or per scheduler tick."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    complete_years: frozenset[int] = frozenset()
    _running: dict[int, list[int] | None] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Year → its running count of working days (``_running_count``), built on first use."""

    @classmethod
    def from_db(cls, db: Database) -> WorkCalendar:
        overrides = {
            dt.date.fromisoformat(day): bool(work)
            for day, work in db.conn.execute("SELECT day, workday FROM calendar_override").fetchall()
        }
        years = frozenset(
            int(y) for (y,) in db.conn.execute("SELECT year FROM calendar_year WHERE complete = 1").fetchall()
        )
        return cls(overrides, years)

    def knows(self, year: int) -> bool:
        lo, hi = _LIB_YEARS
        return lo <= year <= hi or year in self.complete_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        lo, hi = _LIB_YEARS
        if lo <= day.year <= hi:
            return _library_workday(day)
        if day.year in self.complete_years:
            return day.weekday() < 5
        raise unknown_year_error(day.year)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``n`` ≥ 0; 0 returns ``start``)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day, left = start, n
        while left:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]`` (negative when ``end`` is before ``start``). A known year
        is counted from its running count, not day by day: a scheduler tick asks this of every open
        problem, and a problem overdue for years was ~1,000 days walked (a tick of a year's history
        cost 2.5 s of CPU each minute, bench/growth.py). An unknown year is walked, so the error
        names the first day without an answer, as before."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        first = start + dt.timedelta(days=1)
        for year in range(first.year, end.year + 1):
            low, high = max(first, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
            if low > high:
                continue
            running = self._running_count(year)
            if running is None:
                day = low
                while day <= high:
                    count += self.is_workday(day)
                    day += dt.timedelta(days=1)
                continue
            a, b = low.timetuple().tm_yday, high.timetuple().tm_yday
            count += running[b - 1] - (running[a - 2] if a > 1 else 0)
        return count

    def _running_count(self, year: int) -> list[int] | None:
        """Working days from January 1 of ``year`` up to each of its days (index: day of the year
        less one), or ``None`` when some day of it has no answer (an unknown year)."""
        if year not in self._running:
            running: list[int] | None = []
            day, n = dt.date(year, 1, 1), 0
            try:
                while day.year == year:
                    n += self.is_workday(day)
                    running.append(n)
                    day += dt.timedelta(days=1)
            except CalendarUnknown:
                running = None
            self._running[year] = running
        return self._running[year]

    def device_table(self, from_year: int, to_year: int) -> dict:
        """The calendar as devices carry it offline (``GET /api/calendar/table``, docs/followup.md):
        the years known in ``[from_year, to_year]`` and every day whose answer differs from the
        Monday–Friday rule — holidays on weekdays, 调休 make-up days on weekends, and override
        rows (also those of years not known yet). A device applies: ``exceptions`` decide, else a
        known year's Monday–Friday, else the year is unknown. Same answers as :meth:`is_workday`.
        """
        known = [y for y in range(from_year, to_year + 1) if self.knows(y)]
        exceptions: dict[str, bool] = {}
        for year in known:
            day = dt.date(year, 1, 1)
            while day.year == year:
                work = self.is_workday(day)
                if work != (day.weekday() < 5):
                    exceptions[day.isoformat()] = work
                day += dt.timedelta(days=1)
        for day, work in self.overrides.items():
            if from_year <= day.year <= to_year and day.year not in known:
                exceptions[day.isoformat()] = work
        return {"from_year": from_year, "to_year": to_year, "known_years": known,
                "exceptions": dict(sorted(exceptions.items()))}

    def try_add_working_days(self, start: dt.date, n: int) -> tuple[dt.date | None, int | None]:
        """``(due, None)``, or ``(None, year)`` when the calendar of ``year`` is unknown."""
        try:
            return self.add_working_days(start, n), None
        except CalendarUnknown as exc:
            return None, int(exc.details["year"])


def add_working_days(start: dt.date, n: int, db: Database | None = None) -> dt.date:
    """Module-level convenience: the library calendar plus ``db``'s overrides when given."""
    cal = WorkCalendar.from_db(db) if db is not None else WorkCalendar()
    return cal.add_working_days(start, n)


# --- admin writes -----------------------------------------------------------------------------


def set_override_tx(db: Database, day: dt.date, workday: bool, note: str | None, by: str, now_iso: str) -> None:
    db.conn.execute(
        "INSERT INTO calendar_override (day, workday, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (day) DO UPDATE SET workday = excluded.workday, note = excluded.note,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        (day.isoformat(), int(workday), note, by, now_iso),
    )


def delete_override_tx(db: Database, day: dt.date) -> bool:
    return db.conn.execute("DELETE FROM calendar_override WHERE day = ?", (day.isoformat(),)).rowcount > 0


def set_year_tx(db: Database, year: int, complete: bool, note: str | None, by: str, now_iso: str) -> None:
    db.conn.execute(
        "INSERT INTO calendar_year (year, complete, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (year) DO UPDATE SET complete = excluded.complete, note = excluded.note,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        (year, int(complete), note, by, now_iso),
    )


def list_overrides(db: Database) -> list[dict]:
    cur = db.conn.execute("SELECT day, workday, note, updated_by, updated_at FROM calendar_override ORDER BY day")
    return [dict(day=d, workday=bool(w), note=n, updated_by=b, updated_at=a) for d, w, n, b, a in cur.fetchall()]


def list_years(db: Database) -> list[dict]:
    cur = db.conn.execute("SELECT year, complete, note, updated_by, updated_at FROM calendar_year ORDER BY year")
    return [dict(year=y, complete=bool(c), note=n, updated_by=b, updated_at=a) for y, c, n, b, a in cur.fetchall()]
