import base64
import os

import pytest

from sync.ids import new_id
from tests.builders import World, interview_args


def b64(n: int) -> str:
    return base64.urlsafe_b64encode(os.urandom(n)).rstrip(b"=").decode()


def envelope(*users: str, **kw) -> dict:
    env = {"v": 1, "kem": "DHKEM-P256-HKDF-SHA256", "kdf": "HKDF-SHA256", "aead": "AES-256-GCM",
           "kid": "k1", "nonce": b64(12), "ct": b64(60),
           "recipients": [{"user_id": u, "key_id": f"pk-{u}", "enc": b64(65), "wrapped_key": b64(48)} for u in users]}
    env.update(kw)
    return env


def test_valid_envelope_is_stored_verbatim(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, rid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid))
    env = envelope("u-cadre1", "u-officer")
    assert d.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": env}).status == "applied"
    import json

    assert json.loads(world.db["remark"].get(rid)["envelope"]) == env


@pytest.mark.parametrize(("change", "field"), [
    ({"v": 2}, "envelope.v"),
    ({"aead": "AES-128-GCM"}, "envelope.aead"),
    ({"nonce": b64(16)}, "envelope.nonce"),
    ({"nonce": "not base64!"}, "envelope.nonce"),
    ({"ct": b64(8)}, "envelope.ct"),
    ({"kid": ""}, "envelope.kid"),
    ({"recipients": []}, "envelope.recipients"),
])
def test_malformed_envelopes_are_rejected(world: World, dev, change, field) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    r = d.push_one("remark.put", {"id": new_id(), "interview_id": iid, "envelope": envelope("u-cadre1", **change)})
    assert (r.error.code, r.error.field) == ("validation", field)


def test_recipient_checks(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    put = lambda env: d.push_one("remark.put", {"id": new_id(), "interview_id": iid, "envelope": env})  # noqa: E731
    assert put(envelope("u-officer")).error.field == "envelope.recipients"  # author missing
    assert put(envelope("u-cadre1", "u-cadre1")).error.field == "envelope.recipients[1].user_id"
    bad = envelope("u-cadre1")
    bad["recipients"][0]["enc"] = b64(33)
    assert put(bad).error.field == "envelope.recipients[0].enc"
    bad = envelope("u-cadre1")
    bad["recipients"][0]["wrapped_key"] = b64(32)
    assert put(bad).error.field == "envelope.recipients[0].wrapped_key"
    assert put(envelope("u-cadre1", "ghost")).error.field == "envelope.recipients[1]"


def test_only_the_author_replaces_and_replacing_needs_base(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, rid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid, cadre_ids=["u-cadre1", "u-lead1"]))
    d.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": envelope("u-cadre1")})
    seq = world.db.execute("SELECT seq FROM sync_change WHERE row_id = ?", [rid]).fetchone()[0]
    other = dev("u-lead1").push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": envelope("u-lead1")}, base=seq)
    assert other.error.code == "auth.forbidden"
    assert d.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": envelope("u-cadre1")}).error.code == "sync.base_required"
    assert d.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": envelope("u-cadre1")}, base=seq).status == "applied"
