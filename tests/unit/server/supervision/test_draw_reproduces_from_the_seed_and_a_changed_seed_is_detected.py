"""The draw is a pure function of the seed and the published population: the same seed gives the
same sample, a changed seed does not match the commitment (and gives another order), and the
algorithm is pinned by a vector anyone can recompute from docs/plans-and-supervision.md."""

import hashlib
import hmac
import math

import pytest

from server.supervision.draw import Item, commitment, draw_sample, order_key
from sync.errors import InvalidField

SEED = "00" * 31 + "2a"
POP = [Item("interview", f"iv-{n:02d}", f"interview/ws{n % 2}/group") for n in range(10)] + [
    Item("issue", f"is-{n:02d}", "issue/ws1/walkthrough") for n in range(3)
]


def test_same_seed_same_sample_and_ceil_rate_per_stratum() -> None:
    first = draw_sample(SEED, POP, 0.3)
    assert first == draw_sample(SEED, list(reversed(POP)), 0.3)  # input order does not matter
    by = {}
    for d in first:
        by.setdefault(d.stratum, []).append(d)
    assert {s: len(v) for s, v in by.items()} == {
        "interview/ws0/group": math.ceil(0.3 * 5),
        "interview/ws1/group": math.ceil(0.3 * 5),
        "issue/ws1/walkthrough": 1,
    }


def test_the_documented_algorithm_recomputed_by_hand() -> None:
    seed = bytes.fromhex(SEED)
    stratum = [i for i in POP if i.stratum == "interview/ws0/group"]
    by_hand = sorted(stratum, key=lambda i: hmac.new(seed, f"{i.entity}:{i.id}".encode(), hashlib.sha256).hexdigest())
    drawn = [d.id for d in draw_sample(SEED, POP, 0.3) if d.stratum == "interview/ws0/group"]
    assert drawn == [i.id for i in by_hand[:2]]
    assert commitment(SEED) == hashlib.sha256(seed).hexdigest()
    assert order_key(seed, stratum[0]) == hmac.new(seed, b"interview:iv-00", hashlib.sha256).hexdigest()


def test_a_changed_seed_is_detected() -> None:
    other = SEED[:-1] + "b"
    assert commitment(other) != commitment(SEED)
    orders = {tuple(d.id for d in draw_sample(s, POP, 0.5)) for s in (SEED, other, "ff" * 32)}
    assert len(orders) > 1  # the sample depends on the seed


@pytest.mark.parametrize("seed", ["", "2a", "G" * 64, SEED.upper(), SEED + "00"])
def test_a_malformed_seed_is_refused(seed: str) -> None:
    with pytest.raises(InvalidField) as info:
        draw_sample(seed, POP, 0.5)
    assert info.value.field == "seed" and info.value.message, info.value


@pytest.mark.parametrize("rate", [0, -0.1, 1.01])
def test_rate_outside_0_1_is_refused(rate: float) -> None:
    with pytest.raises(InvalidField) as info:
        draw_sample(SEED, POP, rate)
    assert info.value.field == "rate" and info.value.message, info.value
