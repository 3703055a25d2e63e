"""Pooled evaluation results with k-anonymity.

The only cells ever released are fixed and non-overlapping: one cadre x one quarter, and only
when it holds at least k responses (comments need k_comments). Every larger figure (a unit, the
company, several quarters) is computed over released cells only, so any view is a sum of whole
released cells and the difference of two views is again a sum of released cells: differencing
cannot reveal a suppressed group. There are no month or week views: a response carries only its
quarter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlite_utils import Database

from server.evaluation.tickets import SCORE_FIELDS, quarter_of


@dataclass(frozen=True)
class Cell:
    """One released cadre x quarter."""

    cadre_id: str
    period: str
    responses: int
    sums: dict[str, int]
    comments: list[str] | None = None
    """Only when the cell reaches ``k_comments``; shuffled order is irrelevant, sorted for stability."""

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


def _cell_counts(db: Database, periods: list[str]) -> list[tuple]:
    marks = ",".join("?" * len(periods))
    return db.conn.execute(
        "SELECT cadre_id, period, COUNT(*), SUM(attitude), SUM(professionalism), SUM(responsiveness),"
        " MIN(attitude), MIN(professionalism), MIN(responsiveness)"
        f" FROM evaluation_response WHERE period IN ({marks}) GROUP BY cadre_id, period ORDER BY cadre_id, period",
        periods,
    ).fetchall()


def released_cells(
    db: Database, *, periods: list[str], k: int, k_comments: int, cadre_ids: set[str] | None = None
) -> tuple[list[Cell], list[tuple[str, str]]]:
    """(released cells, suppressed (cadre_id, period) pairs) for the periods, optionally some cadres only.

    A suppressed pair says only "fewer than k, at least one": never how many or what.
    """
    released: list[Cell] = []
    suppressed: list[tuple[str, str]] = []
    for cadre_id, period, n, *rest in _cell_counts(db, periods):
        if cadre_ids is not None and cadre_id not in cadre_ids:
            continue
        if n < k:
            suppressed.append((cadre_id, period))
            continue
        comments = None
        if n >= k_comments:
            comments = sorted(
                r[0]
                for r in db.conn.execute(
                    "SELECT comment FROM evaluation_response WHERE cadre_id = ? AND period = ? AND comment IS NOT NULL",
                    (cadre_id, period),
                )
            )
        released.append(Cell(cadre_id, period, n, dict(zip(SCORE_FIELDS, rest[:3], strict=True)), comments))
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


def all_ratings_at_maximum(db: Database, *, start: dt.date, end: dt.date, k: int = 5) -> list[tuple[str, int]]:
    """(cadre_id, responses) for cadres whose released cells in the quarters overlapping the period
    are all 5/5/5 (a formalism signal, seed §六). Only released cells count, so the signal says
    nothing about a group smaller than k."""
    by_cadre: dict[str, list[tuple[int, bool]]] = {}
    for cadre_id, _period, n, _s1, _s2, _s3, m1, m2, m3 in _cell_counts(db, quarters_between(start, end)):
        if n >= k:
            by_cadre.setdefault(cadre_id, []).append((n, min(m1, m2, m3) == 5))
    return sorted((cid, sum(n for n, _ in cells)) for cid, cells in by_cadre.items() if all(m for _, m in cells))
