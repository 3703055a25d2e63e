"""Pull pages are gzipped in the reader thread, exactly once, and only for clients that accept it."""

import gzip

import msgspec

from tests.builders import api_device


def _page(client, headers: dict[str, str]):
    # httpx would decode gzip itself; stream the raw bytes to see what went over the wire.
    with client.stream("GET", "/api/sync/pull", params={"cursor": 0}, headers=headers) as response:
        assert response.status_code == 200
        return response.headers, b"".join(response.iter_raw())


def test_a_gzip_client_gets_one_layer_of_gzip(client) -> None:
    cadre = api_device(client, "cadre")
    headers, raw = _page(client, {**cadre.headers, "Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in headers["vary"]
    page = msgspec.json.decode(gzip.decompress(raw))  # a second layer would not be JSON
    assert page["changes"] and page["upto"] >= page["cursor"] > 0


def test_a_client_without_gzip_gets_plain_json_and_the_same_page(client) -> None:
    cadre = api_device(client, "cadre")
    plain_headers, plain = _page(client, {**cadre.headers, "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain_headers
    _, zipped = _page(client, {**cadre.headers, "Accept-Encoding": "gzip;q=1.0"})
    assert msgspec.json.decode(plain) == msgspec.json.decode(gzip.decompress(zipped))
    refused_headers, _ = _page(client, {**cadre.headers, "Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused_headers


def test_msgpack_pages_are_gzipped_too(client) -> None:
    cadre = api_device(client, "cadre")
    headers, raw = _page(client, {**cadre.headers, "Accept-Encoding": "gzip", "Accept": "application/msgpack"})
    assert headers["content-type"].startswith("application/msgpack")
    assert headers["content-encoding"] == "gzip"
    assert msgspec.msgpack.decode(gzip.decompress(raw))["changes"]
