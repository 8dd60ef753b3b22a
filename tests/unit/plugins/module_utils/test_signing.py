# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SDK-HMAC-SHA256 signing against Huawei's published vector, local vectors and the Huawei SDK."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _signing

# Huawei "API Request Signing Guide" (api-sign-algorithm-002..005).
VECTOR_AK = "QTWAOYTTINDUT2QVKYUC"
VECTOR_SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
VECTOR_URL = "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
VECTOR_QUERY = [("limit", "2"), ("marker", "13551d6b-755d-4757-b956-536f674975c0")]
VECTOR_DATE = datetime(2019, 11, 15, 3, 36, 55, tzinfo=timezone.utc)
VECTOR_CANONICAL = "\n".join([
    "GET",
    "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
    "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
    "content-type:application/json",
    "host:service.region.example.com",
    "x-sdk-date:20191115T033655Z",
    "",
    "content-type;host;x-sdk-date",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
])

FAKE_AK = "AKEXAMPLE0000000000"
FAKE_SK = "SKEXAMPLE00000000000000000000000000000000"
FAKE_PROJECT = "0123456789abcdef0123456789abcdef"
FAKE_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)
FAKE_URL = "https://modelarts.eu-de.otc.t-systems.com/v1/%s/visualization-jobs" % FAKE_PROJECT


def test_published_vector_canonical_request():
    query = _signing.encode_query(VECTOR_QUERY)
    headers = {"Content-Type": "application/json", "Host": "service.region.example.com", "X-Sdk-Date": "20191115T033655Z"}
    canonical = _signing.canonical_request("GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", query, headers, b"")
    assert canonical == VECTOR_CANONICAL
    assert hashlib.sha256(canonical.encode()).hexdigest() == "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"


def test_published_vector_authorization_header():
    headers = _signing.sign("GET", VECTOR_URL, _signing.encode_query(VECTOR_QUERY), {"Content-Type": "application/json"},
                            b"", VECTOR_AK, VECTOR_SK, now=VECTOR_DATE)
    assert headers["Authorization"] == (
        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
        "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe")
    assert headers["X-Sdk-Date"] == "20191115T033655Z"
    assert headers["Host"] == "service.region.example.com"


def test_local_vector_list_query_with_space():
    query = _signing.encode_query([("per_page", 10), ("page", 1), ("search_content", "my job"), ("sortBy", "create_time")])
    assert query == "page=1&per_page=10&search_content=my%20job&sortBy=create_time"
    headers = _signing.sign("GET", FAKE_URL, query, {"Content-Type": "application/json", "X-Project-Id": FAKE_PROJECT},
                            b"", FAKE_AK, FAKE_SK, now=FAKE_DATE)
    assert "SignedHeaders=content-type;host;x-project-id;x-sdk-date," in headers["Authorization"]
    assert headers["Authorization"].endswith("Signature=cc7633f04cfafc08bd25c3644f3ccb71e414023a59d07c0189c82bd0f3c483e8")


def test_local_vector_post_body():
    body = b'{"job_name":"vis-1","train_url":"/bucket/train/"}'
    assert hashlib.sha256(body).hexdigest() == "69ea3e9ece3058a9f95949af62a4637ebb9494a3c1a71cbc6183b4fb9862bcb6"
    headers = _signing.sign("POST", FAKE_URL, "", {"Content-Type": "application/json", "X-Project-Id": FAKE_PROJECT},
                            body, FAKE_AK, FAKE_SK, now=FAKE_DATE)
    assert headers["Authorization"].endswith("Signature=8bc26d6a460563b9025f87a50a61e0d54ae11cc3223b27ac06ca20af029e6e9b")


@pytest.mark.parametrize("path, expected", [
    ("/v1/p/visualization-jobs", "/v1/p/visualization-jobs/"),
    ("/v1/p/visualization-jobs/", "/v1/p/visualization-jobs/"),
    ("/", "/"),
    ("/a b/c%20d", "/a%20b/c%20d/"),
    ("/x+y", "/x%2By/"),
])
def test_canonical_uri(path, expected):
    assert _signing.canonical_uri(path) == expected


def test_query_sorts_raw_pairs_upper_case_first_and_keeps_empty_values():
    assert _signing.encode_query([("b", "1"), ("a", ""), ("B", "2"), ("a", "x y")]) == "B=2&a=&a=x%20y&b=1"


@pytest.mark.parametrize("url, host", [
    ("https://h.example.com/v1", "h.example.com"),
    ("https://h.example.com:443/v1", "h.example.com"),
    ("http://127.0.0.1:80/v1", "127.0.0.1"),
    ("http://127.0.0.1:8443/v1", "127.0.0.1:8443"),
    ("https://[::1]:9000/", "[::1]:9000"),
])
def test_host_header_drops_default_ports(url, host):
    assert _signing.host_header(url) == host


def test_header_values_are_trimmed_and_names_lowered():
    block, names = _signing.canonical_headers({"X-B": "  two  words ", "x-a": "1"})
    assert block == "x-a:1\nx-b:two  words\n"
    assert names == "x-a;x-b"


def test_matches_huawei_sdk_signer():
    """The official SDK's signer is an oracle when it is installed (tests/unit/requirements.txt)."""
    sdk_signer = pytest.importorskip("huaweicloudsdkcore.signer.signer")
    sdk_request = pytest.importorskip("huaweicloudsdkcore.sdk_request")
    query = [("search_content", "a b+c/d"), ("page", "2"), ("Per", "x"), ("per_page", "100")]
    headers = {"Content-Type": "application/json", "X-Project-Id": FAKE_PROJECT, "X-Sdk-Date": "20240101T000000Z",
               "Host": "modelarts.eu-de.otc.t-systems.com"}
    request = sdk_request.SdkRequest(method="GET", schema="https", host="modelarts.eu-de.otc.t-systems.com",
                                     resource_path="/v1/%s/visualization-jobs" % FAKE_PROJECT,
                                     query_params=list(query), header_params=dict(headers), body="")
    credentials = type("Credentials", (), {"ak": FAKE_AK, "sk": FAKE_SK})()
    expected = sdk_signer.Signer(credentials).sign(request).header_params["Authorization"]
    to_sign = {"Content-Type": "application/json", "X-Project-Id": FAKE_PROJECT}
    ours = _signing.sign("GET", FAKE_URL, _signing.encode_query(query), to_sign, b"", FAKE_AK, FAKE_SK, now=FAKE_DATE)
    assert ours["Authorization"] == expected
