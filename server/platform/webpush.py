"""Web Push (RFC 8030/8291/8292) with pywebpush: the server's VAPID key pair and one send.

The key pair is generated on first start into ``<data dir>/vapid_private.pem`` (mode 0600), like
``jwt.key``: not in the database, so a copied backup cannot impersonate the server to push services.
The PWA subscribes with the public key (``GET /api/push/vapid-public-key``: the uncompressed P-256
point, base64url without padding — the ``applicationServerKey``).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

KEY_FILE = "vapid_private.pem"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class VapidKeys:
    private_pem: bytes
    public_key: str
    """Uncompressed point (65 bytes), base64url, no padding."""

    def vapid(self) -> Vapid02:
        return Vapid02.from_pem(self.private_pem)


def load_or_create_vapid_keys(data_dir: Path) -> VapidKeys:
    path = Path(data_dir) / KEY_FILE
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        os.replace(tmp, path)
    os.chmod(path, 0o600)
    pem = path.read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return VapidKeys(pem, b64url(point))


class PushGone(Exception):
    """The push service says the subscription no longer exists (404/410): delete it."""


class PushFailed(Exception):
    """Any other failure (5xx, 429, timeout, connection refused): retry later."""


def send(keys: VapidKeys, subscription: dict[str, Any], payload: dict[str, Any], *, subject: str,
         ttl: int, timeout: float) -> int:
    """Encrypt (aes128gcm) and POST one message; returns the push service's status code."""
    try:
        response = webpush(
            subscription_info=subscription,
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=keys.vapid(),
            vapid_claims={"sub": subject},  # a fresh dict: pywebpush fills in aud/exp per endpoint
            content_encoding="aes128gcm",
            ttl=ttl,
            timeout=timeout,
        )
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in (404, 410):
            raise PushGone(f"push service answered {status}") from exc
        raise PushFailed(f"push service answered {status}: {str(exc)[:200]}") from exc
    except Exception as exc:  # requests' timeouts and connection errors
        raise PushFailed(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    return int(getattr(response, "status_code", 201))
