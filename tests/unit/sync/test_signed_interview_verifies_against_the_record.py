"""interview.sign: an ECDSA P-256 signature over the RFC 8785 document of a submitted interview."""

import msgspec
from cryptography.hazmat.primitives.asymmetric import ec

from sync import rowstore, signing
from sync.ids import new_id
from tests.builders import World, interview_args, pull_all


def setup(world, dev):
    cadre = dev("u-cadre1")
    key = ec.generate_private_key(ec.SECP256R1())
    kid = new_id()
    assert cadre.push_one("key.publish", {"id": kid, "purpose": "signing",
                                          "public_key": signing.public_key_b64(key)}).status == "applied"
    iid = new_id()
    cadre.push_one("interview.save", interview_args(iid, status="submitted"))
    cadre.push_one("note.add", {"id": new_id(), "interview_id": iid, "prompt_id": "business.2", "text": "泵漏"})
    return cadre, key, kid, iid


def document(world, iid):
    interview = rowstore.load(world.db, "interview", iid)
    notes = rowstore.load_where(world.db, "note", "interview_id = ?", [iid])
    return signing.document_for(interview, notes)


def test_a_valid_signature_is_stored_and_syncs_with_the_interview(world: World, dev) -> None:
    cadre, key, kid, iid = setup(world, dev)
    doc = document(world, iid)
    sig = signing.sign(key, signing.canonical_bytes(doc))
    sid = new_id()
    result = cadre.push_one("interview.sign", {"id": sid, "interview_id": iid, "key_id": kid,
                                               "document": doc, "signature": sig})
    assert result.status == "applied", result
    rows, _ = pull_all(world.db, world.actor("u-hr"))
    stored = rows[("interview_signature", sid)]
    assert stored["canonical_sha256"] == signing.sha256_hex(signing.canonical_bytes(doc))
    assert signing.verify(signing.public_key_b64(key), stored["signature"], signing.canonical_bytes(doc))


def test_the_same_instant_in_another_offset_still_matches(world: World, dev) -> None:
    cadre, key, kid, iid = setup(world, dev)
    doc = document(world, iid)
    doc["interview"]["started_at"] = "2025-11-03T01:00:00Z"  # 09:00+08:00
    sig, sid = signing.sign(key, signing.canonical_bytes(doc)), new_id()
    result = cadre.push_one("interview.sign", {"id": sid, "interview_id": iid, "key_id": kid,
                                               "document": doc, "signature": sig})
    assert result.status == "applied", result
    rows, _ = pull_all(world.db, world.actor("u-cadre1"))
    assert rows[("interview_signature", sid)]["canonical_sha256"] == signing.sha256_hex(signing.canonical_bytes(doc))
    # A different instant, however it is written, is not the record.
    doc["interview"]["started_at"] = "2025-11-03T01:01:00Z"
    other = cadre.push_one("interview.sign", {"id": new_id(), "interview_id": iid, "key_id": kid, "document": doc,
                                              "signature": signing.sign(key, signing.canonical_bytes(doc))})
    assert other.status == "rejected" and other.error.field == "document.interview.started_at", other


def test_a_tampered_document_or_signature_is_rejected(world: World, dev) -> None:
    cadre, key, kid, iid = setup(world, dev)
    doc = document(world, iid)
    sig = signing.sign(key, signing.canonical_bytes(doc))
    forged = {**doc, "interview": {**doc["interview"], "summary": "一切正常"}}
    bad_sig = cadre.push_one("interview.sign", {"id": new_id(), "interview_id": iid, "key_id": kid,
                                                "document": forged, "signature": sig})
    assert bad_sig.status == "rejected" and bad_sig.error.field == "signature"
    resigned = signing.sign(key, signing.canonical_bytes(forged))
    mismatch = cadre.push_one("interview.sign", {"id": new_id(), "interview_id": iid, "key_id": kid,
                                                 "document": forged, "signature": resigned})
    assert mismatch.status == "rejected" and mismatch.error.field == "document.interview.summary"


def test_only_this_devices_key_and_a_submitted_interview(world: World, dev) -> None:
    cadre, key, kid, iid = setup(world, dev)
    draft = new_id()
    cadre.push_one("interview.save", interview_args(draft))
    doc = signing.document_for(rowstore.load(world.db, "interview", draft), [])
    sig = signing.sign(key, signing.canonical_bytes(doc))
    not_submitted = cadre.push_one("interview.sign", {"id": new_id(), "interview_id": draft, "key_id": kid,
                                                      "document": doc, "signature": sig})
    assert not_submitted.status == "rejected" and not_submitted.error.field == "interview_id"
    from tests.builders import Device

    other_tablet = Device(world, "u-cadre1", world.add_device("u-cadre1", "d-second-tablet"))
    doc = document(world, iid)
    wrong_device = other_tablet.push_one("interview.sign", {
        "id": new_id(), "interview_id": iid, "key_id": kid, "document": doc,
        "signature": signing.sign(key, signing.canonical_bytes(doc))})
    assert wrong_device.status == "rejected" and wrong_device.error.field == "key_id"


def test_canonical_bytes_are_rfc8785():
    assert signing.canonical_bytes({"b": [1, "中"], "a": None}) == '{"a":null,"b":[1,"中"]}'.encode()
    assert msgspec.json.decode(signing.canonical_bytes({"x": 1.0})) == {"x": 1}


def test_the_signature_covers_the_document_as_sent_not_as_re_encoded(world: World, dev) -> None:
    # The browser writes milliseconds ("…00.000+08:00"); typed re-encoding would drop them and
    # break the signature, so the server canonicalises what it received.
    cadre, key, kid, iid = setup(world, dev)
    doc = document(world, iid)
    doc["interview"]["started_at"] = "2025-11-03T09:00:00.000+08:00"
    sig = signing.sign(key, signing.canonical_bytes(doc))
    result = cadre.push_one("interview.sign", {"id": new_id(), "interview_id": iid, "key_id": kid,
                                               "document": doc, "signature": sig})
    assert result.status == "applied", result
    malformed = cadre.push_one("interview.sign", {"id": new_id(), "interview_id": iid, "key_id": kid,
                                                  "document": {"v": 1}, "signature": sig})
    assert malformed.status == "rejected" and malformed.error.field == "document"
