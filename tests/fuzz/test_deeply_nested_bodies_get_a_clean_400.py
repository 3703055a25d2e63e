"""Issue 13 point 15 over real HTTP: a body nested 100,000 levels deep — JSON arrays, JSON objects,
msgpack arrays and maps — at every operation of the served OpenAPI document that takes a body, is a
clean 400 ``request.malformed`` naming the nesting, never a 500; the sync push the same in both media."""

from __future__ import annotations

import re

import httpx
import msgspec
import pytest

from tests.fuzz.conftest import session_of

DEPTH = 100_000
USERS = ("admin", "hr", "leader", "cadre", "unitlead", "handler", "supervisor", "officer")

BODIES = {
    "json array": ("application/json", b"[" * DEPTH + b"]" * DEPTH),
    "json object": ("application/json", b'{"a":' * DEPTH + b"1" + b"}" * DEPTH),
    "json field": ("application/json", b'{"username":' + b"[" * DEPTH + b"]" * DEPTH + b"}"),
    "msgpack array": ("application/msgpack", b"\x91" * DEPTH + b"\xc0"),
    "msgpack map": ("application/msgpack", b"\x81\xa1a" * DEPTH + b"\xc0"),
}


def _body_operations(server) -> list[tuple[str, str, list[str]]]:
    spec = httpx.get(f"{server.url}/schema/openapi.json", timeout=30).json()
    ops = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "requestBody" in op:
                media = list(op["requestBody"].get("content", {}))
                ops.append((method.upper(), re.sub(r"\{[^}]+\}", "x", path), media))
    return ops


@pytest.fixture(scope="module")
def sessions(fuzz_server) -> dict[str, dict[str, str]]:
    return {u: {"Authorization": f"Bearer {session_of(fuzz_server, u)['access_token']}"} for u in USERS}


def test_every_body_taking_operation_answers_deep_nesting_with_a_clean_400(fuzz_server, sessions) -> None:
    ops = _body_operations(fuzz_server)
    assert any(p == "/api/auth/login" for _, p, _ in ops) and any(p == "/api/sync/push" for _, p, _ in ops)
    checked, problems = 0, []
    with httpx.Client(base_url=fuzz_server.url, timeout=120) as http:
        for method, path, media in ops:
            for name, (content_type, body) in BODIES.items():
                if name.startswith("msgpack") and not any("msgpack" in m for m in media):
                    continue
                if name.startswith("json") and media and not any("json" in m for m in media):
                    continue  # raw uploads (blob chunks) take any bytes: nothing is decoded
                # The first user the guard lets through reaches the body decoder.
                for user in USERS:
                    r = http.request(method, path, content=body, headers={**sessions[user], "Content-Type": content_type})
                    if r.status_code not in (401, 403, 404):
                        break
                if r.status_code >= 500:
                    problems.append((method, path, name, r.status_code, r.text[:200]))
                    continue
                if r.status_code in (401, 403, 404):
                    continue  # nobody may call it this way, or no such id: never decoded
                error = r.json()["error"]
                if r.status_code != 400 or error["code"] not in ("request.malformed", "request.invalid_field"):
                    problems.append((method, path, name, r.status_code, r.text[:200]))
                checked += 1
    assert not problems, problems
    assert checked >= 20, checked


def _push_with_deep_args(device_id: str, media: str) -> bytes:
    """A well-formed push whose one mutation's ``args`` (free-form until the mutation checks them)
    holds the deep nesting: the typed decoder must descend into it."""
    head = {"protocol": 1, "schema_version": 1, "device_id": device_id, "client_time": "2026-11-24T09:00:00+08:00"}
    mutation = {"id": 1, "name": "note.add", "client_time": "2026-11-24T09:00:00+08:00"}
    if media == "json":
        prefix = msgspec.json.encode({**head, "mutations": [{**mutation, "args": {"deep": None}}]})
        cut = prefix.index(b"null")
        return prefix[:cut] + b"[" * DEPTH + b"]" * DEPTH + prefix[cut + 4:]
    marker = "\u2603deep\u2603"
    prefix = msgspec.msgpack.encode({**head, "mutations": [{**mutation, "args": {"deep": marker}}]})
    encoded = msgspec.msgpack.encode(marker)
    cut = prefix.index(encoded)
    return prefix[:cut] + b"\x91" * DEPTH + b"\xc0" + prefix[cut + len(encoded):]


@pytest.mark.parametrize("name", [n for n in BODIES if n.startswith("json")])
def test_login_names_the_nesting(fuzz_server, name) -> None:
    content_type, body = BODIES[name]
    r = httpx.post(f"{fuzz_server.url}/api/auth/login", content=body, headers={"Content-Type": content_type}, timeout=120)
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == "request.malformed", r.text[:300]
    assert "嵌套" in error["message"] and "nested" not in error["message"], error  # zh-CN unless asked otherwise


@pytest.mark.parametrize("media", ["json", "msgpack"])
def test_a_push_nested_deep_inside_its_args_names_the_nesting(fuzz_server, media) -> None:
    session = session_of(fuzz_server, "cadre")
    body = _push_with_deep_args(session["device_id"], media)
    r = httpx.post(f"{fuzz_server.url}/api/sync/push", content=body, timeout=120,
                   headers={"Authorization": f"Bearer {session['access_token']}",
                            "Content-Type": f"application/{media}", "Accept-Language": "en"})
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == "request.malformed", r.text[:300]
    assert "nested too deeply" in error["message"] and "嵌套" not in error["message"], error  # asked for English
