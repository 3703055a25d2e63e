"""The 时段 and date cells of a plan file (``server.plans.imports``): what the export writes reads back,
and the forms HR types by hand are understood; anything else is unreadable (a refusal, not a guess)."""

from __future__ import annotations

import datetime as dt

import pytest

from server.plans.imports import _parse_date, _parse_period


@pytest.mark.parametrize(("text", "want"), [
    ("2027年第一季度", (2027, 1, None)), ("2027年第四季度", (2027, 4, None)), ("第二季度", (None, 2, None)),
    ("2027Q3", (2027, 3, None)), ("2027年3月", (2027, None, 3)), ("12月", (None, None, 12)),
    ("2027年度", (2027, None, None)), ("2027", (2027, None, None)), ("全年", (None, None, None)),
    ("2027 年 第三季度", (2027, 3, None)), ("2027年3季", (2027, 3, None)),
])
def test_periods_that_read(text, want) -> None:
    assert _parse_period(text) == want


@pytest.mark.parametrize("text", ["2027年第五季度", "13月", "下半年", "第0季度", ""])
def test_periods_that_do_not(text) -> None:
    assert _parse_period(text) is None


def test_dates_from_cells_and_text() -> None:
    assert _parse_date(dt.datetime(2027, 1, 5)) == dt.date(2027, 1, 5)
    assert _parse_date("2027/1/5") == _parse_date("2027年1月5日") == _parse_date("2027-01-05") == dt.date(2027, 1, 5)
    assert _parse_date(None) == "" and _parse_date("") == ""
    assert _parse_date("2027-02-30") is None and _parse_date("明天") is None
