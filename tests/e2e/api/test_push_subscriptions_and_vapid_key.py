"""Subscribing a device to Web Push over HTTP, and a push arriving from a sync mutation."""

import os
import stat

from tests.builders import bearer, demo_interview_with_problem, followup_over_http, login
from tests.fake_push_service import FakePushService


def test_vapid_key_subscribe_list_unsubscribe(client, settings) -> None:
    headers = bearer(login(client, "handler"))
    key = client.get("/api/push/vapid-public-key", headers=headers).json()["public_key"]
    assert len(key) == 87  # 65 bytes base64url
    assert stat.S_IMODE(os.stat(settings.data_dir / "vapid_private.pem").st_mode) == 0o600
    assert client.get("/api/push/vapid-public-key").status_code == 401
    with FakePushService() as push:
        sub = push.subscription("phone").json()
        r = client.post("/api/push/subscriptions", json=sub, headers=headers)
        assert r.status_code == 201, r.text
        again = client.post("/api/push/subscriptions", json=sub, headers=headers)
        assert again.json()["id"] == r.json()["id"]  # same endpoint: updated, not duplicated
        assert [s["endpoint"] for s in client.get("/api/push/subscriptions", headers=headers).json()] == [sub["endpoint"]]
        bad = dict(sub, keys={"p256dh": "AAAA", "auth": sub["keys"]["auth"]})
        r = client.post("/api/push/subscriptions", json=bad, headers=headers)
        assert r.status_code == 422 and r.json()["error"]["field"] == "keys.p256dh"
        r = client.post("/api/push/subscriptions", json=dict(sub, endpoint="http://example.com/x"), headers=headers)
        assert r.json()["error"]["field"] == "endpoint"
        r = client.post("/api/push/subscriptions", json=dict(sub, extra=1), headers=headers)
        assert r.status_code == 400 and r.json()["error"]["field"] == "extra"
        other = bearer(login(client, "cadre"))
        assert client.delete("/api/push/subscriptions", params={"endpoint": sub["endpoint"]},
                             headers=other).status_code == 404
        assert client.delete("/api/push/subscriptions", params={"endpoint": sub["endpoint"]},
                             headers=headers).status_code == 204
        assert client.get("/api/push/subscriptions", headers=headers).json() == []


def test_an_assignment_pushes_to_the_handlers_device_in_the_background(tmp_path, data_dir) -> None:
    from litestar.testing import TestClient

    from server.app import create_app
    from server.settings import Settings

    settings = Settings.from_env(environ={}, data_dir=data_dir, static_dir=tmp_path / "no-pwa", push_poll_s=1)
    with TestClient(create_app(settings)) as client, FakePushService() as push:
        handler = bearer(login(client, "handler"))
        assert client.post("/api/push/subscriptions", json=push.subscription("phone").json(),
                           headers=handler).status_code == 201
        w = demo_interview_with_problem(client)
        r = followup_over_http(w["hr"], w["issue_id"], "assign", handler_unit_id=w["units"]["设备管理部"], due_date="2025-11-28")
        assert r["status"] == "applied"
        [got] = push.wait_for(1)
    assert got.error is None and got.payload["kind"] == "assigned" and w["receipt_code"] in got.payload["body"]
    assert got.payload["entity_id"] == w["issue_id"]
