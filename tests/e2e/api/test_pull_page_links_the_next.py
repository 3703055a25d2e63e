"""A pull page that has a next one names it in ``Link: rel="next"`` (docs/sync-protocol.md §3), so a
client can ask for it before it has read this page's body; the link says what the body says."""

from urllib.parse import parse_qs, urlsplit

from tests.builders import api_device


def _links(client, headers: dict[str, str], url: str) -> list[tuple[dict, dict[str, list[str]] | None]]:
    """Follow ``Link: rel="next"`` from ``url`` to the last page: (body, the link's query) per page."""
    pages = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        following = response.links.get("next", {}).get("url")
        body = response.json()
        pages.append((body, None if following is None else parse_qs(urlsplit(following).query)))
        if following is not None:
            assert urlsplit(following).path == "/api/sync/pull"
        url = following
    return pages


def test_the_link_names_the_page_the_body_points_to_and_the_last_page_has_none(client) -> None:
    cadre = api_device(client, "cadre")
    pages = _links(client, cadre.headers, "/api/sync/pull?cursor=0&limit=7&snapshot=1")
    assert len(pages) > 2, "the demo should give a cadre more than two pages of seven"
    for body, query in pages[:-1]:
        assert body["has_more"] is True
        assert query == {"cursor": [str(body["cursor"])], "limit": ["7"], "upto": [str(body["upto"])]}, query
    last, last_link = pages[-1]
    assert last["has_more"] is False and last_link is None
    # Following the links gives exactly what following the bodies' cursors gives.
    linked = [c["seq"] for body, _ in pages for c in body["changes"]]
    by_cursor, cursor, upto = [], 0, None
    while True:
        params = {"cursor": cursor, "limit": 7, **({"upto": upto} if upto is not None else {"snapshot": 1})}
        body = client.get("/api/sync/pull", params=params, headers=cadre.headers).json()
        by_cursor += [c["seq"] for c in body["changes"]]
        cursor, upto = body["cursor"], body["upto"]
        if not body["has_more"]:
            break
    assert linked == by_cursor and len(set(linked)) == len(linked)


def test_the_link_keeps_the_notes_choice_of_a_company_wide_device(client) -> None:
    hr = api_device(client, "hr")
    pages = _links(client, hr.headers, "/api/sync/pull?cursor=0&limit=5&snapshot=1&notes=opened")
    assert len(pages) > 1
    assert all(query["notes"] == ["opened"] for _, query in pages[:-1])
