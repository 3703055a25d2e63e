"""The OpenAPI document tells the truth about what Litestar cannot see (server/web/openapi.py)."""

from __future__ import annotations

import re

from server.web.auth import PUBLIC_PATHS
from server.web.openapi import describe, public_operations
from sync import wire


def _resolve(doc: dict, schema: dict) -> dict:
    return doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema


def test_push_documents_its_raw_body_and_answers(client) -> None:
    doc = client.get("/schema/openapi.json").json()
    push = doc["paths"]["/api/sync/push"]["post"]
    body = push["requestBody"]["content"]
    assert set(body) == {"application/json", "application/msgpack"}
    request = _resolve(doc, body["application/json"]["schema"])
    assert request["required"] == ["protocol", "schema_version", "device_id", "client_time", "mutations"]
    assert request["additionalProperties"] is False
    mutation = _resolve(doc, request["properties"]["mutations"]["items"])
    assert set(mutation["properties"]) == set(wire.Mutation.__struct_fields__)
    ok = _resolve(doc, push["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(ok["required"]) == set(wire.PushResponse.__struct_fields__)
    assert {"400", "401", "403", "409", "413", "415", "426", "503"} <= set(push["responses"])
    assert "Retry-After" in push["responses"]["503"]["headers"]
    pull_ok = doc["paths"]["/api/sync/pull"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(_resolve(doc, pull_ok)["required"]) == set(wire.PullResponse.__struct_fields__)


def test_every_error_is_described_as_the_envelope_and_private_paths_need_a_bearer(client) -> None:
    doc = client.get("/schema/openapi.json").json()
    exempt = public_operations(client.app)
    assert ("/api/auth/login", "post") in exempt and ("/api/health", "get") in exempt
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}, (method, path, status)
            public = (path, method) in exempt or any(re.search(pattern, path) for pattern in PUBLIC_PATHS)
            assert ("security" in op) is not public, (method, path)


def test_describe_replaces_litestars_default_error_shape() -> None:
    litestar_400 = {
        "description": "Bad request syntax or unsupported method",
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"status_code": {}, "detail": {}, "extra": {}}}
            }
        },
    }
    doc = describe({"paths": {"/api/x": {"get": {"responses": {"200": {"description": "ok"}, "400": litestar_400}}}}})
    op = doc["paths"]["/api/x"]["get"]
    assert op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
    assert op["security"] == [{"bearer": []}] and "503" in op["responses"]
    assert doc["components"]["schemas"]["ErrorEnvelope"]["required"] == ["error"]
