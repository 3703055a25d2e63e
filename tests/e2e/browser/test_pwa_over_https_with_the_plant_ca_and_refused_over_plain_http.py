"""The PWA over real TLS: ``fangtan tls init`` + ``fangtan serve --tls``, Chromium trusting the plant CA
through an NSS database made with ``certutil`` (Debian's libnss3-tools) under the profile's HOME, and
``fangtan.plant.test`` mapped to loopback. Over HTTPS the service worker registers, the PIN is set,
an interview is captured offline and synced; a second, plain-HTTP server on the same data shows the
HTTPS page and nothing is posted (pwa/scripts/https.mjs)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from server.tls import TlsFiles
from tests.e2e.browser.conftest import CHROMIUM, DIST, PWA, api_login, pull_rows
from tests.fangtan_cli import fangtan
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CERTUTIL = shutil.which("certutil")


def nss_home_trusting(ca_cert: Path, home: Path) -> Path:
    """A HOME whose ``.pki/nssdb`` trusts ``ca_cert`` for TLS servers (what Chromium on Linux reads)."""
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run([CERTUTIL, "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True, timeout=60)
    subprocess.run([CERTUTIL, "-d", f"sql:{nssdb}", "-A", "-t", "C,,", "-n", "fangtan plant CA", "-i", str(ca_cert)],
                   check=True, timeout=60)
    return home


@pytest.mark.skipif(CERTUTIL is None, reason="needs certutil (apt-get install libnss3-tools, or `make system-deps` as root)")
def test_pwa_over_https_registers_sets_pin_captures_offline_and_syncs_and_plain_http_posts_nothing(
    browser_ready, data_dir: Path, tmp_path: Path, shots_dir: Path
):
    init = fangtan("tls", "init", "--host", "fangtan.plant.test", "--ip", "127.0.0.1", data_dir=data_dir, timeout=60)
    assert init.returncode == 0, init.stderr
    files = TlsFiles.in_data_dir(data_dir)
    home = nss_home_trusting(files.ca_cert, tmp_path / "browser-home")
    secure = LiveServer(data_dir=data_dir, static_dir=DIST, serve_args=["--tls"], ca_cert=files.ca_cert).start()
    plain = LiveServer(data_dir=data_dir, static_dir=DIST).start()
    try:
        proc = subprocess.run(
            ["node", "scripts/https.mjs", f"https://fangtan.plant.test:{secure.port}", str(shots_dir),
             f"http://fangtan.plant.test:{plain.port}"],
            cwd=PWA, env={**os.environ, "CHROMIUM": str(CHROMIUM), "HOME": str(home)},
            capture_output=True, text=True, timeout=300,
        )
        output = proc.stdout + proc.stderr
        failures = [line for line in output.splitlines() if line.startswith("FAIL:")]
        assert proc.returncode == 0 and not failures, f"{output}\n--- https server ---\n{secure.log()[-3000:]}"
        assert "ok: the service worker registered and controls the page" in output
        assert "ok: nothing but GET requests over plain HTTP" in output
        assert "ok: the offline interview synced over HTTPS" in output

        # The server has the interview captured offline, through the API over the verified TLS.
        _, headers = api_login(secure, "cadre")
        interviews = pull_rows(secure, headers)["interview"].values()
        assert any(row["place"] == "气化车间 HTTPS 测试现场" and row["status"] == "submitted" for row in interviews)
    finally:
        plain.stop()
        secure.stop()
