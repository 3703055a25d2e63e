"""Spot-check draws over the database (transaction-scoped functions, ``*_tx`` write).

A draw is committed (its seed's SHA-256) before its period ends and revealed after; at reveal the
population is fixed and stored with the draw, and the sample is derived from the seed (the pure
algorithm is ``server.supervision.draw``). Findings on the sampled items are
``server.supervision.findings``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

import msgspec
from sqlite_utils import Database

from server.supervision import beacon
from server.supervision.draw import Drawn, Item, commitment, draw_sample
from server.supervision.errors import (
    CommitTooLate,
    FindingState,
    NotRevealed,
    PeriodNotStarted,
    RevealTooEarly,
    SeedMismatch,
)
from sync.actor import Actor
from sync.calendar import local_date, stamp_bounds
from sync.errors import InvalidField, NotFound
from sync.ids import new_id

MAX_PERIOD_DAYS = 366


class Draw(msgspec.Struct, kw_only=True):
    id: str
    period_start: dt.date
    period_end: dt.date
    rate: float
    seed_sha256: str
    committed_by: str
    committed_at: str
    seed: str | None = None
    revealed_by: str | None = None
    revealed_at: str | None = None
    population_size: int | None = None
    sample_size: int | None = None
    scheme: str = "commit_reveal"
    """``commit_reveal`` (a seed committed before the period ended) or ``period`` (drawn from the
    server's hash chain, any period, one draw per period: ``server.supervision.beacon``)."""
    period: str | None = None
    """``2026-11``, ``2026-Q4`` or ``2026`` for a ``period`` draw."""


class SampleEntry(msgspec.Struct, kw_only=True):
    entity: str
    item_id: str
    stratum: str
    rank: int
    unit_id: str | None = None
    form: str | None = None
    title: str = ""
    cadre_ids: list[str] = []
    finding_id: str | None = None
    verdict: str | None = None
    interview_id: str | None = None
    """The interview the item is (or the problem was raised in): the PWA links /interviews/<id>."""
    place: str | None = None
    held_on: str | None = None
    report_id: str | None = None


def _row_to_draw(r: dict) -> Draw:
    population = json.loads(r["population"]) if r.get("population") else None
    sample_size = None
    if population is not None:
        sample_size = len(population.get("sample", []))
    return Draw(
        id=r["id"],
        period_start=dt.date.fromisoformat(r["period_start"]),
        period_end=dt.date.fromisoformat(r["period_end"]),
        rate=r["rate"],
        seed_sha256=r["seed_sha256"],
        committed_by=r["committed_by"],
        committed_at=r["committed_at"],
        seed=r["seed"],
        revealed_by=r["revealed_by"],
        revealed_at=r["revealed_at"],
        population_size=None if population is None else len(population["items"]),
        sample_size=sample_size,
        scheme=r.get("scheme") or "commit_reveal",
        period=r.get("period"),
    )


def load_draw(db: Database, draw_id: str) -> dict:
    rows = list(db.query("SELECT * FROM supervision_draw WHERE id = ?", [draw_id]))
    if not rows:
        raise NotFound(f"没有这次抽查 (no draw {draw_id!r})", field="draw_id")
    return rows[0]


def list_draws(db: Database) -> list[Draw]:
    return [_row_to_draw(r) for r in db.query("SELECT * FROM supervision_draw ORDER BY period_end DESC, id")]


def get_draw(db: Database, draw_id: str) -> Draw:
    return _row_to_draw(load_draw(db, draw_id))


# --- commit and reveal ---------------------------------------------------------------------------


def commit_tx(
    db: Database,
    actor: Actor,
    *,
    period_start: dt.date,
    period_end: dt.date,
    rate: float,
    seed_sha256: str,
    now: dt.datetime,
) -> Draw:
    if period_end < period_start:
        raise InvalidField("`period_end` 早于 `period_start` (period ends before it starts)", field="period_end")
    if (period_end - period_start).days >= MAX_PERIOD_DAYS:
        raise InvalidField("抽查期间不能超过一年 (a period is at most one year)", field="period_end")
    if not 0 < rate <= 1:
        raise InvalidField("`rate` 应大于 0 且不超过 1 (must be in 0 < rate <= 1)", field="rate")
    digest = seed_sha256.lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InvalidField("`seed_sha256` 应为 64 位十六进制 SHA-256 (must be a hex SHA-256)", field="seed_sha256")
    if local_date(now) > period_end:
        raise CommitTooLate(
            f"抽查期间已于 {period_end} 结束，种子必须在期间结束前提交 (commit the seed before the period ends)",
            field="period_end",
        )
    row = {
        "id": new_id(),
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "rate": rate,
        "seed_sha256": digest,
        "committed_by": actor.user_id,
        "committed_at": now.isoformat(),
    }
    db["supervision_draw"].insert(row)
    return get_draw(db, row["id"])


def population(db: Database, start: dt.date, end: dt.date) -> list[Item]:
    """Interview records held in the period, and problems under rectification during it
    (assigned to a handler department, raised by the period's end, not closed before it began).

    Read as a period: the period's interviews through ``interview_held``; each problem's interview
    by its key (``CROSS JOIN`` keeps the problems outside) and its last close through ``followup_issue_kind`` — asked of every problem, the
    last close once went through the index of all closes (``kind`` alone), which made revealing
    a draw over three years' history take minutes (bench/growth.py)."""
    items: list[Item] = []
    bounds = stamp_bounds(start, end)
    for iid, unit_id, form, held in db.conn.execute(
        "SELECT id, unit_id, form, coalesce(started_at, submitted_at, created_at) FROM interview"
        " WHERE status = 'submitted' AND coalesce(started_at, submitted_at, created_at) >= :low"
        " AND coalesce(started_at, submitted_at, created_at) < :below", bounds,
    ).fetchall():
        if start <= local_date(held) <= end:
            items.append(Item("interview", iid, f"interview/{unit_id}/{form}"))
    for issue_id, unit_id, form, created, status, closed in db.conn.execute(
        "SELECT i.id, v.unit_id, v.form, i.created_at, i.status, (SELECT max(f.created_at) FROM followup f"
        " WHERE f.issue_id = i.id AND f.kind = 'close') FROM issue i"
        " CROSS JOIN interview v ON v.id = i.interview_id AND v.status = 'submitted'"  # problems first
        " WHERE i.handler_unit_id IS NOT NULL AND i.created_at < :below", bounds,
    ).fetchall():
        if local_date(created) > end:
            continue
        if status == "closed" and closed and local_date(closed) < start:
            continue
        items.append(Item("issue", issue_id, f"issue/{unit_id}/{form}"))
    return sorted(items)


def reveal_tx(db: Database, actor: Actor, draw_id: str, seed_hex: str, now: dt.datetime) -> Draw:
    row = load_draw(db, draw_id)
    if row["seed"] is not None:
        raise FindingState("这次抽查的种子已公布 (the seed was already revealed)", field="seed")
    end = dt.date.fromisoformat(row["period_end"])
    if local_date(now) <= end:
        raise RevealTooEarly(
            f"抽查期间到 {end} 才结束，结束后才能公布种子 (reveal only after the period ended)", field="seed"
        )
    if commitment(seed_hex) != row["seed_sha256"]:
        raise SeedMismatch("公布的种子与提交的 SHA-256 不符 (the seed does not match the committed hash)", field="seed")
    pop = population(db, dt.date.fromisoformat(row["period_start"]), end)
    sample = draw_sample(seed_hex, pop, row["rate"])
    published = {
        "items": [[i.entity, i.id, i.stratum] for i in pop],
        "sample": [[d.entity, d.id, d.stratum, d.rank] for d in sample],
    }
    db["supervision_draw"].update(
        draw_id,
        {
            "seed": seed_hex,
            "revealed_by": actor.user_id,
            "revealed_at": now.isoformat(),
            "population": json.dumps(published),
        },
    )
    db["supervision_sample"].insert_all(
        [
            {"draw_id": draw_id, "entity": d.entity, "item_id": d.id, "stratum": d.stratum, "rank": d.rank}
            for d in sample
        ]
    )
    return get_draw(db, draw_id)


# --- draws for any period, past or current (server.supervision.beacon) ------------------------------

CHAIN_LENGTH = 4096
"""Draws one server hash chain serves; a new chain (a new anchor in the log) follows when it is used up."""
period_dates = beacon.period_dates


def _append_log(db: Database, body: dict, now: dt.datetime) -> tuple[int, str]:
    last = db.conn.execute("SELECT seq, hash FROM supervision_draw_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, beacon.GENESIS)
    digest = beacon.entry_hash(prev, body)
    db.conn.execute(
        "INSERT INTO supervision_draw_log (seq, prev_hash, body, hash, created_at) VALUES (?, ?, ?, ?, ?)",
        (seq, prev, beacon.canonical(body).decode(), digest, now.isoformat()),
    )
    return seq, digest


def _next_chain_link(db: Database, now: dt.datetime) -> tuple[dict, int, str]:
    """The chain to draw from and the index and value of its next unused link; a fresh chain
    (anchored in the log first) when there is none or it is used up."""
    row = db.conn.execute(
        "SELECT chain_id, secret, length, used FROM supervision_chain WHERE used < length ORDER BY created_at DESC LIMIT 1"
    ).fetchone()
    if row is None:
        secret = secrets.token_bytes(32)
        chain_id = new_id()
        anchor = beacon.chain_value(secret, CHAIN_LENGTH, 0).hex()
        seq, _ = _append_log(db, {"type": "anchor", "chain_id": chain_id, "anchor": anchor,
                                  "length": CHAIN_LENGTH, "at": now.isoformat()}, now)
        db.conn.execute(
            "INSERT INTO supervision_chain (chain_id, secret, length, anchor, anchor_seq, used, created_at)"
            " VALUES (?, ?, ?, ?, ?, 0, ?)",
            (chain_id, secret.hex(), CHAIN_LENGTH, anchor, seq, now.isoformat()),
        )
        row = (chain_id, secret.hex(), CHAIN_LENGTH, 0)
    chain_id, secret_hex, length, used = row
    index = used + 1
    db.conn.execute("UPDATE supervision_chain SET used = ? WHERE chain_id = ?", (index, chain_id))
    return {"chain_id": chain_id}, index, beacon.chain_value(bytes.fromhex(secret_hex), length, index).hex()


def draw_period_tx(db: Database, actor: Actor, *, period: str, rate: float, now: dt.datetime) -> tuple[Draw, bool]:
    """Draw ``period`` (past or current) at ``rate``; ``(draw, created)``. The first draw of a period
    is final: asking again — with any rate — returns it unchanged (``created`` False)."""
    first, last = period_dates(period)
    existing = db.conn.execute("SELECT id FROM supervision_draw WHERE period = ?", (period,)).fetchone()
    if existing:
        return get_draw(db, existing[0]), False
    if not 0 < rate <= 1:
        raise InvalidField("`rate` 应大于 0 且不超过 1 (must be in 0 < rate <= 1)", field="rate")
    if local_date(now) < first:
        raise PeriodNotStarted(f"{period} 尚未开始，开始后才能抽取 (the period has not begun)", field="period")
    pop = population(db, first, last)
    items = [[i.entity, i.id, i.stratum] for i in pop]
    draw_id = new_id()
    request = {
        "type": "request", "draw_id": draw_id, "period": period, "period_start": first.isoformat(),
        "period_end": last.isoformat(), "rate": rate, "stratification": beacon.STRATIFICATION,
        "population_size": len(items), "population_digest": beacon.population_digest(items),
        "requested_by": actor.user_id, "at": now.isoformat(),
    }
    chain, index, value = _next_chain_link(db, now)  # a new chain's anchor precedes the request
    request_seq, request_hash = _append_log(db, request, now)
    seed = beacon.seed_of(value, request_hash)
    drawn = [[d.entity, d.id, d.stratum, d.rank] for d in draw_sample(seed, pop, rate)]
    draw_seq, _ = _append_log(db, {
        "type": "draw", "draw_id": draw_id, "request_entry": request_hash, **chain, "chain_index": index,
        "chain_value": value, "seed": seed, "sample_size": len(drawn), "sample_digest": beacon.sample_digest(drawn),
    }, now)
    db["supervision_draw"].insert({
        "id": draw_id, "period_start": first.isoformat(), "period_end": last.isoformat(), "rate": rate,
        "seed_sha256": hashlib.sha256(bytes.fromhex(seed)).hexdigest(), "committed_by": actor.user_id,
        "committed_at": now.isoformat(), "seed": seed, "revealed_by": actor.user_id, "revealed_at": now.isoformat(),
        "population": json.dumps({"items": items, "sample": drawn}), "scheme": "period", "period": period,
        "request_seq": request_seq, "draw_seq": draw_seq,
    })
    db["supervision_sample"].insert_all(
        [{"draw_id": draw_id, "entity": e, "item_id": i, "stratum": s, "rank": r} for e, i, s, r in drawn]
    )
    return get_draw(db, draw_id), True


class LogEntry(msgspec.Struct, kw_only=True):
    seq: int
    prev_hash: str
    body: dict
    hash: str


def log_entries(db: Database, first: int = 1, last: int | None = None) -> list[LogEntry]:
    return [
        LogEntry(seq=seq, prev_hash=prev, body=json.loads(body), hash=digest)
        for seq, prev, body, digest in db.conn.execute(
            "SELECT seq, prev_hash, body, hash FROM supervision_draw_log WHERE seq >= ? AND seq <= ? ORDER BY seq",
            (first, last if last is not None else 2**62),
        ).fetchall()
    ]


class PeriodVerification(msgspec.Struct, kw_only=True):
    """A period draw as published: enough to recheck it with no server (``fangtan verify-draw``)."""

    scheme: str = "period"
    draw_id: str
    period: str
    rate: float
    seed: str
    population: list[list]
    published: list[list]
    log: list[LogEntry]
    """The draw log from the anchor of the chain the draw used to the draw's own entry."""
    checks: list[list] = []
    """``[ok, text]`` per check, as ``server.supervision.beacon.verify_period_draw`` made them."""
    ok: bool = False
    population_matches_database: bool | None = None
    """Whether the population recomputed from today's database still has the published digest
    (records changed since — a problem closed, an interview withdrawn — make this False, not the draw)."""


def verify_period(db: Database, row: dict) -> PeriodVerification:
    anchor_seq = db.conn.execute(
        "SELECT c.anchor_seq FROM supervision_chain c WHERE c.chain_id = json_extract("
        "(SELECT body FROM supervision_draw_log WHERE seq = ?), '$.chain_id')", (row["draw_seq"],)
    ).fetchone()[0]
    published = json.loads(row["population"])
    out = PeriodVerification(
        draw_id=row["id"], period=row["period"], rate=row["rate"], seed=row["seed"],
        population=published["items"], published=published["sample"],
        log=log_entries(db, anchor_seq, row["draw_seq"]),
    )
    check = beacon.verify_period_draw(msgspec.to_builtins(out))
    out.checks, out.ok = [[ok, text] for ok, text in check.lines], check.ok
    today = population(db, dt.date.fromisoformat(row["period_start"]), dt.date.fromisoformat(row["period_end"]))
    out.population_matches_database = beacon.population_digest(today) == beacon.population_digest(out.population)
    return out


class Verification(msgspec.Struct, kw_only=True):
    """Everything needed to recompute a draw without the server (``fangtan verify-draw``)."""

    draw_id: str
    seed_sha256: str
    rate: float
    seed_matches_commitment: bool
    sample_matches: bool
    recomputed: list[list]
    published: list[list]
    population: list[list]


def verify(db: Database, draw_id: str, seed_hex: str | None) -> Verification | PeriodVerification:
    """Recompute the sample of a revealed draw from ``seed_hex`` and its published population; a
    period draw is rechecked from its log (no seed needed: it is published with the draw)."""
    row = load_draw(db, draw_id)
    if row.get("scheme") == "period":
        return verify_period(db, row)
    if seed_hex is None:
        raise InvalidField("`seed` 缺少种子 (the seed is required)", field="seed")
    if row["population"] is None:
        raise NotRevealed("种子尚未公布，还没有样本 (not revealed yet)", field="draw_id")
    published = json.loads(row["population"])
    pop = [Item(e, i, s) for e, i, s in published["items"]]
    recomputed = [[d.entity, d.id, d.stratum, d.rank] for d in draw_sample(seed_hex, pop, row["rate"])]
    return Verification(
        draw_id=draw_id,
        seed_sha256=row["seed_sha256"],
        rate=row["rate"],
        seed_matches_commitment=commitment(seed_hex) == row["seed_sha256"],
        sample_matches=recomputed == published["sample"],
        recomputed=recomputed,
        published=published["sample"],
        population=published["items"],
    )


# --- the sample, with what a supervisor needs to open each item ------------------------------------


class ItemContext(msgspec.Struct, kw_only=True):
    """What a supervisor reads to recognise a sampled record: its interview (form · place · date),
    the cadres, its report, and a title."""

    interview_id: str | None = None
    form: str | None = None
    place: str | None = None
    held_on: str | None = None
    cadre_ids: list[str] = []
    report_id: str | None = None
    title: str = ""


def item_context(db: Database, entity: str, item_id: str) -> ItemContext:
    interview_id, title = item_id, ""
    if entity == "issue":
        issue = db.conn.execute("SELECT interview_id, description FROM issue WHERE id = ?", (item_id,)).fetchone()
        if issue is None:
            return ItemContext()
        interview_id, title = issue[0], (issue[1] or "")[:60]
    iv = db.conn.execute(
        "SELECT form, place, started_at, submitted_at, created_at, cadre_ids, summary, theme, topic"
        " FROM interview WHERE id = ?", (interview_id,)
    ).fetchone()
    if iv is None:
        return ItemContext(title=title)
    report = db.conn.execute("SELECT id FROM report WHERE interview_id = ?", (interview_id,)).fetchone()
    when = iv[2] or iv[3] or iv[4]
    return ItemContext(
        interview_id=interview_id, form=iv[0], place=iv[1], held_on=local_date(when).isoformat() if when else None,
        cadre_ids=json.loads(iv[5] or "[]"), report_id=report[0] if report else None,
        title=title or next((x for x in iv[7:9] if x), None) or (iv[6] or "")[:60],
    )


def sample(db: Database, draw_id: str) -> list[SampleEntry]:
    row = load_draw(db, draw_id)
    if row["seed"] is None:
        raise NotRevealed("种子尚未公布，还没有样本 (no sample until the seed is revealed)", field="draw_id")
    findings = {
        (f["entity"], f["item_id"]): f
        for f in db.query("SELECT id, entity, item_id, verdict FROM supervision_finding WHERE draw_id = ?", [draw_id])
    }
    out = []
    for s in db.query("SELECT * FROM supervision_sample WHERE draw_id = ? ORDER BY stratum, rank", [draw_id]):
        e = SampleEntry(entity=s["entity"], item_id=s["item_id"], stratum=s["stratum"], rank=s["rank"])
        _, e.unit_id, e.form = s["stratum"].split("/", 2)
        ctx = item_context(db, s["entity"], s["item_id"])
        e.title, e.cadre_ids = ctx.title, ctx.cadre_ids
        e.interview_id, e.place, e.held_on, e.report_id = ctx.interview_id, ctx.place, ctx.held_on, ctx.report_id
        f = findings.get((s["entity"], s["item_id"]))
        if f:
            e.finding_id, e.verdict = f["id"], f["verdict"]
        out.append(e)
    return out


__all__ = ["Draw", "Drawn", "PeriodVerification", "draw_period_tx", "log_entries", "period_dates",
           "verify_period", "SampleEntry", "Verification", "commit_tx", "get_draw", "list_draws", "load_draw",
           "population", "reveal_tx", "sample", "verify", "ItemContext", "item_context"]
