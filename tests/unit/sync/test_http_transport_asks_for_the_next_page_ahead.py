"""HttpTransport asks for the page a pull page links to (``Link: rel="next"``) while the caller reads
and stores this one, takes it only for the call that wants exactly it, and treats its failure as that
call's; gzipped bodies are read from the wire and gunzipped by the transport (ISA-L)."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator

import httpx
import pytest

from sync import wire
from sync.client import SyncClient
from sync.errors import Busy
from sync.ids import new_id
from sync.pull import pull
from sync.transport import HttpTransport
from tests.builders import T0, World, interview_args, pull_all
from tests.unit.sync.test_http_transport_speaks_the_documented_http_contract import stand_in_server

LIMIT = 4


class _Chunks(httpx.SyncByteStream):
    """A body that arrives in pieces, as from a socket (a plain ``content=`` is read by httpx at once)."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self._body), 1000):
            yield self._body[start : start + 1000]


def _gzipped(handler):
    def handle(request: httpx.Request) -> httpx.Response:
        response = handler(request)
        if response.status_code != 200:
            return response
        headers = {**response.headers, "content-encoding": "gzip"}
        headers.pop("content-length", None)
        return httpx.Response(200, headers=headers, stream=_Chunks(gzip.compress(response.content)))

    return handle


def _world_with_notes(world: World, dev, count: int = 14) -> None:
    iid = new_id()
    dev("u-cadre1").push(("interview.save", interview_args(iid)),
                         *[("note.add", {"id": new_id(), "interview_id": iid, "text": f"第{i}条记录：泵密封泄漏"}) for i in range(count)])


def _recording(world: World, *, second_page_seen: threading.Event | None = None, fail_once: int | None = None):
    """The stand-in server, recording each pull's cursor; ``fail_once``: answer that request number
    (1-based) with a 503 once."""
    inner = _gzipped(stand_in_server(world))
    seen: list[int] = []
    lock = threading.Lock()

    def handle(request: httpx.Request) -> httpx.Response:
        with lock:
            seen.append(int(request.url.params["cursor"]))
            number = len(seen)
        if second_page_seen is not None and number == 2:
            second_page_seen.set()
        if number == fail_once:
            return httpx.Response(503, headers={"retry-after": "1"}, json={"error": {"code": "busy", "message": "忙"}})
        return inner(request)

    return handle, seen


def _transport(handle) -> HttpTransport:
    http = httpx.Client(base_url="http://fangtan.test", transport=httpx.MockTransport(handle))
    return HttpTransport("http://fangtan.test", "tok", client=http)


def test_the_next_page_is_asked_for_before_the_caller_wants_it_and_only_once(world: World, dev) -> None:
    _world_with_notes(world, dev)
    second = threading.Event()
    handle, seen = _recording(world, second_page_seen=second)
    transport = _transport(handle)
    first = transport.pull(0, LIMIT, None, True)
    assert first.has_more
    assert second.wait(10), "the page the first one links to was not asked for ahead"
    assert seen[1] == first.cursor
    seqs, cursors, page = [c.seq for c in first.changes], [0], first
    while page.has_more:
        cursors.append(page.cursor)
        page = transport.pull(page.cursor, LIMIT, page.upto, False)
        seqs += [c.seq for c in page.changes]
    transport.close()
    assert seen == cursors, "each page asked for once, in order, and nothing beyond the last"
    expected, cursor, upto = [], 0, None
    while True:  # the same pull, in-process
        page = pull(world.db, world.actor("u-cadre1"), cursor, LIMIT, upto, snapshot=cursor == 0)
        expected += [c.seq for c in page.changes]
        cursor, upto = page.cursor, page.upto
        if not page.has_more:
            break
    assert seqs == expected and len(expected) > 3 * LIMIT


def test_a_call_for_another_page_drops_the_look_ahead(world: World, dev) -> None:
    _world_with_notes(world, dev)
    handle, seen = _recording(world)
    transport = _transport(handle)
    first = transport.pull(0, LIMIT, None, True)
    again = transport.pull(0, LIMIT, None, True)  # not the page the first linked to
    transport.close()
    assert [c.seq for c in again.changes] == [c.seq for c in first.changes]
    assert seen[0] == 0 and seen[1] == first.cursor and seen[2] == 0  # asked for afresh


def test_a_failed_look_ahead_is_the_next_calls_failure_and_the_client_retries_it(world: World, dev, tmp_path) -> None:
    _world_with_notes(world, dev)
    handle, seen = _recording(world, fail_once=2)  # the look-ahead for page two answers 503
    transport = _transport(handle)
    first = transport.pull(0, LIMIT, None, True)
    with pytest.raises(Busy):
        transport.pull(first.cursor, LIMIT, first.upto, False)
    assert seen == [0, first.cursor], "the 503 was the look-ahead's, not a second request"
    again = transport.pull(first.cursor, LIMIT, first.upto, False)  # asked for afresh
    transport.close()
    assert seen[:3] == [0, first.cursor, first.cursor] and again.changes
    # The device client retries it like any 503 and ends with every row the server would give it.
    handle, _ = _recording(world, fail_once=2)
    sleeps: list[float] = []
    client = SyncClient(tmp_path / "dev.sqlite", _transport(handle), "d-u-cadre1", sleep=sleeps.append,
                        clock=lambda: T0)
    client.page_size = LIMIT
    client.pull()
    rows, _ = pull_all(world.db, world.actor("u-cadre1"))
    assert sleeps == [1.0]
    assert {(e, i) for (e, i), row in rows.items() if row is not None} == {
        (e, i) for e, i in client._db.execute("SELECT entity, id FROM rows")}


def test_a_gzipped_page_is_read_from_the_wire_and_gunzipped(world: World, dev) -> None:
    _world_with_notes(world, dev, count=3)
    handle, _ = _recording(world)
    transport = _transport(handle)
    page = transport.pull(0, 1000, None, True)
    transport.close()
    assert not page.has_more
    notes = [c for c in page.changes if c.entity == "note"]
    assert len(notes) == 3
    assert isinstance(notes[0], wire.PulledChange)
    assert "泵密封泄漏" in bytes(notes[0].row).decode()
