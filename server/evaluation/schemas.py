"""Request and response bodies of the evaluation endpoints (unknown fields are 400s)."""

from __future__ import annotations

import datetime as dt

import msgspec


class _In(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class TicketRequest(_In):
    count: int = 50


class IssuedTicket(msgspec.Struct, kw_only=True):
    ticket: str
    """20 characters, the form used in the link ``/e/<ticket>``."""
    number: str
    """The same, grouped for paper: ``XXXX-XXXX-XXXX-XXXX-XXXX``."""


class TicketBatch(msgspec.Struct, kw_only=True):
    tickets: list[IssuedTicket]
    outstanding: int
    """Unused tickets the cadre now holds (capped; see docs/evaluation.md)."""
    public_base_url: str = ""
    """Origin the slips' QR codes point at (``FANGTAN_PUBLIC_BASE_URL``: the name employees' phones reach
    with a publicly trusted certificate); empty: the tablet's own origin."""


class ResponseRequest(_In):
    """One rating: from the phone page, or typed in by HR from a paper questionnaire (纸质问卷)."""

    ticket: str
    attitude: int
    professionalism: int
    responsiveness: int
    comment: str | None = None


class Recorded(msgspec.Struct, kw_only=True):
    status: str = "recorded"


class ScoreMeans(msgspec.Struct, kw_only=True):
    attitude: float | None
    professionalism: float | None
    responsiveness: float | None


class ReleasedCell(msgspec.Struct, kw_only=True):
    cadre_id: str
    cadre_name: str
    unit_name: str
    period: str
    responses: int
    scores: ScoreMeans
    comments: list[str] | None
    """None while the cell has fewer than ``k_comments`` responses."""


class SuppressedCell(msgspec.Struct, kw_only=True):
    cadre_id: str
    cadre_name: str
    period: str


class PendingPeriod(msgspec.Struct, kw_only=True):
    """A quarter still collecting responses: every figure of it shows 待发布 until ``release_on``."""

    period: str
    release_on: dt.date
    """The second day of the next quarter (Asia/Shanghai), when the quarter's cells are released."""
    reason: str = "quarter_open"


class PooledFigure(msgspec.Struct, kw_only=True):
    responses: int
    cadres: int
    scores: ScoreMeans


class EvaluationResults(msgspec.Struct, kw_only=True):
    k: int
    k_comments: int
    periods: list[str]
    cells: list[ReleasedCell]
    suppressed: list[SuppressedCell]
    """Cadre-quarters with at least one but fewer than k responses: no count, no scores."""
    pooled: PooledFigure
    """The filter's figure over released cells only."""
    pending: list[PendingPeriod] = []
    """Quarters of the filter that are not over yet: nothing of them is in ``cells``, ``suppressed`` or
    ``pooled`` (not even whether they hold any response) before their release date."""
