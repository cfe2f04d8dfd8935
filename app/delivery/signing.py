"""The studio's signing certificate for content credentials (C2PA), made on first use.

Where it lives: outside the studio folder, so a copy of the studio cannot sign as it.
`$ATELIER_SIGNING_DIR`, else the platform's user config folder for Atelier, `signing/`:

- `ca.pem`, `ca.key`: a studio CA (ECDSA P-256, ten years), made once per user;
- `<studio id>.pem`, `<studio id>.key`: the studio's signer (ES256, two years), issued by
  that CA, with the key usage C2PA asks for (digitalSignature, emailProtection).

Keys are written with mode 0600. These certificates are self-made: C2PA readers say
"untrusted signer" for them (the signature itself checks out). A brand that has a
certificate from a CA on the C2PA trust list installs it instead: `brand.pem` (leaf first,
then its chain) and `brand.key` (PKCS#8 PEM) in the same folder, or the paths in
`$ATELIER_SIGNING_CERT` and `$ATELIER_SIGNING_KEY`. The algorithm follows the key (EC P-256
ES256, P-384 ES384, Ed25519, RSA PS256).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path


class SigningError(Exception):
    """The signing certificate could not be made or read (message for a person)."""


@dataclass(frozen=True)
class SigningIdentity:
    chain_pem: bytes  # leaf first
    key_pem: bytes
    alg: str  # es256, es384, ed25519, ps256
    subject: str  # the signer's common name (and organisation)
    source: str  # "studio" (self-made) or "brand" (installed)


def signing_dir() -> Path:
    env = os.environ.get("ATELIER_SIGNING_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("Atelier", appauthor=False)) / "signing"


def identity(studio_id: str, studio_name: str = "Atelier studio") -> SigningIdentity:
    """The brand's installed certificate when there is one, else the studio's own
    (made now if missing)."""
    folder = signing_dir()
    cert_env, key_env = os.environ.get("ATELIER_SIGNING_CERT"), os.environ.get("ATELIER_SIGNING_KEY")
    if cert_env or key_env:
        if not (cert_env and key_env):
            raise SigningError("set both ATELIER_SIGNING_CERT and ATELIER_SIGNING_KEY, or neither")
        return _load(Path(cert_env), Path(key_env), "brand")
    if (folder / "brand.pem").is_file() or (folder / "brand.key").is_file():
        return _load(folder / "brand.pem", folder / "brand.key", "brand")
    cert, key = folder / f"{studio_id}.pem", folder / f"{studio_id}.key"
    if not (cert.is_file() and key.is_file()):
        _make_studio_signer(folder, studio_id, studio_name)
    return _load(cert, key, "studio")


def _load(cert: Path, key: Path, source: str) -> SigningIdentity:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    try:
        chain_pem, key_pem = cert.read_bytes(), key.read_bytes()
    except OSError as exc:
        raise SigningError(f"cannot read the signing certificate {exc.filename}: {exc.strerror}") from None
    try:
        leaf = x509.load_pem_x509_certificates(chain_pem)[0]
        private = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError, IndexError) as exc:
        raise SigningError(f"the signing certificate or key in {cert.parent} is not readable PEM: {exc}") from None
    if isinstance(private, ec.EllipticCurvePrivateKey):
        alg = {"secp256r1": "es256", "secp384r1": "es384"}.get(private.curve.name)
    elif isinstance(private, ed25519.Ed25519PrivateKey):
        alg = "ed25519"
    elif isinstance(private, rsa.RSAPrivateKey):
        alg = "ps256"
    else:
        alg = None
    if alg is None:
        raise SigningError("the signing key must be EC P-256/P-384, Ed25519 or RSA")
    if private.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo) != \
            leaf.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo):
        raise SigningError(f"the signing key does not belong to the certificate {cert}")
    if key_pem.startswith(b"-----BEGIN EC PRIVATE KEY") or key_pem.startswith(b"-----BEGIN RSA"):
        key_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    return SigningIdentity(chain_pem, key_pem, alg, leaf.subject.rfc4514_string(), source)


def _name(cn: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn[:64]),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Atelier (self-signed)")])


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _make_studio_signer(folder: Path, studio_id: str, studio_name: str) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise SigningError(f"cannot make the signing folder {folder}: {exc.strerror}") from None
    pem = serialization.Encoding.PEM
    pkcs8 = serialization.PrivateFormat.PKCS8
    now = datetime.datetime.now(datetime.timezone.utc)
    start = now - datetime.timedelta(minutes=5)
    ca_cert_path, ca_key_path = folder / "ca.pem", folder / "ca.key"
    if ca_cert_path.is_file() and ca_key_path.is_file():
        ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
        ca_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
    else:
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_cert = (
            x509.CertificateBuilder().subject_name(_name("Atelier studio CA"))
            .issuer_name(_name("Atelier studio CA")).public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                           critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
        _write_private(ca_key_path, ca_key.private_bytes(pem, pkcs8, serialization.NoEncryption()))
        ca_cert_path.write_bytes(ca_cert.public_bytes(pem))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder().subject_name(_name(f"{studio_name} signer"))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(now + datetime.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                       critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256()))
    _write_private(folder / f"{studio_id}.key", key.private_bytes(pem, pkcs8, serialization.NoEncryption()))
    (folder / f"{studio_id}.pem").write_bytes(leaf.public_bytes(pem) + ca_cert.public_bytes(pem))
