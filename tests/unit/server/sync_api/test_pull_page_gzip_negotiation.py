"""Which Accept-Encoding values get a gzipped pull page (server/sync_api/pages.py)."""

import gzip

import pytest

from server.sync_api.pages import accepts_gzip, gzip_bytes


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0", False),
        ("identity", False),
        ("deflate, br", False),
        ("", False),
        (None, False),
    ],
)
def test_accept_encoding(header, expected) -> None:
    assert accepts_gzip(header) is expected


def test_gzip_bytes_is_a_standard_gzip_member() -> None:
    body = "车间反映回流泵密封泄漏。".encode() * 200
    assert gzip.decompress(gzip_bytes(body)) == body
