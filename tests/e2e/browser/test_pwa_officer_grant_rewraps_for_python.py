"""Officers joining (docs/security.md §2): the PWA's grant (``pwa/src/crypto/grants.ts``, run by vitest
in ``pwa/tests/grants.test.ts``) re-wraps a remark sealed by the Python reference for a new officer.
The queued ``remark.put`` carries ``base``, its envelope still passes the server's
``sync.envelope.check``, the content ciphertext is unchanged, and the new officer opens it with
``sync.sealing.open_envelope`` (so do the author and the granting officer)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import msgspec
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from sync import sealing
from sync.entities import Envelope
from sync.envelope import check

PWA = Path(__file__).resolve().parents[3] / "pwa"
pytestmark = pytest.mark.skipif(shutil.which("node") is None or not (PWA / "node_modules" / "vitest").is_dir(),
                                reason="needs node and pwa/node_modules (cd pwa && npm install)")


def _jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    n = key.private_numbers()
    return {"kty": "EC", "crv": "P-256", "d": sealing.b64(n.private_value.to_bytes(32, "big")),
            "x": sealing.b64(n.public_numbers.x.to_bytes(32, "big")), "y": sealing.b64(n.public_numbers.y.to_bytes(32, "big"))}


def _point(key: ec.EllipticCurvePrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization
    raw = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return sealing.b64(raw)


def test_browser_grant_of_a_python_sealed_remark_opens_for_the_new_officer(tmp_path: Path) -> None:
    author, officer, newcomer = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    row_id, plaintext = "0193a5c2-7d3e-7b61-9a0f-5c1d2e3f4a5b", "夜班调岗诉求 GRANT-PY"
    envelope = sealing.seal(plaintext, row_id=row_id, recipients=[
        sealing.Recipient("u-author", "k-author", author.public_key()),
        sealing.Recipient("u-officer", "k-officer", officer.public_key()),
    ])
    given = tmp_path / "in.json"
    got = tmp_path / "out.json"
    given.write_text(json.dumps({
        "row_id": row_id, "interview_id": "iv-1", "author_id": "u-author", "envelope": envelope,
        "officer": {"user_id": "u-officer", "key_id": "k-officer", "jwk": _jwk(officer)},
        "new_officer": {"user_id": "u-new", "key_id": "k-new", "public_key": _point(newcomer)},
    }))
    proc = subprocess.run(["npx", "vitest", "run", "tests/grants.test.ts"], cwd=PWA, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "FANGTAN_GRANT_IN": str(given), "FANGTAN_GRANT_OUT": str(got)})
    assert proc.returncode == 0 and got.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]

    queued = json.loads(got.read_text())
    assert queued["base"] == 5  # the pulled row's seq: a replacement, with conflict detection
    rewrapped = queued["args"]["envelope"]
    check(msgspec.convert(rewrapped, Envelope), author_id="u-author")  # what the server checks
    assert {k: rewrapped[k] for k in ("v", "kid", "nonce", "ct")} == {k: envelope[k] for k in ("v", "kid", "nonce", "ct")}
    assert rewrapped["recipients"][:2] == envelope["recipients"]
    assert [r["user_id"] for r in rewrapped["recipients"]] == ["u-author", "u-officer", "u-new"]
    for user_id, key in (("u-new", newcomer), ("u-officer", officer), ("u-author", author)):
        assert sealing.open_envelope(rewrapped, row_id=row_id, user_id=user_id, private_key=key) == plaintext
    with pytest.raises(sealing.CannotOpen):  # and it is still bound to its row
        sealing.open_envelope(rewrapped, row_id="0193a5c2-0000-7000-8000-000000000000", user_id="u-new", private_key=newcomer)
