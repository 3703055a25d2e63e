"""A real local Web Push service for tests: an HTTP server on 127.0.0.1 that checks what a push
sender must do (RFC 8030 TTL, RFC 8291 aes128gcm encryption, RFC 8292 VAPID) and keeps what it got.

Each subscription is a path ``/push/<name>`` whose behaviour is chosen by the test: ``ok`` → 201,
``gone`` → 410, ``flaky`` → 500 on the first request then 201. Payloads are decrypted with
``http_ece`` and the subscription's private key, which the test generated like a browser would.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass, field

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests import local_http


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class BrowserSubscription:
    """What ``pushManager.subscribe`` makes: a P-256 key pair and a 16-byte auth secret."""

    name: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    def json(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
                "expirationTime": None}


@dataclass
class Received:
    name: str
    status: int
    payload: dict | None
    claims: dict | None
    vapid_key: str | None
    ttl: str | None
    error: str | None = None


class FakePushService:
    def __init__(self) -> None:
        self.subscriptions: dict[str, BrowserSubscription] = {}
        self.behaviour: dict[str, str] = {}
        self.received: list[Received] = []
        self._hits: dict[str, int] = {}
        service = self

        class Handler(local_http.QuietHandler):
            def do_POST(self) -> None:  # noqa: N802
                name = self.path.rsplit("/", 1)[-1]
                body = self.read_body()
                status = service._answer(name)
                service.received.append(service._check(name, status, self.headers, body))
                self.send_empty(status)

        self._handler = Handler
        self.server = None

    @property
    def origin(self) -> str:
        assert self.server is not None, "use the service as a context manager"
        return local_http.origin(self.server)

    def __enter__(self) -> FakePushService:
        self.server = local_http.serve(self._handler)
        return self

    def __exit__(self, *exc) -> None:
        local_http.stop(self.server)

    def subscription(self, name: str, behaviour: str = "ok") -> BrowserSubscription:
        sub = BrowserSubscription(name, f"{self.origin}/push/{name}")
        self.subscriptions[name] = sub
        self.behaviour[name] = behaviour
        return sub

    def _answer(self, name: str) -> int:
        self._hits[name] = self._hits.get(name, 0) + 1
        mode = self.behaviour.get(name, "gone")
        if mode == "gone":
            return 410
        if mode == "flaky" and self._hits[name] == 1:
            return 500
        return 201

    def _check(self, name: str, status: int, headers, body: bytes) -> Received:
        sub = self.subscriptions.get(name)
        try:
            scheme, _, params = headers["Authorization"].partition(" ")
            assert scheme == "vapid", scheme
            parts = dict(p.strip().split("=", 1) for p in params.split(","))
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
            claims = jwt.decode(parts["t"], key=key, algorithms=["ES256"], audience=self.origin)
            assert headers["Content-Encoding"] == "aes128gcm"
            plain = http_ece.decrypt(body, private_key=sub.private_key, auth_secret=sub.auth, version="aes128gcm")
            return Received(name, status, json.loads(plain), claims, parts["k"], headers.get("TTL"))
        except Exception as exc:  # recorded; the test asserts there were none
            return Received(name, status, None, None, None, headers.get("TTL"), f"{type(exc).__name__}: {exc}")

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received
