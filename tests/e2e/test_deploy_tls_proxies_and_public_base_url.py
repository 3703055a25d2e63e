"""Deploying in a plant (docs/deploy.md): the private CA and ``serve --tls`` over real TLS, the ``/ca``
install page, trusted proxies for the rate limits, and the public base URL the evaluation slips carry."""

from __future__ import annotations

import ipaddress
import ssl
import stat
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from server.demo import DEMO_PASSWORD
from server.settings import Settings, check_deploy_settings
from server.tls import TlsFiles, init_tls
from tests.fangtan_cli import fangtan
from tests.live_server import LiveServer


def tls_init(data_dir: Path, *args: str) -> TlsFiles:
    result = fangtan("tls", "init", *args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return TlsFiles.in_data_dir(data_dir)


def test_tls_init_makes_a_private_ca_and_a_server_certificate_for_the_names_given(data_dir):
    files = tls_init(data_dir, "--host", "fangtan.plant.local", "--host", "fangtan", "--ip", "10.0.0.5")
    for key in (files.ca_key, files.server_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    leaf = x509.load_pem_x509_certificate(files.server_cert.read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert leaf.issuer == ca.subject
    ca.public_key().verify(leaf.signature, leaf.tbs_certificate_bytes, leaf.signature_algorithm_parameters)  # type: ignore[call-arg]
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["fangtan.plant.local", "fangtan"]
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("10.0.0.5")]
    assert (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days <= 825  # Apple's limit

    # Re-issuing for another name keeps the CA the tablets already trust.
    ca_before = files.ca_cert.read_bytes()
    again = fangtan("tls", "init", "--host", "fangtan.plant.local", "--ip", "10.0.0.6", data_dir=data_dir)
    assert again.returncode == 0 and "existing CA kept" in again.stdout
    assert files.ca_cert.read_bytes() == ca_before

    # With the CA key moved offline, issuing is refused with the reason, and nothing is replaced.
    leaf_before = files.server_cert.read_bytes()
    files.ca_key.rename(data_dir / "ca.key.offline")
    refused = fangtan("tls", "init", "--host", "x.plant.local", data_dir=data_dir)
    assert refused.returncode != 0 and "moved offline" in refused.stderr
    assert files.server_cert.read_bytes() == leaf_before


def test_tls_init_refuses_no_names_and_bad_addresses(data_dir):
    nothing = fangtan("tls", "init", data_dir=data_dir)
    assert nothing.returncode != 0 and "--host or --ip" in nothing.stderr
    bad = fangtan("tls", "init", "--ip", "10.0.0.999", data_dir=data_dir)
    assert bad.returncode != 0 and "not an IP address" in bad.stderr
    assert not TlsFiles.in_data_dir(data_dir).ca_cert.exists()


def test_serve_tls_answers_https_verified_by_the_ca_and_offers_it_at_ca(data_dir):
    files = tls_init(data_dir, "--host", "fangtan.plant.test", "--ip", "127.0.0.1")
    server = LiveServer(data_dir=data_dir, serve_args=["--tls"], ca_cert=files.ca_cert).start()
    try:
        assert httpx.get(f"{server.url}/api/health", verify=server.verify).json()["status"] == "ok"
        # Without the CA the certificate is refused: the tablets must trust it first.
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{server.url}/api/health", verify=ssl.create_default_context())
        page = httpx.get(f"{server.url}/ca", verify=server.verify)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
        expected = ":".join(f"{b:02X}" for b in ca.fingerprint(hashes.SHA256()))
        assert expected in page.text
        for words in ("安卓平板", "iPad", "Windows", "批量下发", "<svg"):
            assert words in page.text
        assert f"{server.url}/ca/fangtan-ca.crt" in page.text  # the link the QR code carries
        download = httpx.get(f"{server.url}/ca/fangtan-ca.crt", verify=server.verify)
        assert download.headers["content-type"] == "application/x-x509-ca-cert"
        assert x509.load_der_x509_certificate(download.content) == ca
    finally:
        server.stop()


def test_serve_with_the_companys_own_certificate(data_dir, tmp_path):
    """``--tls-cert/--tls-key``: any PEM pair (here one from another CA, standing for the company's)."""
    company = TlsFiles(tmp_path / "company")
    init_tls(company, ["fangtan.example.com"], ["127.0.0.1"], organisation="Company")
    server = LiveServer(data_dir=data_dir, ca_cert=company.ca_cert,
                        serve_args=["--tls-cert", str(company.server_cert), "--tls-key", str(company.server_key)]).start()
    try:
        assert httpx.get(f"{server.url}/api/health", verify=server.verify).status_code == 200
        # No private CA of fangtan's own: /ca says nothing needs installing.
        assert "无需安装证书" in httpx.get(f"{server.url}/ca", verify=server.verify).text
    finally:
        server.stop()


def test_serve_tls_without_a_certificate_says_to_run_tls_init(data_dir):
    result = fangtan("serve", "--tls", "--port", "1", data_dir=data_dir)
    assert result.returncode != 0 and "fangtan tls init" in result.stderr


def test_ca_page_without_a_private_ca_says_nothing_to_install(client):
    page = client.get("/ca")
    assert page.status_code == 200 and "无需安装证书" in page.text
    assert client.get("/ca/fangtan-ca.crt").status_code == 404


# The limits' growing delay starts at 1 s; long enough here that no wait can run out mid-test.
NO_TIMEOUT = {"FANGTAN_GUESS_BACKOFF_BASE_S": "600"}


def _failed_logins(server: LiveServer, count: int, forwarded_for: list[str] | None) -> list[int]:
    codes = []
    for i in range(count):
        headers = {"X-Forwarded-For": forwarded_for[i % len(forwarded_for)]} if forwarded_for else {}
        r = httpx.post(f"{server.url}/api/auth/login", headers=headers, timeout=30,
                       json={"username": f"nobody{i}", "password": "wrong", "device_name": "proxy check"})
        codes.append(r.status_code)
    return codes


def test_forged_forwarded_for_from_an_untrusted_peer_does_not_reset_the_login_limit(data_dir):
    server = LiveServer(data_dir=data_dir, env={"FANGTAN_LOGIN_MAX_FAILURES_PER_ADDRESS": "3", **NO_TIMEOUT}).start()
    try:
        # No proxy is trusted: every attempt counts against 127.0.0.1 whatever header it forges.
        codes = _failed_logins(server, 5, [f"203.0.113.{i}" for i in range(5)])
        assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429], codes
    finally:
        server.stop()


def test_a_trusted_proxy_forwards_the_real_client_address_to_the_limits(data_dir):
    env = {"FANGTAN_LOGIN_MAX_FAILURES_PER_ADDRESS": "3", "FANGTAN_TRUSTED_PROXIES": "127.0.0.1", **NO_TIMEOUT}
    server = LiveServer(data_dir=data_dir, env=env).start()
    try:
        # Two clients behind the proxy: each has its own count, and the limit still bites per client.
        codes = _failed_logins(server, 6, ["198.51.100.7", "198.51.100.8"])
        assert codes == [401] * 6, codes
        assert _failed_logins(server, 1, ["198.51.100.7"]) == [429]
        login = httpx.post(f"{server.url}/api/auth/login", headers={"X-Forwarded-For": "198.51.100.9"}, timeout=30,
                           json={"username": "cadre", "password": DEMO_PASSWORD, "device_name": "proxy check"})
        assert login.status_code == 200
    finally:
        server.stop()


def test_forged_forwarded_for_does_not_reset_the_receipt_code_guess_limit(data_dir):
    server = LiveServer(data_dir=data_dir, env={"FANGTAN_RECEIPT_MAX_MISSES_PER_ADDRESS": "2", **NO_TIMEOUT}).start()
    try:
        codes = [httpx.get(f"{server.url}/r/ZZZZ-ZZZ{i}", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                 for i in range(4)]
        assert codes == [404, 404, 429, 429], codes
    finally:
        server.stop()


def test_sign_in_and_ticket_batches_carry_the_public_base_url(tmp_path, data_dir):
    from litestar.testing import TestClient

    from server.app import create_app
    from tests.conftest import bearer, login

    settings = Settings.from_env(environ={"FANGTAN_PUBLIC_BASE_URL": "https://fangtan.example.com/"},
                                 data_dir=data_dir, static_dir=tmp_path / "no-pwa")
    with TestClient(create_app(settings)) as client:
        session = login(client, "cadre")
        # Every signed-in tablet learns it (the receipt link shown with a problem's 回执码) ...
        assert session["public_base_url"] == "https://fangtan.example.com"
        # ... and each ticket batch carries it for the slips printed offline.
        batch = client.post("/api/evaluation/tickets", json={"count": 2}, headers=bearer(session))
        assert batch.status_code == 201, batch.text
        assert batch.json()["public_base_url"] == "https://fangtan.example.com"


def test_ticket_batches_without_a_public_base_url_leave_it_to_the_tablet(client, as_user):
    batch = client.post("/api/evaluation/tickets", json={"count": 1}, headers=as_user("cadre"))
    assert batch.status_code == 201 and batch.json()["public_base_url"] == ""


@pytest.mark.parametrize("environ, message", [
    ({"FANGTAN_PUBLIC_BASE_URL": "fangtan.example.com"}, "FANGTAN_PUBLIC_BASE_URL must be an origin"),
    ({"FANGTAN_PUBLIC_BASE_URL": "https://fangtan.example.com/e/"}, "FANGTAN_PUBLIC_BASE_URL must be an origin"),
    ({"FANGTAN_TRUSTED_PROXIES": "127.0.0.1,caddy"}, "'caddy' is not an IP address"),
    ({"FANGTAN_TLS_CERT": "/etc/ssl/x.pem"}, "FANGTAN_TLS_CERT and FANGTAN_TLS_KEY go together"),
])
def test_deploy_settings_that_cannot_be_meant_are_refused_at_start_up(environ, message):
    with pytest.raises(SystemExit, match=message):
        check_deploy_settings(Settings.from_env(environ=environ))


def test_good_deploy_settings_pass():
    settings = Settings.from_env(environ={"FANGTAN_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/24, ::1",
                                          "FANGTAN_PUBLIC_BASE_URL": "https://fangtan.example.com"})
    check_deploy_settings(settings)
    assert settings.trusted_proxy_list == ["127.0.0.1", "10.0.0.0/24", "::1"]


def test_ca_page_offers_the_ca_named_by_fangtan_ca_cert(tmp_path, data_dir):
    """E.g. Caddy's ``tls internal`` root: /ca offers it instead of fangtan's own (there is none here)."""
    from litestar.testing import TestClient

    from server.app import create_app

    other = TlsFiles(tmp_path / "caddy-like")
    init_tls(other, ["fangtan.plant.local"], [])
    settings = Settings.from_env(environ={"FANGTAN_CA_CERT": str(other.ca_cert)}, data_dir=data_dir,
                                 static_dir=tmp_path / "no-pwa")
    with TestClient(create_app(settings)) as client:
        download = client.get("/ca/fangtan-ca.crt")
        assert download.status_code == 200
        assert x509.load_der_x509_certificate(download.content) == x509.load_pem_x509_certificate(other.ca_cert.read_bytes())
        assert "安装访谈系统证书" in client.get("/ca").text
