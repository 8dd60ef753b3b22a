# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Only the job asked for: the ids of a request URL are checked on every source, quoted, and the details
answer must name the job asked for (against the bundled emulator)."""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("requests")

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _options, _retry  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._connection import Connection  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ConfigError, ModelArtsError  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._job_writes import delete_job, stop_job  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._transport import Transport  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._visualization_jobs import (  # noqa: E402 pylint: disable=wrong-import-position
    find_jobs, job_path, job_query)

EU_DE = "5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00"
AKSK = dict(access_key="EMUAK0000000000000001", secret_key="emu-secret-key-0000000000000000000000000001")
PASSWORD = dict(username="demo-user", password="Demo-Passw0rd!", domain_name="demo-domain")

# The reproduction (another job addressed through the path), and the other characters of a URL.
BAD_IDS = [EU_DE + "/visualization-jobs/102#", EU_DE + "/../x", EU_DE + "?x=1", EU_DE + "#", EU_DE + "%2F102",
           EU_DE + ";a", EU_DE + ".", "ä" + EU_DE, EU_DE + "@h", "a+b", "a:b"]


def params_of(**values):
    params = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items())
    params.update(values)
    return params


def connect(emulator, **values):
    params = params_of(region="eu-de", iam_endpoint=emulator.url, modelarts_endpoint=emulator.url, retries=0, timeout=5)
    params.update(values)
    settings = _options.connection_settings(params, {})
    return Connection(settings, Transport(settings.timeout, 0, settings.verify,
                                          policy=_retry.RetryPolicy(0, sleep=lambda seconds: None)))


@pytest.mark.parametrize("value", BAD_IDS)
def test_a_project_id_of_the_task_with_url_characters_is_refused_naming_it(value):
    with pytest.raises(ConfigError) as error:
        _options.connection_settings(params_of(region="eu-de", project_id=value, **AKSK), {})
    assert str(error.value).startswith("project_id must consist of letters, digits, '-' and '_' only")


@pytest.mark.parametrize("variable", ["HWCLOUD_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID", "OS_PROJECT_ID"])
def test_a_project_id_of_the_environment_is_refused_naming_its_variable(variable):
    environ = {variable: BAD_IDS[0], "HWCLOUD_REGION": "eu-de", "OS_REGION_NAME": "eu-de"}
    if variable.startswith("OS_"):
        environ.update(OS_USERNAME="u", OS_PASSWORD="pw-0001", OS_USER_DOMAIN_NAME="d")
    else:
        environ.update(HWCLOUD_ACCESS_KEY="AK-0001", HWCLOUD_SECRET_KEY="SK-secret-0001")
    with pytest.raises(ConfigError) as error:
        _options.connection_settings(params_of(), environ)
    assert str(error.value).startswith("project_id (from %s) must consist of letters, digits" % variable)


def test_a_project_id_of_a_clouds_yaml_profile_is_refused_naming_the_profile(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = tmp_path / "clouds.yaml"
    path.write_text(textwrap.dedent("""\
        clouds:
          hw:
            auth: {auth_url: "https://iam.eu-de.otc.t-systems.com/v3", ak: hw-ak-0001, sk: hw-sk-0001,
                   project_id: "5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00/visualization-jobs/102#"}
            region_name: eu-de
        """))
    with pytest.raises(ConfigError) as error:
        _options.connection_settings(params_of(cloud_profile="hw"), {"OS_CLIENT_CONFIG_FILE": str(path)})
    assert str(error.value).startswith("project_id (from clouds.yaml profile 'hw', auth.project_id) must consist of")


@pytest.mark.parametrize("value", BAD_IDS)
def test_a_workspace_id_with_url_characters_is_refused_naming_it(value):
    with pytest.raises(ConfigError) as error:
        job_query(dict(workspace_id=value))
    assert str(error.value).startswith("workspace_id must consist of letters, digits, '-' and '_' only")


@pytest.mark.parametrize("value", [EU_DE, "0", "proj_1-A"])
def test_ids_as_modelarts_makes_them_are_accepted(value):
    assert _options.connection_settings(params_of(region="eu-de", project_id=value, **AKSK), {}).project_id == value
    assert job_query(dict(workspace_id=value))["workspace_id"] == value


@pytest.mark.parametrize("job_id", [0, -1, True, "101", "101/../102", 1.0, None])
def test_a_job_path_takes_only_an_id_of_1_or_more(job_id):
    with pytest.raises(ModelArtsError):
        job_path(job_id)


def test_a_job_path_is_the_id_and_the_action():
    assert job_path(101) == "/visualization-jobs/101"
    assert job_path(101, "stop") == "/visualization-jobs/101/stop"


def test_the_project_id_is_quoted_in_the_path(emulator):
    connection = connect(emulator, project_id=EU_DE, **AKSK)
    connection.authenticate()
    connection.project_id = "a/b#c"  # as if a check were missed: the value stays one path segment
    with pytest.raises(ModelArtsError):
        connection.get(job_path(101))
    assert [entry["path"] for entry in emulator.requests()] == ["/v1/a%2Fb%23c/visualization-jobs/101"]


@pytest.mark.parametrize("credentials, fault", [
    (AKSK, {"kind": "iam_projects", "action": "status", "status": 200,
            "body": {"projects": [{"name": "eu-de", "id": EU_DE + "/visualization-jobs/102#"}]}}),
    (PASSWORD, {"kind": "iam_token", "action": "status", "status": 201, "headers": {"X-Subject-Token": "MIIissued-0001"},
                "body": {"token": {"project": {"id": EU_DE + "/visualization-jobs/102#"},
                                   "expires_at": "2099-01-01T00:00:00.000000Z"}}}),
])
def test_a_project_id_iam_answers_with_url_characters_fails_before_modelarts(emulator, credentials, fault):
    emulator.faults(fault)
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, **credentials), job_id=101)
    assert "IAM answered a project id that is not a ModelArts id" in str(error.value)
    assert "102" not in str(error.value)
    assert [entry["kind"] for entry in emulator.requests()] == [fault["kind"]]


@pytest.mark.parametrize("body, message", [
    ({"job_id": 102, "job_name": "tb-other", "status": 7}, "the details of job 101 are those of job 102: not the job asked for"),
    ({"job_id": "102", "job_name": "tb-other", "status": 7}, "the details of job 101 are those of job '102'"),
    ({"job_id": True, "job_name": "tb-other", "status": 7}, "are those of job True"),
    ({"job_name": "tb-resnet50", "status": 7}, "the details of job 101 have no job_id: not known to be the job asked for"),
])
def test_details_of_another_job_are_a_failure_not_a_job(emulator, body, message):
    emulator.faults({"kind": "details", "action": "status", "status": 200, "body": body})
    with pytest.raises(ModelArtsError) as error:
        find_jobs(connect(emulator, project_id=EU_DE, **AKSK), job_id=101)
    assert message in str(error.value) and error.value.status_code == 200


def test_details_that_quote_the_job_id_as_a_string_are_the_job(emulator):
    emulator.faults({"kind": "details", "action": "status", "status": 200,
                     "body": {"job_id": "101", "job_name": "tb-resnet50", "status": "7"}})
    _jobs, job = find_jobs(connect(emulator, project_id=EU_DE, **AKSK), job_id=101)
    assert job["job_id"] == 101 and job["job_name"] == "tb-resnet50"


def test_writes_address_the_job_by_its_quoted_path(emulator):
    connection = connect(emulator, project_id=EU_DE, **AKSK)
    try:
        stop_job(connection, 101)
        delete_job(connection, 102)
        assert [(entry["method"], entry["path"]) for entry in emulator.requests()] == [
            ("POST", "/v1/%s/visualization-jobs/101/stop" % EU_DE), ("DELETE", "/v1/%s/visualization-jobs/102" % EU_DE)]
    finally:
        emulator.admin("POST", "reset", {"jobs": True})  # the emulator is shared by the session: the seed jobs again
