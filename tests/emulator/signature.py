# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Verifier for SDK-HMAC-SHA256 (Huawei Cloud API gateway AK/SK) signatures.

The steps follow the public signing guide: canonical request, string to sign,
hex HMAC-SHA256 keyed with the secret key.  Everything is computed from what
the server received, so any client that signs correctly is accepted.
"""

import calendar
import hashlib
import hmac
import time
from urllib.parse import parse_qsl, quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()
MAX_CLOCK_SKEW_SECONDS = 15 * 60

SIGNATURE_ERROR = "APIGW.0301"
TIMESTAMP_ERROR = "APIGW.0303"
SIGNATURE_MESSAGE = "Incorrect IAM authentication information: verify aksk signature fail"
TIMESTAMP_MESSAGE = "Incorrect app authentication information: the timestamp of the request is out of range"


class SignatureError(Exception):
    """A request failed AK/SK verification; ``code`` is the APIGW error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _encode(text):
    return quote(text, safe="~")


def canonical_uri(path):
    """Return the canonical URI: each segment re-encoded, always ending with '/'."""
    segments = unquote(path).split("/")
    uri = "/".join(_encode(segment) for segment in segments)
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query):
    """Return the canonical query string of a raw (received) query string."""
    pairs = sorted(parse_qsl(query or "", keep_blank_values=True))
    return "&".join("%s=%s" % (_encode(key), _encode(value)) for key, value in pairs)


def canonical_headers(headers, signed_names):
    """Return the canonical header block (``name:value\\n`` per signed header).

    ``headers`` maps lower-case names to values.  Raises KeyError for a signed
    header that the request does not carry.
    """
    return "".join("%s:%s\n" % (name, headers[name].strip()) for name in signed_names)


def canonical_request(method, path, query, headers, signed_names, payload_hash):
    """Return the canonical request text that gets hashed into the string to sign."""
    return "\n".join([
        method.upper(),
        canonical_uri(path),
        canonical_query(query),
        canonical_headers(headers, signed_names),
        ";".join(signed_names),
        payload_hash,
    ])


def string_to_sign(sdk_date, canonical):
    """Return the string to sign for an X-Sdk-Date value and a canonical request."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return "%s\n%s\n%s" % (ALGORITHM, sdk_date, digest)


def compute_signature(secret_key, text):
    """Return the lower-case hex HMAC-SHA256 of ``text`` keyed with the secret key."""
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_authorization(value):
    """Split an ``SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`` header.

    Returns ``(access_key, [signed header names], signature)``.  The legacy
    ``Credential=AK/...`` form is accepted as well.
    """
    algorithm, _sep, rest = (value or "").strip().partition(" ")
    if algorithm != ALGORITHM:
        raise SignatureError(SIGNATURE_ERROR, SIGNATURE_MESSAGE + ": unsupported authorization scheme")
    fields = {}
    for part in rest.split(","):
        name, sep, field_value = part.strip().partition("=")
        if sep:
            fields[name.strip()] = field_value.strip()
    access_key = fields.get("Access") or fields.get("Credential", "").split("/")[0]
    signed = [name.strip().lower() for name in fields.get("SignedHeaders", "").split(";") if name.strip()]
    signature = fields.get("Signature", "").lower()
    if not access_key or not signed or not signature:
        raise SignatureError(SIGNATURE_ERROR, SIGNATURE_MESSAGE + ": malformed Authorization header")
    return access_key, signed, signature


def parse_sdk_date(value):
    """Return the epoch seconds of an X-Sdk-Date value, or raise SignatureError."""
    try:
        return calendar.timegm(time.strptime(value.strip(), DATE_FORMAT))
    except (AttributeError, ValueError):
        raise SignatureError(TIMESTAMP_ERROR, TIMESTAMP_MESSAGE + ": X-Sdk-Date is missing or malformed")


def _payload_hashes(headers, body):
    declared = headers.get("x-sdk-content-sha256")
    if body:
        return [declared] if declared else [hashlib.sha256(body).hexdigest()]
    # Huawei's SDK uses the empty-body hash even when it sets X-Sdk-Content-Sha256.
    return [EMPTY_BODY_SHA256] + ([declared] if declared else [])


def verify_request(method, path, query, headers, body, secret_for, now):
    """Verify an SDK-HMAC-SHA256 signed request and return its access key.

    ``headers`` maps lower-case names to values; ``secret_for(access_key)``
    returns the secret key or None; ``now`` is the server's epoch time.
    Raises SignatureError with code APIGW.0301 or APIGW.0303.
    """
    access_key, signed, signature = parse_authorization(headers.get("authorization"))
    secret_key = secret_for(access_key)
    if secret_key is None:
        raise SignatureError(SIGNATURE_ERROR, SIGNATURE_MESSAGE + ": unknown access key")
    signed_at = parse_sdk_date(headers.get("x-sdk-date"))
    if abs(now - signed_at) > MAX_CLOCK_SKEW_SECONDS:
        raise SignatureError(TIMESTAMP_ERROR, TIMESTAMP_MESSAGE)
    for required in ("host", "x-sdk-date"):
        if required not in signed:
            raise SignatureError(SIGNATURE_ERROR, SIGNATURE_MESSAGE + ": header %s must be signed" % required)
    missing = [name for name in signed if name not in headers]
    if missing:
        raise SignatureError(SIGNATURE_ERROR, SIGNATURE_MESSAGE + ": signed header %s is absent" % missing[0])
    for payload_hash in _payload_hashes(headers, body):
        canonical = canonical_request(method, path, query, headers, signed, payload_hash)
        expected = compute_signature(secret_key, string_to_sign(headers["x-sdk-date"].strip(), canonical))
        if hmac.compare_digest(expected, signature):
            return access_key
    raise SignatureError(SIGNATURE_ERROR, SIGNATURE_MESSAGE)
