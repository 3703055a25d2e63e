"""The results view HR and leaders read: released cells with names, suppressed cells, the pooled figure."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from server.evaluation import results
from server.evaluation.schemas import (
    EvaluationResults,
    PendingPeriod,
    PooledFigure,
    ReleasedCell,
    ScoreMeans,
    SuppressedCell,
)


def names(db: Database) -> tuple[dict[str, str], dict[str, str]]:
    """(user id → name, user id → unit name)."""
    rows = db.conn.execute("SELECT u.id, u.name, o.name FROM user u JOIN org_unit o ON o.id = u.unit_id").fetchall()
    return {r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}


def results_view(
    db: Database,
    *,
    year: int,
    quarter: int | None,
    unit_id: str | None,
    k: int,
    k_comments: int,
    today: dt.date | None = None,
) -> EvaluationResults:
    periods = results.periods_for(year, quarter)
    cadre_ids = results.cadres_in_unit(db, unit_id) if unit_id else None
    cells, suppressed = results.released_cells(
        db, periods=periods, k=k, k_comments=k_comments, cadre_ids=cadre_ids, today=today
    )
    user_name, unit_name = names(db)
    pooled = results.pool(cells)
    return EvaluationResults(
        k=k,
        k_comments=k_comments,
        periods=periods,
        cells=[
            ReleasedCell(
                cadre_id=c.cadre_id,
                cadre_name=user_name.get(c.cadre_id, ""),
                unit_name=unit_name.get(c.cadre_id, ""),
                period=c.period,
                responses=c.responses,
                scores=ScoreMeans(**{n: c.mean(n) for n in results.SCORE_FIELDS}),
                comments=c.comments,
            )
            for c in cells
        ],
        suppressed=[SuppressedCell(cadre_id=cid, cadre_name=user_name.get(cid, ""), period=p) for cid, p in suppressed],
        pooled=PooledFigure(responses=pooled.responses, cadres=pooled.cadres, scores=ScoreMeans(**pooled.means())),
        pending=[PendingPeriod(period=p, release_on=d) for p, d in results.pending_periods(periods, today)],
    )
