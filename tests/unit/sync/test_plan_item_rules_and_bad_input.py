"""``plan.save`` rules: kinds per plan, windows inside their period, ad-hoc reason, real cadres and
units, immutable identity — each refused with the field named and nothing written."""

import pytest

from tests.builders import World, plan, seq_of


def test_window_defaults_to_the_quarter(world: World, dev) -> None:
    pid, r = plan(dev, quarter=2)
    assert r.status == "applied"
    row = world.db["plan_item"].get(pid)
    assert (row["window_start"], row["window_end"], row["status"]) == ("2025-04-01", "2025-06-30", "active")


def test_monthly_window_and_deep_review_year(world: World, dev) -> None:
    m, _ = plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=2)
    assert world.db["plan_item"].get(m)["window_end"] == "2025-02-28"
    d, r = plan(dev, kind="deep_review", quarter=None, window_start="2025-12-01")
    assert r.status == "applied"
    assert (world.db["plan_item"].get(d)["window_start"], world.db["plan_item"].get(d)["window_end"]) == (
        "2025-12-01",
        "2025-12-31",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "monthly", "month": 3, "quarter": None}, "kind"),  # monthly visits belong to unit plans
        ({"quarter": None}, "quarter"),
        ({"quarter": 5}, "quarter"),
        ({"year": 1999}, "year"),
        ({"cadre_id": "u-hr"}, "cadre_id"),  # not a cadre
        ({"cadre_id": "nobody"}, "cadre_id"),
        ({"unit_id": "nowhere"}, "unit_id"),
        ({"window_start": "2025-09-30"}, "window_start"),  # outside Q4
        ({"window_start": "2025-12-10", "window_end": "2025-12-01"}, "window_end"),
        ({"kind": "deep_review", "quarter": 2}, "quarter"),
        ({"title": "长" * 201}, "title"),
    ],
)
def test_bad_company_items_are_refused_naming_the_field(world: World, dev, fields: dict, field: str) -> None:
    _, r = plan(dev, **fields)
    assert r.status == "rejected" and r.error.field == field, r.error
    assert world.db["plan_item"].count == 0


def test_adhoc_visit_needs_a_reason(world: World, dev) -> None:
    base = {"scope": "unit", "kind": "adhoc", "quarter": None, "window_start": "2025-11-10", "window_end": "2025-11-14"}
    _, r = plan(dev, by="u-lead1", **base)
    assert r.status == "rejected" and r.error.field == "reason"
    _, r = plan(dev, by="u-lead1", reason="  ", **base)
    assert r.status == "rejected" and r.error.field == "reason"
    _, r = plan(dev, by="u-lead1", reason="反应釜检修项目", **base)
    assert r.status == "applied"


def test_identity_fields_cannot_change_and_cancel_keeps_the_row(world: World, dev) -> None:
    pid, _ = plan(dev)
    r = dev("u-hr").push_one("plan.save", {"id": pid, "quarter": 3}, base=seq_of(world, "plan_item", pid))
    assert r.status == "rejected" and r.error.field == "quarter"
    r = dev("u-hr").push_one("plan.save", {"id": pid, "status": "cancelled"}, base=seq_of(world, "plan_item", pid))
    assert r.status == "applied" and world.db["plan_item"].get(pid)["status"] == "cancelled"
