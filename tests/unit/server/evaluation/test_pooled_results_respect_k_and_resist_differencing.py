"""Results are released only per cadre x quarter with at least k responses; every larger figure is
a sum of released cells, so two overlapping filters never difference out a suppressed group."""

import datetime as dt

import pytest

from server.evaluation import results
from server.evaluation.views import results_view
from tests.unit.server.evaluation.helpers_evaluation import AFTER_2026, open_demo, respond, user_id

K, KC = 5, 10


@pytest.fixture
def db(data_dir):
    db = open_demo(data_dir)
    yield db
    db.conn.close()


def unit_id(db, name: str) -> str:
    return db.conn.execute("SELECT id FROM org_unit WHERE name = ?", (name,)).fetchone()[0]


def test_a_cell_is_shown_from_k_responses_and_its_comments_from_k_comments(db) -> None:
    cadre = user_id(db, "cadre")
    respond(db, cadre, K - 1, scores=(5, 4, 3), comment="希望多来班组")
    view = results_view(db, year=2026, quarter=4, unit_id=None, k=K, k_comments=KC, today=AFTER_2026)
    assert view.cells == [] and [(s.cadre_name, s.period) for s in view.suppressed] == [("刘海涛", "2026Q4")]
    assert view.pooled.responses == 0 and view.pooled.scores.attitude is None
    respond(db, cadre, 1, scores=(3, 4, 5))
    view = results_view(db, year=2026, quarter=4, unit_id=None, k=K, k_comments=KC, today=AFTER_2026)
    [cell] = view.cells
    assert (cell.cadre_name, cell.responses, cell.comments) == ("刘海涛", 5, None)
    assert (cell.scores.attitude, cell.scores.professionalism, cell.scores.responsiveness) == (4.6, 4.0, 3.4)
    respond(db, cadre, KC - K, scores=(4, 4, 4))
    [cell] = results_view(db, year=2026, quarter=4, unit_id=None, k=K, k_comments=KC, today=AFTER_2026).cells
    assert cell.responses == KC and cell.comments == ["希望多来班组"] * (K - 1)


def test_two_overlapping_filters_do_not_difference_out_a_suppressed_cadre(db) -> None:
    released, small = user_id(db, "cadre"), user_id(db, "cadre2")  # 甲醇生产车间, 设备检修车间
    respond(db, released, 6, scores=(4, 4, 4))
    respond(db, small, 2, scores=(1, 1, 1))  # below k: must not show anywhere, not even as a difference
    company = results_view(db, year=2026, quarter=4, unit_id=None, k=K, k_comments=KC, today=AFTER_2026)
    methanol = results_view(db, year=2026, quarter=4, unit_id=unit_id(db, "甲醇生产车间"), k=K, k_comments=KC, today=AFTER_2026)
    maint = results_view(db, year=2026, quarter=4, unit_id=unit_id(db, "设备检修车间"), k=K, k_comments=KC, today=AFTER_2026)
    whole_year = results_view(db, year=2026, quarter=None, unit_id=None, k=K, k_comments=KC, today=AFTER_2026)
    for view in (company, whole_year):
        assert view.pooled.responses == 6 and view.pooled.cadres == 1 and view.pooled.scores.attitude == 4.0
    # company minus 甲醇 = nothing, although 设备检修车间 has two responses
    assert company.pooled.responses - methanol.pooled.responses == 0
    assert maint.pooled.responses == 0 and maint.cells == [] and maint.pooled.scores.attitude is None
    assert [s.cadre_name for s in maint.suppressed] == ["陈晓东"]
    # year minus quarter = nothing either: periods are whole quarters only
    assert whole_year.pooled.responses - company.pooled.responses == 0


def test_cells_are_whole_quarters_and_never_merged_to_reach_k(db) -> None:
    cadre = user_id(db, "cadre")
    respond(db, cadre, 3, day=dt.date(2026, 2, 10))  # Q1
    respond(db, cadre, 3, day=dt.date(2026, 5, 10))  # Q2: six responses in the year, but no quarter reaches k
    view = results_view(db, year=2026, quarter=None, unit_id=None, k=K, k_comments=KC, today=AFTER_2026)
    assert view.cells == [] and view.pooled.responses == 0
    assert sorted(s.period for s in view.suppressed) == ["2026Q1", "2026Q2"]


def test_quarters_between_widens_any_period_to_whole_quarters() -> None:
    assert results.quarters_between(dt.date(2026, 2, 1), dt.date(2026, 2, 28)) == ["2026Q1"]
    assert results.quarters_between(dt.date(2025, 11, 1), dt.date(2026, 4, 2)) == ["2025Q4", "2026Q1", "2026Q2"]
