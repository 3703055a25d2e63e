"""Findings of spot checks (抽查意见) over the database (``*_tx`` functions write).

Findings may be recorded only on sampled items of a revealed draw (``server.supervision.draws``); a
finding with a rectification opinion (整改意见) is tracked like a problem: ``open`` → ``responded``
(the cadres of the interview / the handler department of the problem, or HR, answer) → ``closed``
(a supervisor, with evidence). A 合格 finding is closed at once. Who may answer is the policy's
``supervision.finding.respond``; who sees which findings, ``supervision.finding.list``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal, get_args

import msgspec
from sqlite_utils import Database

from server.supervision.draws import ItemContext, item_context, load_draw
from server.supervision.errors import FindingState, NotInSample, NotRevealed
from sync import policy
from sync.actor import Actor
from sync.errors import InvalidField, NotFound, ValidationFailed
from sync.followup_rules import handlers_of, notify, users_with_role
from sync.ids import new_id
from sync.notices import Join, Text, names_zh, notice, term

Verdict = Literal["ok", "formalism", "perfunctory", "other"]
VERDICT_ZH = names_zh("verdict", get_args(Verdict))
SAMPLED_ENTITIES = ("interview", "issue")
"""What a finding may be recorded on."""
OPINION_MAX = 2000


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
    context: ItemContext | None = None
    """The item's interview (form · place · date), cadres and report, for the list of findings."""
    period: str | None = None
    """The draw's period: ``2026-11`` or, for a commit–reveal draw, ``start/end``."""




def _finding(db: Database, finding_id: str) -> Finding:
    rows = list(db.query("SELECT * FROM supervision_finding WHERE id = ?", [finding_id]))
    if not rows:
        raise NotFound(f"没有这条抽查意见 (no finding {finding_id!r})", field="finding_id")
    return _with_context(db, msgspec.convert(rows[0], Finding))


def _with_context(db: Database, f: Finding) -> Finding:
    f.context = item_context(db, f.entity, f.item_id)
    d = db.conn.execute("SELECT period, period_start, period_end FROM supervision_draw WHERE id = ?",
                        (f.draw_id,)).fetchone()
    if d:
        f.period = d[0] or f"{d[1]}/{d[2]}"
    return f


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
        raise InvalidField("`entity` 应为访谈或问题 (must be interview or issue)", field="entity")
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
        ctx = item_context(db, entity, item_id)
        what = Text(f"checked.{entity}")
        held = [x for x in (term("form", ctx.form), ctx.place, ctx.held_on) if x]
        if held:
            what = Text("checked.held", {"what": what, "held": Join(held, sep=" · ")})
        notify(db, now_iso, [*responsible(db, entity, item_id), *users_with_role(db, "hr")],
               notice("supervision_opinion", verdict=term("verdict", verdict), what=what, opinion=opinion),
               "supervision_finding", f["id"])
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
    notify(db, now_iso, users_with_role(db, "supervisor"),
           notice("supervision_response", verdict=term("verdict", f.verdict), response=response[:200]),
           "supervision_finding", f.id)
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
    notify(db, now_iso, responsible(db, f.entity, f.item_id),
           notice("supervision_closed", verdict=term("verdict", f.verdict)), "supervision_finding", f.id)
    return _finding(db, finding_id)


def list_findings(db: Database, actor: Actor, status: str | None = None) -> list[Finding]:
    rows = [
        msgspec.convert(r, Finding)
        for r in db.query(
            "SELECT * FROM supervision_finding" + (" WHERE status = ?" if status else "") + " ORDER BY created_at DESC",
            [status] if status else [],
        )
    ]
    return [_with_context(db, f) for f in rows if policy.can(actor, "supervision.finding.list",
                                                             lambda f=f: responsible(db, f.entity, f.item_id))]


__all__ = ["Finding", "close_tx", "list_findings", "record_finding_tx", "respond_tx", "responsible"]
