"""Malformed JSON, unknown fields, wrong types, oversized bodies, bad tokens: a clear 4xx with a
stable code naming the problem, and nothing written."""

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings
from server.store import connect


def _devices(settings) -> int:
    return connect(settings.db_path)["device"].count


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ('{"username": "cadre",', "request.malformed", None),
        ("not json at all", "request.malformed", None),
        ('{"username": "cadre", "password": "fangtan-demo", "device_name": "x", "admin": true}', "request.invalid_field", "admin"),
        ('{"username": "cadre", "password": 12345678, "device_name": "x"}', "request.invalid_field", "password"),
        ('{"username": "cadre", "password": "fangtan-demo"}', "request.invalid_field", "device_name"),
        ('{"username": "", "password": "fangtan-demo", "device_name": "x"}', "request.invalid_field", "username"),
        ("[]", "request.invalid_field", None),
    ],
)
def test_bad_login_bodies(client, settings, body, code, field):
    response = client.post("/api/auth/login", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    if field:
        assert error["field"] == field
        assert field in error["message"]
    assert _devices(settings) == 0


def test_oversized_body_is_refused_before_anything_is_written(data_dir, tmp_path):
    settings = Settings.from_env(environ={}, data_dir=data_dir, static_dir=tmp_path / "x", max_body_bytes=1024)
    with TestClient(create_app(settings)) as client:
        big = '{"username": "cadre", "password": "' + "x" * 4000 + '", "device_name": "x"}'
        response = client.post("/api/auth/login", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request.too_large"
    assert _devices(settings) == 0


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "auth.required"),
        ("Basic Y2FkcmU6eA==", "auth.required"),
        ("Bearer ", "auth.required"),
        ("Bearer not-a-jwt", "auth.token_invalid"),
        (
            "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4IiwiZGlkIjoieSIsImV4cCI6OTk5OTk5OTk5OX0."
            "c2lnbmF0dXJlLWZyb20tYW5vdGhlci1rZXk",
            "auth.token_invalid",
        ),
    ],
)
def test_bad_tokens(client, header, code):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code


def test_expired_access_token_is_refused(client):
    from datetime import timedelta

    from server.accounts.tokens import issue_access_token
    from server.clock import utcnow
    from tests.builders import login

    session = login(client, "cadre")
    old = issue_access_token(
        client.app.state.signing_key, user_id=session["user"]["id"], device_id=session["device_id"],
        ttl_s=60, now=utcnow() - timedelta(hours=1),
    )
    response = client.get("/api/me", headers={"Authorization": f"Bearer {old}"})
    assert response.status_code == 401
    assert "过期" in response.json()["error"]["message"]


def test_unknown_api_paths_get_json_404_never_the_app_shell(client, as_user):
    for path in ("/api/nope", "/api/sync/nowhere", "/api"):
        response = client.get(path, headers=as_user("cadre"))
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["error"]["code"] == "not_found"
    anonymous = client.post("/api/nope")
    assert anonymous.status_code == 404
    assert anonymous.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("path", "parameter"), [
    ("/api/sync/notes", "interview"),
    ("/api/dashboards/", "year"),
    ("/api/assessment/", "year"),
    ("/api/supervision/signals?end=2025-12-31", "start"),
])
def test_a_required_query_parameter_left_out_is_named(client, as_user, path, parameter):
    """A missing parameter is named in the answer as a wrong one is (Litestar says it in its own words)."""
    response = client.get(path, headers=as_user("hr"))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "request.invalid_field" and error["field"] == parameter, error
    assert f"`{parameter}`" in error["message"]
