"""Issue 17 point 7: weeks read 2026年第49周 (English: Week 49, 2026), never 2026-W49. One formatter,
``sync.calendar.week_label``; the ISO form is a machine key (``week_key``: reminder keys) only. The
class is guarded: no other source file builds an ISO-week text (server, sync, the PWA)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sync.calendar import week_key, week_label

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize(("day", "zh", "en"), [
    (dt.date(2026, 12, 3), "2026年第49周", "Week 49, 2026"),
    (dt.date(2025, 12, 29), "2026年第1周", "Week 1, 2026"),  # the ISO week's own year
    (dt.date(2027, 1, 1), "2026年第53周", "Week 53, 2026"),
])
def test_a_week_reads_as_people_say_it(day: dt.date, zh: str, en: str) -> None:
    assert week_label(day) == zh and week_label(day, "zh-CN") == zh
    assert week_label(day, "en") == en and week_label(day, "en-US") == en
    assert not re.search(r"\d{4}-W\d", week_label(day) + week_label(day, "en"))


def test_the_machine_key_stays_iso() -> None:
    assert week_key(dt.date(2026, 12, 3)) == "2026-W49"


# An f-string / template literal / strftime that builds "<year>-W<week>" (or "W%V").
BUILDS_ISO_WEEK = re.compile(r"""-W\{|-W\$\{|%G-W%V|W%V|isoWeek\(|toISOWeek""")


def test_no_other_code_builds_an_iso_week_text() -> None:
    offenders = []
    for base, patterns in (("server", ["**/*.py"]), ("sync", ["**/*.py"]), ("pwa/src", ["**/*.ts", "**/*.vue"])):
        for pattern in patterns:
            for path in (ROOT / base).glob(pattern):
                for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                    if BUILDS_ISO_WEEK.search(line) and not (path.name == "calendar.py" and "def week_key" in path.read_text("utf-8")):
                        offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == [], "format weeks with sync.calendar.week_label (people) or week_key (keys):\n" + "\n".join(offenders)
