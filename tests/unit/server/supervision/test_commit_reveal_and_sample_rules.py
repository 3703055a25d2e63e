"""Commit before the period ends, reveal after it; the server checks the seed against the hash and
draws the sample from the population of the period (records held, problems under rectification).
Refusals are typed and leave nothing behind."""

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import pytest

from server.supervision import draws
from server.supervision.draw import commitment
from server.supervision.draws import commit_tx, reveal_tx
from server.supervision.errors import CommitTooLate, NotRevealed, RevealTooEarly, SeedMismatch
from sync.errors import InvalidField
from tests.builders import World, assign, held_interview, raise_issue

SH = ZoneInfo("Asia/Shanghai")
NOV = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))


def at(y, m, d, h=10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SH)


def commit(world: World, seed: str, now=at(2025, 11, 10), rate: float = 0.5):
    return commit_tx(
        world.db,
        world.actor("u-super"),
        period_start=NOV[0],
        period_end=NOV[1],
        rate=rate,
        seed_sha256=commitment(seed),
        now=now,
    )


def test_commit_then_reveal_draws_from_the_period(world: World, dev) -> None:
    inside = [held_interview(dev, day="2025-11-03"), held_interview(dev, day="2025-11-20", cadre="u-cadre2", unit_id="ws2")]
    outside = held_interview(dev, day="2025-10-30")
    issue = raise_issue(dev, inside[0])
    assign(dev, issue)
    raise_issue(dev, inside[1], cadre="u-cadre2")  # never assigned: not under rectification
    seed = secrets.token_hex(32)
    draw = commit(world, seed)
    assert (draw.seed, draw.population_size) == (None, None)
    with pytest.raises(NotRevealed):
        draws.sample(world.db, draw.id)
    revealed = reveal_tx(world.db, world.actor("u-super"), draw.id, seed, at(2025, 12, 1, 9))
    assert revealed.seed == seed and revealed.population_size == 3
    drawn = draws.sample(world.db, draw.id)
    assert {(s.entity, s.item_id) for s in drawn} == {
        ("interview", inside[0]),
        ("interview", inside[1]),
        ("issue", issue),
    }  # 3 strata of one item each
    assert outside not in {s.item_id for s in drawn}
    assert {s.stratum for s in drawn} == {"interview/ws1/group", "interview/ws2/group", "issue/ws1/group"}
    v = draws.verify(world.db, draw.id, seed)
    assert v.seed_matches_commitment and v.sample_matches
    other = draws.verify(world.db, draw.id, secrets.token_hex(32))
    assert not other.seed_matches_commitment


def test_commit_after_the_period_ended_is_refused(world: World) -> None:
    with pytest.raises(CommitTooLate):
        commit(world, secrets.token_hex(32), now=at(2025, 12, 1, 0))
    assert world.db["supervision_draw"].count == 0


def test_reveal_before_the_period_ended_is_refused(world: World) -> None:
    seed = secrets.token_hex(32)
    draw = commit(world, seed)
    with pytest.raises(RevealTooEarly):
        reveal_tx(world.db, world.actor("u-super"), draw.id, seed, at(2025, 11, 30, 23))
    assert draws.get_draw(world.db, draw.id).seed is None


def test_a_seed_that_does_not_match_the_hash_is_refused(world: World) -> None:
    draw = commit(world, secrets.token_hex(32))
    with pytest.raises(SeedMismatch):
        reveal_tx(world.db, world.actor("u-super"), draw.id, secrets.token_hex(32), at(2025, 12, 2))
    assert draws.get_draw(world.db, draw.id).seed is None
    assert world.db["supervision_sample"].count == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rate": 0}, "rate"),
        ({"rate": 1.5}, "rate"),
        ({"seed_sha256": "abc"}, "seed_sha256"),
        ({"period_end": dt.date(2025, 10, 1)}, "period_end"),
        ({"period_end": dt.date(2026, 12, 1)}, "period_end"),
    ],
)
def test_bad_commit_input_names_the_field(world: World, change: dict, field: str) -> None:
    args = {"period_start": NOV[0], "period_end": NOV[1], "rate": 0.2, "seed_sha256": "a" * 64, **change}
    with pytest.raises(InvalidField) as e:
        commit_tx(world.db, world.actor("u-super"), now=at(2025, 11, 2), **args)
    assert e.value.field == field
