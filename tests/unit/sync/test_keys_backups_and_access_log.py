"""Public keys, key backups and the decryption access log (issue 5): shapes and who may do what."""

import base64
import os

from cryptography.hazmat.primitives.asymmetric import ec

from sync import sealing
from sync.ids import new_id
from sync.signing import public_key_b64
from tests.builders import World, interview_args, pull_all


def b64(n: int) -> str:
    return base64.urlsafe_b64encode(os.urandom(n)).rstrip(b"=").decode()


def publish(d, purpose="encryption"):
    key = ec.generate_private_key(ec.SECP256R1())
    kid = new_id()
    result = d.push_one("key.publish", {"id": kid, "purpose": purpose, "public_key": public_key_b64(key)})
    assert result.status == "applied", result
    return kid, key


def test_published_keys_reach_everyone_and_signing_keys_are_bound_to_the_device(world: World, dev) -> None:
    officer = dev("u-officer")
    enc_id, _ = publish(officer)
    sign_id, _ = publish(officer, "signing")
    rows, _ = pull_all(world.db, world.actor("u-cadre2"))
    assert rows[("user_key", enc_id)]["user_id"] == "u-officer"
    assert rows[("user_key", enc_id)]["device_id"] is None
    assert rows[("user_key", sign_id)]["device_id"] == officer.device_id


def test_a_key_that_is_not_a_p256_point_is_rejected(world: World, dev) -> None:
    result = dev("u-cadre1").push_one("key.publish", {"id": new_id(), "purpose": "encryption", "public_key": b64(65)})
    assert result.status == "rejected" and result.error.field == "public_key"


def test_backups_are_private_and_need_strong_pbkdf2(world: World, dev) -> None:
    cadre = dev("u-cadre1")
    kid, _ = publish(cadre)
    good = {"id": new_id(), "key_id": kid, "method": "passphrase", "kdf": "PBKDF2-SHA256", "iterations": 600_000,
            "salt": b64(16), "nonce": b64(12), "wrapped": b64(150)}
    assert cadre.push_one("key.backup", good).status == "applied"
    weak = cadre.push_one("key.backup", {**good, "id": new_id(), "iterations": 100_000})
    assert weak.status == "rejected" and weak.error.field == "iterations"
    not_mine = dev("u-cadre2").push_one("key.backup", {**good, "id": new_id()})
    assert not_mine.status == "rejected" and not_mine.error.code == "auth.forbidden"
    mine, _ = pull_all(world.db, world.actor("u-cadre1"))
    hr, _ = pull_all(world.db, world.actor("u-hr"))
    officer, _ = pull_all(world.db, world.actor("u-officer"))
    assert ("key_backup", good["id"]) in mine
    assert ("key_backup", good["id"]) not in hr and ("key_backup", good["id"]) not in officer


def test_only_recipients_log_access_and_officers_see_the_log(world: World, dev) -> None:
    cadre, officer = dev("u-cadre1"), dev("u-officer")
    _, cadre_key = publish(cadre)
    _, officer_key = publish(officer)
    iid, rid = new_id(), new_id()
    cadre.push_one("interview.save", interview_args(iid))
    env = sealing.seal("涉及个人隐私的备注", row_id=rid, recipients=[
        sealing.Recipient("u-cadre1", "k1", cadre_key.public_key()),
        sealing.Recipient("u-officer", "k2", officer_key.public_key())])
    assert cadre.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": env}).status == "applied"
    access = new_id()
    assert officer.push_one("remark.access", {"id": access, "remark_id": rid}).status == "applied"
    outsider = dev("u-hr").push_one("remark.access", {"id": new_id(), "remark_id": rid})
    assert outsider.status == "rejected" and outsider.error.code == "auth.forbidden"
    for user in ("u-officer", "u-cadre1"):
        rows, _ = pull_all(world.db, world.actor(user))
        assert rows[("remark_access", access)]["user_id"] == "u-officer"
    hr_rows, _ = pull_all(world.db, world.actor("u-hr"))
    assert ("remark_access", access) not in hr_rows
