"""Signed interview records: the canonical document a device signs and how the server checks it.

When a cadre submits an interview, the tablet signs a *document* — the interview's content fields
and its notes — serialised with RFC 8785 (JSON Canonicalization Scheme), with the device's
ECDSA P-256 key (SHA-256; the signature is WebCrypto's raw ``r || s``, 64 bytes, base64url). The
``interview.sign`` mutation carries the document itself, so the server never has to reproduce the
device's bytes: it verifies the signature over RFC 8785(document), then checks that the document
says what the server's rows say (values compared after typing, so ``09:00+08:00`` and
``01:00Z`` are the same instant). Archives carry document, signature and key, so anyone can
re-verify later that nothing was changed (docs/security.md).
"""

from __future__ import annotations

import base64
import hashlib

import msgspec
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from sync.entities import InterviewContent, InterviewRow, NoteRow

DOCUMENT_VERSION = 1


# The signed interview fields are the recorded content, defined once with the row.
SignedInterview = InterviewContent


class SignedNote(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str
    prompt_id: str | None = None
    text: str


class SignedDocument(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    v: int
    interview: SignedInterview
    notes: list[SignedNote] = []


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical_bytes(document: object) -> bytes:
    """RFC 8785 bytes of a JSON-compatible document (what is signed)."""
    return rfc8785.dumps(msgspec.to_builtins(document))


def document_for(interview: InterviewRow, notes: list[NoteRow]) -> dict:
    """The document as the server's rows state it (what a device would sign right now)."""
    fields = {f: getattr(interview, f) for f in SignedInterview.__struct_fields__}
    return msgspec.to_builtins({
        "v": DOCUMENT_VERSION,
        "interview": fields,
        "notes": [{"id": n.id, "prompt_id": n.prompt_id, "text": n.text} for n in sorted(notes, key=lambda n: n.id)],
    })


def public_key_from_b64(text: str) -> ec.EllipticCurvePublicKey:
    """An uncompressed P-256 point (65 bytes); raises ValueError if it is not one."""
    raw = unb64url(text)
    if len(raw) != 65 or raw[0] != 4:
        raise ValueError("not an uncompressed P-256 point (65 bytes starting with 0x04)")
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


def verify(public_key_b64: str, signature_b64: str, message: bytes) -> bool:
    """ECDSA P-256 / SHA-256 over ``message`` with a raw ``r || s`` (IEEE P1363) signature."""
    try:
        raw = unb64url(signature_b64)
        if len(raw) != 64:
            return False
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public_key_from_b64(public_key_b64).verify(der, message, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


def sign(private_key: ec.EllipticCurvePrivateKey, message: bytes) -> str:
    """The device side, for tests and vectors: a raw ``r || s`` signature, base64url."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(private_key.sign(message, ec.ECDSA(hashes.SHA256())))
    return b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def public_key_b64(private_key: ec.EllipticCurvePrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return b64url(private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
