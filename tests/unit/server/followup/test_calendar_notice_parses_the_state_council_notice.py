"""Next year's calendar from the State Council's notice (issue 15 item 6).

The parser is checked against the 2025 and 2026 notices, whose days the bundled ``chinese-calendar``
knows: every day of those years must come out as the library has it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

from server.followup.calendar_notice import apply_notice_tx, parse_notice
from server.followup.reminders import digest_reminders
from server.platform.scheduler import Policy
from server.store import connect, in_transaction, migrate
from sync.calendar import WorkCalendar, set_year_tx, unknown_next_year
from sync.errors import CalendarUnknown, InvalidField

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
D = dt.date


def notice(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_notice_gives_the_librarys_year_day_by_day(year: int) -> None:
    parsed = parse_notice(notice(f"notice-{year}.txt"))
    assert parsed.year == year and parsed.warnings == []
    days = {d.day: d.workday for d in parsed.days}
    day = D(year, 1, 1)
    while day.year == year:
        assert days.get(day, day.weekday() < 5) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(1)


def test_items_run_together_dates_without_month_and_a_range_into_the_next_year() -> None:
    parsed = parse_notice("元旦：2022年12月31日至2023年1月2日放假调休，共3天。春节：1月21日至27日放假调休，共7天。"
                          "1月28日（星期六）、1月29日（星期日）上班。", year=2023)
    off = [d.day for d in parsed.days if not d.workday]
    assert off[:3] == [D(2022, 12, 31), D(2023, 1, 1), D(2023, 1, 2)]
    assert D(2023, 1, 21) in off and D(2023, 1, 27) in off and len(off) == 10
    assert [d.day for d in parsed.days if d.workday] == [D(2023, 1, 28), D(2023, 1, 29)]
    # The library knows 2023: it agrees on January, and names the holidays this excerpt leaves out.
    assert parsed.warnings and not [w for w in parsed.warnings if w.startswith(("2022-12", "2023-01"))]
    assert "2023-04-05：通知解析为上班，内置日历为放假" in parsed.warnings


@pytest.mark.parametrize(("text", "reason"), [
    ("", "请粘贴"),
    ("元旦：1月1日放假，与周末连休。", "无法从通知标题识别年份"),
    ("国务院办公厅关于2027年部分节假日安排的通知 春节：2月6日至14日放假调休，共8天。", "写明共 8 天，识别出 9 天"),
    ("国务院办公厅关于2027年部分节假日安排的通知 春节：2月6日至14日放假，共9天。2月7日上班。", "既是放假日又是上班日"),
    ("国务院办公厅关于2027年部分节假日安排的通知 各部门要妥善安排好值班。", "没有识别出任何节假日安排"),
    ("国务院办公厅关于2027年部分节假日安排的通知 春节：2月30日放假。", "日期不存在"),
])
def test_what_it_cannot_read_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidField) as refused:
        parse_notice(text)
    assert reason in refused.value.message and refused.value.field in ("text", "year")


def test_a_year_the_library_lacks_becomes_known_and_report_deadlines_cross_into_it(tmp_path: Path) -> None:
    # 2031: a year the bundled library will not know for years (the fixture is a made-up notice).
    db = connect(tmp_path / "fangtan.db")
    migrate(db)
    in_transaction(db, lambda tx: set_year_tx(tx, 2030, True, None, "u-hr", "2030-11-01T00:00:00+00:00"))
    with pytest.raises(CalendarUnknown):
        WorkCalendar.from_db(db).add_working_days(D(2030, 12, 24), 7)
    assert unknown_next_year(WorkCalendar.from_db(db), D(2030, 10, 31)) is None  # not yet time to warn
    assert unknown_next_year(WorkCalendar.from_db(db), D(2030, 11, 1)) == 2031
    parsed = parse_notice(notice("notice-2031-example.txt"))
    in_transaction(db, lambda tx: apply_notice_tx(tx, parsed, "u-hr", "2030-12-02T08:00:00+00:00"))
    cal = WorkCalendar.from_db(db)
    assert cal.knows(2031) and unknown_next_year(cal, D(2030, 12, 2)) is None
    # Tue 24 Dec 2030: 25, 26, 27, 30, 31 Dec, (1 Jan off) 2, 3 Jan → the 7th working day is 3 Jan 2031
    assert cal.add_working_days(D(2030, 12, 24), 7) == D(2031, 1, 3)
    assert cal.is_workday(D(2031, 2, 8)) and not cal.is_workday(D(2031, 1, 23))
    assert cal.is_workday(D(2031, 3, 3))  # the rest of a completed year: Monday to Friday


def _body(reminder) -> str:
    return reminder.notice.render("zh-CN")[1]


def test_hr_and_admins_are_warned_in_the_monday_digest_while_next_year_is_unknown(world) -> None:
    policy = Policy(due_soon_days=3, escalate_after_days=5)

    def digest(moment: dt.datetime):
        reminders = digest_reminders(world.db, moment, WorkCalendar.from_db(world.db), policy)
        [hr] = [r for r in reminders if r.key.startswith("digest:hr:")]
        return hr, [r for r in reminders if r.kind == "calendar_unknown"]

    in_transaction(world.db, lambda tx: set_year_tx(tx, 2030, True, None, "u-hr", "2030-01-01T00:00:00+00:00"))
    hr, admins = digest(dt.datetime(2030, 11, 4, 9, 0))  # a Monday in November
    assert "2031 年的工作日历尚未录入" in _body(hr)
    [to_admins] = admins
    assert to_admins.recipients == ("u-admin",) and "导入通知正文" in _body(to_admins)
    hr, admins = digest(dt.datetime(2030, 10, 28, 9, 0))  # a Monday in October: not yet
    assert admins == [] and "工作日历尚未录入" not in _body(hr)
    in_transaction(world.db, lambda tx: apply_notice_tx(tx, parse_notice(notice("notice-2031-example.txt")),
                                                        "u-hr", "2030-11-05T00:00:00+00:00"))
    hr, admins = digest(dt.datetime(2030, 11, 11, 9, 0))  # entered: no more warning
    assert admins == [] and "工作日历尚未录入" not in _body(hr)
