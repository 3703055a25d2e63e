"""The shipped ``deploy/Caddyfile`` for real: Debian's ``caddy run`` (``tls internal``) in front of a
real ``fangtan serve``, moved to loopback ports. Requests through it reach fangtan with the real
client's address (clients connect from 127.0.0.2 and 127.0.0.3; Caddy from 127.0.0.1), so the login
limit counts each client, and a client's forged ``X-Forwarded-For`` changes nothing.

Needs ``caddy`` (``make system-deps`` installs it); skipped with the reason otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, free_port

REPO = Path(__file__).resolve().parents[2]
CADDY = shutil.which("caddy")

pytestmark = pytest.mark.skipif(CADDY is None, reason="needs caddy (apt-get install caddy, or `make system-deps` as root)")


def loopback_caddyfile(https_port: int, http_port: int, upstream_port: int) -> str:
    """The shipped Caddyfile with test ports, no admin API and no change to the system trust store."""
    text = (REPO / "deploy" / "Caddyfile").read_text()
    assert "fangtan.plant.local {" in text and "reverse_proxy 127.0.0.1:8000" in text and "tls internal" in text
    text = text.replace("fangtan.plant.local {", f"localhost:{https_port} {{", 1)
    text = text.replace("reverse_proxy 127.0.0.1:8000", f"reverse_proxy 127.0.0.1:{upstream_port}", 1)
    glob = f"{{\n\tadmin off\n\tskip_install_trust\n\thttp_port {http_port}\n\thttps_port {https_port}\n}}\n\n"
    return glob + text


@pytest.fixture
def caddy_in_front(data_dir: Path, tmp_path: Path):
    env = {"FANGTAN_LOGIN_MAX_FAILURES_PER_ADDRESS": "2", "FANGTAN_TRUSTED_PROXIES": "127.0.0.1",
           "FANGTAN_GUESS_BACKOFF_BASE_S": "600"}
    fangtan = LiveServer(data_dir=data_dir, env=env).start()
    https_port, http_port = free_port(), free_port()
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(loopback_caddyfile(https_port, http_port, fangtan.port))
    home = tmp_path / "caddy-home"
    home.mkdir()
    log = open(tmp_path / "caddy.log", "wb")
    caddy = subprocess.Popen(
        [CADDY, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env={**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")},
        stdout=log, stderr=subprocess.STDOUT,
    )
    root = home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    url = f"https://localhost:{https_port}"
    deadline = time.monotonic() + 60
    ready = False
    while time.monotonic() < deadline and not ready:
        assert caddy.poll() is None, (tmp_path / "caddy.log").read_text()
        if root.is_file():
            try:
                ready = httpx.get(f"{url}/api/health", verify=ssl.create_default_context(cafile=str(root)),
                                  timeout=2).status_code == 200
            except (httpx.HTTPError, ssl.SSLError):
                pass
        if not ready:
            time.sleep(0.2)
    assert ready, f"caddy did not proxy within 60 s:\n{(tmp_path / 'caddy.log').read_text()}\n{fangtan.log()}"
    yield url, root
    caddy.terminate()
    caddy.wait(timeout=15)
    fangtan.stop()


def login_from(url: str, root: Path, source: str, headers: dict[str, str] | None = None) -> int:
    transport = httpx.HTTPTransport(local_address=source, verify=ssl.create_default_context(cafile=str(root)))
    with httpx.Client(transport=transport, timeout=30) as client:
        r = client.post(f"{url}/api/auth/login", headers=headers or {},
                        json={"username": "cadre", "password": "wrong", "device_name": "caddy check"})
        return r.status_code


def test_requests_through_the_shipped_caddyfile_reach_fangtan_with_the_real_client_address(caddy_in_front):
    url, root = caddy_in_front
    # Client A (127.0.0.2) uses up its two failures; the third is refused for A only.
    assert [login_from(url, root, "127.0.0.2") for _ in range(3)] == [401, 401, 429]
    # A forged X-Forwarded-For from A does not make it someone else to fangtan.
    assert login_from(url, root, "127.0.0.2", {"X-Forwarded-For": "203.0.113.50"}) == 429
    # Client B (127.0.0.3) through the same Caddy has its own count: fangtan saw two addresses, not Caddy's one.
    assert login_from(url, root, "127.0.0.3") == 401


def test_the_shipped_caddyfile_is_valid_as_it_is(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run([CADDY, "validate", "--config", str(REPO / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")})
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Valid configuration", result.stdout + result.stderr)
