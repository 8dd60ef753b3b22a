# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The info module's main(): results, failures and the missing-requests path."""

from __future__ import annotations

import json
import sys

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _transport
from ansible_collections.hwcloud.modelarts.plugins.modules import modelarts_visualization_job_info as module
from ansible_collections.hwcloud.modelarts.tests.unit.plugins.modules.utils import patch_module_args, single_entry_clouds_yaml

AKSK = dict(access_key="EMUAK0000000000000001", secret_key="emu-secret-key-0000000000000000000000000001",
            project_id="5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00", region="eu-de", retries=0)


def run_module(capsys, **args):
    """Run main() with these arguments; return (exit code, result dict).

    Without ``_ansible_new_secrets``: on ansible-core 2.22 and later AnsibleModule hands the secrets the module
    registered to the controller there, which takes them out of the result before anything sees it
    (tests/unit/plugins/modules/test_core_secrets.py checks what it holds).
    """
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exited:
            module.main()
    result = json.loads(capsys.readouterr().out)
    result.pop("_ansible_new_secrets", None)
    return exited.value.code, result


def test_job_by_id(emulator, capsys):
    code, result = run_module(capsys, job_id=101, modelarts_endpoint=emulator.url, **AKSK)
    assert code == 0
    assert result["changed"] is False and "ansible_facts" not in result
    assert result["visualization_job"]["job_name"] == "tb-resnet50"
    assert result["visualization_jobs"] == [result["visualization_job"]]


def test_list_has_no_single_job_key(emulator, capsys):
    code, result = run_module(capsys, status=["completed"], modelarts_endpoint=emulator.url, **AKSK)
    assert code == 0 and "visualization_job" not in result
    assert {job["status_name"] for job in result["visualization_jobs"]} == {"completed"}


def test_cloud_error_fields(emulator, capsys):
    emulator.faults({"kind": "details", "action": "status", "status": 400,
                     "body": {"is_success": False, "error_code": "ModelArts.0104", "error_message": "Parameter error."}})
    code, result = run_module(capsys, job_id=101, modelarts_endpoint=emulator.url, **AKSK)
    assert code == 1 and result["failed"] is True
    assert (result["status_code"], result["error_code"]) == (400, "ModelArts.0104")
    # the X-Request-Id of the answer that failed, as the emulator logged it (not merely "some id")
    assert [entry["request_id"] for entry in emulator.requests()] == [result["request_id"]]
    assert "Parameter error." in result["msg"] and "Traceback" not in result["msg"]


def test_secret_values_are_masked_in_messages(emulator, capsys):
    secret = AKSK["secret_key"]
    emulator.faults({"kind": "details", "action": "status", "status": 400,
                     "body": {"error_code": "ModelArts.0104", "error_message": "echo " + secret}})
    code, result = run_module(capsys, job_id=101, modelarts_endpoint=emulator.url, **AKSK)
    assert code == 1 and secret not in json.dumps(result)


def test_bad_input_sends_nothing(emulator, capsys):
    code, result = run_module(capsys, job_id=0, modelarts_endpoint=emulator.url, **AKSK)
    assert code == 1 and result["msg"] == "job_id must be 1 or greater, got 0"
    assert emulator.requests() == []


def test_missing_requests_gives_missing_required_lib(emulator, capsys, monkeypatch):
    monkeypatch.setattr(_transport, "REQUESTS_IMPORT_ERROR", "Traceback: No module named 'requests'")
    code, result = run_module(capsys, job_id=101, modelarts_endpoint=emulator.url, **AKSK)
    assert code == 1
    assert "Failed to import the required Python library (requests)" in result["msg"]
    assert emulator.requests() == []


def test_unexpected_errors_have_a_clean_message(emulator, capsys, monkeypatch):
    def explode(*_args, **_kwargs):
        raise KeyError("surprise")
    monkeypatch.setattr(module, "find_jobs", explode)
    code, result = run_module(capsys, job_id=101, modelarts_endpoint=emulator.url, **AKSK)
    assert code == 1 and result["msg"] == "unexpected error: KeyError: 'surprise'"
    assert "Traceback" not in result["msg"]


def test_password_in_an_endpoint_url_is_masked_everywhere(emulator, capsys):
    code, result = run_module(capsys, job_id=101, modelarts_endpoint="http://admin:Sup3rS3cret@127.0.0.1:1", **AKSK)
    assert code == 1 and "must not contain user information" in result["msg"]
    assert "Sup3rS3cret" not in json.dumps(result)
    assert emulator.requests() == []


def test_empty_environment_variables_count_as_not_set(emulator, capsys, monkeypatch):
    for name in ("HWCLOUD_TIMEOUT", "HWCLOUD_RETRIES", "HWCLOUD_VALIDATE_CERTS", "HWCLOUD_CLOUD", "HWCLOUD_SECURITY_TOKEN"):
        monkeypatch.setenv(name, "")
    code, result = run_module(capsys, job_id=101, modelarts_endpoint=emulator.url, **AKSK)
    assert code == 0 and result["visualization_job"]["job_id"] == 101


def _profile(tmp_path, monkeypatch, emulator, password="Demo-Passw0rd!"):
    """A single-entry clouds.yaml for the emulator."""
    single_entry_clouds_yaml(tmp_path, monkeypatch, emulator.url, password)


def test_missing_pyyaml_gives_missing_required_lib(emulator, capsys, monkeypatch, tmp_path):
    _profile(tmp_path, monkeypatch, emulator)
    monkeypatch.setitem(sys.modules, "yaml", None)  # makes "import yaml" raise ImportError
    code, result = run_module(capsys, job_id=101)
    assert code == 1 and "Failed to import the required Python library (PyYAML)" in result["msg"]
    assert emulator.requests() == []


def test_a_profile_password_is_masked_in_messages(emulator, capsys, monkeypatch, tmp_path):
    password = "profile-only-Secret-4711"
    _profile(tmp_path, monkeypatch, emulator, password=password)
    emulator.faults({"kind": "iam_token", "action": "status", "status": 401,
                     "body": {"error": {"code": 401, "message": "wrong password " + password, "title": "Unauthorized"}}})
    code, result = run_module(capsys, job_id=101)
    assert code == 1 and "authentication failed: wrong password" in result["msg"]
    assert password not in json.dumps(result)


# -- the phase filter ---------------------------------------------------------------------------------

EU_NL = dict(AKSK, project_id="7d4c3b2a19f84e6d5c4b3a2918f7e6d5", region="eu-nl")


def _phase_run(emulator, capsys, credentials=None, page_cap=None, **args):
    credentials = credentials or AKSK
    emulator.admin("POST", "reset")
    if page_cap:
        emulator.admin("POST", "page-cap", {"max_per_page": page_cap})
    code, result = run_module(capsys, modelarts_endpoint=emulator.url, **dict(credentials, **args))
    assert code == 0, result
    return result["visualization_jobs"], [entry["query"] for entry in emulator.requests()]


@pytest.mark.parametrize("args, names, status_queries", [
    # every failed status, not only the one named "failed" (11): one unfiltered page holds all 14 seed jobs
    (dict(phase=["failed"]), ["tb-failed-run", "mi-image-failed"], [None]),
    (dict(phase=["failed", "canceled"]), ["tb-failed-run", "tb-canceled", "tb-killed", "mi-image-failed"], [None]),
    # phase and status combine: what is left is one code, which the API filters
    (dict(phase=["pending"], status=["waiting"]), ["mi-lenet"], ["7"]),
    (dict(phase=["running"], status=["failed"]), [], []),  # nothing can match: no request at all
    # unknown also covers codes outside the status table
    (dict(phase=["unknown"]), ["tb-unknown", "tb-future-code"], [None]),
    (dict(phase=["succeeded"], name="tb-bert-base"), ["tb-bert-base"], [None]),
])
def test_phase_filters_with_as_few_requests_as_possible(emulator, capsys, args, names, status_queries):
    jobs, queries = _phase_run(emulator, capsys, **args)
    assert [job["job_name"] for job in jobs] == names
    sent = [dict(pair.split("=", 1) for pair in query.split("&")).get("status") for query in queries]
    assert sent == status_queries


def test_a_phase_over_a_long_list_is_queried_per_status(emulator, capsys):
    """250 jobs at 50 a page: reading the rest (4 pages) costs more than one query per status (2)."""
    jobs, queries = _phase_run(emulator, capsys, credentials=EU_NL, page_cap=50, phase=["succeeded"], sort_by="job_id",
                               order="desc")
    assert {job["status"] for job in jobs} == {10, 20} and len(jobs) == len({job["job_id"] for job in jobs})
    assert [job["job_id"] for job in jobs] == sorted((job["job_id"] for job in jobs), reverse=True)
    statuses = [dict(pair.split("=", 1) for pair in query.split("&")).get("status") for query in queries]
    assert statuses == [None, "10", "20"]
    # the same filter over every page gives the same jobs
    everything, _queries = _phase_run(emulator, capsys, credentials=EU_NL, sort_by="job_id", order="desc")
    assert jobs == [job for job in everything if job["phase"] == "succeeded"]


def test_an_unknown_phase_is_refused_before_any_request(emulator, capsys):
    code, result = run_module(capsys, phase=["stopped"], modelarts_endpoint=emulator.url, **AKSK)
    assert code == 1 and "phase" in result["msg"] and emulator.requests() == []


def test_workspace_id_lists_that_workspace_only(emulator, capsys):
    emulator.admin("POST", "reset", {"jobs": True})
    emulator.admin("POST", "jobs", {"jobs": [{"job_name": "tb-ws", "status": 8, "workspace_id": "ws-analytics"}]})
    try:
        jobs, _queries = _phase_run(emulator, capsys, workspace_id="ws-analytics")
        assert [job["job_name"] for job in jobs] == ["tb-ws"] and "_workspace_id" not in jobs[0]
        jobs, _queries = _phase_run(emulator, capsys)
        assert "tb-ws" not in [job["job_name"] for job in jobs]
    finally:
        emulator.admin("POST", "reset", {"jobs": True})
