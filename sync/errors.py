"""The catalogue of typed errors, with stable codes (ODK Central style).

Every error a client can see has a stable ``code`` (dotted, never renamed once shipped), an HTTP
status for when it ends a request, and a message naming the problem. Clients branch on ``code``;
the message is for people. The server turns a raised ``FangtanError`` into
``{"error": {"code", "message", "field"?, "details"?}}`` with its status. Inside a push, the same
errors become a mutation's ``rejected`` result instead of failing the request.
"""

from __future__ import annotations

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


def _error(code: str, status: int, doc: str) -> type[FangtanError]:
    cls = type(
        "".join(part.capitalize() for part in code.replace(".", "_").split("_")) + "Error",
        (FangtanError,),
        {"code": code, "status": status, "__doc__": doc},
    )
    CATALOGUE[code] = cls
    return cls


CATALOGUE: dict[str, type[FangtanError]] = {}

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
