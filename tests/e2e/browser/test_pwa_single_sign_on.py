"""Single sign-on in real Chromium (``pwa/scripts/sso.mjs``): the built PWA served by a real
``fangtan serve`` configured with a local OpenID provider started by the test. The 企业统一登录 button
appears, the round trip through the provider ends in the PIN setup, offline work syncs; an unknown
directory user is refused in Chinese on the login screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.browser.conftest import DIST, run_script
from tests.fake_oidc_provider import FakeOidcProvider
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def sso_server(browser_ready, data_dir: Path) -> Iterator[tuple[LiveServer, FakeOidcProvider]]:
    provider = FakeOidcProvider(user="cadre").start()
    server = LiveServer(data_dir=data_dir, static_dir=DIST, env=provider.env()).start()
    yield server, provider
    server.stop()
    provider.stop()


def test_sign_in_by_sso_then_pin_and_offline_work(sso_server, shots_dir: Path) -> None:
    server, provider = sso_server
    run_script("sso.mjs", server, shots_dir, "ok")
    assert provider.token_requests, "the app went through the provider's code exchange"
    cadre = httpx.post(f"{server.url}/api/auth/login", timeout=30,
                       json={"username": "cadre", "password": "fangtan-demo", "device_name": "pytest"}).json()
    devices = httpx.get(f"{server.url}/api/devices", headers={"Authorization": f"Bearer {cadre['access_token']}"},
                        timeout=30).json()
    assert len(devices) == 2  # the browser's enrolment by SSO, and this check's
    provider.user = "nobody"
    run_script("sso.mjs", server, shots_dir / "refused", "refused")
