"""The policy matrix over HTTP, generated from ``sync.policy.PERMISSIONS``.

* Every route of the app (each operation of ``/schema/openapi.json``, and the routes kept out of
  the schema) names exactly one permission of the policy through its guard; a new route without
  one fails here.
* For every route whose permission is limited to some roles, every demo role is asked: the roles
  the policy lists get past the guard, every other role gets 403 ``auth.forbidden``.
* Out of scope: a route whose permission has a row rule answers a row outside the caller's scope
  as the policy says (404 for hidden rows, fewer rows for lists) — see ``OUT_OF_SCOPE``.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from server.web.guards import permission_of
from sync import policy
from sync.actor import ALL_ROLES, Actor
from tests.builders import demo_interview_with_problem
from tests.conftest import bearer, login

# One demo user per role (server/demo.py).
USER_OF_ROLE = {"cadre": "cadre", "hr": "hr", "unit_lead": "unitlead", "handler": "handler", "leader": "leader",
                "supervisor": "supervisor", "officer": "officer", "admin": "admin"}

# Placeholder values for path parameters: the guard answers before any of them is looked up.
PATH_VALUES = {"int": "2026", "str": "0190a000-0000-7000-8000-000000000000", "path": "x"}


def _handlers(client: TestClient):
    """(method, path, handler) for every HTTP route of the app."""
    for route in client.app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, handler in route.route_handler_map.items():
            if method == "OPTIONS" and path_is_automatic(route, method):
                continue
            yield method, route.path, handler[0] if isinstance(handler, tuple) else handler


def path_is_automatic(route: HTTPRoute, method: str) -> bool:
    """Litestar answers CORS preflight ``OPTIONS`` itself (no handler of ours, nothing to authorize)."""
    handler = route.route_handler_map[method][0]
    return handler.fn.__qualname__.startswith("HTTPRoute.") or handler.fn.__module__.startswith("litestar.")


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+):(\w+)\}", lambda m: PATH_VALUES[m.group(2)], path)


def test_every_route_names_a_permission_of_the_policy(client: TestClient) -> None:
    schema = client.get("/schema/openapi.json").json()
    documented = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    seen: set[tuple[str, str]] = set()
    missing = []
    for method, path, handler in _handlers(client):
        if path.startswith("/schema"):
            continue  # Litestar's own OpenAPI document
        name = permission_of(handler)
        if name is None or name not in policy.PERMISSIONS:
            missing.append(f"{method} {path}")
        seen.add((method, re.sub(r"\{(\w+):\w+\}", r"{\1}", path)))
    assert not missing, f"routes without a policy permission: {missing}"
    # Every operation of the OpenAPI document is one of the routes checked above.
    assert documented <= seen, documented - seen


def test_a_public_route_is_a_public_permission_and_only_then(client: TestClient) -> None:
    for method, path, handler in _handlers(client):
        name = permission_of(handler)
        if name is None:
            continue
        public = bool(handler.opt.get("exclude_from_auth"))
        assert policy.permission(name).public == public, f"{method} {path} ({name})"


@pytest.fixture
def sessions(client: TestClient) -> dict[str, dict[str, str]]:
    return {role: bearer(login(client, username)) for role, username in USER_OF_ROLE.items()}


def test_role_limited_routes_admit_exactly_the_roles_the_policy_lists(
    client: TestClient, sessions: dict[str, dict[str, str]]
) -> None:
    assert set(USER_OF_ROLE) == ALL_ROLES
    checked = 0
    for method, path, handler in _handlers(client):
        name = permission_of(handler)
        if name is None or path.startswith("/schema"):
            continue
        perm = policy.permission(name)
        if perm.public or perm.roles is None:
            continue
        for role, headers in sessions.items():
            # No body and placeholder ids: an admitted role gets past the guard and then fails
            # validation or lookup (4xx other than 403), a refused one is stopped by the guard.
            response = client.request(method, _concrete(path), headers=headers)
            if role in perm.roles:
                assert response.status_code != 403, (method, path, role, response.text)
            else:
                assert response.status_code == 403, (method, path, role, response.text)
                assert response.json()["error"]["code"] == "auth.forbidden"
            checked += 1
    assert checked >= 8 * 20


def _actor(client: TestClient, headers: dict[str, str]) -> Actor:
    me = client.get("/api/me", headers=headers).json()
    return Actor(user_id=me["user"]["id"], device_id=me["device_id"], roles=frozenset(me["user"]["roles"]),
                 unit_id=me["user"]["unit_id"], unit_path=me["unit_path"])


def test_rows_out_of_scope_are_answered_as_the_policy_says(
    client: TestClient, sessions: dict[str, dict[str, str]]
) -> None:
    world = demo_interview_with_problem(client)
    iv = client.get("/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=world["cadre"].headers).json()
    interview = next(c["row"] for c in iv["changes"] if c["entity"] == "interview" and c["id"] == world["interview_id"])
    row = SimpleNamespace(cadre_ids=interview["cadre_ids"], author_id=interview["author_id"])
    # report.export hides rows: who may not export the interview's report gets 404, not 403.
    assert policy.permission("report.export").hide
    outcomes = set()
    for role, headers in sessions.items():
        allowed = policy.can(_actor(client, headers), "report.export", row)
        response = client.get(f"/api/exports/reports/{world['interview_id']}", headers=headers)
        assert response.status_code == (200 if allowed else 404), (role, response.text)
        outcomes.add(allowed)
    assert outcomes == {True, False}
    # org.user.list: every listed user passes the rule, and a unit-scoped caller misses someone.
    for role, headers in sessions.items():
        actor = _actor(client, headers)
        listed = client.get("/api/org/users", headers=headers).json()
        units = {u["id"]: u["path"] for u in client.get("/api/org/units", headers=headers).json()}
        assert all(policy.can(actor, "org.user.list", (u["id"], units.get(u["unit_id"]))) for u in listed), role
        if not (actor.company_wide or actor.has_role("admin")):
            assert {u["username"] for u in listed} < set(USER_OF_ROLE.values()), role
