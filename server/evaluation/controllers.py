"""HTTP surface of the anonymous evaluation (docs/api.md §Evaluation, docs/evaluation.md).

The public endpoints (the rating page and the submission) opt out of the access log entirely:
not the ticket, not the address, not the user agent, not even the moment a response came in.
"""

from __future__ import annotations

import html
from pathlib import Path

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from server.clock import utcnow
from server.evaluation import tickets
from server.evaluation.schemas import (
    EvaluationResults,
    IssuedTicket,
    Recorded,
    ResponseRequest,
    TicketBatch,
    TicketRequest,
)
from server.evaluation.views import results_view
from server.web.deps import SettingsDep, StoreDep
from server.web.guards import allows
from sync.actor import Actor
from sync.calendar import local_date
from sync.errors import InvalidField

STATIC = Path(__file__).resolve().parent / "static"
RATE_PAGE = (STATIC / "rate.html").read_text(encoding="utf-8")
RATE_JS = (STATIC / "rate.js").read_text(encoding="utf-8")
_NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def _unlogged(request: Request) -> None:
    request.scope.setdefault("state", {})["fangtan_no_log"] = True


def _scores(data: ResponseRequest) -> tickets.Scores:
    return tickets.Scores(
        attitude=data.attitude,
        professionalism=data.professionalism,
        responsiveness=data.responsiveness,
        comment=data.comment,
    )


def _message_page(title: str, text: str, status: int) -> Response[str]:
    body = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
        f'<title>{html.escape(title)}</title><style>body{{font-family:-apple-system,"PingFang SC","Microsoft YaHei",'
        "sans-serif;margin:0;background:#f5f6f8;color:#222}main{max-width:480px;margin:0 auto;padding:16px}"
        ".card{background:#fff;border-radius:10px;padding:14px 16px}</style></head>"
        f'<body><main><h1>{html.escape(title)}</h1><div class="card">{html.escape(text)}</div></main></body></html>'
    )
    return Response(content=body, status_code=status, media_type="text/html", headers=_NO_STORE)


@get("/e/rate.js", exclude_from_auth=True, guards=[allows("evaluation.page.read")], include_in_schema=False)
async def rate_script(request: Request) -> Response[str]:
    """The rating page's script (a separate file: the CSP allows no inline script)."""
    _unlogged(request)
    return Response(content=RATE_JS, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})


@get("/e/{ticket:str}", exclude_from_auth=True, guards=[allows("evaluation.page.read")], include_in_schema=False)
async def rating_page(request: Request, ticket: FromPath[str], store: StoreDep) -> Response[str]:
    """The light rating page a participant opens by scanning a ticket (HTML, Chinese, no framework)."""
    _unlogged(request)
    state, cadre = await store.read(lambda db: (tickets.ticket_state(db, ticket), tickets.ticket_cadre_name(db, ticket)))
    if state == "unknown":
        return _message_page("没有这个评价码", "请核对评价码或重新扫码。如有疑问，请联系人力资源部（党群部）。", 404)
    if state == "used":
        return _message_page(
            "此评价码已使用", "每张评价码只能评价一次。如果刚才是您本人提交的，评价已经成功保存，感谢参与！", 409
        )
    return Response(content=RATE_PAGE.replace("__CADRE__", html.escape(cadre)), media_type="text/html",
                    headers=_NO_STORE)


class EvaluationController(Controller):
    path = "/api/evaluation"
    tags = ["evaluation"]

    @post("/tickets", guards=[allows("evaluation.ticket.issue")], status_code=201)
    async def issue(
        self, request: Request[Actor, str, object], store: StoreDep, settings: SettingsDep, data: JSONBody[TicketRequest]
    ) -> TicketBatch:
        """New tickets for the caller's tablet pool (the tablet hands them out offline)."""
        cadre_id, today = request.user.user_id, local_date(utcnow())
        issued, left = await store.write_tx(
            lambda db: (tickets.issue_tickets_tx(db, cadre_id, data.count, today), tickets.outstanding(db, cadre_id))
        )
        return TicketBatch(
            tickets=[IssuedTicket(ticket=t, number=tickets.printable(t)) for t in issued], outstanding=left,
            public_base_url=settings.public_origin,
        )

    @post("/responses", exclude_from_auth=True, guards=[allows("evaluation.response.submit")], status_code=201)
    async def respond(
        self, request: Request, store: StoreDep, settings: SettingsDep, data: JSONBody[ResponseRequest]
    ) -> Recorded:
        """One anonymous rating from the phone page. No account; nothing about the caller is kept."""
        _unlogged(request)
        scores, k = _scores(data), settings.evaluation_min_responses
        # The day is read in the writer's transaction, not here: a response queued before midnight at
        # a quarter's end counts in the quarter it commits in (results.release_date).
        await store.write_tx(lambda db: tickets.redeem_tx(db, data.ticket, scores, local_date(utcnow()), k=k))
        return Recorded()

    @post("/paper", guards=[allows("evaluation.paper.record")], status_code=201)
    async def paper(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        settings: SettingsDep,
        data: JSONBody[ResponseRequest],
    ) -> Recorded:
        """HR types in a paper questionnaire (纸质问卷) against its printed ticket number; same one-use rule."""
        _unlogged(request)
        scores, k = _scores(data), settings.evaluation_min_responses
        await store.write_tx(lambda db: tickets.redeem_tx(db, data.ticket, scores, local_date(utcnow()), k=k))
        return Recorded()

    @get("/results", guards=[allows("evaluation.results.read")])
    async def results(
        self,
        store: StoreDep,
        settings: SettingsDep,
        year: FromQuery[int],
        quarter: FromQuery[int | None] = None,
        unit_id: FromQuery[str | None] = None,
    ) -> EvaluationResults:
        """Pooled scores per cadre per quarter: a quarter is 待发布 until it is over; then cells under k are
        suppressed and aggregates use released cells only."""
        if quarter is not None and not 1 <= quarter <= 4:
            raise InvalidField("`quarter` 应为 1-4 (must be 1-4)", field="quarter")
        if not 2000 <= year <= 2100:
            raise InvalidField("`year` 超出范围 (out of range)", field="year")
        k, kc = settings.evaluation_min_responses, settings.evaluation_min_responses_for_comments
        return await store.read(
            lambda db: results_view(
                db, year=year, quarter=quarter, unit_id=unit_id, k=k, k_comments=kc, today=local_date(utcnow())
            )
        )


ROUTES = [EvaluationController, rating_page, rate_script]
