# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AK/SK request signing: Huawei Cloud's SDK-HMAC-SHA256 algorithm.

Byte-identical to Huawei's published algorithm ("API Request Signing Guide") and its
reference signer in huaweicloudsdkcore: the canonical URI always ends with "/", the
query is sorted on the raw (name, value) pairs and then percent-encoded (space as %20),
and the caller sends exactly the query string that was signed (see ``encode_query``).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone
from urllib.parse import quote, unquote, urlsplit

ALGORITHM = "SDK-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()


def _encode(text):
    """Percent-encode everything but RFC 3986 unreserved characters."""
    return quote(str(text), safe="~")


def encode_query(pairs):
    """Return the canonical query string for a list of (name, value) pairs.

    The same string is signed and sent on the wire, so the two can never differ.
    """
    ordered = sorted((str(name), str(value)) for name, value in pairs)
    return "&".join("%s=%s" % (_encode(name), _encode(value)) for name, value in ordered)


def canonical_uri(path):
    """Encode each path segment and make sure the result ends with a slash."""
    segments = unquote(path or "/").split("/")
    uri = "/".join(_encode(segment) for segment in segments)
    return uri if uri.endswith("/") else uri + "/"


def canonical_headers(headers):
    """Return (canonical header block, signed header names) for the given headers."""
    normalized = {}
    for name, value in headers.items():
        normalized[name.lower()] = str(value).strip()
    names = sorted(normalized)
    block = "".join("%s:%s\n" % (name, normalized[name]) for name in names)
    return block, ";".join(names)


def canonical_request(method, path, query, headers, body):
    """Build the canonical request text; ``query`` is an already canonical string."""
    header_block, signed_names = canonical_headers(headers)
    payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_BODY_SHA256
    return "\n".join([method.upper(), canonical_uri(path), query, header_block, signed_names, payload_hash])


def string_to_sign(sdk_date, canonical):
    """The text that is HMAC'ed: algorithm, X-Sdk-Date and the hash of the canonical request."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return "\n".join([ALGORITHM, sdk_date, digest])


def signature(secret_key, text):
    """Hex HMAC-SHA256 of ``text`` keyed with the secret key itself (no derived key)."""
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def host_header(url):
    """The Host value to sign and send: host[:port], without the scheme's default port."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = "[%s]" % host
    default_port = 443 if parts.scheme == "https" else 80
    if parts.port and parts.port != default_port:
        return "%s:%d" % (host, parts.port)
    return host


def sdk_date(now=None):
    """Format a UTC time the way X-Sdk-Date wants it (e.g. 20191115T033655Z)."""
    moment = now or datetime.now(timezone.utc)
    return moment.strftime(SDK_DATE_FORMAT)


def sign(method, url, query, headers, body, access_key, secret_key, now=None):
    """Sign a request and return the headers to send.

    ``query`` is the canonical query string produced by :func:`encode_query` and
    ``headers`` the headers to sign; Host and X-Sdk-Date are added. The result holds
    every signed header plus ``Authorization``.
    """
    signed = dict(headers)
    signed["Host"] = host_header(url)
    signed["X-Sdk-Date"] = sdk_date(now)
    canonical = canonical_request(method, urlsplit(url).path, query, signed, body)
    text = string_to_sign(signed["X-Sdk-Date"], canonical)
    names = canonical_headers(signed)[1]
    signed["Authorization"] = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, names, signature(secret_key, text))
    return signed
