"""Builds the assessment of every cadre for one quarter from the evaluation, plans and follow-up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlite_utils import Database

from server.assessment import measures
from server.assessment.schemas import Assessment, AssessmentRow, PlanFigures, ProblemFigures, ReportFigures
from server.evaluation import results
from server.evaluation.schemas import ScoreMeans
from server.plans.progress import CompletionCount, completion_summary


def cadres(db: Database) -> list[tuple[str, str, str, str | None]]:
    """(id, name, unit name, post) of every active cadre, by unit then name."""
    rows = db.conn.execute(
        "SELECT u.id, u.name, o.name, u.post, u.roles FROM user u JOIN org_unit o ON o.id = u.unit_id"
        " WHERE u.disabled = 0 ORDER BY o.path, u.name"
    ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows if "cadre" in json.loads(r[4] or "[]")]


def assessment(db: Database, *, year: int, quarter: int, k: int, today: dt.date) -> Assessment:
    period = f"{year}Q{quarter}"
    cells, _ = results.released_cells(db, periods=[period], k=k, k_comments=None, today=today)
    release_on = results.release_date(period)
    pending = not results.is_released(period, today)
    by_cadre = {c.cadre_id: c for c in cells}
    plans = {c.key: c for c in completion_summary(db, year=year, by="cadre", quarter=quarter, today=today)}
    reports = measures.report_timeliness(db, {period}, today)
    speeds = measures.problem_speed(db, {period}, today)
    rows = []
    for cadre_id, name, unit, post in cadres(db):
        cell = by_cadre.get(cadre_id)
        plan = plans.get(cadre_id)
        p = plan or CompletionCount(key=cadre_id)
        rep = reports.get((cadre_id, period), measures.ReportTimeliness())
        sp = speeds.get((cadre_id, period), measures.ProblemSpeed())
        rows.append(
            AssessmentRow(
                cadre_id=cadre_id,
                cadre_name=name,
                unit_name=unit,
                post=post,
                evaluation_status="released" if cell else "pending" if pending else "insufficient",
                evaluation_release_on=release_on,
                evaluation_responses=cell.responses if cell else None,
                scores=ScoreMeans(**{n: cell.mean(n) for n in results.SCORE_FIELDS}) if cell else None,
                plan=PlanFigures(total=p.total, done=p.done, late=p.late, missed=p.missed, planned=p.planned,
                                 held=p.held, due=p.due, rate=p.rate),
                reports=ReportFigures(**dataclasses.asdict(rep)),
                problems=ProblemFigures(
                    raised=sp.raised,
                    assigned=sp.assigned,
                    closed=sp.closed,
                    overdue=sp.overdue,
                    median_days_to_assign=sp.median_days_to_assign,
                    median_days_to_close=sp.median_days_to_close,
                ),
            )
        )
    return Assessment(year=year, quarter=quarter, period=period, k=k, rows=rows)
