"""`fangtan demo` seeds two months of activity through the real sync engine, so HR's dashboards, the
plan completion, the evaluation results and the formalism signals all have something to show."""

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from server.dashboards.figures import dashboard
from server.demo import UNITS, USERS, seed_demo_plans_tx
from server.demo.activity import seed_demo_activity
from server.demo.story import INTERVIEWS
from server.evaluation.results import released_cells
from server.plans.progress import plan_completion
from server.store import in_transaction
from server.supervision.signals import formalism_signals
from sync.calendar import local_date
from tests.builders import open_db

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)


def seeded(data_dir: Path, now: dt.datetime):
    db = open_db(data_dir / "fangtan.db")
    names = dict(db.conn.execute("SELECT name, id FROM org_unit").fetchall())
    units = {key: names[name] for key, name, *_ in UNITS}
    in_transaction(db, lambda d: seed_demo_plans_tx(d, units, now))
    summary = seed_demo_activity(db, units, now, data_dir / "blobs")
    people = dict(db.conn.execute('SELECT username, id FROM "user"').fetchall())
    return db, summary, people


def test_every_demo_mutation_is_applied_by_the_real_rules(data_dir: Path) -> None:
    db, summary, _ = seeded(data_dir, NOW)
    receipts = Counter(s for (s,) in db.conn.execute("SELECT status FROM sync_receipt"))
    assert receipts == {"applied": summary.mutations}
    assert db.conn.execute("SELECT COUNT(*) FROM rejection").fetchone()[0] == 0
    assert summary.interviews == len(INTERVIEWS) == 12
    assert summary.issues == 22
    # Every problem got a receipt code from the engine, and nothing is dated after "now".
    assert (
        db.conn.execute("SELECT COUNT(*) FROM issue WHERE receipt_code IS NULL OR receipt_code = ''").fetchone()[0] == 0
    )
    latest = max(
        r[0] for r in db.conn.execute("SELECT created_at FROM followup UNION SELECT created_at FROM interview")
    )
    assert dt.datetime.fromisoformat(latest) < NOW
    # The photos went through the blob store: the bytes are on disk under their hash.
    for (sha,) in db.conn.execute("SELECT sha256 FROM attachment"):
        assert (data_dir / "blobs" / sha[:2] / sha[2:]).is_file()
    db.close()


def test_dashboard_figures_are_not_empty(data_dir: Path) -> None:
    db, _, people = seeded(data_dir, NOW)
    today = local_date(NOW)
    d = dashboard(db, year=2026, quarter=None, k=5, today=today)
    assert d.problems_total == 22
    assert {c.key for c in d.problems_by_category} == {"business", "management", "demand", "suggestion"}
    statuses = {c.key: c.count for c in d.problems_by_status}
    assert {"raised", "assigned", "in_progress", "resolved", "closed"} <= statuses.keys()
    assert {c.label for c in d.problems_by_department} >= {"设备管理部", "生产技术部", "综合部"}
    assert d.overdue >= 2
    assert d.median_days_to_close is not None and d.median_days_to_close > 0
    assert sum(p.done for p in d.plan_by_unit) >= 3 and sum(p.late for p in d.plan_by_unit) >= 1

    # One problem on the management-meeting agenda, with the meeting's decision recorded.
    kinds = Counter(k for (k,) in db.conn.execute("SELECT kind FROM followup"))
    assert kinds["escalate"] == 1 and kinds["decide"] == 1
    # One report submitted after its 7-working-day due date, the others on time.
    late = [
        r
        for r in db.conn.execute("SELECT submitted_at, due_date FROM report WHERE status = 'submitted'")
        if local_date(r[0]) > dt.date.fromisoformat(r[1])
    ]
    assert len(late) == 1
    db.close()


def test_evaluations_release_one_cadre_and_suppress_the_other(data_dir: Path) -> None:
    db, _, people = seeded(data_dir, NOW)
    # Last quarter's: released on first start (2026Q3 is over on 24 Nov 2026).
    released, suppressed = released_cells(db, periods=["2026Q3"], k=5, k_comments=10, today=local_date(NOW))
    assert [(c.cadre_id, c.responses >= 5) for c in released] == [(people["cadre"], True)]
    assert suppressed == [(people["cadre2"], "2026Q3")]
    assert released_cells(db, periods=["2026Q4"], k=5, k_comments=10, today=local_date(NOW)) == ([], [])
    assert [name for user, name, *_ in USERS if user == "cadre"] == ["刘海涛"]
    db.close()


def test_comments_are_read_only_where_they_are_shown(data_dir: Path) -> None:
    """The dashboard and the assessment show no comments: ``k_comments=None`` reads none of them
    (a year's comments were a third of the year's dashboard); the results page still gets them."""
    db, _, people = seeded(data_dir, NOW)
    db.conn.execute("UPDATE evaluation_response SET comment = '态度很好' WHERE period = '2026Q3'")
    today = local_date(NOW)
    (shown,), _ = released_cells(db, periods=["2026Q3"], k=5, k_comments=5, today=today)
    assert shown.cadre_id == people["cadre"] and shown.comments and "态度很好" in shown.comments
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    (bare,), _ = released_cells(db, periods=["2026Q3"], k=5, k_comments=None, today=today)
    d = dashboard(db, year=2026, quarter=3, k=5, today=today)
    db.conn.set_trace_callback(None)
    assert bare.comments is None and bare.responses == shown.responses and d.evaluation_company.responses
    reads = [s for s in statements if "evaluation_response" in s]
    assert reads and not [s for s in reads if "comment" in s], reads
    db.close()


def test_plan_completion_and_formalism_signals_have_examples(data_dir: Path) -> None:
    db, _, _ = seeded(data_dir, NOW)
    statuses = Counter(s.status for s in plan_completion(db, year=2026, today=local_date(NOW)))
    assert statuses["done"] >= 3 and statuses["late"] >= 1
    signals = formalism_signals(db, start=dt.date(2026, 9, 1), end=dt.date(2026, 11, 30))
    kinds = Counter(s.kind for s in signals)
    # Exactly the staged examples: the boilerplate walkthrough without a photo; the others have photos.
    assert kinds == {"boilerplate": 1, "walkthrough_no_evidence": 1}
    subject = {s.subject.id for s in signals}
    assert len(subject) == 1
    summary = db.conn.execute("SELECT summary FROM interview WHERE id = ?", [subject.pop()]).fetchone()[0]
    assert summary == "情况良好"
    db.close()


@pytest.mark.parametrize(
    "now", [dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC), dt.datetime(2026, 10, 2, 4, 0, tzinfo=dt.UTC)]
)
def test_seeding_works_across_a_year_boundary_and_in_holidays(data_dir: Path, now: dt.datetime) -> None:
    """Early January (the visits fall in last year, before this year's plans) and the National Day
    week: every mutation still passes the rules and nothing lies in the future."""
    db, summary, _ = seeded(data_dir, now)
    assert Counter(s for (s,) in db.conn.execute("SELECT status FROM sync_receipt")) == {"applied": summary.mutations}
    latest = max(r[0] for r in db.conn.execute("SELECT created_at FROM followup UNION SELECT created_at FROM report"))
    assert dt.datetime.fromisoformat(latest) < now
    db.close()


def test_the_supervision_group_has_a_draw_to_judge_and_a_month_to_draw(data_dir: Path) -> None:
    from server.supervision import draws

    db, summary, _ = seeded(data_dir, NOW)
    assert summary.draws == 1
    (made,) = draws.list_draws(db)
    assert made.period == "2026-09" and made.scheme == "period" and made.sample_size
    assert all(s.verdict is None for s in draws.sample(db, made.id))  # items to judge
    assert draws.verify(db, made.id, None).ok
    assert draws.population(db, dt.date(2026, 10, 1), dt.date(2026, 10, 31))  # last month: ready to draw
    db.close()
