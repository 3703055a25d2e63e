"""Spot-check draws over the database (transaction-scoped functions, ``*_tx`` write).

A draw is committed (its seed's SHA-256) before its period ends and revealed after; at reveal the
population is fixed and stored with the draw, and the sample is derived from the seed (the pure
algorithm is ``server.supervision.draw``). Findings on the sampled items are
``server.supervision.findings``.
"""

from __future__ import annotations

import datetime as dt
import json

import msgspec
from sqlite_utils import Database

from server.supervision.draw import Drawn, Item, commitment, draw_sample
from server.supervision.errors import (
    CommitTooLate,
    FindingState,
    NotRevealed,
    RevealTooEarly,
    SeedMismatch,
)
from sync.actor import Actor
from sync.calendar import local_date
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
    (assigned to a handler department, raised by the period's end, not closed before it began)."""
    items: list[Item] = []
    held: dict[str, tuple[str, str]] = {}
    for iid, unit_id, form, started, submitted, created in db.conn.execute(
        "SELECT id, unit_id, form, started_at, submitted_at, created_at FROM interview WHERE status = 'submitted'"
    ).fetchall():
        held[iid] = (unit_id, form)
        if start <= local_date(started or submitted or created) <= end:
            items.append(Item("interview", iid, f"interview/{unit_id}/{form}"))
    for issue_id, interview_id, created, status, closed in db.conn.execute(
        "SELECT i.id, i.interview_id, i.created_at, i.status, (SELECT max(f.created_at) FROM followup f"
        " WHERE f.issue_id = i.id AND f.kind = 'close') FROM issue i WHERE i.handler_unit_id IS NOT NULL"
    ).fetchall():
        if interview_id not in held or local_date(created) > end:
            continue
        if status == "closed" and closed and local_date(closed) < start:
            continue
        unit_id, form = held[interview_id]
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


def verify(db: Database, draw_id: str, seed_hex: str) -> Verification:
    """Recompute the sample of a revealed draw from ``seed_hex`` and its published population."""
    row = load_draw(db, draw_id)
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
        if s["entity"] == "interview":
            iv = db.conn.execute(
                "SELECT summary, theme, topic, place, cadre_ids FROM interview WHERE id = ?", (s["item_id"],)
            ).fetchone()
            if iv:
                e.title = next((x for x in iv[1:4] if x), None) or (iv[0] or "")[:60]
                e.cadre_ids = json.loads(iv[4] or "[]")
        else:
            issue = db.conn.execute(
                "SELECT i.description, v.cadre_ids FROM issue i JOIN interview v ON v.id = i.interview_id"
                " WHERE i.id = ?",
                (s["item_id"],),
            ).fetchone()
            if issue:
                e.title = (issue[0] or "")[:60]
                e.cadre_ids = json.loads(issue[1] or "[]")
        f = findings.get((s["entity"], s["item_id"]))
        if f:
            e.finding_id, e.verdict = f["id"], f["verdict"]
        out.append(e)
    return out


__all__ = ["Draw", "Drawn", "SampleEntry", "Verification", "commit_tx", "get_draw", "list_draws", "load_draw",
           "population", "reveal_tx", "sample", "verify"]
