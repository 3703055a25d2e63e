"""Broken bytes sent over real HTTP to the sync endpoints: always a clean 4xx with the error
envelope, never a 5xx, and nothing written — the same device's real push still applies from id 1."""

from __future__ import annotations

import random
import sqlite3

import httpx
import msgspec

from sync import wire
from sync.errors import FangtanError
from sync.ids import new_id
from tests.fuzz.conftest import session_of

MEDIA = {"json": ("application/json", msgspec.json.encode), "msgpack": ("application/msgpack", msgspec.msgpack.encode)}


def _push_body(device_id: str, unit_id: str) -> dict:
    interview_id = new_id()
    note = "精馏塔回流泵机械密封频繁泄漏，班组每周停车检修两次，影响甲醇产量。" * 3
    return {
        "protocol": 1,
        "schema_version": 1,
        "device_id": device_id,
        "client_time": "2026-11-24T09:00:00+08:00",
        "mutations": [
            {
                "id": 1,
                "name": "interview.save",
                "client_time": "2026-11-24T09:00:00+08:00",
                "args": {
                    "id": interview_id,
                    "adhoc_reason": "设备故障后临时加访",
                    "form": "walkthrough",
                    "unit_id": unit_id,
                },
            },
            {
                "id": 2,
                "name": "note.add",
                "client_time": "2026-11-24T09:01:00+08:00",
                "args": {"id": new_id(), "interview_id": interview_id, "prompt_id": "business.2", "text": note},
            },
        ],
    }


def _broken_variants(body: bytes, rng: random.Random) -> list[bytes]:
    """Every truncation point (sampled) plus deterministic byte flips, insertions and deletions."""
    step = max(1, len(body) // 120)
    out = [body[:cut] for cut in range(0, len(body), step)]
    for _ in range(120):
        b = bytearray(body)
        at = rng.randrange(len(b))
        kind = rng.randrange(3)
        if kind == 0:
            b[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            b.insert(at, rng.randrange(256))
        else:
            del b[at]
        out.append(bytes(b))
    out += [b"\x00" * 64, b"\xff" * 64, b"\xc1", b"[" * 5000 + b"]" * 5000, b"\x91" * 5000]
    return out


def _still_a_valid_push(body: bytes, media: str) -> bool:
    try:
        wire.decode_push(body, media)
    except FangtanError:
        return False
    return True


def _table_counts(db_path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def test_broken_bodies_are_a_clean_4xx_and_write_nothing(fuzz_server) -> None:
    session = session_of(fuzz_server, "cadre")
    headers = {"Authorization": f"Bearer {session['access_token']}"}
    units = {u["name"]: u["id"] for u in httpx.get(f"{fuzz_server.url}/api/org/units", headers=headers).json()}
    body = _push_body(session["device_id"], units["甲醇生产车间"])
    db_path = fuzz_server.data_dir / "fangtan.db"
    before = _table_counts(db_path)
    rng = random.Random(8)
    answers: dict[int, int] = {}
    with httpx.Client(base_url=fuzz_server.url, headers=headers, timeout=30) as http:
        for media, (content_type, encode) in MEDIA.items():
            valid = encode(body)
            for broken in _broken_variants(valid, rng):
                if _still_a_valid_push(broken, media):
                    continue  # a flip inside a text can leave a well-formed push: not a broken body
                response = http.post("/api/sync/push", content=broken, headers={"Content-Type": content_type})
                answers[response.status_code] = answers.get(response.status_code, 0) + 1
                assert 400 <= response.status_code < 500, (media, broken[:80], response.status_code, response.text)
                error = response.json()["error"]
                assert error["code"].startswith(("request.", "sync.", "auth.")) and error["message"], error
        # A body that is fine but labelled as something else; pulls with broken parameters.
        wrong_label = http.post(
            "/api/sync/push", content=msgspec.json.encode(body), headers={"Content-Type": "application/msgpack"}
        )
        assert wrong_label.status_code == 400  # JSON read as msgpack: a lone integer, not a push
        assert wrong_label.json()["error"]["code"] in ("request.malformed", "request.invalid_field")
        unknown = http.post("/api/sync/push", content=b"<xml/>", headers={"Content-Type": "application/xml"})
        assert unknown.status_code == 415 and unknown.json()["error"]["code"] == "request.media_type"
        for params in (
            {"cursor": "1e9999"},
            {"limit": "-1"},
            {"upto": "x"},
            {"snapshot": "maybe"},
            {"cursor": str(2**70)},
        ):
            pull = http.get("/api/sync/pull", params=params)
            # 400 naming the parameter, or 410 for a cursor beyond the server's head
            assert pull.status_code in (400, 410) and pull.json()["error"]["field"], (params, pull.text)
        assert _table_counts(db_path) == before
        assert set(answers) <= {400, 403, 413}, answers
        # Nothing was consumed: the same mutations, numbered from 1, still apply.
        applied = http.post(
            "/api/sync/push", content=msgspec.json.encode(body), headers={"Content-Type": "application/json"}
        )
        assert applied.status_code == 200, applied.text
        assert [r["status"] for r in applied.json()["results"]] == ["applied", "applied"]
