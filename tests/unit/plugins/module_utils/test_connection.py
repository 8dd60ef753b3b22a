# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each auth flow, project id resolution, pagination and error mapping against the bundled emulator."""

from __future__ import annotations

import pytest

pytest.importorskip("requests")

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _connection, _options, _retry  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._connection import Connection  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModelArtsError  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._transport import Transport  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._visualization_jobs import find_jobs  # noqa: E402 pylint: disable=wrong-import-position

EU_DE = "5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00"
EU_NL = "7d4c3b2a19f84e6d5c4b3a2918f7e6d5"
PASSWORD = dict(username="demo-user", password="Demo-Passw0rd!", domain_name="demo-domain")
AKSK = dict(access_key="EMUAK0000000000000001", secret_key="emu-secret-key-0000000000000000000000000001")
TEMPORARY = dict(access_key="EMUTMPAK000000000001", secret_key="emu-temp-secret-00000000000000000000000001",
                 security_token="emu-security-token-000000000000000000000000000001")


def connect(emulator, retries=0, **values):
    params = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items())
    params.update(region="eu-de", iam_endpoint=emulator.url, modelarts_endpoint=emulator.url, retries=retries, timeout=5)
    params.update(values)
    settings = _options.connection_settings(params, {})
    policy = _retry.RetryPolicy(retries, sleep=lambda seconds: None)
    return Connection(settings, Transport(settings.timeout, retries, settings.verify, policy=policy))


def issued_token(emulator):
    connection = connect(emulator, **PASSWORD)
    connection.authenticate()
    return connection.token


def test_password_flow_costs_one_token_request(emulator):
    jobs, job = find_jobs(connect(emulator, **PASSWORD), job_id=101)
    assert job["job_name"] == "tb-resnet50" and job["phase"] == "running" and jobs == [job]
    assert emulator.kinds() == ["iam_token", "details"]


def test_password_flow_scoped_by_project_name(emulator):
    _jobs, job = find_jobs(connect(emulator, project_name="cn-north-4", **PASSWORD), job_id=201)
    assert job["job_name"] == "cn-tb-a"


def test_token_with_project_id_is_one_request(emulator):
    token = issued_token(emulator)
    emulator.admin("POST", "reset")
    _jobs, job = find_jobs(connect(emulator, auth_token=token, project_id=EU_DE), job_id=102)
    assert job["status_name"] == "completed"
    assert emulator.kinds() == ["details"]


def test_token_without_project_id_asks_iam_once(emulator):
    token = issued_token(emulator)
    emulator.admin("POST", "reset")
    connection = connect(emulator, auth_token=token)
    find_jobs(connection, job_id=102)
    assert connection.project_id == EU_DE
    assert emulator.kinds() == ["iam_token_check", "details"]


def test_aksk_with_project_id_is_one_signed_request(emulator):
    find_jobs(connect(emulator, project_id=EU_DE, **AKSK), job_id=101)
    assert [(entry["kind"], entry["auth"]) for entry in emulator.requests()] == [("details", "aksk")]


def test_aksk_without_project_id_looks_the_project_up(emulator):
    connection = connect(emulator, **AKSK)
    find_jobs(connection, job_id=101)
    assert connection.project_id == EU_DE
    assert emulator.kinds() == ["iam_projects", "details"]


def test_temporary_aksk_sends_the_security_token(emulator):
    _jobs, job = find_jobs(connect(emulator, project_id=EU_DE, **TEMPORARY), job_id=101)
    assert job["job_id"] == 101


def test_wrong_secret_key_is_apigw_0301(emulator):
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, project_id=EU_DE, access_key=AKSK["access_key"], secret_key="wrong"), job_id=101)
    assert error.value.status_code == 401 and error.value.error_code == "APIGW.0301"
    assert "check access_key and secret_key" in str(error.value)


def test_clock_skew_gives_a_clock_hint(emulator):
    emulator.admin("POST", "clock", {"offset_seconds": 3600})
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, project_id=EU_DE, **AKSK), job_id=101)
    assert error.value.error_code == "APIGW.0303" and "clock" in str(error.value)


def test_wrong_project_id_gives_a_project_hint(emulator):
    token = issued_token(emulator)
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, auth_token=token, project_id=EU_NL), job_id=101)
    assert (error.value.status_code, error.value.error_code) == (403, "ModelArts.0210")
    assert "check project_id" in str(error.value)


def test_expired_token_is_renewed_once_with_password_auth(emulator):
    emulator.faults({"kind": "details", "action": "expire_token"})
    _jobs, job = find_jobs(connect(emulator, **PASSWORD), job_id=101)
    assert job["job_id"] == 101
    assert emulator.kinds() == ["iam_token", "details", "iam_token", "details"]


def test_a_second_401_fails_instead_of_looping(emulator):
    emulator.faults({"kind": "details", "action": "expire_token", "times": 2})
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, **PASSWORD), job_id=101)
    assert (error.value.status_code, error.value.error_code) == (401, "ModelArts.0202")
    assert emulator.kinds() == ["iam_token", "details", "iam_token", "details"]


def test_a_long_lived_connection_renews_its_token_on_every_expiry(emulator):
    connection = connect(emulator, **PASSWORD)
    for _round in range(3):
        find_jobs(connection, job_id=101)
        emulator.admin("POST", "expire-tokens")
    find_jobs(connection, job_id=101)
    # one token per expiry, each re-issued after one 401, never a second 401 in a row
    assert emulator.kinds() == ["iam_token", "details"] + ["details", "iam_token", "details"] * 3


def test_every_token_a_connection_was_issued_stays_one_of_its_secrets(emulator):
    # a renewed token replaces the one in use, and the expired one must still be masked (and registered with core)
    connection = connect(emulator, **PASSWORD)
    for _round in range(2):
        find_jobs(connection, job_id=101)
        emulator.admin("POST", "expire-tokens")
    find_jobs(connection, job_id=101)
    issued = emulator.admin("GET", "tokens")["tokens"]
    assert len(issued) == 3 and set(issued) <= set(connection.secrets())


def test_a_token_about_to_expire_is_reissued_before_the_request(emulator):
    clock = [None]
    connection = connect(emulator, **PASSWORD)
    connection._now = lambda: clock[0]  # pylint: disable=protected-access
    connection.authenticate()
    expiry = _connection._expiry(connection.expires_at)  # pylint: disable=protected-access
    clock[0] = expiry - _connection.timedelta(seconds=_connection.RENEW_MARGIN_SECONDS + 1)
    find_jobs(connection, job_id=101)
    clock[0] = expiry - _connection.timedelta(seconds=_connection.RENEW_MARGIN_SECONDS - 1)
    find_jobs(connection, job_id=101)
    assert emulator.kinds() == ["iam_token", "details", "iam_token", "details"]


def test_expired_pre_issued_token_is_not_renewed(emulator):
    token = issued_token(emulator)
    emulator.admin("POST", "expire-tokens")
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, auth_token=token, project_id=EU_DE), job_id=101)
    assert error.value.error_code == "ModelArts.0202" and "request a new one" in str(error.value)


def test_wrong_password_reports_iam_message(emulator):
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, username="demo-user", password="nope", domain_name="demo-domain"), job_id=101)
    assert error.value.status_code == 401 and "username or password is wrong" in str(error.value)
    assert "nope" not in str(error.value)
    # the request id of the IAM answer, as the emulator sent it (an AuthError keeps it)
    assert error.value.request_id == emulator.requests()[-1]["request_id"]
    assert error.value.request_id and error.value.request_id in str(error.value)


def test_unknown_job_id_is_nothing_found(emulator):
    assert find_jobs(connect(emulator, project_id=EU_DE, **AKSK), job_id=999999) == ([], None)


def test_list_follows_every_page(emulator):
    jobs, job = find_jobs(connect(emulator, project_id=EU_NL, **AKSK))
    assert len(jobs) == 250 and job is None
    assert len({entry["job_id"] for entry in jobs}) == 250
    queries = [entry["query"] for entry in emulator.requests()]
    assert len(queries) == 3 and all("per_page=100" in query for query in queries)


def test_a_failing_second_page_fails_the_list(emulator):
    emulator.faults({"kind": "list", "page": 2, "action": "status", "status": 500, "times": -1})
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, project_id=EU_NL, retries=1, **AKSK))
    assert error.value.status_code == 500 and "page=2" in error.value.url


def test_single_status_is_filtered_by_the_api(emulator):
    jobs, _job = find_jobs(connect(emulator, project_id=EU_DE, **AKSK), statuses=[8])
    assert {job["job_id"] for job in jobs} == {101, 110, 112, 113}
    assert "status=8" in emulator.requests()[0]["query"]


def test_several_statuses_are_filtered_locally(emulator):
    jobs, _job = find_jobs(connect(emulator, project_id=EU_DE, **AKSK), statuses=[11, 13])
    assert sorted(job["job_id"] for job in jobs) == [104, 105]
    assert "status=" not in emulator.requests()[0]["query"]


def test_name_is_an_exact_match(emulator):
    jobs, job = find_jobs(connect(emulator, project_id=EU_DE, **AKSK), name="tb-resnet50")
    assert [entry["job_id"] for entry in jobs] == [101] and job["job_id"] == 101
    jobs, job = find_jobs(connect(emulator, project_id=EU_DE, **AKSK), name="tb-duplicate")
    assert [entry["job_id"] for entry in jobs] == [113, 114] and job["job_id"] == 113
    assert find_jobs(connect(emulator, project_id=EU_DE, **AKSK), name="no-such-job") == ([], None)


def test_sorting_is_passed_to_the_api(emulator):
    jobs, _job = find_jobs(connect(emulator, project_id=EU_DE, **AKSK), sort_by="create_time", order="desc")
    times = [job["create_time"] for job in jobs]
    assert times == sorted(times, reverse=True)


def test_string_numbers_are_normalized(emulator):
    _jobs, job = find_jobs(connect(emulator, project_id=EU_DE, **AKSK), job_id=112)
    assert job["job_id"] == 112 and job["status"] == 8 and isinstance(job["create_time"], int)


def test_retries_then_success(emulator):
    emulator.faults({"kind": "details", "action": "status", "status": 503, "times": 2})
    _jobs, job = find_jobs(connect(emulator, project_id=EU_DE, retries=3, **AKSK), job_id=101)
    assert job["job_id"] == 101 and emulator.kinds() == ["details"] * 3


class _TlsEmulator:
    def __init__(self, server):
        self.url = server.url


@pytest.mark.parametrize("bundle", [None, "/etc/ssl/certs/ca-certificates.crt"])
def test_tls_verification_even_with_requests_ca_bundle(tls_emulator, monkeypatch, bundle):
    """REQUESTS_CA_BUNDLE must not override ca_path or validate_certs (requests gives it precedence over Session.verify)."""
    if bundle:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)
    else:
        monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
        monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    target = _TlsEmulator(tls_emulator)
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(target, project_id=EU_DE, **AKSK), job_id=101)
    assert "certificate was not trusted" in str(error.value) and "ca_path" in str(error.value)
    assert find_jobs(connect(target, project_id=EU_DE, ca_path=tls_emulator.ca_path, **AKSK), job_id=101)[1]["job_id"] == 101
    assert find_jobs(connect(target, project_id=EU_DE, validate_certs=False, **AKSK), job_id=101)[1]["job_id"] == 101


def test_a_gateway_404_is_a_failure_not_a_missing_job(emulator):
    """APIGW.0101 means the route does not exist (wrong endpoint, retired API): never report "no such job"."""
    emulator.faults({"kind": "details", "action": "status", "status": 404,
                     "body": {"error_code": "APIGW.0101", "error_msg": "The API does not exist or has not been published"}})
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, project_id=EU_DE, **AKSK), job_id=101)
    assert (error.value.status_code, error.value.error_code) == (404, "APIGW.0101")


def test_a_keystone_404_for_the_token_is_an_auth_failure_not_a_missing_job(emulator):
    """Keystone answers 404 "Could not find token" for a token it does not know: never "no such job"."""
    emulator.faults({"kind": "iam_token_check", "action": "status", "status": 404,
                     "body": {"error": {"code": 404, "message": "Could not find token: abc.", "title": "Not Found"}}})
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, auth_token="unknown-token"), job_id=101)
    assert error.value.status_code == 404 and "authentication failed: Could not find token" in str(error.value)
    assert emulator.kinds() == ["iam_token_check"]


@pytest.mark.parametrize("kind, credentials", [("iam_token", PASSWORD), ("iam_projects", AKSK)])
def test_any_iam_404_is_an_auth_failure(emulator, kind, credentials):
    emulator.faults({"kind": kind, "action": "status", "status": 404,
                     "body": {"error": {"code": 404, "message": "Not here.", "title": "Not Found"}}})
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, **credentials), job_id=101)
    assert error.value.status_code == 404 and "authentication failed" in str(error.value)
    assert emulator.kinds() == [kind]


@pytest.mark.parametrize("body", [
    {"error": {"code": 404, "message": "Could not find token.", "title": "Not Found"}},
    "<html><body>404 Not Found</body></html>",
    {"error_msg": "no code"},
])
def test_only_a_modelarts_coded_404_on_the_details_means_not_found(emulator, body):
    emulator.faults({"kind": "details", "action": "status", "status": 404, "body": body,
                     "headers": {"Content-Type": "text/html"} if isinstance(body, str) else {}})
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, project_id=EU_DE, **AKSK), job_id=101)
    assert error.value.status_code == 404


@pytest.mark.parametrize("fault, message", [
    ({"action": "status", "status": 302, "body": "", "headers": {"Location": "https://127.0.0.1:1/v1/x"}},
     "redirected the request (to https://127.0.0.1:1/v1/x)"),
    ({"action": "status", "status": 200, "body": ""}, "answered with an empty body instead of a JSON object"),
    ({"action": "status", "status": 200, "body": []}, "answered with a JSON array instead of a JSON object"),
    ({"action": "status", "status": 200, "body": {"is_success": True}}, "have no job_id: not known to be the job asked for"),
])
def test_only_a_real_answer_becomes_a_job(emulator, fault, message):
    emulator.faults(dict(fault, kind="details"))
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, project_id=EU_DE, **AKSK), job_id=197)
    assert message in str(error.value)


def test_a_capped_page_size_does_not_truncate_the_list(emulator):
    emulator.admin("POST", "page-cap", {"max_per_page": 40})
    warnings = []
    jobs, _job = find_jobs(connect(emulator, project_id=EU_NL, **AKSK), warn=warnings.append)
    assert len({job["job_id"] for job in jobs}) == 250 and warnings == []
    assert len(emulator.requests()) == 7  # ceil(250 / 40)


def test_a_list_ending_below_its_total_warns_with_both_numbers(emulator):
    emulator.faults({"kind": "list", "page": 2, "action": "status", "status": 200,
                     "body": {"is_success": True, "job_total_count": 250, "jobs": []}})
    warnings = []
    jobs, _job = find_jobs(connect(emulator, project_id=EU_NL, **AKSK), warn=warnings.append)
    assert len(jobs) == 100
    assert warnings == ["the job list ended after 100 jobs although ModelArts reported job_total_count 250;"
                        " the jobs returned may be incomplete"]
    assert len(emulator.requests()) == 2


def test_pages_that_disagree_on_the_total_warn_with_both_numbers(emulator):
    emulator.admin("POST", "page-cap", {"max_per_page": 40})
    page_2 = emulator.admin("GET", "jobs")["jobs"][EU_NL][40:80]  # the jobs of page 2, under another total
    emulator.faults({"kind": "list", "page": 2, "action": "status", "status": 200,
                     "body": {"is_success": True, "job_total_count": 249, "jobs": page_2}})
    warnings = []
    jobs, _job = find_jobs(connect(emulator, project_id=EU_NL, **AKSK), warn=warnings.append)
    assert len({job["job_id"] for job in jobs}) == 250  # every job read, yet the list changed while it was paged
    assert warnings == ["the job list changed while it was read: page 2 reported job_total_count 249, page 1 250;"
                        " the jobs returned may be incomplete"]


def test_without_a_total_a_short_page_ends_the_list(emulator):
    emulator.faults({"kind": "list", "page": 1, "action": "status", "status": 200,
                     "body": {"is_success": True, "jobs": [{"job_id": 1, "job_name": "a", "status": 8}]}})
    jobs, _job = find_jobs(connect(emulator, project_id=EU_NL, **AKSK))
    assert [job["job_id"] for job in jobs] == [1] and len(emulator.requests()) == 1


def test_workspace_id_is_sent_only_when_given(emulator):
    find_jobs(connect(emulator, project_id=EU_DE, **AKSK), name="tb-resnet50")
    find_jobs(connect(emulator, project_id=EU_DE, **AKSK), name="tb-resnet50", workspace_id="0")
    queries = [entry["query"] for entry in emulator.requests()]
    assert "workspace_id" not in queries[0] and "workspace_id=0" in queries[1]
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, project_id=EU_DE, **AKSK), workspace_id="ws-unknown")
    assert (error.value.status_code, error.value.error_code) == (400, "ModelArts.0102")
