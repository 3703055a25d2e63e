"""Next year's working-day calendar from the text of the State Council's yearly notice
(国务院办公厅关于××××年部分节假日安排的通知), before ``chinese-calendar`` publishes it.

The notice is short and regular: one item per holiday, ``名称：<放假的日期>放假[调休]，共N天。<日期>、<日期>上班。``
Dates are ``M月D日``, optionally with a year (``2022年12月31日``), a range ``A至B`` whose end may omit
the month (``4月4日至6日``), and annotations in brackets (``（周日）``, ``（农历正月初七、周二）``).
No library parses it (``chinese-calendar`` ships the finished table months later), so this does,
strictly: anything it cannot read is a refusal naming the item, never a guess. HR sees the parsed
days and confirms before anything is saved (``preview`` then ``apply``).

Saving writes one ``calendar_override`` row per day (days off inside the holiday, including the
weekend days it spans; make-up working days) and marks the year complete, in one transaction: from
then on the year's other Monday–Friday are working days (``sync.calendar`` rule 3).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import chinese_calendar
from sqlite_utils import Database

from sync import calendar
from sync.errors import InvalidField

_TITLE_YEAR = re.compile(r"(\d{4})\s*年\s*部分节假日安排")
_ITEM = re.compile(r"(?:^|\n)\s*(?:[一二三四五六七八九十]+、)?\s*([^\n：:，。（）()]{1,12}?)\s*[：:]\s*([^\n]+)")
_BRACKETS = re.compile(r"（[^）]*）|\([^)]*\)")
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")
_COUNT = re.compile(r"共\s*(\d+)\s*天")
_KNOWN_HOLIDAYS = ("元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆")


@dataclass(frozen=True)
class NoticeDay:
    day: dt.date
    workday: bool
    holiday: str
    """The item it comes from, e.g. 春节 (a make-up working day carries its holiday's name too)."""


@dataclass
class ParsedNotice:
    year: int
    days: list[NoticeDay] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Differences from the bundled library for a year it knows (a check of the notice or the parser)."""

    def as_json(self) -> dict:
        return {
            "year": self.year,
            "days": [{"day": d.day.isoformat(), "workday": d.workday, "holiday": d.holiday} for d in self.days],
            "holidays_off": sum(1 for d in self.days if not d.workday),
            "makeup_workdays": sum(1 for d in self.days if d.workday),
            "warnings": self.warnings,
        }


def _refuse(message: str) -> InvalidField:
    return InvalidField(message, field="text")


def _dates(text: str, year: int, item: str) -> list[dt.date]:
    """Every day a clause names: single dates and ``A至B`` ranges, in order."""
    days: list[dt.date] = []
    month: int | None = None
    current_year = year
    parts = re.split(r"\s*至\s*", text)
    anchors: list[list[dt.date]] = []
    for part in parts:
        found = []
        for m in _DATE.finditer(part):
            y = int(m.group(1)) if m.group(1) else current_year
            if m.group(2):
                month = int(m.group(2))
            if month is None:
                raise _refuse(f"“{item}”一项的日期缺少月份：{m.group(0)}")
            try:
                found.append(dt.date(y, month, int(m.group(3))))
            except ValueError:
                raise _refuse(f"“{item}”一项的日期不存在：{m.group(0)}") from None
            current_year = y
        anchors.append(found)
    for i, found in enumerate(anchors):
        if i > 0 and anchors[i - 1] and found:
            start, end = anchors[i - 1][-1], found[0]
            if end < start:  # 12月31日至1月2日: the range crosses into the next year
                end = end.replace(year=end.year + 1)
                found[0] = end
            if (end - start).days > 31:
                raise _refuse(f"“{item}”一项的放假区间超过一个月：{start} 至 {end}")
            days.extend(start + dt.timedelta(n) for n in range(1, (end - start).days))
        days.extend(found)
    return sorted(set(days))


def parse_notice(text: str, year: int | None = None) -> ParsedNotice:
    """Parse the notice; ``year`` is read from its title when not given. Raises ``InvalidField``
    (field ``text``) naming the item it cannot read."""
    if not text or not text.strip():
        raise _refuse("请粘贴国务院办公厅节假日安排通知的正文")
    if year is None:
        m = _TITLE_YEAR.search(text)
        if not m:
            raise _refuse("无法从通知标题识别年份，请指定年份（如 2027）")
        year = int(m.group(1))
    if not 2000 <= year <= 2100:
        raise InvalidField("年份超出范围 (year out of range)", field="year")
    body = _TITLE_YEAR.split(text, maxsplit=1)[-1] if _TITLE_YEAR.search(text) else text
    # One item per line: items run together ("元旦：…连休。春节：…") start a line at each "名称：".
    body = re.sub(r"([。；])\s*(?=[^\n。；：:]{1,14}[：:])", r"\1\n", body)
    parsed = ParsedNotice(year=year)
    seen: dict[dt.date, NoticeDay] = {}
    items = 0
    for m in _ITEM.finditer(body):
        name, clauses = m.group(1).strip(), _BRACKETS.sub("", m.group(2))
        if not any(h in name for h in _KNOWN_HOLIDAYS):
            continue  # the notice's preamble and closing paragraphs
        items += 1
        off_total = 0
        for sentence in re.split(r"[。；]", clauses):
            if not sentence.strip():
                continue
            if "上班" in sentence:
                kind_workday = True
            elif "放假" in sentence or "休息" in sentence:
                kind_workday = False
            else:
                continue
            days = _dates(sentence.split("放假")[0] if not kind_workday else sentence, year, name)
            if not days:
                raise _refuse(f"“{name}”一项中“{sentence.strip()}”没有可识别的日期")
            if not kind_workday:
                off_total += len(days)
                count = _COUNT.search(sentence)
                m1 = re.search(r"放假\s*(\d+)\s*天", sentence)
                stated = int(count.group(1)) if count else int(m1.group(1)) if m1 else None
                if stated is not None and stated != len(days):
                    raise _refuse(f"“{name}”一项写明共 {stated} 天，识别出 {len(days)} 天：请核对日期")
            for d in days:
                if d in seen and seen[d].workday != kind_workday:
                    raise _refuse(f"{d} 既是放假日又是上班日（{seen[d].holiday}、{name}）")
                seen[d] = NoticeDay(d, kind_workday, name)
        if off_total == 0:
            raise _refuse(f"“{name}”一项没有识别出放假日期")
    if items == 0:
        raise _refuse("没有识别出任何节假日安排（应有“元旦：…放假…”这样的条目）")
    parsed.days = sorted(seen.values(), key=lambda d: d.day)
    lo, hi = calendar.library_years()
    if lo <= year <= hi:
        parsed.warnings = _differences_from_library(parsed, year)
    return parsed


def _differences_from_library(parsed: ParsedNotice, year: int) -> list[str]:
    """For a year the library knows: every day where the notice and the library disagree."""
    out = []
    mine = {d.day: d.workday for d in parsed.days}
    day = dt.date(year, 1, 1)
    while day.year == year:
        library = chinese_calendar.is_workday(day)
        expected = mine.get(day, day.weekday() < 5)
        if library != expected:
            out.append(f"{day}：通知解析为{'上班' if expected else '放假'}，内置日历为{'上班' if library else '放假'}")
        day += dt.timedelta(1)
    return out


def apply_notice_tx(db: Database, parsed: ParsedNotice, by: str, now_iso: str) -> None:
    """Save the parsed days as overrides and mark the year complete (one transaction: the caller's)."""
    for d in parsed.days:
        note = f"{d.holiday}调休上班" if d.workday else f"{d.holiday}放假"
        calendar.set_override_tx(db, d.day, d.workday, note, by, now_iso)
    calendar.set_year_tx(db, parsed.year, True, "按国务院办公厅通知导入", by, now_iso)
