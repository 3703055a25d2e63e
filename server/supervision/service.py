"""Spot-check draws and findings over the database (transaction-scoped functions, ``*_tx`` write).

A draw is committed (its seed's SHA-256) before its period ends and revealed after; at reveal the
population is fixed and stored with the draw, and the sample is derived from the seed
(``server.supervision.draw``). Findings may be recorded only on sampled items; a finding with a
rectification opinion (整改意见) is tracked like a problem: ``open`` → ``responded`` (the cadres of
the interview / the handler department of the problem, or HR, answer) → ``closed`` (a supervisor,
with evidence). A 合格 finding is closed at once.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

import msgspec
from sqlite_utils import Database

from server.followup.calendar import local_date
from server.supervision.draw import Drawn, Item, commitment, draw_sample
from sync import policy
from sync.actor import Actor
from sync.errors import (
    CommitTooLate,
    FindingState,
    InvalidField,
    NotFound,
    NotInSample,
    NotRevealed,
    RevealTooEarly,
    SeedMismatch,
    ValidationFailed,
)
from sync.followup_rules import handlers_of, notify, users_with_role
from sync.ids import new_id

Verdict = Literal["ok", "formalism", "perfunctory", "other"]
VERDICT_ZH = {"ok": "合格", "formalism": "形式主义", "perfunctory": "走过场", "other": "其他"}
SAMPLED_ENTITIES = ("interview", "issue")
MAX_PERIOD_DAYS = 366
OPINION_MAX = 2000


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


class Finding(msgspec.Struct, kw_only=True):
    id: str
    draw_id: str
    entity: str
    item_id: str
    verdict: str
    opinion: str | None
    status: Literal["open", "responded", "closed"]
    response: str | None = None
    responded_by: str | None = None
    responded_at: str | None = None
    evidence: str | None = None
    closed_by: str | None = None
    closed_at: str | None = None
    created_by: str
    created_at: str
    updated_at: str


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
        raise InvalidField("`rate` 应在 (0, 1] 之间 (must be in (0, 1])", field="rate")
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


# --- findings --------------------------------------------------------------------------------------


def _finding(db: Database, finding_id: str) -> Finding:
    rows = list(db.query("SELECT * FROM supervision_finding WHERE id = ?", [finding_id]))
    if not rows:
        raise NotFound(f"没有这条抽查意见 (no finding {finding_id!r})", field="finding_id")
    return msgspec.convert(rows[0], Finding)


def responsible(db: Database, entity: str, item_id: str) -> list[str]:
    """Who answers a rectification opinion: the interview's cadres, or the problem's handlers and owner."""
    if entity == "interview":
        r = db.conn.execute("SELECT cadre_ids FROM interview WHERE id = ?", (item_id,)).fetchone()
        return json.loads(r[0] or "[]") if r else []
    r = db.conn.execute("SELECT handler_unit_id, owner_user_id FROM issue WHERE id = ?", (item_id,)).fetchone()
    return [] if r is None else [*handlers_of(db, r[0]), *([r[1]] if r[1] else [])]


def record_finding_tx(
    db: Database,
    actor: Actor,
    draw_id: str,
    *,
    entity: str,
    item_id: str,
    verdict: Verdict,
    opinion: str | None,
    now: dt.datetime,
) -> Finding:
    row = load_draw(db, draw_id)
    if row["seed"] is None:
        raise NotRevealed("种子尚未公布，还没有样本 (no sample until the seed is revealed)", field="draw_id")
    if entity not in SAMPLED_ENTITIES:
        raise InvalidField("`entity` 应为 interview 或 issue", field="entity")
    if (
        db.conn.execute(
            "SELECT 1 FROM supervision_sample WHERE draw_id = ? AND entity = ? AND item_id = ?",
            (draw_id, entity, item_id),
        ).fetchone()
        is None
    ):
        raise NotInSample(
            "该记录不在本次抽查样本中，不能登记抽查意见 (the item is not in this draw's sample)", field="item_id"
        )
    opinion = (opinion or "").strip() or None
    if verdict != "ok" and opinion is None:
        raise ValidationFailed(
            f"“{VERDICT_ZH[verdict]}”需要填写整改意见 (a rectification opinion is required)", field="opinion"
        )
    if opinion and len(opinion) > OPINION_MAX:
        raise ValidationFailed(f"整改意见不能超过 {OPINION_MAX} 字 (opinion too long)", field="opinion")
    if db.conn.execute(
        "SELECT 1 FROM supervision_finding WHERE draw_id = ? AND entity = ? AND item_id = ?", (draw_id, entity, item_id)
    ).fetchone():
        raise FindingState("这条记录已登记抽查意见 (a finding was already recorded for this item)", field="item_id")
    now_iso = now.isoformat()
    status = "closed" if verdict == "ok" else "open"
    f = {
        "id": new_id(),
        "draw_id": draw_id,
        "entity": entity,
        "item_id": item_id,
        "verdict": verdict,
        "opinion": opinion,
        "status": status,
        "created_by": actor.user_id,
        "created_at": now_iso,
        "updated_at": now_iso,
        **({"closed_by": actor.user_id, "closed_at": now_iso} if status == "closed" else {}),
    }
    db["supervision_finding"].insert(f)
    if status == "open":
        what = "访谈记录" if entity == "interview" else "问题整改"
        notify(
            db,
            now_iso,
            [*responsible(db, entity, item_id), *users_with_role(db, "hr")],
            "supervision_opinion",
            f"监督小组整改意见：{VERDICT_ZH[verdict]} (supervision finding)",
            f"监督小组抽查{what}，认定为“{VERDICT_ZH[verdict]}”。整改意见：{opinion}",
            "supervision_finding",
            f["id"],
        )
    return _finding(db, f["id"])


def respond_tx(db: Database, actor: Actor, finding_id: str, response: str, now: dt.datetime) -> Finding:
    f = _finding(db, finding_id)
    policy.can_or_reject(actor, "supervision.finding.respond", responsible(db, f.entity, f.item_id))
    if f.status == "closed":
        raise FindingState("该整改意见已销号 (the finding is closed)", field="finding_id")
    response = response.strip()
    if not response or len(response) > OPINION_MAX:
        raise ValidationFailed("请填写整改情况（不超过 2000 字） (a response is required)", field="response")
    now_iso = now.isoformat()
    db["supervision_finding"].update(
        finding_id,
        {
            "status": "responded",
            "response": response,
            "responded_by": actor.user_id,
            "responded_at": now_iso,
            "updated_at": now_iso,
        },
    )
    notify(
        db,
        now_iso,
        users_with_role(db, "supervisor"),
        "supervision_response",
        "整改意见已回复 (finding answered)",
        f"抽查意见（{VERDICT_ZH.get(f.verdict, f.verdict)}）已回复：{response[:200]}",
        "supervision_finding",
        f.id,
    )
    return _finding(db, finding_id)


def close_tx(db: Database, actor: Actor, finding_id: str, evidence: str, now: dt.datetime) -> Finding:
    f = _finding(db, finding_id)
    if f.status != "responded":
        raise FindingState("整改意见须先得到回复才能销号 (close only an answered finding)", field="finding_id")
    evidence = evidence.strip()
    if not evidence or len(evidence) > OPINION_MAX:
        raise ValidationFailed("销号需要填写整改佐证 (closing needs evidence)", field="evidence")
    now_iso = now.isoformat()
    db["supervision_finding"].update(
        finding_id,
        {
            "status": "closed",
            "evidence": evidence,
            "closed_by": actor.user_id,
            "closed_at": now_iso,
            "updated_at": now_iso,
        },
    )
    notify(
        db,
        now_iso,
        responsible(db, f.entity, f.item_id),
        "supervision_closed",
        "整改意见已销号 (finding closed)",
        f"抽查意见（{VERDICT_ZH.get(f.verdict, f.verdict)}）已销号。",
        "supervision_finding",
        f.id,
    )
    return _finding(db, finding_id)


def list_findings(db: Database, actor: Actor, status: str | None = None) -> list[Finding]:
    rows = [
        msgspec.convert(r, Finding)
        for r in db.query(
            "SELECT * FROM supervision_finding" + (" WHERE status = ?" if status else "") + " ORDER BY created_at DESC",
            [status] if status else [],
        )
    ]
    if actor.company_wide:  # the rule passes every finding; skip looking up who answers each
        return rows
    return [f for f in rows if policy.can(actor, "supervision.finding.list", responsible(db, f.entity, f.item_id))]


__all__ = ["Draw", "Drawn", "Finding", "SampleEntry", "Verification", "commit_tx", "reveal_tx", "sample", "verify"]
