"""The catalogue of typed errors, with stable codes (ODK Central style).

Every error a client can see has a stable ``code`` (dotted, never renamed once shipped), an HTTP
status for when it ends a request, and a message naming the problem. Clients branch on ``code``;
the message is for people. The server turns a raised ``FangtanError`` into
``{"error": {"code", "message", "field"?, "details"?}}`` with its status. Inside a push, the same
errors become a mutation's ``rejected`` result instead of failing the request.
"""

from __future__ import annotations

import contextvars
import re
from typing import Any


class FangtanError(Exception):
    """Base of every error with a stable code. Subclasses fix ``code`` and ``status``."""

    code: str = "internal"
    status: int = 500
    retry_after: int | None = None

    def __init__(self, message: str, *, field: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            out["field"] = self.field
        if self.details:
            out["details"] = self.details
        return out


def _error(code: str, status: int, doc: str, zh: str | None = None) -> type[FangtanError]:
    """``zh``: the code's Chinese, said instead of a message that has no Chinese of its own (render_message)."""
    if zh is not None:
        ZH[code] = zh
    cls = type(
        "".join(part.capitalize() for part in code.replace(".", "_").split("_")) + "Error",
        (FangtanError,),
        {"code": code, "status": status, "__doc__": doc},
    )
    CATALOGUE[code] = cls
    return cls


CATALOGUE: dict[str, type[FangtanError]] = {}
ZH: dict[str, str] = {}
"""Chinese for each code, used when a message has no Chinese of its own (see render_message)."""

define_error = _error
"""For server packages' own errors (``server/evaluation/errors.py``, ``server/supervision/errors.py``):
the same base class, catalogue and envelope as the engine's."""

# 400 — the request itself is malformed; nothing was applied.
MalformedBody = _error("request.malformed", 400, "The body is not valid JSON/msgpack.")
InvalidField = _error("request.invalid_field", 400, "A field is missing, unknown or of the wrong type.")
BodyTooLarge = _error("request.too_large", 413, "The body exceeds the configured size limit.")
UnsupportedMediaType = _error("request.media_type", 415, "Content-Type is neither JSON nor msgpack.")
# 401/403 — who you are and what you may do.
NotAuthenticated = _error("auth.required", 401, "No or malformed bearer token.")
BadCredentials = _error("auth.bad_credentials", 401, "Unknown user or wrong password (deliberately the same).")
TokenInvalid = _error("auth.token_invalid", 401, "The token is expired, forged or unknown.")
DeviceRevoked = _error("auth.device_revoked", 401, "The device was revoked; its tokens no longer work.")
UserDisabled = _error("auth.user_disabled", 401, "The account is disabled.")
TooManyAttempts = _error("auth.rate_limited", 429, "Too many failed logins; retry later.")
Forbidden = _error("auth.forbidden", 403, "The caller's roles or unit do not allow this.")
# 404/409/410/426 — state.
NotFound = _error("not_found", 404, "No such resource (or not visible to the caller).")
MethodNotAllowed = _error("request.method_not_allowed", 405, "The path exists but not for this method.")
Conflict = _error("conflict", 409, "The request conflicts with current state.")
MutationGap = _error("sync.mutation_gap", 409, "Mutation ids must continue from last_mutation_id + 1.")
CursorExpired = _error("sync.cursor_expired", 410, "The cursor is older than the retained tombstone horizon.")
ClientTooOld = _error("sync.client_too_old", 426, "Protocol/schema version below the accepted window.")
VersionUnsupported = _error(
    "sync.version_unsupported", 400, "Protocol/schema version above what this server understands."
)
BatchTooLarge = _error("sync.batch_too_large", 413, "A push carries more mutations than the server accepts at once.")
# 422 — a well-formed request whose content breaks a domain rule (used for mutation rejections).
ValidationFailed = _error("validation", 422, "A domain rule is broken (e.g. a group interview needs 3-5 people).")
BaseRequired = _error(
    "sync.base_required", 422, "An update of an existing row must carry the row's last seen seq as base."
)
BaseUnknown = _error(
    "sync.base_unknown", 422, "`base_mutation` names a mutation whose receipt the server no longer keeps."
)
Voided = _error(
    "sync.voided", 422, "The client replaced a mutation the server could not decode by mutation.void."
)
UnknownMutation = _error("sync.unknown_mutation", 400, "No mutation of that name exists.")
BlobHashMismatch = _error("blob.hash_mismatch", 422, "The uploaded bytes do not hash to the URL's sha256.")
BlobNotYours = _error(
    "attachment.blob_not_yours", 403,
    "An attachment may name only a blob its author uploaded or could already read (docs/security.md).")
AmendForbidden = _error(
    "record.amend_forbidden", 403,
    "A submitted record is changed only by the interview's own cadres, as an amendment (docs/followup.md).")
AmendmentReasonRequired = _error(
    "record.amendment_reason_required", 422, "A change to a submitted record needs `amendment_reason`.")
CloseEvidenceRequired = _error(
    "close.evidence_required", 422, "销号 names at least one attachment of the problem as its `evidence`.")
CloseEvidenceNotOnProblem = _error(
    "close.evidence_not_on_problem", 422, "An `evidence` item is not a live attachment of this problem.")
CloseVerifierIsCloser = _error(
    "close.verifier_is_closer", 422, "The verifier of a 销号 must be someone other than the person closing it.")
CloseVerifierNotEligible = _error(
    "close.verifier_not_eligible", 422,
    "The verifier's role cannot verify a 销号 (sync.policy `issue.verify`), or they work in the department that did the work.")
BlobRangeInvalid = _error("blob.range_invalid", 416, "Content-Range does not continue the stored upload.")
# The follow-up loop (docs/followup.md).
Archived = _error("archived", 422, "The interview is archived (成果归档); it and everything under it are read-only.")
OutOfOrder = _error(
    "followup.out_of_order", 422, "A follow-up event that is not allowed in the problem's current status."
)
CalendarUnknown = _error(
    "calendar.unknown", 422, "The working-day calendar for that year is not known yet; an admin must enter it."
)
UnitDisabled = _error(
    "unit.disabled", 422,
    "The unit is disabled (停用): it keeps its history but is not chosen for new work (docs/administration.md).")
RateLimited = _error("rate_limited", 429, "Too many requests from this address; retry later.")
# 503 — transient: retry later, nothing was applied.
Busy = _error("busy", 503, "The database is busy or the disk is full; retry after the given delay.")
Busy.retry_after = 2


# SQLite says "try again later" (not "your request is wrong") with these messages.
_TRANSIENT_SQLITE = ("database is locked", "database is busy", "database or disk is full", "disk i/o error")


def is_transient_sqlite_error(exc: BaseException) -> bool:
    """Busy, locked, full disk or I/O error: answer ``Busy`` (503 + Retry-After), apply nothing."""
    text = str(exc).lower()
    return any(marker in text for marker in _TRANSIENT_SQLITE)


# --- Messages in the reader's language (issue 16 point 4; docs/api.md "Which language the server speaks") ---
# The code is the contract; the message is presentation. Raise sites write "中文 (English)"; the server
# renders it for the request's locale: zh-CN (the default) keeps the Chinese and drops the bracketed
# English; en keeps the English. A message with no Chinese at all (protocol refusals written in English)
# is replaced, in zh-CN, by its code's Chinese text below (or its status's), so no English reaches a
# Chinese screen. Backquoted names (`year`) are field names: data, kept in both languages.

LOCALES = ("zh-CN", "en")
DEFAULT_LOCALE = "zh-CN"
LOCALE: contextvars.ContextVar[str] = contextvars.ContextVar("fangtan_locale", default=DEFAULT_LOCALE)
"""The locale of the request being served (set by the server per request; zh-CN outside one)."""

ZH |= {
    "request.malformed": "请求内容无法解析",
    "request.invalid_field": "请求中有字段缺失、多余或类型不对",
    "request.too_large": "请求内容超过了允许的大小",
    "request.media_type": "请求内容的格式不受支持",
    "request.method_not_allowed": "该地址不支持此操作",
    "auth.required": "请先登录",
    "auth.bad_credentials": "账号或密码不正确",
    "auth.token_invalid": "登录已失效，请重新登录",
    "auth.device_revoked": "此设备已被停用，请联系管理员",
    "auth.user_disabled": "账号已停用",
    "auth.rate_limited": "登录失败次数过多，请稍后再试",
    "auth.forbidden": "您的角色或单位无权进行此操作",
    "auth.password_change_required": "请先设置您自己的密码",
    "auth.password_login_disabled": "已关闭密码登录，请使用企业统一登录",
    "not_found": "没有找到，或您无权查看",
    "conflict": "与当前状态冲突",
    "sync.mutation_gap": "同步顺序中断，请重新同步",
    "sync.cursor_expired": "本机数据太旧，请先上传未同步的内容，再重新下载",
    "sync.client_too_old": "应用版本过旧，请更新；未同步的内容会保留",
    "sync.version_unsupported": "应用版本比服务器新，请联系管理员升级服务器",
    "sync.batch_too_large": "一次上传的内容过多，请重新同步",
    "sync.base_required": "修改已有记录时缺少版本信息，请重新同步后再改",
    "sync.base_unknown": "所依据的修改已过期，请重新同步后再改",
    "sync.voided": "本机无法读取这条修改，已作废",
    "sync.unknown_mutation": "服务器不认识这项操作，请更新应用",
    "validation": "不符合填写规则",
    "blob.hash_mismatch": "上传的文件已损坏，请重新上传",
    "blob.range_invalid": "文件续传位置不对，请重新上传",
    "attachment.blob_not_yours": "附件只能引用您自己上传或可查看的文件",
    "record.amend_forbidden": "已提交的记录只能由本次访谈的干部修改",
    "record.amendment_reason_required": "修改已提交的记录需要填写修改原因",
    "close.evidence_required": "销号需要至少一个整改佐证附件",
    "close.evidence_not_on_problem": "佐证材料不是本问题的附件",
    "close.verifier_is_closer": "验证人不能是销号人本人",
    "close.verifier_not_eligible": "验证人须为监督小组成员、公司领导、本次访谈的干部或涉及单位的负责人，且不在整改责任部门",
    "archived": "访谈已成果归档，只能查看",
    "followup.out_of_order": "问题当前的状态不允许这一步",
    "calendar.unknown": "该年度的工作日历尚未录入，请联系管理员",
    "unit.disabled": "该单位已停用，不能再选用",
    "rate_limited": "请求过于频繁，请稍后再试",
    "busy": "服务器繁忙，请稍后再试",
    "internal": "服务器内部错误",
}

_ZH_BY_STATUS = {400: "请求有误", 401: "请先登录", 403: "无权进行此操作", 404: "没有找到", 409: "与当前状态冲突",
                 410: "内容已过期", 413: "内容过大", 422: "不符合填写规则", 429: "请求过于频繁，请稍后再试",
                 502: "外部服务暂时不可用", 503: "服务器繁忙，请稍后再试"}

_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
_QUOTED = re.compile(r"`[^`]*`")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
LATIN_WHITELIST = frozenset({
    "fangtan", "PWA", "PIN", "QR", "KB", "MB", "GB", "HTTP", "HTTPS", "https", "CA", "SHA", "JSON", "Excel",
    "xlsx", "docx", "zip", "csv", "CSV", "English", "Chrome", "Edge", "Firefox", "Safari", "Android", "iOS",
    "iPad", "iPadOS", "Windows", "macOS", "Linux", "Intune", "Jamf",
})
"""Latin words a Chinese text may carry: product, format and platform names, units. The same list as
``pwa/scripts/latin-whitelist.json`` (the browser crawl's); a test keeps them equal."""


def _top_level_brackets(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inside) of each outermost (…) or （…） group; an unclosed one is not a group."""
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(（":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1, text[start + 1:i]))
    return groups


def pick_locale(preferred: str | None = None, accept_language: str | None = None) -> str:
    """The user's own choice first, then the request's Accept-Language (its first tag we speak), else zh-CN."""
    for candidate in [preferred, *(part.split(";")[0].strip() for part in (accept_language or "").split(","))]:
        if not candidate:
            continue
        tag = candidate.lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LOCALE


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text`` outside field names in backquotes and the whitelist."""
    return [w for w in LATIN_WORD.findall(_QUOTED.sub("", text)) if w not in LATIN_WHITELIST]


def render_message(code: str, status: int, message: str, locale: str | None = None) -> str:
    """``message`` (written "中文 (English)", or one language only) for ``locale`` (default: the request's)."""
    locale = locale or LOCALE.get()
    if locale == "en":
        if not _CJK.search(message):
            return message
        english = [inner.strip() for _, _, inner in _top_level_brackets(message) if not _CJK.search(inner)]
        return "; ".join(e for e in english if e) or message
    chinese = message
    for start, end, inner in reversed(_top_level_brackets(message)):  # English may hold brackets of its own
        if not _CJK.search(inner):
            chinese = chinese[:start].rstrip() + chinese[end:]
    chinese = chinese.strip()
    if _CJK.search(chinese) and not latin_words(chinese):
        return chinese
    return ZH.get(code) or _ZH_BY_STATUS.get(status) or ZH["internal"]


def localized(exc: FangtanError, locale: str | None = None) -> str:
    return render_message(exc.code, exc.status, exc.message, locale)
