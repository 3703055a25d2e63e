"""Structural checks of an end-to-end encrypted envelope (DESIGN §5).

The server never decrypts and never looks at the plaintext; it only makes sure the envelope is
well-formed so that a broken client cannot store something no recipient can open. The
cryptographic parameters are normative in docs/security.md; the sizes below follow from them:
AES-256-GCM nonce 12 bytes, tag 16 bytes; DHKEM(P-256) ``enc`` is an uncompressed point (65 bytes);
a wrapped 256-bit content key is 32 + 16 (tag) = 48 bytes.
"""

from __future__ import annotations

import base64
import re

from sync.entities import Envelope
from sync.errors import ValidationFailed

VERSION = 1
KEM = "DHKEM-P256-HKDF-SHA256"
KDF = "HKDF-SHA256"
AEAD = "AES-256-GCM"
NONCE_BYTES = 12
TAG_BYTES = 16
ENC_BYTES = 65
WRAPPED_KEY_BYTES = 48
MAX_CIPHERTEXT_BYTES = 64 * 1024 + TAG_BYTES
MAX_RECIPIENTS = 20

_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


def b64url_len(value: str, field: str) -> int:
    """Decoded length of unpadded base64url text, or a validation error naming ``field``."""
    if not _B64URL.match(value) or len(value) % 4 == 1:
        raise ValidationFailed(f"`{field}` is not unpadded base64url", field=field)
    return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed(message, field=field)


def check(env: Envelope, *, author_id: str, prefix: str = "envelope") -> None:
    """Raise ``ValidationFailed`` naming the first malformed part of ``env``."""
    if env.v != VERSION:
        raise _fail(f"unsupported envelope version {env.v}", f"{prefix}.v")
    for name, want in (("kem", KEM), ("kdf", KDF), ("aead", AEAD)):
        if getattr(env, name) != want:
            raise _fail(f"`{name}` must be {want!r}", f"{prefix}.{name}")
    if not 1 <= len(env.kid) <= 64:
        raise _fail("`kid` must be 1-64 characters", f"{prefix}.kid")
    if b64url_len(env.nonce, f"{prefix}.nonce") != NONCE_BYTES:
        raise _fail(f"`nonce` must be {NONCE_BYTES} bytes", f"{prefix}.nonce")
    if not TAG_BYTES <= b64url_len(env.ct, f"{prefix}.ct") <= MAX_CIPHERTEXT_BYTES:
        raise _fail(f"`ct` must be {TAG_BYTES}..{MAX_CIPHERTEXT_BYTES} bytes", f"{prefix}.ct")
    if not 1 <= len(env.recipients) <= MAX_RECIPIENTS:
        raise _fail(f"`recipients` needs 1-{MAX_RECIPIENTS} entries", f"{prefix}.recipients")
    seen: set[str] = set()
    for i, r in enumerate(env.recipients):
        at = f"{prefix}.recipients[{i}]"
        if r.user_id in seen:
            raise _fail("duplicate recipient", f"{at}.user_id")
        seen.add(r.user_id)
        if not 1 <= len(r.key_id) <= 128:
            raise _fail("`key_id` must be 1-128 characters", f"{at}.key_id")
        if b64url_len(r.enc, f"{at}.enc") != ENC_BYTES:
            raise _fail(f"`enc` must be {ENC_BYTES} bytes (uncompressed P-256 point)", f"{at}.enc")
        if b64url_len(r.wrapped_key, f"{at}.wrapped_key") != WRAPPED_KEY_BYTES:
            raise _fail(f"`wrapped_key` must be {WRAPPED_KEY_BYTES} bytes", f"{at}.wrapped_key")
    if author_id not in seen:
        raise _fail("the author must be among the recipients (or they could not read it back)",
                    f"{prefix}.recipients")
