"""Draws for any period, past or current: a hash-chained draw log and a server hash chain
(docs/plans-and-supervision.md §Drawing a period that can look back). Pure functions, no database:
``server.supervision.draws`` writes the log, ``verify_period_draw`` (and ``fangtan verify-draw``)
checks a published draw with nothing but this module.

* **Draw log** — append-only entries ``{seq, prev_hash, body, hash}`` with
  ``hash = SHA-256(prev_hash + "\\n" + canonical JSON of body)`` (keys sorted, no spaces, UTF-8);
  the first entry's ``prev_hash`` is 64 zeros. Changing, removing or inserting any entry changes
  every later hash.
* **Server hash chain** — a secret ``s_N`` (32 random bytes) and ``s_(i-1) = SHA-256(s_i)``; the
  *anchor* ``s_0`` is written into the log (an ``anchor`` entry) before any draw that uses the chain.
  Draw number ``k`` of the chain reveals ``s_k``: anyone checks ``SHA-256^k(s_k) == anchor``; nobody
  but the server can compute ``s_k`` before it is revealed (SHA-256 cannot be inverted), and the
  server cannot choose it (it is fixed by the anchor).
* **A draw** — the ``request`` entry (period, dates, rate, stratification, the population's size and
  digest, who, when) is appended first; then the seed is
  ``HMAC-SHA256(key = s_k, msg = the request entry's hash)`` and the sample is
  ``server.supervision.draw.draw_sample(seed, population, rate)``; the ``draw`` entry records ``k``,
  ``s_k``, the seed and the sample's digest. One draw per period, ever: asking again returns it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field

from server.supervision.draw import Item, draw_sample
from sync.errors import InvalidField

GENESIS = "0" * 64
STRATIFICATION = "entity/unit/form"
"""The stratum of an item: ``<entity>/<unit id>/<form>``, at least one drawn of each."""


PERIOD_RE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")


def period_dates(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of ``2026-11`` (a month), ``2026-Q4`` (a quarter) or ``2026`` (a year)."""
    m = PERIOD_RE.match(period or "")
    if not m:
        raise InvalidField(
            "`period` 应为月份（2026-11）、季度（2026-Q4）或年度（2026） (a month, quarter or year)", field="period"
        )
    year = int(m[1])
    if m[2]:
        first, months = dt.date(year, int(m[2]), 1), 1
    elif m[3]:
        first, months = dt.date(year, 3 * int(m[3]) - 2, 1), 3
    else:
        first, months = dt.date(year, 1, 1), 12
    after = dt.date(year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(prev_hash: str, body: dict) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(body)).hexdigest()


def population_digest(items: list[list[str]] | list[Item]) -> str:
    """SHA-256 of the sorted ``entity:id:stratum`` lines of the frozen population."""
    lines = sorted(f"{i[0]}:{i[1]}:{i[2]}" if isinstance(i, list | tuple) else f"{i.entity}:{i.id}:{i.stratum}"
                   for i in items)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def sample_digest(sample: list[list]) -> str:
    return hashlib.sha256("\n".join(f"{e}:{i}:{s}:{r}" for e, i, s, r in sample).encode()).hexdigest()


def chain_value(secret: bytes, length: int, index: int) -> bytes:
    """``s_index`` of the chain whose end is ``secret = s_length``."""
    value = secret
    for _ in range(length - index):
        value = hashlib.sha256(value).digest()
    return value


def walks_to_anchor(value_hex: str, index: int, anchor_hex: str) -> bool:
    value = bytes.fromhex(value_hex)
    for _ in range(index):
        value = hashlib.sha256(value).digest()
    return value.hex() == anchor_hex


def seed_of(chain_value_hex: str, request_hash: str) -> str:
    return hmac.new(bytes.fromhex(chain_value_hex), request_hash.encode(), hashlib.sha256).hexdigest()


@dataclass
class Check:
    ok: bool = True
    lines: list[tuple[bool, str]] = field(default_factory=list)
    recomputed: list[list] = field(default_factory=list)

    def expect(self, condition: bool, zh: str, en: str) -> None:
        self.ok &= bool(condition)
        self.lines.append((bool(condition), f"{zh} ({en})"))


def verify_period_draw(published: dict, seed: str | None = None) -> Check:
    """Recheck a period draw from its published record alone (the ``verify`` endpoint's JSON):
    the log segment from the chain's anchor to the draw, the frozen population and the sample."""
    c = Check()
    log = published.get("log") or []
    prev = log[0]["prev_hash"] if log else GENESIS
    linked = bool(log)
    for e in log:
        linked &= e["prev_hash"] == prev and entry_hash(e["prev_hash"], e["body"]) == e["hash"]
        prev = e["hash"]
    c.expect(linked, "抽查日志哈希链完整", "the draw log's hash chain is intact")
    by_hash = {e["hash"]: e for e in log}
    anchor = log[0]["body"] if log and log[0]["body"].get("type") == "anchor" else None
    draw = log[-1]["body"] if log and log[-1]["body"].get("type") == "draw" else None
    request = by_hash.get(draw["request_entry"], {}).get("body") if draw else None
    if anchor is None or draw is None or request is None or request.get("type") != "request":
        c.expect(False, "日志中缺少锚点、抽查申请或抽查结果", "the log lacks the anchor, the request or the draw")
        return c
    c.expect(draw["chain_id"] == anchor["chain_id"], "抽查使用的是该锚点的服务器哈希链", "the draw uses the anchored chain")
    indexes = [e["body"]["chain_index"] for e in log if e["body"].get("type") == "draw"
               and e["body"].get("chain_id") == anchor["chain_id"]]
    c.expect(indexes == sorted(set(indexes)) and 0 < draw["chain_index"] <= anchor["length"],
             "每次抽查使用哈希链上新的一环", "each draw uses a fresh link of the chain")
    c.expect(walks_to_anchor(draw["chain_value"], draw["chain_index"], anchor["anchor"]),
             "公布的链值可回溯到事先登记的锚点", "the revealed chain value hashes to the anchor")
    try:
        first, last = period_dates(request["period"])
        dates_ok = (request["period_start"], request["period_end"]) == (first.isoformat(), last.isoformat())
    except InvalidField:
        dates_ok = False
    c.expect(dates_ok and request.get("draw_id") == draw.get("draw_id") == published.get("draw_id"),
             "期间起止日期与所申请的期间一致", "the dates are those of the requested period")
    periods = [e["body"]["period"] for e in log if e["body"].get("type") == "request"]
    c.expect(periods.count(request["period"]) == 1, "该期间只抽查一次", "one draw for the period")
    population = published.get("population") or []
    c.expect(population_digest(population) == request["population_digest"]
             and len(population) == request["population_size"],
             "总体与申请时登记的摘要一致", "the population matches the digest in the request")
    recomputed_seed = seed_of(draw["chain_value"], draw["request_entry"])
    c.expect(recomputed_seed == draw["seed"] and (seed is None or seed == draw["seed"]),
             "种子由链值和抽查申请复算一致", "the seed recomputes from the chain value and the request")
    c.expect(published.get("rate") == request["rate"], "抽查比例与申请一致", "the rate is the requested one")
    items = [Item(e, i, s) for e, i, s in population]
    c.recomputed = [[d.entity, d.id, d.stratum, d.rank] for d in draw_sample(recomputed_seed, items, request["rate"])]
    c.expect(c.recomputed == published.get("published") and sample_digest(c.recomputed) == draw["sample_digest"],
             "样本复算一致", "the sample recomputes")
    return c
