"""``sync.calendar.within_days`` decides the company day of a stored timestamp by its text only
where every UTC offset agrees; it must answer exactly as ``local_date`` does, at the edges too."""

import datetime as dt
import itertools

from sync.calendar import local_date, within_days

OFFSETS = ("Z", "+00:00", "+08:00", "-12:00", "+14:00", "+05:45", "-03:30", "")
START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)


def stamps():
    for day in (START + dt.timedelta(days=n) for n in range(-3, (END - START).days + 4)):
        for hour, offset in itertools.product((0, 7, 8, 15, 16, 23), OFFSETS):
            yield f"{day.isoformat()}T{hour:02d}:59:59.999{offset}"
        yield day.isoformat()


def test_within_days_agrees_with_local_date_on_every_edge_and_offset() -> None:
    held = within_days(START, END)
    checked = 0
    for stamp in stamps():
        assert held(stamp) == (START <= local_date(stamp) <= END), stamp
        checked += 1
    assert checked > 4000


def test_a_stamp_not_written_as_extended_iso_is_parsed() -> None:
    held = within_days(START, END)
    assert held("20250515T10:00:00+08:00") and not held("20250701T10:00:00+08:00")
