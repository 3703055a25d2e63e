"""Pooled evaluation results with k-anonymity and a release date.

The only cells ever released are fixed and non-overlapping: one cadre x one quarter, and only

* once the quarter is over (from the second day of the next quarter, Asia/Shanghai): no response
  can join a cell after that, so a released cell never changes and no two reads of it differ by one
  response; before that day every cell of the quarter is *pending* (待发布) and nothing of it is
  shown, not even whether it has any response;
* and when it holds at least k responses (comments need k_comments), else it stays 样本不足 for good.

Every larger figure (a unit, the company, several quarters) is computed over released cells only,
so any view is a sum of whole released cells and the difference of two views is again a sum of
released cells. A response carries only its quarter, so there are no month or week views.
Sealed responses (``server.evaluation.seal``) count like written-out ones: they are decrypted in
memory, never written in plain text below k.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlite_utils import Database

from server import clock
from server.evaluation import seal
from server.evaluation.tickets import SCORE_FIELDS, quarter_of
from sync import memo
from sync.calendar import local_date


@dataclass(frozen=True)
class Cell:
    """One released cadre x quarter."""

    cadre_id: str
    period: str
    responses: int
    sums: dict[str, int]
    comments: list[str] | None = None
    """Only when the cell reaches ``k_comments``; sorted by text, neither arrival nor storage order."""

    def mean(self, name: str) -> float:
        return round(self.sums[name] / self.responses, 2)


@dataclass
class Pooled:
    """A figure over whole released cells."""

    responses: int = 0
    cadres: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORE_FIELDS, 0))

    def means(self) -> dict[str, float | None]:
        return {n: (round(self.sums[n] / self.responses, 2) if self.responses else None) for n in SCORE_FIELDS}


def quarters_between(start: dt.date, end: dt.date) -> list[str]:
    """Every quarter overlapping ``[start, end]`` (a period is always widened to whole quarters)."""
    out: list[str] = []
    year, q = start.year, (start.month - 1) // 3 + 1
    last = quarter_of(end)
    while True:
        label = f"{year}Q{q}"
        out.append(label)
        if label >= last:
            return out
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)


def periods_for(year: int, quarter: int | None = None) -> list[str]:
    return [f"{year}Q{quarter}"] if quarter else [f"{year}Q{q}" for q in range(1, 5)]


def cadres_in_unit(db: Database, unit_id: str) -> set[str]:
    """Cadres whose home unit is the unit or below it."""
    rows = db.conn.execute(
        "SELECT u.id FROM user u JOIN org_unit o ON o.id = u.unit_id"
        " WHERE o.path LIKE (SELECT path FROM org_unit WHERE id = ?) || '%'",
        (unit_id,),
    ).fetchall()
    return {r[0] for r in rows}


def company_today() -> dt.date:
    return local_date(clock.utcnow())


def release_date(period: str) -> dt.date:
    """The day a quarter's cells are released: the second day of the next quarter. The period of a
    response is read from the clock inside the writer's transaction, so a response counted in the
    quarter commits at most milliseconds after the quarter ends; the settling day between puts
    every such commit before the first read that sees the quarter released."""
    year, q = int(period[:4]), int(period[5])
    first = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return first + dt.timedelta(days=1)


def is_released(period: str, today: dt.date) -> bool:
    return today >= release_date(period)


def pending_periods(periods: list[str], today: dt.date | None = None) -> list[tuple[str, dt.date]]:
    """(period, release date) of the periods whose quarter is not over yet (待发布)."""
    today = today or company_today()
    return [(p, release_date(p)) for p in periods if not is_released(p, today)]


@dataclass
class _Acc:
    n: int = 0
    sums: list[int] = field(default_factory=lambda: [0, 0, 0])
    mins: list[int] = field(default_factory=lambda: [5, 5, 5])
    comments: list[str] = field(default_factory=list)


def _cells(db: Database, periods: list[str], comments: bool) -> dict[tuple[str, str], _Acc]:
    """Every (cadre, period) of ``periods`` with its responses, written-out and sealed alike, and
    their comments only if ``comments``: the dashboard, the assessment and the all-5/5/5 signal show
    none, and reading a year's (~9,000 of 30,000 responses) was a third of the dashboard's time.
    Read once per read (``sync.memo``: a dashboard asks for the year's cells twice, for its scores
    and for the signal); responses are never written inside a push, where the memo also lives."""
    return memo.cached(db, "evaluation_cells", (tuple(sorted(set(periods))), comments),
                       lambda: _read_cells(db, periods, comments))


def _read_cells(db: Database, periods: list[str], comments: bool) -> dict[tuple[str, str], _Acc]:
    wanted = set(periods)
    out: dict[tuple[str, str], _Acc] = {}

    def add(cadre_id: str, period: str, scores: tuple[int, int, int], comment: str | None) -> None:
        acc = out.setdefault((cadre_id, period), _Acc())
        acc.n += 1
        for i, v in enumerate(scores):
            acc.sums[i] += v
            acc.mins[i] = min(acc.mins[i], v)
        if comment and comments:
            acc.comments.append(comment)

    if wanted:
        # Summed by SQLite: a year of a company is 30,000 responses (bench/growth.py).
        marks = ",".join("?" * len(wanted))
        for cadre_id, period, n, *sums_mins in db.conn.execute(
            "SELECT cadre_id, period, count(*), sum(attitude), sum(professionalism), sum(responsiveness),"
            " min(attitude), min(professionalism), min(responsiveness)"
            f" FROM evaluation_response WHERE period IN ({marks}) GROUP BY cadre_id, period",
            sorted(wanted),
        ):
            out[(cadre_id, period)] = _Acc(n, list(sums_mins[:3]), list(sums_mins[3:]))
        for cadre_id, period, comment in db.conn.execute(
            f"SELECT cadre_id, period, comment FROM evaluation_response WHERE period IN ({marks})"
            " AND comment IS NOT NULL AND comment != ''",
            sorted(wanted),
        ) if comments else ():
            out[(cadre_id, period)].comments.append(comment)
        for _rid, rec in seal.pending(db):
            if rec["period"] in wanted:
                add(rec["cadre_id"], rec["period"], tuple(rec[n] for n in SCORE_FIELDS), rec["comment"])
    return dict(sorted(out.items()))


def _over(db: Database, periods: list[str], k: int, today: dt.date, comments: bool = False) -> Iterator[tuple[str, str, _Acc, bool]]:
    """(cadre_id, period, its responses, whether they are released) for each cell of the quarters of
    ``periods`` that are over — the release rule, in one place: a cell is released when its quarter
    is over and it holds at least k responses; a quarter still collecting gives nothing."""
    for (cadre_id, period), acc in _cells(db, [p for p in periods if is_released(p, today)], comments).items():
        yield cadre_id, period, acc, acc.n >= k


def released_cells(
    db: Database,
    *,
    periods: list[str],
    k: int,
    k_comments: int | None,
    cadre_ids: set[str] | None = None,
    today: dt.date | None = None,
) -> tuple[list[Cell], list[tuple[str, str]]]:
    """(released cells, suppressed (cadre_id, period) pairs) for the periods, optionally some cadres only.
    A cell's comments come with it when it holds at least ``k_comments`` responses; ``None``: no
    comments are wanted, and none are read.

    Periods whose quarter is not over yet (``pending_periods``) give neither: nothing about them is
    shown before their release date. A suppressed pair says only "fewer than k, at least one": never
    how many or what, and it is final (the quarter is over).
    """
    released: list[Cell] = []
    suppressed: list[tuple[str, str]] = []
    for cadre_id, period, acc, shown in _over(db, periods, k, today or company_today(), k_comments is not None):
        if cadre_ids is not None and cadre_id not in cadre_ids:
            continue
        if not shown:
            suppressed.append((cadre_id, period))
            continue
        comments = sorted(acc.comments) if k_comments is not None and acc.n >= k_comments else None
        released.append(Cell(cadre_id, period, acc.n, dict(zip(SCORE_FIELDS, acc.sums, strict=True)), comments))
    return released, suppressed


def pool(cells: list[Cell]) -> Pooled:
    """Sum whole released cells (weighted by responses)."""
    out = Pooled()
    out.cadres = len({c.cadre_id for c in cells})
    for c in cells:
        out.responses += c.responses
        for name in SCORE_FIELDS:
            out.sums[name] += c.sums[name]
    return out


def all_ratings_at_maximum(
    db: Database, *, start: dt.date, end: dt.date, k: int = 5, today: dt.date | None = None
) -> list[tuple[str, int]]:
    """(cadre_id, responses) for cadres whose released cells in the quarters overlapping the period
    are all 5/5/5 (a formalism signal, seed §六). Only released cells count — quarters that are over
    and hold at least k responses — so the signal says nothing about a group smaller than k and does
    not change while a quarter is still collecting."""
    by_cadre: dict[str, list[tuple[int, bool]]] = {}
    for cadre_id, _period, acc, shown in _over(db, quarters_between(start, end), k, today or company_today()):
        if shown:
            by_cadre.setdefault(cadre_id, []).append((acc.n, min(acc.mins) == 5))
    return sorted((cid, sum(n for n, _ in cs)) for cid, cs in by_cadre.items() if all(m for _, m in cs))
