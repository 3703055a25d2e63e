"""Coverage warnings: each cadre once a quarter (per unit they visit), the annual deep review, each
unit plan once a month — computed from the year's active items."""

from server.plans.coverage import coverage_warnings
from tests.builders import World, plan


def kinds_for(world: World, **match) -> list[tuple]:
    return [
        (w.kind, w.quarter or w.month)
        for w in coverage_warnings(world.db, year=2025)
        if all(getattr(w, k) == v for k, v in match.items())
    ]


def test_a_cadre_without_a_quarter_is_warned(world: World, dev) -> None:
    for q in (1, 2, 4):
        plan(dev, cadre="u-cadre1", unit="ws1", quarter=q)
    assert kinds_for(world, cadre_id="u-cadre1") == [("cadre_quarter", 3), ("cadre_unit_quarter", 3)]
    assert ("cadre_quarter", 1) in kinds_for(world, cadre_id="u-cadre2")  # nothing planned at all
    msg = next(w.message_zh for w in coverage_warnings(world.db, year=2025) if w.cadre_id == "u-cadre1")
    assert "第 3 季度" in msg and "张干部" in msg


def test_deep_review_and_unit_months(world: World, dev) -> None:
    assert ("deep_review", None) in kinds_for(world)
    plan(dev, kind="deep_review", quarter=None)
    assert ("deep_review", None) not in kinds_for(world)
    for m in range(1, 12):
        plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=m, cadre="u-lead1", unit="ws1t1")
    assert kinds_for(world, kind="unit_month") == [("unit_month", 12)]


def test_a_disabled_unit_is_not_warned_about_since_nothing_can_be_planned_there(world: World, dev) -> None:
    for q in (1, 2):
        plan(dev, cadre="u-cadre1", unit="ws1t1", quarter=q)
    plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=1, cadre="u-lead1", unit="ws1t1")
    assert ("cadre_unit_quarter", 3) in kinds_for(world, unit_id="ws1t1")
    with world.db.atomic():
        world.db.conn.execute("UPDATE org_unit SET disabled = 1 WHERE id = 'ws1t1'")
    assert kinds_for(world, unit_id="ws1t1") == []
    assert ("cadre_quarter", 3) in kinds_for(world, cadre_id="u-cadre1")  # the cadre's own gap stays
