"""The assessment table (one row per cadre for one quarter)."""

from __future__ import annotations

import datetime as dt

import msgspec

from server.evaluation.schemas import ScoreMeans


class PlanFigures(msgspec.Struct, kw_only=True):
    total: int
    done: int
    late: int
    missed: int
    planned: int
    held: int
    """done + late: the numerator shown beside the rate."""
    due: int
    """total - planned: the denominator (items whose window has not closed yet do not count)."""
    rate: float | None
    """held / due (``server.plans.progress.CompletionCount.rate``, the one computation)."""


class ReportFigures(msgspec.Struct, kw_only=True):
    due: int
    on_time: int
    late: int
    overdue: int
    not_yet_due: int


class ProblemFigures(msgspec.Struct, kw_only=True):
    raised: int
    assigned: int
    closed: int
    overdue: int
    median_days_to_assign: float | None
    median_days_to_close: float | None


class AssessmentRow(msgspec.Struct, kw_only=True):
    cadre_id: str
    cadre_name: str
    unit_name: str
    post: str | None
    evaluation_status: str
    """``released`` | ``pending`` (待发布: the quarter is not over; nothing is shown before
    ``evaluation_release_on``) | ``insufficient`` (样本不足: the quarter is over with fewer than k)."""
    evaluation_release_on: dt.date
    """The day the quarter's ratings are released (the second day of the next quarter)."""
    evaluation_responses: int | None
    """None unless released (docs/evaluation.md)."""
    scores: ScoreMeans | None
    plan: PlanFigures
    reports: ReportFigures
    problems: ProblemFigures


class Assessment(msgspec.Struct, kw_only=True):
    year: int
    quarter: int
    period: str
    k: int
    rows: list[AssessmentRow]
