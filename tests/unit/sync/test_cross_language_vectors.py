"""Vectors shared with the browser: what one side seals or signs, the other opens or verifies."""

import json
from pathlib import Path

import pytest

from sync import sealing, signing
from sync.vectors.generate import build, private_key

VECTORS = Path(__file__).resolve().parents[3] / "sync" / "vectors"


def _d(jwk: dict) -> int:
    return int.from_bytes(signing.unb64url(jwk["d"]), "big")


def _check(vectors: dict) -> None:
    remark = vectors["remark"]
    for user_id, key in remark["keys"].items():
        opened = sealing.open_envelope(remark["envelope"], row_id=remark["row_id"], user_id=user_id,
                                       private_key=private_key(_d(key["jwk"])))
        assert opened == remark["plaintext"]
    sig = vectors["signature"]
    canonical = signing.canonical_bytes(sig["document"])
    assert signing.b64url(canonical) == sig["canonical_b64"]  # both sides canonicalise identically
    assert signing.verify(sig["public_key"], sig["signature"], canonical)


def test_python_made_vectors_are_current_and_open_here():
    _check(json.loads((VECTORS / "python-made.json").read_text(encoding="utf-8")))
    _check(build())  # freshly generated ones too (random nonces, same keys)


def test_browser_made_vectors_open_here():
    path = VECTORS / "browser-made.json"
    if not path.exists():
        pytest.skip("browser-made.json is written by the PWA's crypto tests (issue 5, in progress)")
    _check(json.loads(path.read_text(encoding="utf-8")))
