from server import __version__


def test_health_reports_versions(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert isinstance(body["schema_version"], int)


def test_openapi_documents_the_structs(client):
    schema = client.get("/schema/openapi.json").json()
    assert "/api/auth/login" in schema["paths"]
    login = schema["components"]["schemas"]["LoginRequest"]
    assert set(login["required"]) >= {"username", "password", "device_name"}


def test_every_response_carries_security_headers(client):
    for response in (client.get("/api/health"), client.get("/api/me"), client.get("/api/nope"), client.get("/")):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_large_json_responses_are_gzipped(client, as_user):
    response = client.get("/api/org/units", headers={**as_user("hr"), "Accept-Encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
