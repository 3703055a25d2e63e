"""The plant's own HTTPS: a private certificate authority and a server certificate (docs/deploy.md §3).

Tablets need a secure context (service worker, ``crypto.subtle``), so the PWA must come over HTTPS.
A plant without a certificate of its own runs ``fangtan tls init``: a CA is made once in
``<data dir>/tls/`` (its key 0600, so it can be moved offline after issuing), and a server
certificate for the names and addresses the tablets use. Tablets trust the CA once (``/ca``).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 10 * 365
# Apple platforms refuse TLS server certificates valid for more than 825 days.
SERVER_DAYS = 825


@dataclass(frozen=True)
class TlsFiles:
    """Where ``fangtan tls init`` keeps the CA and the server certificate."""

    directory: Path

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> TlsFiles:
        return cls(Path(data_dir) / "tls")

    @property
    def ca_cert(self) -> Path:
        return self.directory / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.directory / "ca.key"

    @property
    def server_cert(self) -> Path:
        return self.directory / "server.crt"

    @property
    def server_key(self) -> Path:
        return self.directory / "server.key"


def _write_private(path: Path, data: bytes) -> None:
    """Create ``path`` readable by its owner only, from the first byte on (no window at 0644)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(path, 0o600)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _make_ca(files: TlsFiles, organisation: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} 访谈 CA"),
    ])
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(files.ca_key, _key_pem(key))
    files.ca_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _load_ca(files: TlsFiles) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    return cert, key  # type: ignore[return-value]


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise ValueError(f"不是 IP 地址 (not an IP address): {text!r}") from None


def init_tls(files: TlsFiles, hosts: list[str], ips: list[str], organisation: str = "fangtan") -> bool:
    """Make the CA if there is none, then (re)issue the server certificate for ``hosts`` and ``ips``.

    Returns whether a new CA was made (tablets that trust the old one keep working otherwise).
    Refuses when the CA certificate exists but its key was moved offline: say how to bring it back.
    """
    if not hosts and not ips:
        raise ValueError("至少需要一个 --host 或 --ip (at least one --host or --ip is needed)")
    addresses = [parse_ip(ip) for ip in ips]
    created = False
    if files.ca_cert.exists():
        if not files.ca_key.exists():
            raise ValueError(
                f"CA 私钥不在 {files.ca_key}（已离线保存？）：放回后再签发 "
                f"(the CA key is not at {files.ca_key} — moved offline? put it back to issue a certificate)"
            )
        ca_cert, ca_key = _load_ca(files)
    else:
        ca_cert, ca_key = _make_ca(files, organisation)
        created = True
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName(h) for h in hosts] + [x509.IPAddress(a) for a in addresses]
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0] if hosts else str(addresses[0]))]))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(files.server_key, _key_pem(key))
    files.server_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return created


def fingerprint(cert_pem: bytes) -> str:
    """SHA-256 fingerprint as tablets' settings show it (AB:CD:…), to compare before trusting."""
    digest = x509.load_pem_x509_certificate(cert_pem).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def der(cert_pem: bytes) -> bytes:
    """The certificate in DER, the form Android and Windows install from a ``.crt`` download."""
    return x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)
