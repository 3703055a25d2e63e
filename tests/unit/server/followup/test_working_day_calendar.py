"""Working days on the statutory calendar with 调休, and the admin override table (issue 6 item 1)."""

import datetime as dt

import pytest

from server.store import connect, in_transaction, migrate
from sync.calendar import (
    WorkCalendar,
    add_working_days,
    library_years,
    set_override_tx,
    set_year_tx,
)
from sync.errors import CalendarUnknown

D = dt.date


def test_national_day_and_mid_autumn_2025_with_make_up_days():
    cal = WorkCalendar()
    assert all(not cal.is_workday(D(2025, 10, d)) for d in range(1, 9))  # Oct 1-8 off
    assert cal.is_workday(D(2025, 9, 28))  # Sunday, make-up working day
    assert cal.is_workday(D(2025, 10, 11))  # Saturday, make-up working day
    assert not cal.is_workday(D(2025, 10, 12))
    # Friday 26 Sep 2025: 28, 29, 30 Sep, 9, 10, 11 (Sat), 13 Oct → the 7th working day is Monday 13 Oct
    assert add_working_days(D(2025, 9, 26), 7) == D(2025, 10, 13)
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert cal.working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1


def test_spring_festival_2025():
    cal = WorkCalendar()
    assert cal.is_workday(D(2025, 1, 26))  # Sunday make-up day before the holiday
    assert all(not cal.is_workday(D(2025, 1, d)) for d in range(28, 32))
    assert all(not cal.is_workday(D(2025, 2, d)) for d in range(1, 5))  # 28 Jan - 4 Feb off
    assert cal.is_workday(D(2025, 2, 8))  # Saturday make-up day
    assert add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)
    # Friday 24 Jan: 26 (Sun), 27 Jan, 5, 6, 7, 8 (Sat), 10 Feb → due Monday 10 Feb
    assert add_working_days(D(2025, 1, 24), 7) == D(2025, 2, 10)
    assert add_working_days(D(2025, 1, 24), 6) == D(2025, 2, 8)


def test_an_unpublished_year_is_an_error_not_a_guess(tmp_path):
    year = library_years()[1] + 1
    with pytest.raises(CalendarUnknown) as info:
        WorkCalendar().is_workday(D(year, 3, 3))
    assert info.value.details == {"year": year} and str(year) in info.value.message
    due, unknown = WorkCalendar().try_add_working_days(D(library_years()[1], 12, 28), 7)
    assert due is None and unknown == year


def test_overrides_and_a_completed_year_from_the_database(tmp_path):
    db = connect(tmp_path / "cal.db")
    migrate(db)
    year = library_years()[1] + 1
    now = "2026-12-01T00:00:00+00:00"

    def enter(d):
        set_override_tx(d, D(year, 1, 1), False, "元旦", "admin", now)
        set_override_tx(d, D(year, 1, 2), False, "元旦", "admin", now)  # a Saturday anyway? kept as given
        set_override_tx(d, D(2025, 10, 10), False, "厂休 (local rule)", "admin", now)

    in_transaction(db, enter)
    cal = WorkCalendar.from_db(db)
    assert not cal.is_workday(D(year, 1, 1))  # an override answers even in an unknown year
    with pytest.raises(CalendarUnknown):
        cal.is_workday(D(year, 1, 5))
    assert not cal.is_workday(D(2025, 10, 10))  # a local rule beats the library
    in_transaction(db, lambda d: set_year_tx(d, year, True, "已录入", "admin", now))
    cal = WorkCalendar.from_db(db)
    first_monday = next(D(year, 1, d) for d in range(3, 10) if D(year, 1, d).weekday() == 0)
    assert cal.is_workday(first_monday)
    assert not cal.is_workday(first_monday + dt.timedelta(days=5))  # Saturday
    assert add_working_days(D(year, 1, 1), 1, db) >= D(year, 1, 2)


def _walked(cal: WorkCalendar, start: dt.date, end: dt.date) -> int:
    """The definition: each day of ``(start, end]`` asked one by one."""
    if end < start:
        return -_walked(cal, end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += cal.is_workday(day)
    return count


def test_counting_working_days_across_years_agrees_with_asking_each_day():
    """``working_days_between`` counts a known year from its running count (a problem overdue for
    years is asked about every scheduler tick); across year ends, overrides, a completed year and
    an unknown one it gives the day-by-day answer, and the same error for the same unknown year."""
    import random

    last = library_years()[1]
    calendars = [
        WorkCalendar(),
        WorkCalendar(overrides={D(last, 5, 5): True, D(last + 1, 1, 1): False, D(last + 1, 1, 2): True,
                                D(last + 2, 10, 1): False}, complete_years=frozenset({last + 2})),
    ]
    draw = random.Random(18)
    answered = unknown = 0
    for cal in calendars:
        for _ in range(3000):
            a = D(last - 3, 1, 1) + dt.timedelta(days=draw.randrange(365 * 7))
            b = a + dt.timedelta(days=draw.randrange(-900, 900))
            try:
                expected = _walked(cal, a, b)
            except CalendarUnknown as walked_error:
                with pytest.raises(CalendarUnknown) as counted_error:
                    cal.working_days_between(a, b)
                assert counted_error.value.details == walked_error.details
                unknown += 1
                continue
            assert cal.working_days_between(a, b) == expected, (a, b)
            answered += 1
    assert answered > 1000 and unknown > 100  # both branches were exercised
    assert calendars[1].working_days_between(D(last, 12, 31), D(last + 1, 1, 2)) == 1  # only the override
