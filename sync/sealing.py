"""Sealing and opening confidential remarks: the Python reference of docs/security.md.

The server never calls this: it stores envelopes and checks only their structure
(``sync.envelope``). This module exists so the format is pinned by an independent implementation:
the tests seal here and open in the browser and the other way round (``sync/vectors``), and an
officer's offline export can be opened on a workstation.

Format (v1):
- content: AES-256-GCM under a random 256-bit content key, 12-byte random nonce, associated data
  ``aad(entity, row_id, field, kid)`` — the JSON array ``["fangtan.remark",1,entity,row_id,field,kid]``
  with no spaces, UTF-8; so a ciphertext pasted under another row, field or key id fails to open.
- key wrapping, per recipient: HPKE (RFC 9180) base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256,
  AES-256-GCM; plaintext = the content key; ``info`` = the JSON array
  ``["fangtan.remark-key",1,row_id,kid,user_id,key_id]``; ``enc`` (65 bytes) and the sealed key
  (48 bytes) are stored separately.
- binary fields are unpadded base64url.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sync import envelope as shape

SUITE = hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
ENTITY = "remark"
FIELD = "text"


class CannotOpen(Exception):
    """The envelope is not for this key, or was tampered with or moved."""


@dataclass(frozen=True)
class Recipient:
    user_id: str
    key_id: str
    public_key: ec.EllipticCurvePublicKey


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _canonical(items: list[object]) -> bytes:
    # Identical to JavaScript's JSON.stringify for arrays of strings and small integers.
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_aad(row_id: str, kid: str, entity: str = ENTITY, field: str = FIELD) -> bytes:
    return _canonical(["fangtan.remark", shape.VERSION, entity, row_id, field, kid])


def wrap_info(row_id: str, kid: str, user_id: str, key_id: str) -> bytes:
    return _canonical(["fangtan.remark-key", shape.VERSION, row_id, kid, user_id, key_id])


def seal(plaintext: str, *, row_id: str, recipients: list[Recipient], kid: str | None = None) -> dict:
    """A v1 envelope of ``plaintext`` for ``recipients`` (the author and every officer)."""
    kid = kid or b64(os.urandom(12))
    content_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(shape.NONCE_BYTES)
    ct = AESGCM(content_key).encrypt(nonce, plaintext.encode("utf-8"), content_aad(row_id, kid))
    wrapped = []
    for r in recipients:
        sealed = SUITE.encrypt(content_key, r.public_key, info=wrap_info(row_id, kid, r.user_id, r.key_id))
        enc, key_ct = sealed[: shape.ENC_BYTES], sealed[shape.ENC_BYTES :]
        wrapped.append({"user_id": r.user_id, "key_id": r.key_id, "enc": b64(enc), "wrapped_key": b64(key_ct)})
    return {
        "v": shape.VERSION, "kem": shape.KEM, "kdf": shape.KDF, "aead": shape.AEAD,
        "kid": kid, "nonce": b64(nonce), "ct": b64(ct), "recipients": wrapped,
    }


def unwrap_content_key(envelope: dict, *, row_id: str, user_id: str, private_key: ec.EllipticCurvePrivateKey) -> bytes:
    for r in envelope["recipients"]:
        if r["user_id"] != user_id:
            continue
        info = wrap_info(row_id, envelope["kid"], user_id, r["key_id"])
        try:
            return SUITE.decrypt(unb64(r["enc"]) + unb64(r["wrapped_key"]), private_key, info=info)
        except Exception as exc:  # cryptography raises InvalidTag or ValueError for bad points
            raise CannotOpen("无法解开内容密钥：密钥不符或已被篡改 (cannot unwrap the content key)") from exc
    raise CannotOpen("此备注不是发给你的 (you are not a recipient of this remark)")


def open_envelope(envelope: dict, *, row_id: str, user_id: str, private_key: ec.EllipticCurvePrivateKey) -> str:
    """The plaintext, or ``CannotOpen`` — never garbage."""
    content_key = unwrap_content_key(envelope, row_id=row_id, user_id=user_id, private_key=private_key)
    try:
        plain = AESGCM(content_key).decrypt(
            unb64(envelope["nonce"]), unb64(envelope["ct"]), content_aad(row_id, envelope["kid"])
        )
    except InvalidTag as exc:
        raise CannotOpen("内容校验失败：密文被篡改或被移到了别处 (ciphertext tampered with or moved)") from exc
    return plain.decode("utf-8")


def rewrap_for(envelope: dict, *, row_id: str, user_id: str, private_key: ec.EllipticCurvePrivateKey,
               new: Recipient) -> dict:
    """A copy of ``envelope`` that ``new`` can open too (an existing officer granting a new one)."""
    content_key = unwrap_content_key(envelope, row_id=row_id, user_id=user_id, private_key=private_key)
    sealed = SUITE.encrypt(content_key, new.public_key, info=wrap_info(row_id, envelope["kid"], new.user_id, new.key_id))
    recipient = {"user_id": new.user_id, "key_id": new.key_id,
                 "enc": b64(sealed[: shape.ENC_BYTES]), "wrapped_key": b64(sealed[shape.ENC_BYTES :])}
    others = [r for r in envelope["recipients"] if r["user_id"] != new.user_id]
    return {**envelope, "recipients": [*others, recipient]}
