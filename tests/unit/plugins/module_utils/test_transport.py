# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retries, backoff and error decoding of the transport, with a scripted session (no network)."""

from __future__ import annotations

import itertools
import json
import os
import time

import pytest

requests = pytest.importorskip("requests")

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _retry, _transport, _version  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModelArtsError  # noqa: E402 pylint: disable=wrong-import-position

URL = "https://modelarts.example.com/v1/p/visualization-jobs"


_REQUEST_IDS = itertools.count(1)


def answer(status, body=None, headers=None, raw=None):
    """A response; each one carries its own X-Request-Id (``req-<status>-<n>``) unless ``headers`` set one."""
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    response.headers.setdefault("X-Request-Id", "req-%d-%d" % (status, next(_REQUEST_IDS)))
    response._content = raw if raw is not None else json.dumps(body if body is not None else {}).encode()  # pylint: disable=protected-access
    return response


class ScriptedSession:
    """Plays a list of answers (or exceptions to raise) and records the requests."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []
        self.headers = {}
        self.verify = True

    def request(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def close(self):
        pass


def transport(script, retries=3):
    waits = []
    policy = _retry.RetryPolicy(retries, sleep=waits.append, rand=lambda: 0.5)
    client = _transport.Transport(timeout=5, retries=retries, policy=policy)
    client.session = ScriptedSession(script)
    return client, waits


def test_success_decodes_json_and_sends_query_sorted_and_encoded():
    client, waits = transport([answer(200, {"jobs": [], "is_success": True})])
    response = client.request("GET", URL, [("search_content", "a b"), ("page", 1)])
    assert response.data == {"jobs": [], "is_success": True}
    assert client.session.calls[0][1] == URL + "?page=1&search_content=a%20b"
    assert waits == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_with_exponential_backoff(status):
    client, waits = transport([answer(status, {"error_code": "X"}), answer(status), answer(200, {"ok": 1})])
    assert client.request("GET", URL).data == {"ok": 1}
    assert len(client.session.calls) == 3
    assert waits == [0.375, 0.75]


def test_retry_after_is_honoured():
    client, waits = transport([answer(429, {"error_msg": "slow down"}, {"Retry-After": "2"}), answer(200, {})])
    client.request("GET", URL)
    assert waits == [2.0]


def test_retry_after_longer_than_the_limit_fails_at_once():
    client, waits = transport([answer(429, {}, {"Retry-After": "3600"})])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert "retry after 3600 seconds" in str(error.value)
    assert waits == []


def test_persistent_errors_fail_after_all_attempts_with_status_and_count():
    answers = [answer(503, {"error_code": "ModelArts.0010", "error_msg": "busy"}) for _attempt in range(4)]
    client, waits = transport(answers)
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    text = str(error.value)
    last_id = answers[-1].headers["X-Request-Id"]  # the id of the answer that failed the task, not of an earlier one
    assert "failed after 4 attempts" in text and "HTTP 503 ModelArts.0010: busy" in text and last_id in text
    assert len(waits) == 3
    assert error.value.result() == {"msg": text, "status_code": 503, "error_code": "ModelArts.0010", "request_id": last_id}


def test_no_retry_means_one_attempt():
    client, _waits = transport([answer(502)], retries=0)
    with pytest.raises(ModelArtsError):
        client.request("GET", URL)
    assert len(client.session.calls) == 1


@pytest.mark.parametrize("status, body, code", [
    (400, {"is_success": False, "error_code": "ModelArts.0104", "error_message": "bad"}, "ModelArts.0104"),
    (401, {"error_code": "ModelArts.0203", "error_msg": "Invalid token."}, "ModelArts.0203"),
    (403, {"error": {"code": "ModelArts.0210", "message": "mismatch"}}, "ModelArts.0210"),
])
def test_client_errors_are_not_retried(status, body, code):
    reply = answer(status, body)
    client, waits = transport([reply])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert (error.value.status_code, error.value.error_code) == (status, code)
    assert error.value.result()["request_id"] == reply.headers["X-Request-Id"]
    assert waits == [] and len(client.session.calls) == 1


def test_404_is_an_error_with_its_code():
    client, _waits = transport([answer(404, {"error_code": "ModelArts.0015", "error_message": "missing"})])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert (error.value.status_code, error.value.error_code) == (404, "ModelArts.0015")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_an_error_naming_the_location(status):
    client, _waits = transport([answer(status, None, headers={"Location": "https://other.example.com/v1/x"})])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    text = str(error.value)
    assert error.value.status_code == status and "https://other.example.com/v1/x" in text
    assert "redirects are not followed" in text and "check the endpoint's scheme" in text
    assert len(client.session.calls) == 1 and client.session.calls[0][2]["allow_redirects"] is False


@pytest.mark.parametrize("status, raw, kind", [
    (200, b"", "an empty body"),
    (204, b"", "an empty body"),
    (200, b"[]", "a JSON array"),
    (200, b'"ok"', "a JSON string"),
    (200, b"7", "a JSON number"),
    (200, b"null", "a JSON null"),
    (201, b"true", "a JSON boolean"),
])
def test_a_success_needs_a_json_object(status, raw, kind):
    client, _waits = transport([answer(status, raw=raw)])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert "HTTP %d: the server answered with %s instead of a JSON object" % (status, kind) in str(error.value)


def test_is_success_false_in_a_200_is_an_error():
    client, _waits = transport([answer(200, {"is_success": False, "error_code": "ModelArts.0104", "error_message": "nope"})])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert "HTTP 200 ModelArts.0104: nope" in str(error.value)


def test_html_page_gives_status_and_excerpt():
    page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>nginx</body></html>"
    client, _waits = transport([answer(502, raw=page, headers={"Content-Type": "text/html"})], retries=0)
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert "HTTP 502" in str(error.value) and "an HTML page instead of JSON: 502 Bad Gateway 502 Bad Gateway nginx" in str(error.value)


def test_truncated_json_is_reported_not_retried():
    client, _waits = transport([answer(200, raw=b'{"jobs": [{"job_id": 1, "job_na')])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert "not valid JSON" in str(error.value) and '{"jobs": [{"job_id": 1' in str(error.value)
    assert len(client.session.calls) == 1


def test_connection_errors_and_read_timeouts_are_retried_and_named():
    refused = requests.exceptions.ConnectionError("HTTPSConnectionPool(host='x', port=1): Max retries exceeded "
                                                  "(Caused by NewConnectionError('Failed to establish a new connection: "
                                                  "[Errno 111] Connection refused'))")
    timeout = requests.exceptions.ReadTimeout("HTTPSConnectionPool(host='x', port=1): Read timed out. (read timeout=5)")
    client, waits = transport([refused, timeout, refused, refused])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert "failed after 4 attempts: could not connect to modelarts.example.com: connection refused" in str(error.value)
    assert len(waits) == 3


# The other failures guide_reliability.rst lists as retried, which the emulator cannot produce.
@pytest.mark.parametrize("exception, text", [
    (requests.exceptions.ConnectionError("HTTPSConnectionPool(host='x', port=443): Max retries exceeded (Caused by "
                                         "NameResolutionError(\"Failed to resolve 'x' ([Errno -2] Name or service not "
                                         "known)\"))"), "the host name could not be resolved"),
    (requests.exceptions.ProxyError("HTTPSConnectionPool(host='x', port=443): Max retries exceeded (Caused by "
                                    "ProxyError('Unable to connect to proxy'))"), "through the proxy"),
    (requests.exceptions.ConnectTimeout("HTTPSConnectionPool(host='x', port=443): Max retries exceeded (Caused by "
                                        "ConnectTimeoutError('Connection to x timed out. (connect timeout=5)'))"),
     "within 5 s (connect timeout)"),
    (requests.exceptions.ConnectionError("('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))"),
     "closed the connection without an answer"),
    (requests.exceptions.ChunkedEncodingError("('Connection broken: IncompleteRead(10 bytes read, 90 more expected)', "
                                              "IncompleteRead(10 bytes read, 90 more expected))"), "could not connect to"),
])
def test_other_connection_failures_are_retried_and_named(exception, text):
    client, waits = transport([exception, exception, answer(200, {"ok": 1})])
    assert client.request("GET", URL).data == {"ok": 1}
    assert waits == [0.375, 0.75]
    client, waits = transport([exception] * 4)
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert "failed after 4 attempts" in str(error.value) and text in str(error.value)
    assert error.value.result()["status_code"] is None and error.value.result()["request_id"] is None


@pytest.mark.parametrize("error_text", [
    "hostname 'x' doesn't match 'modelarts.example.com'",
    "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)",
    "[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure (_ssl.c:1006)",
])
def test_other_tls_errors_are_not_retried(error_text):
    client, waits = transport([requests.exceptions.SSLError(error_text)])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert str(error.value).endswith("TLS error talking to modelarts.example.com: %s" % error_text)
    assert waits == [] and len(client.session.calls) == 1


@pytest.mark.parametrize("status", [500, 502, 504])
def test_retry_after_on_other_statuses_is_ignored(status):
    client, waits = transport([answer(status, {}, {"Retry-After": "30"}), answer(200, {})])
    client.request("GET", URL)
    assert waits == [0.375]


@pytest.mark.parametrize("seconds, waits", [("60", [60.0]), ("61", [])])
def test_retry_after_is_honoured_up_to_60_seconds(seconds, waits):
    client, waited = transport([answer(429, {}, {"Retry-After": seconds}), answer(200, {})])
    if waits:
        client.request("GET", URL)
    else:
        with pytest.raises(ModelArtsError, match="retry after 61 seconds, longer than this module waits"):
            client.request("GET", URL)
    assert waited == waits


def test_retry_after_on_503_is_honoured():
    client, waits = transport([answer(503, {}, {"Retry-After": "7"}), answer(200, {})])
    client.request("GET", URL)
    assert waits == [7.0]


def test_tls_errors_are_not_retried_and_explain_the_fix():
    error_text = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in certificate chain (_ssl.c:1006)"
    client, _waits = transport([requests.exceptions.SSLError(error_text)])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert "certificate was not trusted (self-signed certificate in certificate chain)" in str(error.value)
    assert "ca_path" in str(error.value)
    assert len(client.session.calls) == 1


def test_authorize_runs_for_every_attempt():
    seen = []

    def authorize(method, url, query, headers, body):
        seen.append((method, url, query))
        return dict(headers, Authorization="sig-%d" % len(seen))

    client, _waits = transport([answer(500), answer(200, {})])
    client.request("GET", URL, [("a", "1")], authorize=authorize)
    assert seen == [("GET", URL, "a=1")] * 2
    assert client.session.calls[1][2]["headers"]["Authorization"] == "sig-2"


def test_backoff_is_capped_and_jittered():
    policy = _retry.RetryPolicy(10, rand=lambda: 1.0)
    assert [policy.backoff(n) for n in (1, 2, 3, 4, 5, 6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    policy = _retry.RetryPolicy(10, rand=lambda: 0.0)
    assert policy.backoff(1) == 0.25


@pytest.mark.parametrize("value, seconds", [("3", 3.0), ("0", 0.0), ("soon", None), (None, None)])
def test_parse_retry_after(value, seconds):
    assert _retry.parse_retry_after(value) == seconds


@pytest.mark.parametrize("zone", ["GMT", "UTC", "+0000", "-0000"])
def test_parse_retry_after_http_date_is_utc_whatever_the_zone_spelling(zone, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")  # a local zone far from UTC would show a naive parse
    if hasattr(time, "tzset"):
        time.tzset()
    try:
        assert _retry.parse_retry_after("Wed, 21 Oct 2015 07:28:10 " + zone, now=1445412480.0) == 10.0
    finally:
        monkeypatch.delenv("TZ")
        if hasattr(time, "tzset"):
            time.tzset()


def test_keystone_errors_keep_the_message_and_no_numeric_code():
    body = {"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}
    client, _waits = transport([answer(401, body)])
    with pytest.raises(ModelArtsError) as error:
        client.request("POST", URL)
    assert error.value.error_code is None
    assert "HTTP 401: The username or password is wrong." in str(error.value)


def test_gateway_404_is_not_a_not_found_error():
    client, _waits = transport([answer(404, {"error_code": "APIGW.0101", "error_msg": "The API does not exist"})])
    with pytest.raises(ModelArtsError) as error:
        client.request("GET", URL)
    assert error.value.status_code == 404 and error.value.error_code == "APIGW.0101"


def test_user_agent_names_the_collection_and_its_version():
    client = _transport.Transport(timeout=5, retries=0)
    # the version itself is galaxy.yml's (test_version.py); tools/version.py set rewrites it at each release
    assert client.session.headers["User-Agent"].startswith("hwcloud.modelarts/%s (ansible-core/" % _version.COLLECTION_VERSION)
    # the Session reads no environment: proxies and the CA bundle come from the task's environment (below)
    assert client.session.trust_env is False


HTTPS_URL = "https://modelarts.example.com/v1"
P = "http://p:3128"

# The forms requests and curl document for the proxy variables (curl's man page, "ENVIRONMENT"; requests'
# "Proxies" section): <scheme>_proxy then all_proxy, lower case before upper case, and no_proxy with host names,
# domain suffixes (with or without the leading dot), a port, IPv4 addresses, CIDR ranges and "*".
PROXY_RULES = [
    ({"https_proxy": P}, HTTPS_URL, P),
    ({"HTTPS_PROXY": "http://P:3128"}, HTTPS_URL, "http://P:3128"),
    ({"https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:1"}, "https://x.example.com/", "http://lower:1"),
    ({"http_proxy": P}, HTTPS_URL, None),
    ({"http_proxy": P}, "http://127.0.0.1:8080/v3", P),
    ({"all_proxy": "http://all:1"}, HTTPS_URL, "http://all:1"),
    ({"ALL_PROXY": "http://all:1"}, "http://127.0.0.1:8080/v3", "http://all:1"),
    ({"https_proxy": P, "all_proxy": "http://all:1"}, HTTPS_URL, P),
    ({"https_proxy": P, "no_proxy": "example.com"}, HTTPS_URL, None),
    ({"https_proxy": P, "no_proxy": ".example.com"}, HTTPS_URL, None),
    ({"https_proxy": P, "no_proxy": "modelarts.example.com"}, HTTPS_URL, None),
    ({"https_proxy": P, "no_proxy": "ample.com"}, HTTPS_URL, P),
    ({"https_proxy": P, "no_proxy": "other.org"}, HTTPS_URL, P),
    ({"https_proxy": P, "NO_PROXY": "other.org, 127.0.0.1"}, "https://127.0.0.1:8443/v1", None),
    ({"https_proxy": P, "no_proxy": "127.0.0.1:9999"}, "https://127.0.0.1:8443/v1", P),
    ({"https_proxy": P, "no_proxy": "example.com:8443"}, "https://modelarts.example.com:8443/v1", None),
    ({"https_proxy": P, "no_proxy": "example.com:9999"}, "https://modelarts.example.com:8443/v1", P),
    ({"https_proxy": P, "no_proxy": "*"}, HTTPS_URL, None),
    ({"http_proxy": P, "no_proxy": "127.0.0.0/8"}, "http://127.0.0.1:8080/v3", None),
    ({"http_proxy": P, "NO_PROXY": "127.0.0.0/8"}, "http://127.0.0.1:8080/v3", None),
    ({"http_proxy": P, "no_proxy": "10.0.0.0/8,192.168.0.0/16"}, "http://192.168.4.7/v3", None),
    ({"http_proxy": P, "no_proxy": "10.0.0.0/8"}, "http://127.0.0.1:8080/v3", P),
    ({"http_proxy": P, "no_proxy": "127.0.0.1/32"}, "http://127.0.0.1:8080/v3", None),
    ({"http_proxy": P, "no_proxy": "127.0.0.2/32"}, "http://127.0.0.1:8080/v3", P),
    ({"http_proxy": P, "no_proxy": "localhost"}, "http://localhost:8080/v3", None),
    ({"http_proxy": P, "no_proxy": ""}, "http://127.0.0.1:8080/v3", P),
    ({"http_proxy": P, "no_proxy": "localhost", "NO_PROXY": "127.0.0.0/8"}, "http://127.0.0.1:8080/v3", P),
    ({}, HTTPS_URL, None),
]


@pytest.mark.parametrize("environ, url, proxy", PROXY_RULES)
def test_the_proxy_comes_from_the_given_environment_by_requests_rules(environ, url, proxy):
    assert _transport._proxy_for(url, environ) == proxy  # pylint: disable=protected-access


@pytest.mark.parametrize("environ, url, proxy", PROXY_RULES)
def test_the_proxy_is_the_one_plain_requests_takes_from_the_process_environment(environ, url, proxy, monkeypatch):
    """The same table through requests' own Session with trust_env, as a script using plain requests would."""
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    session = requests.Session()
    settings = session.merge_environment_settings(url, {}, None, None, None)
    assert requests.utils.select_proxy(url, settings["proxies"]) == proxy


def test_the_process_proxy_variables_apply_only_through_the_given_environment(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://process-proxy:1")
    monkeypatch.setenv("no_proxy", "example.com")
    before = dict(os.environ)
    # the task's environment has no proxy at all: the worker's own variables do not apply
    assert _transport._proxy_for("https://other.org/", {}) is None  # pylint: disable=protected-access
    # the task's no_proxy, not the worker's, decides
    assert _transport._proxy_for(HTTPS_URL, {"https_proxy": P, "no_proxy": "other.org"}) == P  # pylint: disable=protected-access
    assert dict(os.environ) == before
    # the process's own environment (a module, the event source) is read as it is
    assert _transport._proxy_for(HTTPS_URL, os.environ) is None  # pylint: disable=protected-access
    assert _transport._proxy_for("https://other.org/", os.environ) == "http://process-proxy:1"  # pylint: disable=protected-access


def test_the_process_environment_is_restored_when_requests_fails(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://process-proxy:1")
    before = dict(os.environ)

    def boom(url, no_proxy=None):
        assert os.environ.get("http_proxy") == P and "HTTPS_PROXY" not in os.environ
        raise ValueError("boom")
    monkeypatch.setattr(requests.utils, "get_environ_proxies", boom)
    with pytest.raises(ValueError):
        _transport._proxy_for(HTTPS_URL, {"http_proxy": P, "PATH": "/nowhere"})  # pylint: disable=protected-access
    assert dict(os.environ) == before


def test_requests_are_sent_with_the_environment_of_the_task_not_the_process(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://process-proxy:1")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/process/ca.pem")
    environ = {"https_proxy": "http://task-proxy:3128", "REQUESTS_CA_BUNDLE": "/task/ca.pem"}
    client = _transport.Transport(timeout=5, retries=0, environ=environ)
    client.session = ScriptedSession([answer(200, {"ok": 1})])
    client.request("GET", URL)
    kwargs = client.session.calls[0][2]
    assert kwargs["proxies"] == {"https": "http://task-proxy:3128"} and kwargs["verify"] == "/task/ca.pem"
    # a CA path or validate_certs=false is never replaced by the bundle of the environment
    assert _transport.Transport(timeout=5, retries=0, verify="/given/ca.pem", environ=environ).verify == "/given/ca.pem"
    assert _transport.Transport(timeout=5, retries=0, verify=False, environ=environ).verify is False
    # without a task environment, the process's own applies
    assert _transport.Transport(timeout=5, retries=0).verify == "/process/ca.pem"


def _never_connected(cls=requests.exceptions.ConnectionError):
    """What requests raises when no connection could be made (refused, or a name that does not resolve)."""
    import urllib3  # pylint: disable=import-outside-toplevel
    reason = urllib3.exceptions.NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    return cls(urllib3.exceptions.MaxRetryError(None, URL, reason))


@pytest.mark.parametrize("failure", [
    answer(500), answer(502), answer(503), answer(504),
    requests.exceptions.ReadTimeout("Read timed out."),
    requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('Remote end closed connection'))"),
    _never_connected(requests.exceptions.ProxyError),  # the proxy may have passed the write on
])
def test_a_write_that_may_have_happened_is_sent_once(failure):
    client, waits = transport([failure, answer(200, {"ok": 1})])
    with pytest.raises(ModelArtsError) as raised:
        client.request("POST", URL, json_body={"job_name": "a"}, idempotent=False)
    assert len(client.session.calls) == 1 and waits == []
    assert raised.value.retryable and raised.value.sent  # the caller decides whether the write may have happened


@pytest.mark.parametrize("failure, wait", [
    (answer(429, {"error_code": "APIGW.0308"}, headers={"Retry-After": "2"}), 2.0),  # refused to process it
    (_never_connected(), 0.5),                                                       # never reached a server
    (requests.exceptions.ConnectTimeout("Connection to x timed out. (connect timeout=5)"), 0.5),
])
def test_a_write_that_certainly_did_not_happen_is_sent_again(failure, wait):
    client, waits = transport([failure, answer(200, {"ok": 1})])
    assert client.request("POST", URL, json_body={"job_name": "a"}, idempotent=False).data == {"ok": 1}
    assert len(client.session.calls) == 2 and waits == [pytest.approx(wait, abs=0.3)]


def test_a_read_is_retried_after_a_5xx():
    client, waits = transport([answer(504), answer(200, {"ok": 1})])
    assert client.request("GET", URL).data == {"ok": 1} and len(client.session.calls) == 2
