"""``GET /r/{code}``: the receipt-code page (回执码) an employee opens on a phone, without an account.

Shows only what is safe to show anyone holding the slip: the problem's 公开摘要 (a one-line public
summary the cadre writes without names; the category and date when there is none), category,
responsible department (a unit, never a person), expected completion date, status, and a public
timeline (dates, status changes, and the text handlers posted with ``progress`` and ``resolve``
events). Never names, the problem's description, notes, confidential remarks, participants, the
interview or who handled it. Codes are case-insensitive and the dash is
optional. Unknown codes get a friendly 404 page; an address that keeps guessing gets 429 with
growing delays (``MissCounter``).

The path carries the code, so this route does not appear in the access log with its path
(a redacted line is logged instead).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import math
import threading
import time
from collections import deque

from litestar import Request, Response, get
from litestar.params import FromPath
from sqlite_utils import Database

from server.web.deps import SettingsDep, StoreDep, client_address
from server.web.guards import allows
from sync import receipt_codes
from sync.calendar import TZ

log = logging.getLogger("fangtan.access")

CATEGORY_ZH = {"business": "业务问题", "management": "管理问题", "demand": "职工诉求", "suggestion": "创新建议"}
STATUS_ZH = {"raised": "已受理，待交办", "assigned": "已交办责任部门", "in_progress": "整改中",
             "resolved": "已整改，待核实销号", "closed": "已办结（销号）"}
EVENT_ZH = {"assign": "问题已交办责任部门", "start": "开始整改", "progress": "整改进展", "resolve": "整改完成",
            "close": "核实销号，问题办结", "reopen": "重新办理", "escalate": "提交公司经理层会议研究",
            "decide": "公司经理层已作出决定"}
PUBLIC_TEXT_KINDS = ("progress", "resolve")


class MissCounter:
    """Unknown codes per client address in a sliding window (in memory: one process serves all).

    Growing delays, not a lockout: after ``limit`` misses the next try waits ``base_s``, then twice
    as long after each further miss (capped), counted from the latest miss. ``reserve`` checks and
    counts in one step under the lock — an attempt is a miss until ``release`` says the code was
    found — so concurrent guesses cannot all slip past the check."""

    def __init__(self) -> None:
        self._misses: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def reserve(self, address: str, *, limit: int, window_s: float, base_s: float, max_s: float,
                now: float | None = None) -> float:
        """0 and the attempt counted, or the seconds still to wait (nothing counted)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            q = self._misses.setdefault(address, deque())
            while q and q[0] <= now - window_s:
                q.popleft()
            if len(q) >= limit:
                delay = min(float(max_s), float(base_s) * 2 ** min(len(q) - limit, 62))
                wait = q[-1] + delay - now
                if wait > 0:
                    return wait
            q.append(now)
            if len(self._misses) > 50_000:  # bounded memory under a spray of addresses
                self._misses.pop(next(iter(self._misses)))
            return 0.0

    def release(self, address: str) -> None:
        """The reserved attempt found its code: it was not a miss."""
        with self._lock:
            q = self._misses.get(address)
            if q:
                q.pop()


def _local_day(iso: str) -> str:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(TZ).strftime("%Y年%m月%d日")


def public_view(db: Database, code: str) -> dict | None:
    """What the page may show for a (normalised) code, or None."""
    r = db.conn.execute(
        "SELECT i.id, i.category, i.status, i.created_at, i.receipt_code, i.public_summary, i.due_date, u.name"
        " FROM issue i LEFT JOIN org_unit u ON u.id = i.handler_unit_id WHERE i.receipt_code = ?",
        (code,)).fetchone()
    if r is None:
        return None
    issue_id, category, status, created_at, receipt, summary, due_date, department = r
    events = [{"date": _local_day(created_at), "label": "问题已登记", "text": None}]
    for kind, text, to_status, at in db.conn.execute(
        "SELECT kind, text, to_status, created_at FROM followup WHERE issue_id = ? AND flagged = 0"
        " AND kind != 'comment' ORDER BY rowid", (issue_id,)).fetchall():
        events.append({"date": _local_day(at), "label": EVENT_ZH.get(kind, kind),
                       "status": STATUS_ZH.get(to_status, to_status),
                       "text": text if kind in PUBLIC_TEXT_KINDS else None})
    return {"code": receipt, "category": CATEGORY_ZH.get(category, category), "status": STATUS_ZH.get(status, status),
            "closed": status == "closed", "events": events,
            # No names of people: the cadre's own 公开摘要 (never the description), a unit's name, a date.
            "summary": summary or f"{CATEGORY_ZH.get(category, category)}（{_local_day(created_at)}登记）",
            "department": department or "待交办",
            "due": dt.date.fromisoformat(due_date).strftime("%Y年%m月%d日") if due_date else "待责任部门确定"}


_STYLE = """body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#222}
main{max-width:480px;margin:0 auto;padding:16px}h1{font-size:20px;margin:8px 0 16px}
.card{background:#fff;border-radius:10px;padding:14px 16px;margin-bottom:12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.code{font-family:monospace;font-size:18px;letter-spacing:2px}.status{font-size:18px;font-weight:600;color:#1d6fd8}
.done{color:#1a8f3c}ol{list-style:none;padding:0;margin:0}li{border-left:3px solid #d0d7e2;padding:0 0 14px 12px;margin-left:4px}
.summary{font-size:17px;font-weight:600;margin-bottom:6px}.date{color:#888;font-size:13px}.label{font-weight:600}.text{margin-top:4px;white-space:pre-wrap}
footer{color:#999;font-size:12px;text-align:center;margin-top:20px}"""


def _page(title: str, inner: str) -> str:
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"robots\" content=\"noindex\">"
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><main>{inner}<footer>西北能化公司 · 干部访谈问题回执</footer></main></body></html>")


def render_view(view: dict) -> str:
    e = html.escape
    items = "".join(
        f"<li><div class=\"date\">{e(ev['date'])}</div><div class=\"label\">{e(ev['label'])}</div>"
        + (f"<div class=\"text\">{e(ev['text'])}</div>" if ev.get("text") else "") + "</li>"
        for ev in view["events"])
    inner = (f"<h1>问题办理进度</h1><div class=\"card\"><div>回执码</div><div class=\"code\">{e(view['code'])}</div></div>"
             f"<div class=\"card\"><div class=\"summary\" data-test=\"summary\">{e(view['summary'])}</div>"
             f"<div>类别：{e(view['category'])}</div>"
             f"<div data-test=\"department\">责任部门：{e(view['department'])}</div>"
             f"<div data-test=\"due\">预计完成：{e(view['due'])}</div>"
             f"<div class=\"status{' done' if view['closed'] else ''}\">{e(view['status'])}</div></div>"
             f"<div class=\"card\"><ol>{items}</ol></div>")
    return _page(f"回执码 {view['code']}", inner)


NOT_FOUND_PAGE = _page("未找到", "<h1>没有找到这个回执码</h1><div class=\"card\">请核对回执单上的 8 位回执码（字母不区分大小写，"
                       "短横线可省略）。如有疑问，请联系为您记录问题的访谈干部。</div>")
TOO_MANY_PAGE = _page("请稍后再试", "<h1>查询过于频繁</h1><div class=\"card\">请稍后再试。</div>")

_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


@get("/r/{code:str}", exclude_from_auth=True, guards=[allows("receipt.page.read")], include_in_schema=False)
async def receipt_page(request: Request, code: FromPath[str], store: StoreDep, settings: SettingsDep) -> Response[str]:
    """The public status page of one problem (HTML, Chinese)."""
    request.scope.setdefault("state", {})["fangtan_no_log"] = True  # the path is the code
    counter: MissCounter = request.app.state.receipt_misses
    address = client_address(request)
    wait = counter.reserve(address, limit=settings.receipt_max_misses_per_address,
                           window_s=settings.receipt_miss_window_s, base_s=settings.guess_backoff_base_s,
                           max_s=settings.guess_backoff_max_s)
    if wait > 0:
        status, body = 429, TOO_MANY_PAGE
    else:
        normal = receipt_codes.normalize(code)
        view = await store.read(lambda db: public_view(db, normal)) if receipt_codes.PATTERN.match(normal) else None
        if view is None:
            status, body = 404, NOT_FOUND_PAGE
        else:
            counter.release(address)
            status, body = 200, render_view(view)
    log.info(json.dumps({"method": "GET", "path": "/r/<code>", "status": status}))
    headers = dict(_HEADERS)
    if status == 429:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return Response(content=body, status_code=status, media_type="text/html; charset=utf-8", headers=headers)
