"""An officer grants a newly joined officer access by re-wrapping, and can do nothing else."""

import json

from cryptography.hazmat.primitives.asymmetric import ec

from sync import sealing
from sync.ids import new_id
from sync.reference import touch_reference
from tests.builders import World, interview_args


def key():
    return ec.generate_private_key(ec.SECP256R1())


def setup(world: World, dev):
    with world.db.atomic():
        for uid, roles in (("u-officer2", ["officer"]), ("u-clerk", ["hr"])):
            world.db["user"].insert({"id": uid, "username": uid, "name": uid, "unit_id": "hr",
                                     "roles": json.dumps(roles), "password_hash": "x"})
            touch_reference(world.db, "user", uid)
    cadre_key, officer_key = key(), key()
    iid, rid = new_id(), new_id()
    cadre = dev("u-cadre1")
    cadre.push_one("interview.save", interview_args(iid))
    env = sealing.seal("需要保密的内容", row_id=rid, recipients=[
        sealing.Recipient("u-cadre1", "k1", cadre_key.public_key()),
        sealing.Recipient("u-officer", "k2", officer_key.public_key())])
    result = cadre.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": env})
    return iid, rid, env, officer_key, result.seq


def test_a_grant_to_a_new_officer_is_accepted_and_opens(world: World, dev) -> None:
    iid, rid, env, officer_key, seq = setup(world, dev)
    newcomer = key()
    granted = sealing.rewrap_for(env, row_id=rid, user_id="u-officer", private_key=officer_key,
                                 new=sealing.Recipient("u-officer2", "k3", newcomer.public_key()))
    result = dev("u-officer").push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": granted}, base=seq)
    assert result.status == "applied", result
    stored = json.loads(world.db["remark"].get(rid)["envelope"])
    assert sealing.open_envelope(stored, row_id=rid, user_id="u-officer2", private_key=newcomer) == "需要保密的内容"


def test_an_officer_cannot_change_content_remove_people_or_add_non_officers(world: World, dev) -> None:
    iid, rid, env, officer_key, seq = setup(world, dev)
    officer = dev("u-officer")
    outsider = sealing.rewrap_for(env, row_id=rid, user_id="u-officer", private_key=officer_key,
                                  new=sealing.Recipient("u-clerk", "k4", key().public_key()))
    other_text = sealing.seal("篡改", row_id=rid, recipients=[
        sealing.Recipient("u-cadre1", "k1", key().public_key()),
        sealing.Recipient("u-officer", "k2", officer_key.public_key())])
    without_author = {**env, "recipients": [r for r in env["recipients"] if r["user_id"] != "u-cadre1"]}
    for bad in (outsider, other_text, without_author):
        result = officer.push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": bad}, base=seq)
        assert result.status == "rejected" and result.error.code in ("auth.forbidden", "validation"), result
    assert json.loads(world.db["remark"].get(rid)["envelope"]) == env
    not_officer = dev("u-hr").push_one("remark.put", {"id": rid, "interview_id": iid, "envelope": env}, base=seq)
    assert not_officer.status == "rejected" and not_officer.error.code == "auth.forbidden"
