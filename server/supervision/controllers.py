"""HTTP endpoints of the supervision group (docs/api.md §Supervision): commit/reveal draws, the sample
by stratum, verification from a seed, findings tracked to closure, formalism signals. Supervisors
work online on a PC, so none of this is synced."""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from server.clock import utcnow
from server.supervision import draws, findings
from server.supervision.draws import Draw, LogEntry, PeriodVerification, SampleEntry, Verification
from server.supervision.findings import Finding, Verdict
from server.supervision.signals import DEFAULT_BOILERPLATE, Signal, formalism_signals
from server.web.deps import SettingsDep, StoreDep
from server.web.guards import allows
from server.web.params import parse_day
from sync.actor import Actor
from sync.errors import InvalidField


class CommitRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    period_start: dt.date
    period_end: dt.date
    rate: float
    seed_sha256: str


class PeriodDrawRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    period: str
    """``2026-11`` (a month), ``2026-Q4`` (a quarter) or ``2026`` (a year), past or current."""
    rate: float


class RevealRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    seed: str


class FindingRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    entity: str
    item_id: str
    verdict: Verdict
    opinion: str | None = None


class RespondRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    response: str


class CloseRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    evidence: str


class SupervisionController(Controller):
    path = "/api/supervision"
    tags = ["supervision"]

    @get("/draws", guards=[allows("supervision.draw.read")])
    async def draws(self, store: StoreDep) -> list[Draw]:
        """Every draw: committed hash, period, and once revealed the seed and sample size."""
        return await store.read(draws.list_draws)

    @post("/draws", guards=[allows("supervision.draw.commit")], status_code=201)
    async def commit(
        self, request: Request[Actor, str, object], store: StoreDep, data: JSONBody[CommitRequest]
    ) -> Draw:
        """Commit a draw: publish the SHA-256 of a secret seed before the period ends."""
        actor, now = request.user, utcnow()
        return await store.write_tx(
            lambda db: draws.commit_tx(
                db,
                actor,
                period_start=data.period_start,
                period_end=data.period_end,
                rate=data.rate,
                seed_sha256=data.seed_sha256,
                now=now,
            )
        )

    @post("/period-draws", guards=[allows("supervision.draw.commit")], status_code=201)
    async def draw_period(
        self, request: Request[Actor, str, object], store: StoreDep, data: JSONBody[PeriodDrawRequest]
    ) -> Response[Draw]:
        """Draw a period, past or current, from the server's hash chain (docs/plans-and-supervision.md):
        201 with the new draw, or 200 with the period's earlier draw — one draw per period, ever."""
        actor, now = request.user, utcnow()
        draw, created = await store.write_tx(
            lambda db: draws.draw_period_tx(db, actor, period=data.period, rate=data.rate, now=now)
        )
        return Response(draw, status_code=201 if created else 200)

    @get("/log", guards=[allows("supervision.draw.verify")])
    async def log(self, store: StoreDep) -> list[LogEntry]:
        """The whole append-only draw log (anchors, requests, draws), to check its hash chain."""
        return await store.read(draws.log_entries)

    @get("/draws/{draw_id:str}", guards=[allows("supervision.draw.read")])
    async def draw(self, store: StoreDep, draw_id: FromPath[str]) -> Draw:
        return await store.read(lambda db: draws.get_draw(db, draw_id))

    @post("/draws/{draw_id:str}/reveal", guards=[allows("supervision.draw.reveal")], status_code=200)
    async def reveal(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        draw_id: FromPath[str],
        data: JSONBody[RevealRequest],
    ) -> Draw:
        """Reveal the seed after the period ended: the server checks the hash and draws the sample."""
        actor, now = request.user, utcnow()
        return await store.write_tx(lambda db: draws.reveal_tx(db, actor, draw_id, data.seed, now))

    @get("/draws/{draw_id:str}/sample", guards=[allows("supervision.draw.read")])
    async def sample(self, store: StoreDep, draw_id: FromPath[str]) -> list[SampleEntry]:
        """The drawn items by stratum (``<entity>/<unit id>/<form>``), with their findings."""
        return await store.read(lambda db: draws.sample(db, draw_id))

    @get("/draws/{draw_id:str}/verify", guards=[allows("supervision.draw.verify")])
    async def verify(
        self, store: StoreDep, draw_id: FromPath[str], seed: FromQuery[str | None] = None
    ) -> Verification | PeriodVerification:
        """Recompute a revealed draw from a seed and its published population (anyone signed in); a
        period draw is rechecked from its log, population and sample (no seed needed)."""
        return await store.read(lambda db: draws.verify(db, draw_id, seed))

    @post("/draws/{draw_id:str}/findings", guards=[allows("supervision.finding.record")], status_code=201)
    async def record_finding(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        draw_id: FromPath[str],
        data: JSONBody[FindingRequest],
    ) -> Finding:
        """Record 合格 / 形式主义 / 走过场 / 其他 and a rectification opinion on a sampled item."""
        actor, now = request.user, utcnow()
        return await store.write_tx(
            lambda db: findings.record_finding_tx(
                db,
                actor,
                draw_id,
                entity=data.entity,
                item_id=data.item_id,
                verdict=data.verdict,
                opinion=data.opinion,
                now=now,
            )
        )

    @get("/findings", guards=[allows("supervision.finding.list")])
    async def findings(
        self, request: Request[Actor, str, object], store: StoreDep, status: FromQuery[str | None] = None
    ) -> list[Finding]:
        """Findings: all for supervisors, HR and leaders; the ones to answer for everyone else."""
        actor = request.user
        return await store.read(lambda db: findings.list_findings(db, actor, status))

    @post("/findings/{finding_id:str}/respond", guards=[allows("supervision.finding.respond")], status_code=200)
    async def respond(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        finding_id: FromPath[str],
        data: JSONBody[RespondRequest],
    ) -> Finding:
        """The interview's cadre, the problem's handler department or HR answers the opinion."""
        actor, now = request.user, utcnow()
        return await store.write_tx(lambda db: findings.respond_tx(db, actor, finding_id, data.response, now))

    @post("/findings/{finding_id:str}/close", guards=[allows("supervision.finding.close")], status_code=200)
    async def close(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        finding_id: FromPath[str],
        data: JSONBody[CloseRequest],
    ) -> Finding:
        """Close (销号) an answered opinion, with evidence."""
        actor, now = request.user, utcnow()
        return await store.write_tx(lambda db: findings.close_tx(db, actor, finding_id, data.evidence, now))

    @get("/signals", guards=[allows("supervision.signal.read")])
    async def signals(
        self, store: StoreDep, settings: SettingsDep, start: FromQuery[str], end: FromQuery[str]
    ) -> list[Signal]:
        """Formalism signals for the period, each explained in Chinese (hints, never verdicts)."""
        first, last = parse_day(start, "start"), parse_day(end, "end")
        if last < first:
            raise InvalidField("`end` 早于 `start` (end before start)", field="end")
        extra = tuple(p.strip() for p in settings.boilerplate_phrases.split(",") if p.strip())
        return await store.read(
            lambda db: formalism_signals(
                db, start=first, end=last, phrases=DEFAULT_BOILERPLATE + extra, k=settings.evaluation_min_responses
            )
        )
