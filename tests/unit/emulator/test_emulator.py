# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the IAM + ModelArts emulator in tests/emulator (stdlib clients only, loopback only)."""

import hashlib
import hmac
import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse

import pytest

EMULATOR_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "emulator"))
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)

import seed  # noqa: E402
import signature  # noqa: E402
from server import start_emulator  # noqa: E402

EU_DE = seed.EU_DE
CN = seed.CN_NORTH_4
JOBS_PATH = "/v1/%s/visualization-jobs"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


# ---------------------------------------------------------------- test-side signer
def _uri_escape(text):
    return urllib.parse.quote(text, safe="~")


def make_authorization(method, path, query, headers, body, access_key, secret_key):
    """Sign like the Huawei SDK: every given header is signed.  Written independently of signature.py."""
    names = sorted(headers, key=str.lower)
    path_text = "/".join(_uri_escape(urllib.parse.unquote(part)) for part in path.split("/"))
    if path_text[-1:] != "/":
        path_text += "/"
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    lines = [
        method,
        path_text,
        "&".join(_uri_escape(k) + "=" + _uri_escape(v) for k, v in pairs),
        "".join(n.lower() + ":" + headers[n].strip() + "\n" for n in names),
        ";".join(n.lower() for n in names),
        hashlib.sha256(body).hexdigest(),
    ]
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (headers["X-Sdk-Date"], digest)
    mac = hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (access_key, ";".join(n.lower() for n in names), mac)


def sdk_date(offset=0):
    """Return an X-Sdk-Date value for now + offset seconds."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() + offset))


# ---------------------------------------------------------------- HTTP helpers
class Answer:
    """Status, lower-cased headers and body of one response."""

    def __init__(self, response):
        self.status = response.status
        self.headers = {name.lower(): value for name, value in response.getheaders()}
        self.body = response.read()

    def json(self):
        """Decode the body as JSON."""
        return json.loads(self.body.decode("utf-8"))


def call(emu, method, target, headers=None, body=b"", timeout=10, context=None, host="127.0.0.1"):
    """Send one request to the emulator with http.client and return an Answer."""
    if context is not None:
        conn = http.client.HTTPSConnection(host, emu.port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(host, emu.port, timeout=timeout)
    try:
        conn.request(method, target, body=body or None, headers=headers or {})
        return Answer(conn.getresponse())
    finally:
        conn.close()


def admin(emu, method, name, payload=None):
    """Call the admin API and return the decoded JSON."""
    body = json.dumps(payload).encode("utf-8") if payload is not None else b""
    answer = call(emu, method, "/__emulator__/" + name, {"Content-Type": "application/json"}, body)
    assert answer.status == 200, answer.body
    return answer.json()


def password_body(project=None, user=seed.USER_NAME, password=seed.USER_PASSWORD, domain=seed.DOMAIN_NAME):
    """Return a Keystone v3 password authentication body."""
    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "password": password, "domain": {"name": domain}}}}}
    if project is not None:
        auth["scope"] = {"project": project}
    return json.dumps({"auth": auth}).encode("utf-8")


def get_token(emu, project_name="eu-de"):
    """Issue a token scoped to a project name (None: unscoped) and return its value."""
    project = {"name": project_name} if project_name else None
    answer = call(emu, "POST", "/v3/auth/tokens", {"Content-Type": "application/json"}, password_body(project))
    assert answer.status == 201, answer.body
    return answer.headers["x-subject-token"]


def signed_call(emu, method, path, query="", body=b"", access_key=seed.PERMANENT_AK, secret_key=seed.PERMANENT_SK,
                extra=None, date_offset=0, tamper=None):
    """Send an AK/SK-signed request; ``tamper(headers)`` may change headers after signing."""
    headers = {"Content-Type": "application/json", "Host": "127.0.0.1:%d" % emu.port,
               "X-Sdk-Date": sdk_date(date_offset)}
    headers.update(extra or {})
    headers["Authorization"] = make_authorization(method, path, query, headers, body, access_key, secret_key)
    if tamper:
        tamper(headers)
    return call(emu, method, path + ("?" + query if query else ""), headers, body)


def list_jobs(emu, token, project=EU_DE, **params):
    """List jobs with a token and return the Answer."""
    query = urllib.parse.urlencode(params)
    return call(emu, "GET", JOBS_PATH % project + ("?" + query if query else ""), {"X-Auth-Token": token})


def job_ids(answer):
    """Return the job ids of a list answer as ints."""
    return [int(job["job_id"]) for job in answer.json()["jobs"]]


@pytest.fixture(scope="module")
def emu():
    """One in-process emulator for the module."""
    emulator = start_emulator()
    yield emulator
    emulator.stop()


@pytest.fixture(autouse=True)
def clean(request):
    """Reset the shared emulator (log, faults, clock, tokens) before each test that uses it."""
    if "emu" in request.fixturenames:
        admin(request.getfixturevalue("emu"), "POST", "reset", {"tokens": True})


# ---------------------------------------------------------------- signature vectors
def test_official_vector():
    headers = {"content-type": "application/json", "host": "service.region.example.com", "x-sdk-date": "20191115T033655Z"}
    names = ["content-type", "host", "x-sdk-date"]
    canonical = signature.canonical_request(
        "GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        headers, names, signature.EMPTY_BODY_SHA256)
    assert canonical == (
        "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n"
        "content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n"
        "content-type;host;x-sdk-date\n" + EMPTY_SHA256)
    assert hashlib.sha256(canonical.encode()).hexdigest() == "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
    to_sign = signature.string_to_sign("20191115T033655Z", canonical)
    assert signature.compute_signature("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", to_sign) == (
        "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe")


def test_official_vector_verifies_end_to_end():
    headers = {"content-type": "application/json", "host": "service.region.example.com", "x-sdk-date": "20191115T033655Z",
               "authorization": "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
                                "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"}
    secrets = {"QTWAOYTTINDUT2QVKYUC": "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"}
    now = signature.parse_sdk_date("20191115T033655Z") + 60
    args = ("GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0")
    assert signature.verify_request(*args, headers=headers, body=b"", secret_for=secrets.get, now=now) == "QTWAOYTTINDUT2QVKYUC"
    with pytest.raises(signature.SignatureError) as info:
        signature.verify_request(*args, headers=headers, body=b"", secret_for=secrets.get, now=now + 3600)
    assert info.value.code == "APIGW.0303"
    with pytest.raises(signature.SignatureError) as info:
        signature.verify_request(args[0], args[1], "limit=3", headers=headers, body=b"", secret_for=secrets.get, now=now)
    assert info.value.code == "APIGW.0301"


LOCAL_HEADERS = {"content-type": "application/json", "host": "modelarts.eu-de.otc.t-systems.com",
                 "x-project-id": "0123456789abcdef0123456789abcdef", "x-sdk-date": "20240101T000000Z"}
LOCAL_NAMES = ["content-type", "host", "x-project-id", "x-sdk-date"]
LOCAL_SK = "SKEXAMPLE00000000000000000000000000000000"


def test_local_get_vector():
    query = "per_page=10&page=1&search_content=my job&sortBy=create_time"
    assert signature.canonical_query(query) == "page=1&per_page=10&search_content=my%20job&sortBy=create_time"
    canonical = signature.canonical_request("GET", "/v1/0123456789abcdef0123456789abcdef/visualization-jobs", query,
                                            LOCAL_HEADERS, LOCAL_NAMES, EMPTY_SHA256)
    assert signature.compute_signature(LOCAL_SK, signature.string_to_sign("20240101T000000Z", canonical)) == (
        "cc7633f04cfafc08bd25c3644f3ccb71e414023a59d07c0189c82bd0f3c483e8")


def test_local_post_vector():
    body = b'{"job_name":"vis-1","train_url":"/bucket/train/"}'
    body_hash = hashlib.sha256(body).hexdigest()
    assert body_hash == "69ea3e9ece3058a9f95949af62a4637ebb9494a3c1a71cbc6183b4fb9862bcb6"
    canonical = signature.canonical_request("POST", "/v1/0123456789abcdef0123456789abcdef/visualization-jobs", "",
                                            LOCAL_HEADERS, LOCAL_NAMES, body_hash)
    assert signature.compute_signature(LOCAL_SK, signature.string_to_sign("20240101T000000Z", canonical)) == (
        "8bc26d6a460563b9025f87a50a61e0d54ae11cc3223b27ac06ca20af029e6e9b")


def test_canonical_uri_and_query_edge_cases():
    assert signature.canonical_uri("/") == "/"
    assert signature.canonical_uri("/a b/c%20d/") == "/a%20b/c%20d/"
    assert signature.canonical_query("b=&a=2&a=1&k=a%2Fb&k=a.b") == "a=1&a=2&b=&k=a.b&k=a%2Fb"
    assert signature.parse_authorization("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=AB")[2] == "ab"


# ---------------------------------------------------------------- IAM
def test_password_token_issue_and_use(emu):
    answer = call(emu, "POST", "/v3/auth/tokens", {"Content-Type": "application/json"}, password_body({"name": "eu-de"}))
    assert answer.status == 201
    token = answer.headers["x-subject-token"]
    body = answer.json()["token"]
    assert body["project"] == {"id": EU_DE, "name": "eu-de", "domain": {"id": seed.DOMAIN_ID, "name": seed.DOMAIN_NAME}}
    assert body["expires_at"].endswith("Z") and body["methods"] == ["password"] and body["catalog"] == []
    assert list_jobs(emu, token).status == 200
    by_id = call(emu, "POST", "/v3/auth/tokens?nocatalog=true", {}, password_body({"id": CN}))
    assert by_id.status == 201 and by_id.json()["token"]["project"]["name"] == "cn-north-4"
    assert "catalog" not in by_id.json()["token"]
    check = call(emu, "GET", "/v3/auth/tokens", {"X-Auth-Token": token, "X-Subject-Token": by_id.headers["x-subject-token"]})
    assert check.status == 200 and check.json()["token"]["project"]["id"] == CN
    unknown = call(emu, "GET", "/v3/auth/tokens", {"X-Auth-Token": token, "X-Subject-Token": "MIIEnotatoken"})
    assert unknown.status == 404 and unknown.json()["error"]["code"] == 404
    assert call(emu, "GET", "/v3/auth/tokens", {"X-Auth-Token": "bogus", "X-Subject-Token": token}).status == 401


@pytest.mark.parametrize("body, status", [
    (password_body({"name": "eu-de"}, password="wrong"), 401),
    (password_body({"name": "eu-de"}, user="someone"), 401),
    (password_body({"name": "eu-de"}, domain="other-domain"), 401),
    (password_body({"name": "no-such-region"}), 400),
    (b"{not json", 400),
    (b'{"auth": {"identity": {"methods": ["token"]}}}', 400),
])
def test_token_errors(emu, body, status):
    answer = call(emu, "POST", "/v3/auth/tokens", {"Content-Type": "application/json"}, body)
    assert answer.status == status
    error = answer.json()["error"]
    assert error["code"] == status
    if status == 401:
        assert error == {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}


def test_unscoped_token_rejected_by_modelarts(emu):
    token = get_token(emu, None)
    answer = list_jobs(emu, token)
    assert answer.status == 401 and answer.json()["error_code"] == "ModelArts.0212"


def test_projects_lookup(emu):
    token = get_token(emu)
    answer = call(emu, "GET", "/v3/projects?name=cn-north-4", {"X-Auth-Token": token})
    assert answer.status == 200
    assert answer.json()["projects"] == [{"id": CN, "name": "cn-north-4", "domain_id": seed.DOMAIN_ID, "enabled": True,
                                          "is_domain": False, "parent_id": seed.DOMAIN_ID, "description": ""}]
    assert len(call(emu, "GET", "/v3/projects", {"X-Auth-Token": token}).json()["projects"]) == 3
    assert call(emu, "GET", "/v3/projects?name=nowhere", {"X-Auth-Token": token}).json()["projects"] == []
    by_aksk = signed_call(emu, "GET", "/v3/projects", "name=eu-de")
    assert by_aksk.status == 200 and by_aksk.json()["projects"][0]["id"] == EU_DE
    unauthenticated = call(emu, "GET", "/v3/projects")
    assert unauthenticated.status == 401 and unauthenticated.json()["error"]["code"] == 401


# ---------------------------------------------------------------- ModelArts token auth
def test_token_auth_errors(emu):
    token = get_token(emu)
    mismatch = list_jobs(emu, token, project=CN)
    assert mismatch.status == 403
    assert mismatch.json() == {"is_success": False, "error_code": "ModelArts.0210",
                               "error_msg": "The project id in the request URL does not match the token."}
    missing = call(emu, "GET", JOBS_PATH % EU_DE)
    assert missing.status == 401 and missing.json()["error_code"] == "ModelArts.0201"
    invalid = list_jobs(emu, "garbage")
    assert invalid.status == 401 and invalid.json()["error_code"] == "ModelArts.0203"
    unknown_project = list_jobs(emu, token, project="ffffffffffffffffffffffffffffffff")
    assert unknown_project.status == 400
    assert unknown_project.json()["error_code"] == "ModelArts.0210"
    assert unknown_project.json()["error_message"] == "Invalid project ID."


def test_expired_token(emu):
    token = get_token(emu)
    admin(emu, "POST", "expire-tokens")
    answer = list_jobs(emu, token)
    assert answer.status == 401
    assert answer.json() == {"is_success": False, "error_code": "ModelArts.0202",
                             "error_msg": "Invalid token header because the token has expired."}
    fresh = get_token(emu)
    assert list_jobs(emu, fresh).status == 200
    admin(emu, "POST", "clock", {"offset_seconds": 86400 + 10})
    assert list_jobs(emu, fresh).json()["error_code"] == "ModelArts.0202"


# ---------------------------------------------------------------- ModelArts AK/SK auth
def test_aksk_accepted(emu):
    answer = signed_call(emu, "GET", JOBS_PATH % EU_DE, "per_page=3&page=1&search_content=dup&sortBy=job_id&x_label=a%20b~c",
                         extra={"X-Project-Id": EU_DE, "User-Agent": "test-signer/1.0"})
    assert answer.status == 200, answer.body
    assert job_ids(answer) == [113, 114]
    details = signed_call(emu, "GET", JOBS_PATH % CN + "/201")
    assert details.status == 200 and details.json()["job_name"] == "cn-tb-a"


def test_aksk_failures(emu):
    def tamper_signature(headers):
        headers["Authorization"] = headers["Authorization"][:-4] + "0000"

    cases = [
        (dict(tamper=tamper_signature), 401, "APIGW.0301"),
        (dict(secret_key="wrong-secret"), 401, "APIGW.0301"),
        (dict(access_key="UNKNOWNAK00000000000"), 401, "APIGW.0301"),
        (dict(tamper=lambda h: h.update({"Content-Type": "text/plain"})), 401, "APIGW.0301"),
        (dict(date_offset=-16 * 60), 401, "APIGW.0303"),
        (dict(tamper=lambda h: h.update({"X-Sdk-Date": "yesterday"})), 401, "APIGW.0303"),
        (dict(extra={"X-Project-Id": CN}), 403, "ModelArts.0210"),
    ]
    for options, status, code in cases:
        answer = signed_call(emu, "GET", JOBS_PATH % EU_DE, "page=1", **options)
        assert (answer.status, answer.json()["error_code"]) == (status, code), options
        if code.startswith("APIGW"):
            assert answer.json()["request_id"] == answer.headers["x-request-id"]
            assert "error_msg" in answer.json()


def test_aksk_host_and_date_must_be_signed(emu):
    path = JOBS_PATH % EU_DE
    headers = {"Content-Type": "application/json", "X-Sdk-Date": sdk_date()}
    headers["Authorization"] = make_authorization("GET", path, "", headers, b"", seed.PERMANENT_AK, seed.PERMANENT_SK)
    answer = call(emu, "GET", path, headers)
    assert answer.status == 401 and answer.json()["error_code"] == "APIGW.0301"


def test_aksk_clock_offset(emu):
    assert signed_call(emu, "GET", JOBS_PATH % EU_DE).status == 200
    admin(emu, "POST", "clock", {"offset_seconds": 3600})
    answer = signed_call(emu, "GET", JOBS_PATH % EU_DE)
    assert answer.status == 401 and answer.json()["error_code"] == "APIGW.0303"
    assert signed_call(emu, "GET", JOBS_PATH % EU_DE, date_offset=3600).status == 200


def test_temporary_aksk(emu):
    temp = dict(access_key=seed.TEMP_AK, secret_key=seed.TEMP_SK)
    ok = signed_call(emu, "GET", JOBS_PATH % EU_DE, extra={"X-Security-Token": seed.SECURITY_TOKEN}, **temp)
    assert ok.status == 200
    missing = signed_call(emu, "GET", JOBS_PATH % EU_DE, **temp)
    assert missing.status == 401 and missing.json()["error_code"] == "APIGW.0301"
    wrong = signed_call(emu, "GET", JOBS_PATH % EU_DE, extra={"X-Security-Token": "other"}, **temp)
    assert wrong.json()["error_code"] == "APIGW.0301"

    def add_unsigned_token(headers):
        headers["X-Security-Token"] = seed.SECURITY_TOKEN

    unsigned = signed_call(emu, "GET", JOBS_PATH % EU_DE, tamper=add_unsigned_token, **temp)
    assert unsigned.status == 401 and unsigned.json()["error_code"] == "APIGW.0301"


def test_aksk_with_body_and_sdk_content_header(emu):
    body = b'{"job_name":"x"}'
    answer = signed_call(emu, "POST", JOBS_PATH % EU_DE, body=body)
    # the signature over the body was accepted, so the create body itself was checked (train_url is missing)
    assert answer.status == 400, answer.body
    assert answer.json()["error_code"] == "ModelArts.0104"
    unsigned_payload = signed_call(emu, "GET", JOBS_PATH % EU_DE, extra={"X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"})
    assert unsigned_payload.status == 200


def test_huawei_sdk_signed_requests_are_accepted(emu):
    """Huawei's own signer (huaweicloudsdkcore, optional) must be accepted as it is."""
    signer = pytest.importorskip("huaweicloudsdkcore.signer.signer")
    sdk_request = pytest.importorskip("huaweicloudsdkcore.sdk_request")
    cases = ((seed.PERMANENT_AK, seed.PERMANENT_SK, {}),
             (seed.TEMP_AK, seed.TEMP_SK, {"X-Security-Token": seed.SECURITY_TOKEN}))
    for access_key, secret_key, extra in cases:
        headers = {"Content-Type": "application/json", "X-Project-Id": EU_DE, "User-Agent": "huaweicloud-usdk-python/3.0"}
        headers.update(extra)
        request = sdk_request.SdkRequest(
            method="GET", schema="http", host="127.0.0.1:%d" % emu.port, resource_path=JOBS_PATH % EU_DE,
            query_params=[("per_page", 5), ("search_content", "tb dup"), ("sortBy", "create_time")],
            header_params=headers, body="")
        credentials = type("Credentials", (), {"ak": access_key, "sk": secret_key})()  # the SDK's own class writes to ~
        request = signer.Signer(credentials).sign(request)
        answer = call(emu, "GET", request.uri, request.header_params)
        assert answer.status == 200, answer.body


# ---------------------------------------------------------------- list and details
def test_list_pagination_and_totals(emu):
    token = get_token(emu)
    pages = [list_jobs(emu, token, per_page=5, page=page).json() for page in (1, 2, 3, 4)]
    assert [len(page["jobs"]) for page in pages] == [5, 5, 4, 0]
    assert all(page["job_total_count"] == 14 and page["job_count_limit"] == 986 and page["quotas"] == 100 for page in pages)
    ids = [int(job["job_id"]) for page in pages for job in page["jobs"]]
    assert ids == list(range(101, 115))
    default = list_jobs(emu, token).json()
    assert len(default["jobs"]) == 10 and default["is_success"] is True


def test_list_filters(emu):
    token = get_token(emu)
    running = list_jobs(emu, token, status=8)
    assert job_ids(running) == [101, 110, 112, 113] and running.json()["job_total_count"] == 4
    assert job_ids(list_jobs(emu, token, search_content="resnet")) == [101, 110]
    assert job_ids(list_jobs(emu, token, search_content="duplicate", status=10)) == [114]
    assert job_ids(list_jobs(emu, token, status=42)) == [111]
    assert job_ids(list_jobs(emu, token, search_content="")) == list(range(101, 111))
    assert list_jobs(emu, token, search_content="nothing-matches").json()["job_total_count"] == 0


def test_list_sorting(emu):
    token = get_token(emu)
    by_time = list_jobs(emu, token, sortBy="create_time", order="desc", per_page=100).json()["jobs"]
    times = [int(job["create_time"]) for job in by_time]
    assert times == sorted(times, reverse=True)
    assert [int(job["job_id"]) for job in by_time] != sorted(int(job["job_id"]) for job in by_time)
    by_name = list_jobs(emu, token, sort_by="job_name", per_page=100).json()["jobs"]
    assert [job["job_name"] for job in by_name] == sorted(job["job_name"] for job in by_name)
    by_id_desc = job_ids(list_jobs(emu, token, order="desc", per_page=3))
    assert by_id_desc == [114, 113, 112]


@pytest.mark.parametrize("params, word", [
    ({"per_page": 0}, "per_page"), ({"per_page": 1001}, "per_page"), ({"page": 0}, "page"),
    ({"page": "x"}, "page"), ({"status": "running"}, "status"), ({"sortBy": "owner"}, "sortBy"),
    ({"order": "up"}, "order"), ({"search_content": "x" * 101}, "search content"),
])
def test_list_parameter_errors(emu, params, word):
    answer = list_jobs(emu, get_token(emu), **params)
    assert answer.status == 400
    body = answer.json()
    assert body["is_success"] is False and body["error_code"] == "ModelArts.0104"
    assert word in body["error_message"]


def test_details(emu):
    token = get_token(emu)
    found = call(emu, "GET", JOBS_PATH % EU_DE + "/101", {"X-Auth-Token": token})
    assert found.status == 200
    job = found.json()
    assert job["is_success"] is True and job["job_name"] == "tb-resnet50" and job["status"] == 8
    assert job["job_type"] == "tensorboard" and job["schedule"] == [{"type": "stop", "timeUnit": "HOURS", "duration": 4}]
    assert job["service_url"] == "https://127.0.0.1/modelarts/tensorboard/%s/101/" % EU_DE
    strings = call(emu, "GET", JOBS_PATH % EU_DE + "/112", {"X-Auth-Token": token}).json()
    assert (strings["job_id"], strings["status"]) == ("112", "8")
    assert isinstance(strings["create_time"], str) and isinstance(strings["duration"], str)
    assert call(emu, "GET", JOBS_PATH % EU_DE + "/110", {"X-Auth-Token": token}).json()["future_field"] == "x"
    missing = call(emu, "GET", JOBS_PATH % EU_DE + "/999", {"X-Auth-Token": token})
    assert missing.status == 404
    assert missing.json() == {"is_success": False, "error_code": "ModelArts.0015",
                              "error_message": "The resource you requested is not exist"}
    bad = call(emu, "GET", JOBS_PATH % EU_DE + "/abc", {"X-Auth-Token": token})
    assert bad.status == 400 and bad.json()["error_code"] == "ModelArts.0104"
    other = call(emu, "GET", "/v2/whatever", {"X-Auth-Token": token})
    assert other.status == 404 and other.headers["content-type"] == "application/json"


def test_every_response_has_request_id(emu):
    seen = []
    for answer in (call(emu, "GET", "/__emulator__/health"), call(emu, "GET", "/nothing"),
                   call(emu, "GET", JOBS_PATH % EU_DE)):
        request_id = answer.headers["x-request-id"]
        assert re.fullmatch("[0-9a-f]{32}", request_id), request_id
        seen.append(request_id)
    assert len(set(seen)) == len(seen), "request ids repeat: %s" % seen
    # the request log names the X-Request-Id each answer carried (admin calls are not logged)
    assert [entry["request_id"] for entry in admin(emu, "GET", "requests")["requests"]] == seen[1:]


# ---------------------------------------------------------------- faults
def add_faults(emu, *faults):
    """Append faults through the admin API."""
    return admin(emu, "POST", "faults", {"faults": list(faults)})


def test_fault_status_with_headers(emu):
    token = get_token(emu)
    add_faults(emu, {"kind": "list", "action": "status", "status": 429, "headers": {"Retry-After": "1"}})
    throttled = list_jobs(emu, token)
    assert throttled.status == 429 and throttled.headers["retry-after"] == "1"
    assert throttled.json()["error_code"] == "APIGW.0308"
    assert list_jobs(emu, token).status == 200
    add_faults(emu, {"kind": "details", "action": "status", "status": 503, "body": {"error_code": "X.1"}})
    answer = call(emu, "GET", JOBS_PATH % EU_DE + "/101", {"X-Auth-Token": token})
    assert answer.status == 503 and answer.json() == {"error_code": "X.1"}


def test_fault_html(emu):
    token = get_token(emu)
    add_faults(emu, {"kind": "any", "action": "html"})
    answer = call(emu, "GET", JOBS_PATH % EU_DE, {"X-Auth-Token": token})
    assert answer.status == 502 and answer.headers["content-type"].startswith("text/html")
    assert answer.body.startswith(b"<html>")


def test_fault_truncated_json(emu):
    token = get_token(emu)
    full = list_jobs(emu, token).body
    add_faults(emu, {"kind": "list", "action": "truncated_json"})
    answer = list_jobs(emu, token)
    assert answer.status == 200
    assert full.startswith(answer.body) and 0 < len(answer.body) < len(full)
    with pytest.raises(ValueError):
        answer.json()


def test_fault_is_success_false(emu):
    add_faults(emu, {"kind": "list", "action": "is_success_false"})
    answer = list_jobs(emu, get_token(emu))
    assert answer.status == 200
    assert answer.json() == {"is_success": False, "error_code": "ModelArts.0104", "error_message": "Parameter error."}


def test_fault_slow(emu):
    token = get_token(emu)
    add_faults(emu, {"kind": "list", "action": "slow", "delay": 0.6})
    with pytest.raises(socket.timeout):
        list_jobs_with_timeout(emu, token, 0.2)
    deadline = time.time() + 5
    while not [r for r in admin(emu, "GET", "requests")["requests"] if r["fault"] == "slow"]:
        assert time.time() < deadline
        time.sleep(0.05)
    add_faults(emu, {"kind": "list", "action": "slow", "delay": 0.2})
    started = time.time()
    assert list_jobs(emu, token).status == 200
    assert time.time() - started >= 0.2
    slow = [r for r in admin(emu, "GET", "requests")["requests"] if r["fault"] == "slow"]
    assert [r["answered"] - r["received"] > delay - 0.001 for r, delay in zip(slow, (0.6, 0.2))] == [True, True]


def list_jobs_with_timeout(emu, token, timeout):
    """List jobs with a short client read timeout."""
    return call(emu, "GET", JOBS_PATH % EU_DE, {"X-Auth-Token": token}, timeout=timeout)


def test_fault_expire_token(emu):
    token = get_token(emu)
    add_faults(emu, {"kind": "list", "action": "expire_token"})
    first = list_jobs(emu, token)
    assert first.status == 401 and first.json()["error_code"] == "ModelArts.0202"
    assert list_jobs(emu, token).json()["error_code"] == "ModelArts.0202"
    assert list_jobs(emu, get_token(emu)).status == 200


def test_fault_drop(emu):
    add_faults(emu, {"kind": "list", "action": "drop"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        list_jobs(emu, get_token(emu))
    log = admin(emu, "GET", "requests")["requests"]
    assert log[-1]["fault"] == "drop" and log[-1]["status"] is None


def test_fault_after_times_page(emu):
    token = get_token(emu)
    add_faults(emu, {"kind": "list", "page": 2, "after": 1, "times": 2, "action": "status", "status": 503})
    statuses = [list_jobs(emu, token, page=page, per_page=5).status for page in (1, 2, 1, 2, 2, 2)]
    assert statuses == [200, 200, 200, 503, 503, 200]
    add_faults(emu, {"kind": "details", "times": -1, "action": "status", "status": 500})
    assert [call(emu, "GET", JOBS_PATH % EU_DE + "/101", {"X-Auth-Token": token}).status for _attempt in range(3)] == [500] * 3
    assert len(admin(emu, "GET", "faults")["faults"]) == 2
    admin(emu, "DELETE", "faults")
    assert call(emu, "GET", JOBS_PATH % EU_DE + "/101", {"X-Auth-Token": token}).status == 200


def test_fault_validation(emu):
    for bad in ({"action": "explode"}, {"action": "status", "status": 99}, {"action": "slow", "delay": "x"},
                {"kind": "jobs", "action": "drop"}, {"action": "drop", "times": "2"}):
        answer = call(emu, "POST", "/__emulator__/faults", {}, json.dumps({"faults": [bad]}).encode())
        assert answer.status == 400, bad
    assert admin(emu, "GET", "faults")["faults"] == []


# ---------------------------------------------------------------- request log and reset
def test_request_log(emu):
    token = get_token(emu)
    list_jobs(emu, token, page=2)
    call(emu, "GET", JOBS_PATH % EU_DE + "/101", {"X-Auth-Token": token})
    signed_call(emu, "GET", "/v3/projects", "name=eu-de")
    call(emu, "GET", "/v3/auth/tokens", {"X-Auth-Token": token, "X-Subject-Token": token})
    call(emu, "DELETE", "/v1/x")
    for _attempt in range(3):
        admin(emu, "GET", "health")
    log = admin(emu, "GET", "requests")
    assert log["count"] == 6
    assert [(r["kind"], r["auth"], r["status"]) for r in log["requests"]] == [
        ("iam_token", "password", 201), ("list", "token", 200), ("details", "token", 200),
        ("iam_projects", "aksk", 200), ("iam_token_check", "token", 200), ("other", "none", 404)]
    assert log["requests"][1]["query"] == "page=2" and log["requests"][1]["path"] == JOBS_PATH % EU_DE
    assert set(log["requests"][0]) == {"method", "path", "query", "status", "kind", "auth", "fault", "request_id",
                                       "received", "answered", "listener"}
    assert {entry["listener"] for entry in log["requests"]} == {"main"}
    stamps = [(r["received"], r["answered"]) for r in log["requests"]]
    assert all(received <= answered for received, answered in stamps)
    assert [received for received, _answered in stamps] == sorted(received for received, _answered in stamps)
    assert abs(stamps[-1][1] - time.time()) < 5
    assert call(emu, "GET", "/__emulator__/no-such-call").status == 404


def test_the_admin_api_lists_the_issued_tokens_until_a_reset_forgets_them(emu):
    assert admin(emu, "GET", "tokens")["tokens"] == []
    first, second = get_token(emu), get_token(emu)
    assert admin(emu, "GET", "tokens")["tokens"] == [first, second]
    admin(emu, "POST", "reset", {"tokens": True})
    assert admin(emu, "GET", "tokens")["tokens"] == []


def test_reset_keeps_or_forgets_tokens(emu):
    token = get_token(emu)
    add_faults(emu, {"action": "drop", "times": -1})
    admin(emu, "POST", "reset")
    assert admin(emu, "GET", "requests")["count"] == 0
    assert list_jobs(emu, token).status == 200
    admin(emu, "POST", "reset", {"tokens": True})
    assert list_jobs(emu, token).json()["error_code"] == "ModelArts.0203"


# ---------------------------------------------------------------- TLS, bulk, CLI
def test_tls_mode():
    with start_emulator(tls=True) as emulator:
        assert emulator.url == "https://127.0.0.1:%d" % emulator.port
        with open(emulator.ca_path) as handle:
            assert handle.read().count("BEGIN CERTIFICATE") == 1
        context = ssl.create_default_context(cafile=emulator.ca_path)
        for host in ("127.0.0.1", "localhost"):
            answer = call(emulator, "GET", "/__emulator__/health", context=context, host=host)
            assert answer.json() == {"ok": True}
        token = get_token_tls(emulator, context)
        answer = call(emulator, "GET", JOBS_PATH % EU_DE, {"X-Auth-Token": token}, context=context)
        assert answer.status == 200
        with pytest.raises(ssl.SSLError):
            call(emulator, "GET", "/__emulator__/health", context=ssl.create_default_context())
    assert not os.path.exists(emulator.ca_path)


def get_token_tls(emulator, context):
    """Issue an eu-de token over HTTPS."""
    answer = call(emulator, "POST", "/v3/auth/tokens", {}, password_body({"name": "eu-de"}), context=context)
    return answer.headers["x-subject-token"]


def test_bulk_jobs_are_fast():
    # CPU seconds of this process (the emulator runs in its threads), not wall time: a loaded machine slows the
    # wall clock, not the work
    started = time.process_time()
    with start_emulator(bulk_jobs=10000) as emulator:
        token = get_token(emulator, "eu-nl")
        conn = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
        seen = set()
        for page in range(1, 101):
            conn.request("GET", JOBS_PATH % seed.EU_NL + "?per_page=100&page=%d" % page, headers={"X-Auth-Token": token})
            body = json.loads(conn.getresponse().read())
            assert body["job_total_count"] == 10000 and body["job_count_limit"] == 0
            seen.update(job["job_id"] for job in body["jobs"])
        conn.close()
        assert seen == set(range(100001, 110001))
        assert job_ids(list_jobs(emulator, token, project=seed.EU_NL, status=21, per_page=1)) == [100022]
    assert time.process_time() - started < 15


CLI = os.path.join(EMULATOR_DIR, "emulator.py")


def run_cli(tmp_path, *args):
    """Start the CLI and wait for its port file; return (process, port, port file)."""
    port_file = tmp_path / "port"
    process = subprocess.Popen([sys.executable, CLI, "--port", "0", "--port-file", str(port_file)] + list(args),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 20
    while not port_file.exists():
        assert process.poll() is None, process.communicate()
        assert time.time() < deadline
        time.sleep(0.05)
    return process, int(port_file.read_text()), port_file


class _PortOnly:
    def __init__(self, port):
        self.port = port


def test_cli_starts_logs_and_stops_on_sigterm(tmp_path):
    log_file = tmp_path / "access.log"
    pid_file = tmp_path / "pid"
    process, port, port_file = run_cli(tmp_path, "--log-file", str(log_file), "--pid-file", str(pid_file))
    try:
        assert int(pid_file.read_text()) == process.pid
        target = _PortOnly(port)
        assert call(target, "GET", "/__emulator__/health").json() == {"ok": True}
        token = get_token(target)
        assert list_jobs(target, token).status == 200
        signed_call(target, "GET", JOBS_PATH % EU_DE, extra={"X-Security-Token": seed.SECURITY_TOKEN},
                    access_key=seed.TEMP_AK, secret_key=seed.TEMP_SK)
    finally:
        process.send_signal(signal.SIGTERM)
        out, _err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert out.decode().strip() == "emulator listening on http://127.0.0.1:%d" % port
    assert not port_file.exists() and not pid_file.exists()
    log = log_file.read_text()
    assert "kind=list auth=token" in log and "/v3/auth/tokens 201 kind=iam_token auth=password" in log
    for secret in (token, seed.USER_PASSWORD, seed.PERMANENT_SK, seed.TEMP_SK, seed.SECURITY_TOKEN, "MIIEMU"):
        assert secret not in log


def test_cli_stops_after_max_requests(tmp_path):
    process, port, _port_file = run_cli(tmp_path, "--max-requests", "2")
    try:
        target = _PortOnly(port)
        call(target, "GET", "/__emulator__/health")
        call(target, "GET", "/__emulator__/health")
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_cli_lifetime_and_host_checks(tmp_path):
    process, _port, _port_file = run_cli(tmp_path, "--lifetime", "0.5")
    assert process.wait(timeout=10) == 0
    process.communicate()
    rejected = subprocess.run([sys.executable, CLI, "--host", "0.0.0.0", "--port", "0"], capture_output=True, timeout=20, check=False)
    assert rejected.returncode == 2 and b"loopback" in rejected.stderr


def test_cli_interactive_has_no_limits(monkeypatch):
    """--interactive (make emulator) runs until Ctrl-C: no lifetime and no request limit, whatever else is given;
    without it the limits stay (tests are bounded)."""
    import emulator as cli  # pylint: disable=import-outside-toplevel

    seen = []

    class _Stopped:
        url, port, servers = "http://127.0.0.1:1", 1, []

        def __init__(self, **options):
            seen.append(options)
            self.access_log = type("Log", (), {"message": staticmethod(lambda text: None)})()

        def start(self):
            return self

        def wait(self, _timeout):
            return True

    monkeypatch.setattr(cli, "Emulator", _Stopped)
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)
    assert cli.main(["--interactive", "--lifetime", "5", "--max-requests", "7"]) == 0
    assert cli.main(["--lifetime", "5", "--max-requests", "7"]) == 0
    assert [(options["lifetime"], options["max_requests"]) for options in seen] == [(None, 0), (5, 7)]


def test_cli_interactive_prints_the_exports(tmp_path):
    process, port, _port_file = run_cli(tmp_path, "--interactive")
    try:
        # more requests than a test emulator would need; it keeps serving
        assert call(_PortOnly(port), "GET", "/__emulator__/health").json() == {"ok": True}
    finally:
        process.send_signal(signal.SIGINT)
        out, _err = process.communicate(timeout=10)
    assert process.returncode == 0
    url = "http://127.0.0.1:%d" % port
    exports = [line for line in out.decode().splitlines() if line.startswith("export ")]
    assert exports == ["export HWCLOUD_IAM_ENDPOINT=" + url, "export HWCLOUD_MODELARTS_ENDPOINT=" + url,
                       "export HWCLOUD_REGION=eu-de", "export HWCLOUD_ACCESS_KEY=" + seed.PERMANENT_AK,
                       "export HWCLOUD_SECRET_KEY=" + seed.PERMANENT_SK]
    assert "# a running job of its seed: job_id 101, name tb-resnet50" in out.decode()
    assert [job["status"] for job in seed.seed_jobs()[seed.EU_DE] if job["job_id"] == 101 and job["job_name"] == "tb-resnet50"] == [8]


def test_cli_port_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        busy = subprocess.run([sys.executable, CLI, "--port", str(taken.getsockname()[1])], capture_output=True,
                              timeout=20, check=False)
    assert busy.returncode == 2 and b"--port 0 picks a free port" in busy.stderr and b"Traceback" not in busy.stderr


def test_cli_tls(tmp_path):
    cert_dir = tmp_path / "certs"
    process, port, _port_file = run_cli(tmp_path, "--tls", "--cert-dir", str(cert_dir))
    try:
        assert sorted(os.listdir(str(cert_dir))) == ["ca.pem", "server-key.pem", "server.pem"]
        context = ssl.create_default_context(cafile=str(cert_dir / "ca.pem"))
        assert call(_PortOnly(port), "GET", "/__emulator__/health", context=context, host="localhost").json() == {"ok": True}
    finally:
        process.send_signal(signal.SIGTERM)
        out, _err = process.communicate(timeout=10)
    assert out.decode().strip() == "emulator listening on https://127.0.0.1:%d" % port
    rejected = subprocess.run([sys.executable, CLI, "--tls", "--port", "0"], capture_output=True, timeout=20, check=False)
    assert rejected.returncode == 2 and b"--cert-dir" in rejected.stderr


def test_workspaces_and_page_cap(emu):
    assert signed_call(emu, "GET", JOBS_PATH % EU_DE, "workspace_id=0", extra={"X-Project-Id": EU_DE}).status == 200
    missing = signed_call(emu, "GET", JOBS_PATH % EU_DE, "workspace_id=ws-x", extra={"X-Project-Id": EU_DE})
    assert (missing.status, missing.json()["error_code"]) == (400, "ModelArts.0102")
    admin(emu, "POST", "page-cap", {"max_per_page": 2})
    capped = signed_call(emu, "GET", JOBS_PATH % EU_DE, "per_page=100", extra={"X-Project-Id": EU_DE})
    assert len(capped.json()["jobs"]) == 2 and capped.json()["job_total_count"] > 2
    admin(emu, "POST", "reset")
    assert len(signed_call(emu, "GET", JOBS_PATH % EU_DE, "per_page=100", extra={"X-Project-Id": EU_DE}).json()["jobs"]) > 2


def test_foreign_listener_shares_state_and_is_logged_apart():
    with start_emulator(foreign_listener=True) as emu:
        assert emu.foreign_url and emu.foreign_url != emu.url

        class Foreign:  # what call() needs of an emulator: its port
            port = emu.servers[1].server_address[1]

        assert get_token(Foreign)
        assert call(emu, "GET", "/__emulator__/health").status == 200
        entries = admin(emu, "GET", "requests")["requests"]
        assert [(entry["kind"], entry["listener"]) for entry in entries] == [("iam_token", "foreign")]


def test_fault_short_list(emu):
    token = get_token(emu)
    add_faults(emu, {"kind": "list", "page": 1, "action": "short_list", "missing": 2})
    short = list_jobs(emu, token, per_page=5).json()
    assert [int(job["job_id"]) for job in short["jobs"]] == [101, 102, 103] and short["job_total_count"] == 14
    assert short["is_success"] is True and short["job_count_limit"] == 986
    whole = list_jobs(emu, token, per_page=5).json()  # the fault applied once
    assert len(whole["jobs"]) == 5 and whole["job_total_count"] == 14
    add_faults(emu, {"kind": "list", "action": "short_list", "missing": 20})
    assert list_jobs(emu, token, status=8).json() == dict(list_jobs(emu, token, status=8).json(), jobs=[])
    log = admin(emu, "GET", "requests")["requests"]
    assert [entry["fault"] for entry in log if entry["kind"] == "list"] == ["short_list", None, "short_list", None]
    for bad in ({"action": "short_list"}, {"kind": "details", "action": "short_list"},
                {"kind": "list", "action": "short_list", "missing": 0}):
        answer = call(emu, "POST", "/__emulator__/faults", {}, json.dumps({"faults": [bad]}).encode())
        assert answer.status == 400 and "short_list needs kind list" in answer.json()["error"], bad
