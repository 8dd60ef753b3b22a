# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throw-away TLS material: a CA and a loopback server certificate signed by it."""

import datetime
import ipaddress
import os
import ssl

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
except ImportError:  # only TLS needs it: the plain HTTP emulator (make emulator) runs on the standard library alone
    x509 = None

CA_FILE = "ca.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"
VALIDITY = datetime.timedelta(days=2)


def _name(common_name):
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "hwcloud.modelarts test emulator"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _key_usage(digital_signature, cert_sign):
    return x509.KeyUsage(
        digital_signature=digital_signature, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
        encipher_only=False, decipher_only=False)


def _builder(subject, issuer, public_key, now):
    return (x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + VALIDITY)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))


def make_certificates(host="127.0.0.1"):
    """Return PEM bytes ``(ca_cert, server_cert, server_key)``.

    The server certificate is valid for 127.0.0.1, localhost and ``host``.
    """
    if x509 is None:
        raise RuntimeError("TLS needs the Python package cryptography (pip install cryptography)")
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("hwcloud.modelarts emulator CA")
    ca_cert = (_builder(ca_name, ca_name, ca_key.public_key(), now)
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(_key_usage(False, True), critical=True)
               .sign(ca_key, hashes.SHA256()))
    server_key = ec.generate_private_key(ec.SECP256R1())
    addresses = {"127.0.0.1", host} - {"localhost"}
    alt_names = [x509.DNSName("localhost")] + [x509.IPAddress(ipaddress.ip_address(ip)) for ip in sorted(addresses)]
    ca_key_id = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    server_cert = (_builder(_name("127.0.0.1"), ca_name, server_key.public_key(), now)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(_key_usage(True, False), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_key_id), critical=False)
                   .sign(ca_key, hashes.SHA256()))
    key_pem = server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pem = serialization.Encoding.PEM
    return ca_cert.public_bytes(pem), server_cert.public_bytes(pem), key_pem


def _write(path, data, mode):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def write_certificates(cert_dir, host="127.0.0.1"):
    """Create fresh certificates in ``cert_dir``; return the paths ``(ca, cert, key)``."""
    os.makedirs(cert_dir, exist_ok=True)
    ca_pem, cert_pem, key_pem = make_certificates(host)
    paths = tuple(os.path.join(cert_dir, name) for name in (CA_FILE, CERT_FILE, KEY_FILE))
    _write(paths[0], ca_pem, 0o644)
    _write(paths[1], cert_pem, 0o644)
    _write(paths[2], key_pem, 0o600)
    return paths


def server_context(cert_path, key_path):
    """Return a server-side SSLContext (TLS 1.2 or newer) for the given files."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_path, key_path)
    return context
