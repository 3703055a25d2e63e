"""``interview.sign``: a device's ECDSA signature over a submitted interview (see sync.signing)."""

from __future__ import annotations

from typing import Any

import msgspec

from sync import policy, rowstore, signing
from sync.entities import InterviewRow, InterviewSignatureRow, UserKeyRow
from sync.errors import ValidationFailed
from sync.mutations.base import Args, Context, MutationSpec, check_id, fail, load_or_missing, require


class InterviewSignArgs(Args, kw_only=True):
    id: str
    interview_id: str
    key_id: str
    document: dict[str, Any]
    """As received: the signature covers RFC 8785 of exactly these values (re-encoding typed
    values, e.g. ``…19.123Z`` → ``…19.123000Z``, would change the bytes)."""
    signature: str


class InterviewSign(MutationSpec[InterviewSignArgs]):
    name = "interview.sign"
    Args = InterviewSignArgs

    def load(self, ctx: Context, args: InterviewSignArgs) -> tuple[InterviewRow, UserKeyRow | None]:
        interview = load_or_missing(ctx.db, "interview", args.interview_id, "interview_id")
        return interview, rowstore.load(ctx.db, "user_key", args.key_id)

    def authorize(self, ctx: Context, args: InterviewSignArgs, state: Any) -> None:
        interview, _ = state
        policy.can_or_reject(ctx.actor, self.name, interview)

    def validate(self, ctx: Context, args: InterviewSignArgs, state: Any) -> None:
        interview, key = state
        check_id(args.id)
        require(interview.status == "submitted", "只有已提交的访谈才能签名 (only a submitted interview can be signed)", "interview_id")
        document = _typed(args.document)
        require(document.v == signing.DOCUMENT_VERSION, "签名文件的版本不受支持 (unsupported document version)", "document.v")
        require(document.interview.id == interview.id, "签名文件属于另一次访谈 (the document is about another interview)",
                "document.interview.id")
        require(
            key is not None and key.purpose == "signing" and key.user_id == ctx.actor.user_id
            and key.device_id == ctx.device_id and key.retired_at is None,
            "须使用本设备当前的签名密钥 (`key_id` must be this device's current signing key; publish it with key.publish first)", "key_id",
        )
        message = signing.canonical_bytes(args.document)
        if not signing.verify(key.public_key, args.signature, message):
            raise ValidationFailed("签名无法验证 (the signature does not verify over the document)",
                                   field="signature", details={"code": "signature.invalid"})
        _same_as_server(ctx, document, interview)

    def apply(self, ctx: Context, args: InterviewSignArgs, state: Any) -> None:
        ctx.create("interview_signature", InterviewSignatureRow(
            id=args.id, interview_id=args.interview_id, user_id=ctx.actor.user_id, device_id=ctx.device_id,
            key_id=args.key_id, canonical_sha256=signing.sha256_hex(signing.canonical_bytes(args.document)),
            signature=args.signature, client_time=ctx.client_time, created_at=ctx.now_iso,
        ))


def _typed(document: dict[str, Any]) -> signing.SignedDocument:
    try:
        return msgspec.convert(document, signing.SignedDocument)
    except msgspec.ValidationError as exc:
        raise fail(f"签名文件格式不正确 (`document` is malformed: {exc})", "document") from None


def _same_as_server(ctx: Context, document: signing.SignedDocument, interview: InterviewRow) -> None:
    """The signed content must be what the server holds: same interview fields, every signed note
    present with the same text (notes others add later do not void an earlier signature)."""
    for name in signing.SignedInterview.__struct_fields__:
        if getattr(document.interview, name) != getattr(interview, name):
            raise fail(f"签名内容与服务器记录不一致：{name} (the signed {name} differs from the record)",
                       f"document.interview.{name}")
    notes = {n.id: n for n in rowstore.load_where(ctx.db, "note", "interview_id = ?", [interview.id])}
    for i, note in enumerate(document.notes):
        held = notes.get(note.id)
        if held is None or (held.prompt_id, held.text) != (note.prompt_id, note.text):
            raise fail("签名中的访谈要点与服务器记录不一致 (a signed note differs from the record)",
                       f"document.notes[{i}]")



