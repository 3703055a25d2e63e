"""The quarter's assessment row of a cadre: plan completion (done / late / missed, rate without the
items not yet due), reports on time against the follow-up loop's due date, and ratings only from a
released cell."""

import datetime as dt

from server.assessment.table import assessment
from server.evaluation import tickets
from server.store import in_transaction
from tests.builders import World, plan, planned_interview


def row(world: World, cadre: str, today: dt.date, k: int = 5):
    a = assessment(world.db, year=2025, quarter=4, k=k, today=today)
    return next(r for r in a.rows if r.cadre_id == cadre)


def test_plan_completion_and_reports_for_the_quarter(world: World, dev) -> None:
    on_time, _ = plan(dev, window_start="2025-11-01", window_end="2025-11-14")
    plan(dev, window_start="2025-10-01", window_end="2025-10-31")  # never held: missed
    plan(dev, window_start="2025-12-01", window_end="2025-12-31")  # still open on 10 Dec
    assert planned_interview(dev, on_time, day="2025-11-03").status == "applied"
    r = row(world, "u-cadre1", dt.date(2025, 12, 10))
    assert (r.plan.total, r.plan.done, r.plan.late, r.plan.missed, r.plan.planned) == (3, 1, 0, 1, 1)
    assert r.plan.rate == 0.5  # the open item does not count yet
    assert (r.plan.held, r.plan.due) == (1, 2)  # the fraction shown beside the rate: 1/2, not 1/3
    # The interview of 3 Nov 2025: report due 7 working days later, never submitted → overdue.
    assert (r.reports.due, r.reports.on_time, r.reports.overdue) == (1, 0, 1)
    assert r.scores is None and r.evaluation_responses is None
    before_due = row(world, "u-cadre1", dt.date(2025, 11, 5))
    assert (before_due.reports.overdue, before_due.reports.not_yet_due) == (0, 1)


def test_ratings_appear_only_from_k_responses(world: World, dev) -> None:
    q4 = dt.date(2025, 11, 20)

    def rate(n: int) -> None:
        for t in in_transaction(world.db, lambda d: tickets.issue_tickets_tx(d, "u-cadre1", n, q4)):
            s = tickets.Scores(attitude=5, professionalism=4, responsiveness=3)
            in_transaction(world.db, lambda d, t=t, s=s: tickets.redeem_tx(d, t, s, q4))

    rate(4)
    r = row(world, "u-cadre1", dt.date(2026, 1, 2))
    assert r.scores is None and r.evaluation_status == "insufficient"
    rate(1)
    for day in (dt.date(2025, 12, 31), dt.date(2026, 1, 1)):  # not over, then the settling day: 待发布
        pending = row(world, "u-cadre1", day)
        assert pending.scores is None and pending.evaluation_responses is None
        assert (pending.evaluation_status, pending.evaluation_release_on) == ("pending", dt.date(2026, 1, 2))
    r = row(world, "u-cadre1", dt.date(2026, 1, 2))
    assert r.evaluation_status == "released"
    assert r.evaluation_responses == 5 and (r.scores.attitude, r.scores.professionalism, r.scores.responsiveness) == (
        5.0,
        4.0,
        3.0,
    )


def test_the_plan_fraction_and_rate_are_one_computation() -> None:
    """Issue 17 point 7 ("2/6 完成率 100%"): the rate is held / due, computed once
    (CompletionCount.rate) and sent with its numerator and denominator; a late item is held (it
    counts as done for the rate as in the fraction), a not-yet-due item counts in neither."""
    from server.plans.progress import CompletionCount

    c = CompletionCount(key="c", total=6, done=1, late=1, missed=0, planned=4)
    assert (c.held, c.due, c.rate) == (2, 2, 1.0)
    c = CompletionCount(key="c", total=5, done=1, late=0, missed=2, planned=2)
    assert (c.held, c.due, c.rate) == (1, 3, 0.333)
    assert CompletionCount(key="c", total=2, planned=2).rate is None
