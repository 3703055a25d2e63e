"""Web Push from the PWA in real Chromium (``pwa/scripts/push.mjs``) against a local fake push
service that decrypts the payload (RFC 8291) and checks the VAPID JWT (RFC 8292).

Why one call is replaced: headless Chromium has no reachable push service, so
``PushManager.subscribe`` would fail. The script's init script makes it return a subscription
whose endpoint and keys are the fake service's. Everything after it is real — the app posts the
subscription, an assignment makes the server send a real Web Push to the fake service, the
decrypted payload is delivered to the real service worker through the DevTools protocol and must
be shown as a notification whose url opens the problem's page, and unsubscribing from the app
removes the subscription on the server."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.builders import demo_interview_with_problem, followup_over_http
from tests.e2e.browser.conftest import api_login, run_script
from tests.fake_push_service import FakePushService
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_push_subscribe_deliver_to_the_service_worker_and_unsubscribe(pwa_server: LiveServer, shots_dir: Path) -> None:
    with FakePushService() as push, httpx.Client(base_url=pwa_server.url, timeout=30) as client:
        sub = push.subscription("chromium").json()
        w = demo_interview_with_problem(client)
        _, handler = api_login(pwa_server, "handler")

        def assign() -> None:
            [mine] = client.get("/api/push/subscriptions", headers=handler).json()
            assert mine["endpoint"] == sub["endpoint"]  # posted by the app
            r = followup_over_http(
                w["hr"], w["issue_id"], "assign", handler_unit_id=w["units"]["设备管理部"], due_date="2025-11-28"
            )
            assert r["status"] == "applied", r
            [got] = push.wait_for(1, timeout=30)
            assert got.error is None, got.error
            assert got.status == 201 and got.ttl and int(got.ttl) > 0
            assert got.claims["aud"] == push.origin and got.claims["sub"].startswith(("mailto:", "https:"))
            assert got.payload["kind"] == "assigned" and got.payload["entity_id"] == w["issue_id"]
            assert got.payload["url"] == f"/followup/problems/{w['issue_id']}"
            (shots_dir / "push-payload.json").write_text(json.dumps(got.payload, ensure_ascii=False), "utf-8")

        output = run_script(
            "push.mjs",
            pwa_server,
            shots_dir,
            sub["endpoint"],
            sub["keys"]["p256dh"],
            sub["keys"]["auth"],
            timeout=240,
            controls={"assign": assign},
        )
        for needle in (
            "ok: push enabled from the inbox",
            "ok: the service worker shows the pushed notification",
            "ok: the push url opens the problem page",
            "ok: push disabled from the inbox",
        ):
            assert needle in output, output
        assert client.get("/api/push/subscriptions", headers=handler).json() == []
