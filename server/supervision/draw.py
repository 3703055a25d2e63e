"""The verifiable draw: commit–reveal over a seed, and a deterministic stratified sample.

Algorithm (docs/plans-and-supervision.md §The draw, precisely):

1. The seed is 32 random bytes, written as 64 lowercase hex characters. Before the period ends the
   supervisor publishes ``commitment = hex(SHA-256(seed bytes))``.
2. After the period ends the seed is revealed; ``SHA-256(seed) == commitment`` or it is refused.
3. The population is fixed at reveal time and published with the sample: every item is
   ``(entity, id, stratum)``; ``stratum = "<entity>/<unit id>/<form>"``.
4. Per stratum, items are ordered by ``HMAC-SHA256(key = seed bytes, msg = UTF-8 "<entity>:<id>")``
   (hex, ascending; ties cannot happen in practice, then by id) and the first
   ``ceil(rate × n)`` are taken (at least 1 of any non-empty stratum).

Anyone holding the seed and the published population recomputes the same sample with
``draw_sample`` (or ``fangtan verify-draw``); a different seed gives a different order.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from dataclasses import dataclass

from sync.errors import InvalidField

SEED_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, order=True)
class Item:
    entity: str
    """``interview`` or ``issue``."""
    id: str
    stratum: str


@dataclass(frozen=True)
class Drawn:
    entity: str
    id: str
    stratum: str
    rank: int
    """0-based position in its stratum's HMAC order."""


def seed_bytes(seed_hex: str, field: str = "seed") -> bytes:
    if not SEED_RE.match(seed_hex or ""):
        raise InvalidField(
            f"`{field}` 应为 64 位小写十六进制（32 字节随机数） (must be 64 lowercase hex characters)", field=field
        )
    return bytes.fromhex(seed_hex)


def commitment(seed_hex: str) -> str:
    """The published SHA-256 (hex) of the seed's bytes."""
    return hashlib.sha256(seed_bytes(seed_hex)).hexdigest()


def order_key(seed: bytes, item: Item) -> str:
    return hmac.new(seed, f"{item.entity}:{item.id}".encode(), hashlib.sha256).hexdigest()


def draw_sample(seed_hex: str, population: list[Item], rate: float) -> list[Drawn]:
    """The sample of ``population`` that ``seed_hex`` selects at ``rate`` (0 < rate ≤ 1)."""
    if not 0 < rate <= 1:
        raise InvalidField("`rate` 应大于 0 且不超过 1 (must be in 0 < rate <= 1)", field="rate")
    seed = seed_bytes(seed_hex)
    strata: dict[str, list[Item]] = {}
    for item in population:
        strata.setdefault(item.stratum, []).append(item)
    out: list[Drawn] = []
    for stratum in sorted(strata):
        members = sorted(strata[stratum], key=lambda i: (order_key(seed, i), i.id))
        take = math.ceil(rate * len(members))
        out += [Drawn(i.entity, i.id, stratum, rank) for rank, i in enumerate(members[:take])]
    return out


def recheck(published: dict, seed_hex: str) -> tuple[bool, bool, list[list]]:
    """Recompute a published draw (the JSON of ``GET /api/supervision/draws/{id}/verify``: its
    ``seed_sha256``, ``rate``, ``population`` and ``published`` sample) from a seed, with no server:
    (seed matches the commitment, sample matches, the recomputed sample)."""
    population = [Item(e, i, s) for e, i, s in published["population"]]
    recomputed = [[d.entity, d.id, d.stratum, d.rank] for d in draw_sample(seed_hex, population, published["rate"])]
    return commitment(seed_hex) == published["seed_sha256"], recomputed == published["published"], recomputed
