"""Attachments cannot grant access to bytes (issue 13 point 7), over HTTP against the real app.

A handler who gets 404 for an interview photo pushes ``attachment.add`` with the photo's sha256 on a
problem assigned to their department: the push is refused (``attachment.blob_not_yours``, kept as a
rejection row that syncs back to them) and the download stays 404. ``HEAD``/``GET`` answer a blob that
is someone else's exactly like one that does not exist, and ``PUT`` of someone else's blob is not a
shortcut: all the bytes must be sent (proof of possession) before the uploader holds it.
"""

import hashlib
import os

from tests.builders import api_device, demo_interview_with_problem, followup_over_http

VOLATILE = {"date", "x-request-id"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def answer(response) -> tuple[int, dict, bytes]:
    return response.status_code, {k: v for k, v in response.headers.items() if k not in VOLATILE}, response.content


def attach(device, parent_entity: str, parent_id: str, digest: str, size: int) -> dict:
    from sync.ids import new_id

    return device.push(("attachment.add", {"id": new_id(), "parent_entity": parent_entity, "parent_id": parent_id,
                                           "sha256": digest, "mime": "image/jpeg", "size": size}))["results"][0]


def test_a_handler_cannot_attach_an_interview_photo_to_read_it(client) -> None:
    w = demo_interview_with_problem(client)
    cadre, hr, issue = w["cadre"], w["hr"], w["issue_id"]
    photo = b"\xff\xd8 interview photo " + os.urandom(2000)
    digest = sha(photo)
    assert client.put(f"/api/blobs/{digest}", content=photo,
                      headers={**cadre.headers, "Content-Type": "image/jpeg"}).status_code == 201
    assert attach(cadre, "interview", w["interview_id"], digest, len(photo))["status"] == "applied"
    assert client.get(f"/api/blobs/{digest}", headers=hr.headers).content == photo  # HR sees the interview
    followup_over_http(hr, issue, "assign", handler_unit_id=w["units"]["设备管理部"], due_date="2025-11-28")
    handler = api_device(client, "handler")

    missing = sha(b"no such photo anywhere")
    for method in ("HEAD", "GET"):
        theirs = client.request(method, f"/api/blobs/{digest}", headers=handler.headers)
        absent = client.request(method, f"/api/blobs/{missing}", headers=handler.headers)
        assert theirs.status_code == 404, method
        assert answer(theirs) == answer(absent), method  # status, headers, body and error code alike

    result = attach(handler, "issue", issue, digest, len(photo))
    assert result["status"] == "rejected", result
    assert (result["error"]["code"], result["error"]["field"]) == ("attachment.blob_not_yours", "sha256")
    kept = [r for (entity, _), r in handler.pull_all().items() if entity == "rejection" and r]
    assert [r["error"]["code"] for r in kept] == ["attachment.blob_not_yours"]
    assert kept[0]["args"]["sha256"] == digest  # what they pushed is kept, not dropped
    got = client.get(f"/api/blobs/{digest}", headers=handler.headers)
    assert got.status_code == 404 and photo not in got.content
    assert answer(got) == answer(client.get(f"/api/blobs/{missing}", headers=handler.headers))


def test_an_attachment_made_before_the_bytes_arrive_grants_nothing_to_a_non_holder(client) -> None:
    """The race: the sha256 is attached while its owner's upload is still under way."""
    w = demo_interview_with_problem(client)
    cadre, hr, issue = w["cadre"], w["hr"], w["issue_id"]
    followup_over_http(hr, issue, "assign", handler_unit_id=w["units"]["设备管理部"], due_date="2025-11-28")
    handler = api_device(client, "handler")
    photo = b"photo still uploading " + os.urandom(1000)
    digest = sha(photo)
    assert attach(handler, "issue", issue, digest, len(photo))["status"] == "applied"  # metadata first
    assert client.put(f"/api/blobs/{digest}", content=photo, headers=cadre.headers).status_code == 201
    assert client.get(f"/api/blobs/{digest}", headers=handler.headers).status_code == 404
    assert client.get(f"/api/blobs/{digest}", headers=hr.headers).status_code == 404  # nobody reads through it
    assert client.get(f"/api/blobs/{digest}", headers=cadre.headers).content == photo


def test_uploading_someone_elses_blob_needs_every_byte(client) -> None:
    w = demo_interview_with_problem(client)
    cadre = w["cadre"]
    other = api_device(client, "handler")
    photo = os.urandom(3000)
    digest = sha(photo)
    assert client.put(f"/api/blobs/{digest}", content=photo, headers=cadre.headers).status_code == 201
    again = client.put(f"/api/blobs/{digest}", content=photo, headers=cadre.headers)
    assert again.status_code == 200  # the uploader may read it: deduplicated at once
    first = client.put(f"/api/blobs/{digest}", content=photo[:1000],
                       headers={**other.headers, "Content-Range": "bytes 0-999/3000"})
    assert first.status_code == 202 and first.headers["upload-offset"] == "1000"  # no shortcut
    probe = client.head(f"/api/blobs/{digest}", headers=other.headers)
    assert (probe.status_code, probe.headers["upload-offset"]) == (404, "1000")  # their own upload only
    assert client.head(f"/api/blobs/{digest}", headers=cadre.headers).status_code == 200
    wrong = client.put(f"/api/blobs/{digest}", content=os.urandom(2000),
                       headers={**other.headers, "Content-Range": "bytes 1000-2999/3000"})
    assert wrong.json()["error"]["code"] == "blob.hash_mismatch"
    assert client.get(f"/api/blobs/{digest}", headers=other.headers).status_code == 404
    assert client.get(f"/api/blobs/{digest}", headers=cadre.headers).content == photo  # the blob is intact
    whole = client.put(f"/api/blobs/{digest}", content=photo, headers=other.headers)
    assert whole.status_code == 201
    assert client.get(f"/api/blobs/{digest}", headers=other.headers).content == photo  # now a holder
