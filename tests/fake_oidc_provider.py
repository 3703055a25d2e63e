"""A real local OpenID Connect provider for tests: an HTTP server on 127.0.0.1 that serves discovery,
a JWKS, an ``/authorize`` that signs in whoever the test chose (no login form), and a ``/token``
endpoint that checks what a client must send (client_secret_basic, redirect_uri, PKCE S256 verifier,
single-use codes) and issues RS256 id_tokens made with ``joserfc``.

``provider.user`` picks the signed-in directory user; ``provider.tamper`` makes the next id_tokens
wrong on purpose (``{"nonce": "x"}``, ``{"iss": "..."}``, ``{"sign_with_other_key": True}``).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

from tests import local_http


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class FakeOidcProvider:
    client_id: str = "fangtan"
    client_secret: str = "s3cret-for-tests"
    user: str = "cadre1"
    username_claim: str = "preferred_username"
    tamper: dict = field(default_factory=dict)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"}))
    codes: dict = field(default_factory=dict)
    token_requests: list = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        assert self.server is not None
        return local_http.origin(self.server)

    def env(self) -> dict[str, str]:
        return {"FANGTAN_OIDC_ISSUER": self.issuer, "FANGTAN_OIDC_CLIENT_ID": self.client_id,
                "FANGTAN_OIDC_CLIENT_SECRET": self.client_secret, "FANGTAN_OIDC_USERNAME_CLAIM": self.username_claim}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": "dir-" + self.user, "aud": self.client_id, "iat": now, "exp": now + 300,
                  "nonce": nonce, self.username_claim: self.user}
        claims.update({k: v for k, v in self.tamper.items() if k != "sign_with_other_key"})
        key = self.key
        if self.tamper.get("sign_with_other_key"):
            key = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)

    def start(self) -> FakeOidcProvider:
        provider = self

        class Handler(local_http.QuietHandler):

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    base = provider.issuer
                    self.send_json(200, {"issuer": base, "authorization_endpoint": base + "/authorize",
                                     "token_endpoint": base + "/token", "jwks_uri": base + "/jwks",
                                     "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"],
                                     "id_token_signing_alg_values_supported": ["RS256"]})
                elif url.path == "/jwks":
                    self.send_json(200, {"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    assert query.get("client_id") == provider.client_id and query.get("response_type") == "code"
                    assert query.get("code_challenge_method") == "S256" and query.get("code_challenge")
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = {"challenge": query["code_challenge"], "nonce": query.get("nonce", ""),
                                            "redirect_uri": query["redirect_uri"], "used": False}
                    target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
                    self.send_redirect(target)
                else:
                    self.send_json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                if urlsplit(self.path).path != "/token":
                    return self.send_json(404, {"error": "not_found"})
                form = {k: v[0] for k, v in parse_qs(self.read_body().decode()).items()}
                provider.token_requests.append(form)
                expected = "Basic " + base64.b64encode(f"{provider.client_id}:{provider.client_secret}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self.send_json(401, {"error": "invalid_client"})
                grant = provider.codes.get(form.get("code", ""))
                if grant is None or grant["used"] or form.get("redirect_uri") != grant["redirect_uri"]:
                    return self.send_json(400, {"error": "invalid_grant"})
                if _s256(form.get("code_verifier", "")) != grant["challenge"]:
                    return self.send_json(400, {"error": "invalid_grant", "error_description": "PKCE verifier mismatch"})
                grant["used"] = True
                self.send_json(200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                                 "id_token": provider.id_token(grant["nonce"])})

        self.server = local_http.serve(Handler)
        return self

    def stop(self) -> None:
        local_http.stop(self.server)
