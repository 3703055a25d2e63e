"""HttpTransport against a stand-in server built from the sync functions (httpx.MockTransport)."""

from __future__ import annotations

import httpx
import msgspec
import pytest

from sync import wire
from sync.client import SyncClient, SyncStopped
from sync.engine import apply_push
from sync.errors import Busy, FangtanError, NotAuthenticated
from sync.ids import new_id
from sync.pull import pull
from sync.transport import HttpTransport, TransportError
from tests.builders import T0, World, interview_args


def stand_in_server(world: World, *, token: str = "tok", script: list | None = None):
    """Implements DESIGN §4's HTTP mapping the way server/ does: errors as {"error": {...}}."""
    script = script if script is not None else []

    def handle(request: httpx.Request) -> httpx.Response:
        if script:
            step = script.pop(0)
            if isinstance(step, Exception):
                raise step
            return step
        if request.headers.get("authorization") != f"Bearer {token}":
            return httpx.Response(401, json={"error": {"code": "auth.required", "message": "no token"}})
        media = wire.media_of(request.headers.get("content-type"))
        ctype = wire.JSON if media == "json" else wire.MSGPACK
        actor = world.actor("u-cadre1")
        try:
            if request.url.path == "/api/sync/push":
                out = apply_push(world.db, actor, wire.decode_push(request.content, media), T0)
            else:
                q = request.url.params
                out = pull(world.db, actor, int(q["cursor"]), int(q["limit"]),
                           int(q["upto"]) if "upto" in q else None, snapshot=q.get("snapshot") == "1")
        except FangtanError as exc:
            headers = {"content-type": ctype}
            if exc.retry_after:
                headers["retry-after"] = str(exc.retry_after)
            return httpx.Response(exc.status, headers=headers, content=wire.encode({"error": exc.to_dict()}, media))
        headers = {"content-type": ctype}
        if isinstance(out, wire.PullResponse) and out.has_more:
            headers["link"] = f'</api/sync/pull?cursor={out.cursor}&limit={q["limit"]}&upto={out.upto}>; rel="next"'
        return httpx.Response(200, headers=headers, content=wire.encode(out, media))

    return handle


def http_client(world: World, tmp_path, *, media="json", token="tok", script=None):
    sleeps: list[float] = []
    http = httpx.Client(base_url="http://fangtan.test", transport=httpx.MockTransport(
        stand_in_server(world, script=script)))
    transport = HttpTransport("http://fangtan.test", token, media=media, client=http)
    client = SyncClient(tmp_path / "dev.sqlite", transport, "d-u-cadre1", sleep=sleeps.append, clock=lambda: T0)
    return client, sleeps


@pytest.mark.parametrize("media", ["json", "msgpack"])
def test_sync_over_http(world: World, tmp_path, media) -> None:
    client, _ = http_client(world, tmp_path, media=media)
    iid = new_id()
    client.enqueue("interview.save", interview_args(iid))
    assert [r.status for r in client.sync()] == ["applied"]
    assert client.row("interview", iid)["cadre_ids"] == ["u-cadre1"]


def test_503_with_retry_after_and_network_errors_are_retried(world: World, tmp_path) -> None:
    script = [httpx.Response(503, headers={"retry-after": "4"}, json={"error": {"code": "busy", "message": "busy"}}),
              httpx.ConnectError("no route to host")]
    client, sleeps = http_client(world, tmp_path, script=script)
    client.enqueue("interview.save", interview_args(new_id()))
    assert client.push()[0].status == "applied"
    assert sleeps[0] == 4.0 and len(sleeps) == 2


def test_errors_keep_their_code_and_field(world: World, tmp_path) -> None:
    client, _ = http_client(world, tmp_path, token="wrong")
    client.enqueue("interview.save", interview_args(new_id()))
    with pytest.raises(NotAuthenticated) as info:
        client.push()
    assert info.value.status == 401
    assert len(client.outbox()) == 1


def test_426_from_http_stops_the_client(world: World, tmp_path) -> None:
    body = {"error": {"code": "sync.client_too_old", "message": "update"}}
    client, _ = http_client(world, tmp_path, script=[httpx.Response(426, json=body)])
    client.enqueue("interview.save", interview_args(new_id()))
    with pytest.raises(SyncStopped):
        client.push()
    assert len(client.outbox()) == 1


def test_unknown_error_bodies_still_raise(world: World) -> None:
    http = httpx.Client(base_url="http://x", transport=httpx.MockTransport(
        lambda r: httpx.Response(502, text="bad gateway", headers={"content-type": "text/html"})))
    t = HttpTransport("http://x", "tok", client=http)
    with pytest.raises(FangtanError) as info:
        t.pull(0, 10, None, False)
    assert info.value.status == 502 and type(info.value) is not Busy  # a 502 is not retried as busy
    assert "502" in str(info.value) or "bad gateway" in str(info.value), info.value
    http503 = httpx.Client(base_url="http://x", transport=httpx.MockTransport(lambda r: httpx.Response(503)))
    with pytest.raises(Busy):
        HttpTransport("http://x", "tok", client=http503).pull(0, 10, None, False)
    broken = httpx.Client(base_url="http://x", transport=httpx.MockTransport(_raise_read_timeout))
    with pytest.raises(TransportError):
        HttpTransport("http://x", "tok", client=broken).pull(0, 10, None, False)


def _raise_read_timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timeout", request=request)


def test_pull_query_parameters(world: World) -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        body = wire.PullResponse(changes=[], cursor=5, upto=5, has_more=False, last_mutation_id=0)
        return httpx.Response(200, content=msgspec.json.encode(body), headers={"content-type": wire.JSON})

    t = HttpTransport("http://x", "tok", client=httpx.Client(base_url="http://x", transport=httpx.MockTransport(handler)))
    t.pull(3, 100, 9, False)
    t.pull(0, 100, None, True)
    assert dict(seen[0].params) == {"cursor": "3", "limit": "100", "upto": "9"}
    assert dict(seen[1].params) == {"cursor": "0", "limit": "100", "snapshot": "1"}
