import hashlib
import os

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_one_shot_upload_then_download_and_head(client, as_user):
    headers = as_user("cadre")
    photo = os.urandom(3000)
    digest = sha(photo)
    assert client.head(f"/api/blobs/{digest}", headers=headers).status_code == 404
    put = client.put(f"/api/blobs/{digest}", content=photo, headers={**headers, "Content-Type": "image/jpeg"})
    assert put.status_code == 201, put.text
    assert put.json() == {"sha256": digest, "size": 3000, "received": 3000, "complete": True}
    probe = client.head(f"/api/blobs/{digest}", headers=headers)
    assert probe.status_code == 200 and probe.headers["content-length"] == "3000"
    got = client.get(f"/api/blobs/{digest}", headers=headers)
    assert got.status_code == 200 and got.content == photo
    assert got.headers["content-type"] == "image/jpeg"


def test_resumable_chunks_continue_where_the_server_stopped(client, as_user):
    headers = as_user("cadre")
    audio = os.urandom(10_000)
    digest = sha(audio)
    first = client.put(f"/api/blobs/{digest}", content=audio[:4000],
                       headers={**headers, "Content-Range": "bytes 0-3999/10000", "Content-Type": "audio/webm"})
    assert first.status_code == 202 and first.json()["received"] == 4000
    # The connection drops; the tablet asks where to resume.
    probe = client.head(f"/api/blobs/{digest}", headers=headers)
    assert probe.status_code == 404 and probe.headers["upload-offset"] == "4000"
    # A chunk that skips ahead is refused with the offset to continue from.
    gap = client.put(f"/api/blobs/{digest}", content=audio[5000:],
                     headers={**headers, "Content-Range": "bytes 5000-9999/10000"})
    assert gap.status_code == 416
    assert gap.json()["error"]["code"] == "blob.range_invalid"
    assert gap.json()["error"]["details"]["offset"] == 4000
    rest = client.put(f"/api/blobs/{digest}", content=audio[4000:],
                      headers={**headers, "Content-Range": "bytes 4000-9999/10000"})
    assert rest.status_code == 201 and rest.json()["complete"] is True
    assert client.get(f"/api/blobs/{digest}", headers=headers).content == audio


def test_bytes_that_do_not_match_the_hash_are_refused_and_do_not_count(client, as_user):
    headers = as_user("cadre")
    claimed = sha(b"the real photo")
    response = client.put(f"/api/blobs/{claimed}", content=b"something else", headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "blob.hash_mismatch"
    assert client.head(f"/api/blobs/{claimed}", headers=headers).status_code == 404
    assert client.head(f"/api/blobs/{claimed}", headers=headers).headers["upload-offset"] == "0"
    # The right bytes can still be uploaded afterwards.
    assert client.put(f"/api/blobs/{claimed}", content=b"the real photo", headers=headers).status_code == 201


def test_an_existing_blob_is_deduplicated_for_those_who_may_read_it(client, as_user):
    data = b"same evidence photo"
    cadre = as_user("cadre")
    assert client.put(f"/api/blobs/{sha(data)}", content=data, headers=cadre).status_code == 201
    again = client.put(f"/api/blobs/{sha(data)}", content=data, headers=cadre)
    assert again.status_code == 200 and again.json()["complete"] is True
    # Someone who may not read it is answered as for a new blob, and holds it once every byte arrived.
    other = client.put(f"/api/blobs/{sha(data)}", content=data, headers=as_user("handler"))
    assert other.status_code == 201 and other.json()["complete"] is True


def test_other_users_cannot_read_a_blob_they_have_no_attachment_for(client, as_user):
    data = b"confidential photo of a broken pump"
    uploader, other = as_user("cadre"), as_user("cadre2")
    assert client.put(f"/api/blobs/{sha(data)}", content=data, headers=uploader).status_code == 201
    own = client.get(f"/api/blobs/{sha(data)}", headers=uploader)
    assert own.status_code == 200 and own.content == data  # the blob is there: the 404 below is not "missing"
    refused = client.get(f"/api/blobs/{sha(data)}", headers=other)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert data not in refused.content


@pytest.mark.parametrize(
    ("path", "headers", "code"),
    [
        ("/api/blobs/NOTAHASH", {}, "request.invalid_field"),
        (f"/api/blobs/{'a' * 64}", {"Content-Range": "bytes 0-3/x"}, "request.invalid_field"),
        (f"/api/blobs/{'a' * 64}", {"Content-Range": "bytes 0-9/100"}, "request.invalid_field"),
    ],
)
def test_malformed_blob_requests(client, as_user, path, headers, code):
    response = client.put(path, content=b"abcd", headers={**as_user("cadre"), **headers})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_size_limits(data_dir, tmp_path):
    settings = Settings.from_env(environ={}, data_dir=data_dir, static_dir=tmp_path / "x",
                                 max_blob_bytes=10_000, max_blob_chunk_bytes=4096)
    with TestClient(create_app(settings)) as client:
        from tests.builders import bearer, login

        headers = bearer(login(client, "cadre"))
        too_big_chunk = client.put(f"/api/blobs/{'b' * 64}", content=os.urandom(5000), headers=headers)
        assert too_big_chunk.status_code == 413
        too_big_blob = client.put(f"/api/blobs/{'b' * 64}", content=os.urandom(1000),
                                  headers={**headers, "Content-Range": "bytes 0-999/20000"})
        assert too_big_blob.status_code == 413
        assert too_big_blob.json()["error"]["code"] == "request.too_large"


def test_blobs_need_an_account(client):
    for response in (client.put(f"/api/blobs/{'c' * 64}", content=b"x"), client.get(f"/api/blobs/{'c' * 64}")):
        assert response.status_code == 401 and response.json()["error"]["code"] == "auth.required", response.text
