"""Keys and certificates for the leaf links of a lab (no Django).

In production each node's operator puts the hub's certificate (from the regional centre's own
certificate authority) and the node's leaf password in files named by the settings; the lab
makes its own: a certificate authority, a hub certificate for the loopback address, and one
random password per leaf. Every file is written readable by its owner only.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from blonet.federation.signing import write_private


@dataclass(frozen=True)
class LeafTls:
    """A hub's certificate and key (``cert_file``, ``key_file``) and the CA that signed it."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_lab_tls(directory: Path, host: str = "127.0.0.1", days: int = 30) -> LeafTls:
    """A CA and a hub certificate for ``host``, valid ``days`` days, in ``directory``."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("blonet lab CA"))
        .issuer_name(_name("blonet lab CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("blonet hub"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(host)), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return LeafTls(
        ca_file=write_private(directory / "ca.pem", ca.public_bytes(pem)),
        cert_file=write_private(directory / "hub.pem", cert.public_bytes(pem)),
        key_file=write_private(
            directory / "hub-key.pem",
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        ),
    )


def leaf_password(path: Path) -> str:
    """The password in ``path``, made (random, 32 bytes) if the file does not exist yet."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    password = secrets.token_urlsafe(32)
    write_private(path, password.encode("ascii"))
    return password
