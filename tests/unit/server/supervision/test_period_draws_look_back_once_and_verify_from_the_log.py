"""Draws for any period, past or current (server/supervision/beacon.py): a past month is drawn at
once, the draw is final (asking again — any rate — returns the same sample), and the published
record verifies with no server, while tampering with the population, the seed, the sample or the
log is detected."""

import copy
import datetime as dt
from zoneinfo import ZoneInfo

import msgspec
import pytest

from server.supervision import beacon, draws
from server.supervision.errors import PeriodNotStarted
from server.supervision.findings import record_finding_tx
from sync.errors import InvalidField
from tests.builders import World, assign, held_interview, raise_issue

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SH)


def draw(world: World, period: str, rate: float = 0.5, now=at(2026, 3, 2)):
    return draws.draw_period_tx(world.db, world.actor("u-super"), period=period, rate=rate, now=now)


def published(world: World, draw_id: str) -> dict:
    return msgspec.to_builtins(draws.verify(world.db, draw_id, None))


@pytest.fixture
def november(world: World, dev) -> list[str]:
    ivs = [held_interview(dev, day=f"2025-11-{3 + n:02d}", unit_id="ws1" if n % 2 else "ws2") for n in range(6)]
    assign(dev, raise_issue(dev, ivs[0]))
    held_interview(dev, day="2025-12-01")  # outside
    return ivs


def test_a_past_month_is_drawn_now_and_verifies_from_its_record(world: World, november) -> None:
    d, created = draw(world, "2025-11")
    assert created and d.scheme == "period" and (d.period_start, d.period_end) == (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    assert d.population_size == 7 and d.sample_size == 2 + 2 + 1  # ceil(0.5 × 3) per unit, the problem
    record = published(world, d.id)
    assert record["ok"] and all(ok for ok, _ in record["checks"]) and record["population_matches_database"]
    check = beacon.verify_period_draw(record)
    assert check.ok and check.recomputed == record["published"]
    # Findings work on it like on any revealed draw.
    item = draws.sample(world.db, d.id)[0]
    assert item.interview_id and item.held_on and item.held_on.startswith("2025-11")
    record_finding_tx(world.db, world.actor("u-super"), d.id, entity=item.entity, item_id=item.item_id,
                      verdict="ok", opinion=None, now=at(2026, 3, 2, 11))


def test_asking_again_returns_the_same_draw_whatever_the_rate(world: World, november, dev) -> None:
    first, _ = draw(world, "2025-11")
    sample = [(s.entity, s.item_id) for s in draws.sample(world.db, first.id)]
    held_interview(dev, day="2025-11-28")  # the population grows: still the first draw
    again, created = draw(world, "2025-11", rate=1.0, now=at(2026, 3, 5))
    assert not created and again.id == first.id and again.rate == 0.5
    assert [(s.entity, s.item_id) for s in draws.sample(world.db, again.id)] == sample
    assert world.db.conn.execute("SELECT count(*) FROM supervision_draw WHERE period = '2025-11'").fetchone()[0] == 1
    # The verifier notices that today's records differ from the frozen population, the draw still verifies.
    record = published(world, first.id)
    assert record["ok"] and record["population_matches_database"] is False


def test_the_current_period_and_quarters_and_years_draw_too(world: World, dev) -> None:
    held_interview(dev, day="2026-03-02")
    current, created = draw(world, "2026-03", now=at(2026, 3, 2, 15))
    assert created and current.population_size == 1
    q, _ = draw(world, "2026-Q1", now=at(2026, 3, 2, 15))
    y, _ = draw(world, "2026", now=at(2026, 3, 2, 15))
    assert (q.period_start, q.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert (y.period_start, y.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    for d in (current, q, y):
        assert published(world, d.id)["ok"]
    with pytest.raises(PeriodNotStarted):
        draw(world, "2026-04", now=at(2026, 3, 31, 23))
    for bad in ("2026-13", "2026-Q5", "26-01", "2026-1", ""):
        with pytest.raises(InvalidField):
            draw(world, bad)
    with pytest.raises(InvalidField):
        draw(world, "2025-10", rate=0)
    assert world.db.conn.execute("SELECT count(*) FROM supervision_draw WHERE period IN ('2026-04', '2025-10')").fetchone()[0] == 0


def test_the_seed_is_fixed_by_the_request_and_a_chain_link_nobody_had(world: World, november) -> None:
    d, _ = draw(world, "2025-11")
    record = published(world, d.id)
    anchor, request, result = record["log"][0]["body"], record["log"][-2]["body"], record["log"][-1]["body"]
    assert (anchor["type"], request["type"], result["type"]) == ("anchor", "request", "draw")
    assert result["request_entry"] == record["log"][-2]["hash"]
    assert result["seed"] == beacon.seed_of(result["chain_value"], result["request_entry"]) == record["seed"]
    assert beacon.walks_to_anchor(result["chain_value"], result["chain_index"], anchor["anchor"])
    # The next draw reveals the next link, which the earlier one did not give away.
    d2, _ = draw(world, "2025-10")
    second = published(world, d2.id)["log"][-1]["body"]
    assert second["chain_index"] == result["chain_index"] + 1 and second["chain_value"] != result["chain_value"]
    assert beacon.walks_to_anchor(second["chain_value"], 1, result["chain_value"])  # s_k = H(s_(k+1))


def test_tampering_is_detected(world: World, november) -> None:
    d, _ = draw(world, "2025-11")
    record = published(world, d.id)

    def fails(change) -> list[str]:
        doctored = copy.deepcopy(record)
        change(doctored)
        check = beacon.verify_period_draw(doctored)
        assert not check.ok
        return [text for ok, text in check.lines if not ok]

    dropped = [i for i in record["population"] if [i[0], i[1]] != [record["published"][0][0], record["published"][0][1]]]
    assert any("population" in t for t in fails(lambda r: r.__setitem__("population", dropped)))
    assert any("seed" in t for t in fails(lambda r: r["log"][-1]["body"].__setitem__("seed", "0" * 64)))
    assert any("sample" in t for t in fails(lambda r: r["published"][0].__setitem__(1, "someone-else")))
    assert any("chain" in t for t in fails(lambda r: r["log"][-2]["body"].__setitem__("rate", 0.1)))
    other_value = "ab" * 32
    assert not beacon.verify_period_draw(record, seed="0" * 64).ok  # a seed other than the published one
    assert any("anchor" in t for t in fails(lambda r: r["log"][-1]["body"].__setitem__("chain_value", other_value)))


def test_the_log_is_append_only(world: World, november) -> None:
    draw(world, "2025-11")
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError):
        world.db.conn.execute("UPDATE supervision_draw_log SET body = '{}' WHERE seq = 2")
    with pytest.raises(sqlite3.DatabaseError):
        world.db.conn.execute("DELETE FROM supervision_draw_log")


def test_an_opinion_names_the_interview_by_form_place_and_date(world: World, november) -> None:
    d, _ = draw(world, "2025-11", rate=1.0)
    item = next(s for s in draws.sample(world.db, d.id) if s.entity == "interview" and s.item_id == november[1])
    finding = record_finding_tx(world.db, world.actor("u-super"), d.id, entity="interview", item_id=item.item_id,
                                verdict="perfunctory", opinion="请补充职工诉求。", now=at(2026, 3, 2, 11))
    assert finding.period == "2025-11" and finding.context is not None
    assert (finding.context.form, finding.context.place, finding.context.held_on) == ("group", "一车间会议室", "2025-11-04")
    assert finding.context.cadre_ids == ["u-cadre1"]
    (body,) = [b for (b,) in world.db.conn.execute(
        "SELECT body FROM notification WHERE user_id = 'u-cadre1' AND kind = 'supervision_opinion'")]
    assert "访谈记录（小组座谈 · 一车间会议室 · 2025-11-04）" in body
