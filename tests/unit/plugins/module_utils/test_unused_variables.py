# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The warning for environment variables the source rule leaves unused: names and reasons, never values."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _options
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ConfigError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._task import Task

TASK_PASSWORD = dict(username="task-user", password="task-pw", domain_name="task-domain")
TASK_AKSK = dict(access_key="task-ak", secret_key="task-sk")
HW_AKSK = dict(HWCLOUD_ACCESS_KEY="hw-ak-value", HWCLOUD_SECRET_KEY="hw-sk-value")
HW_ENDPOINTS = dict(HWCLOUD_IAM_ENDPOINT="https://hw-iam.example.com", HWCLOUD_MODELARTS_ENDPOINT="https://hw-ma.example.com")
OS_PASSWORD = dict(OS_USERNAME="os-user-value", OS_PASSWORD="os-pw-value", OS_USER_DOMAIN_NAME="os-domain-value")
OS_ENDPOINTS = dict(OS_AUTH_URL="https://os-iam.example.com/v3", OS_MODELARTS_ENDPOINT_OVERRIDE="https://os-ma.example.com")
OTC_EU_DE = dict(cloud="opentelekomcloud", region="eu-de")

ENDPOINTS_OF_FAMILY = ("an endpoint from the environment is used only with credentials of its own family, and the"
                       " credentials come from ")


def params(**values):
    result = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items())
    result.update(values)
    return result


def warnings_of(task, environ):
    """The warnings connection_settings gives, and the settings (or the ConfigError)."""
    warnings = []
    try:
        outcome = _options.connection_settings(params(**task), environ, warn=warnings.append)
    except ConfigError as error:
        outcome = error
    return warnings, outcome


# Each row: the task's options, the environment, the warnings (exact).
TABLE = [
    pytest.param(
        dict(TASK_AKSK, **OTC_EU_DE), dict(HW_ENDPOINTS),
        ["HWCLOUD_IAM_ENDPOINT and HWCLOUD_MODELARTS_ENDPOINT are set in the environment but not used: "
         + ENDPOINTS_OF_FAMILY + "the task"],
        id="the issue: task cloud, region and credentials drop the Huawei endpoints"),
    pytest.param(
        dict(OTC_EU_DE), dict(HW_AKSK, **HW_ENDPOINTS),
        ["HWCLOUD_IAM_ENDPOINT and HWCLOUD_MODELARTS_ENDPOINT are set in the environment but not used: the task sets"
         " cloud or region, so the endpoints of that cloud and region are used"],
        id="a task region turns the credentials' own endpoints off"),
    pytest.param(
        dict(OTC_EU_DE), dict(HW_AKSK, HWCLOUD_IAM_ENDPOINT="https://iam.eu-de.otc.t-systems.com/",
                              HWCLOUD_MODELARTS_ENDPOINT="https://modelarts.eu-de.otc.t-systems.com"),
        [], id="not named: endpoints equal to the ones the region derives"),
    pytest.param(
        dict(TASK_AKSK, **OTC_EU_DE), dict(HWCLOUD_SECURITY_TOKEN="hw-token-value", HWCLOUD_USERNAME="hw-user"),
        ["HWCLOUD_SECURITY_TOKEN is set in the environment but not used: the credentials come from the task, and"
         " credentials are never combined from two sources"],
        id="a security token of the AK/SK in use is named; a password user (outranked) is not"),
    pytest.param(
        dict(OTC_EU_DE, **TASK_PASSWORD), dict(HW_AKSK, HWCLOUD_AUTH_TOKEN="hw-token-value"),
        ["HWCLOUD_AUTH_TOKEN, HWCLOUD_ACCESS_KEY and HWCLOUD_SECRET_KEY are set in the environment but not used: the"
         " credentials come from the task, and credentials are never combined from two sources"],
        id="credentials that would outrank the task's password are named"),
    pytest.param(
        dict(OTC_EU_DE, auth_token="task-token"), dict(OS_PASSWORD, **HW_AKSK),
        [], id="not named: credentials a token outranks anyway"),
    pytest.param(
        {}, dict(HW_AKSK, HWCLOUD_REGION="eu-de", OS_CLOUD="otc", OS_REGION_NAME="eu-nl", **OS_ENDPOINTS),
        ["OS_AUTH_URL and OS_MODELARTS_ENDPOINT_OVERRIDE are set in the environment but not used: " + ENDPOINTS_OF_FAMILY
         + "the Huawei Cloud environment (HWCLOUD_*)",
         "OS_REGION_NAME is set in the environment but not used: location options come only from the source of the"
         " credentials, the Huawei Cloud environment (HWCLOUD_*)",
         "OS_CLOUD is set in the environment but not used: the credentials come from the Huawei Cloud environment"
         " (HWCLOUD_*), and credentials are never combined from two sources"],
        id="Huawei credentials: the OpenStack endpoints, location and OS_CLOUD are named"),
    pytest.param(
        {}, dict(HW_AKSK, HWCLOUD_REGION="eu-de", OS_REGION_NAME="eu-de"),
        [], id="not named: a variable whose value is the one in use"),
    pytest.param(
        dict(TASK_PASSWORD), dict(HWCLOUD_REGION="eu-de", OS_REGION_NAME="eu-nl", OS_PROJECT_NAME="os-project"),
        ["OS_REGION_NAME and OS_PROJECT_NAME are set in the environment but not used: with credentials from the task,"
         " only the Huawei Cloud environment (HWCLOUD_*) fills location options the task leaves unset"],
        id="task credentials: the OpenStack location is named, the Huawei location is used"),
    pytest.param(
        dict(TASK_AKSK, region="eu-de"), dict(HWCLOUD_REGION="eu-nl", HUAWEICLOUD_SDK_AK="sdk-ak-value"),
        [], id="not named: variables of options the task sets"),
    pytest.param(
        dict(TASK_PASSWORD, region="eu-de"), dict(HW_AKSK, HUAWEICLOUD_SDK_AK="sdk-ak-value", HUAWEICLOUD_SDK_SK="sdk-sk-value"),
        ["HWCLOUD_ACCESS_KEY and HWCLOUD_SECRET_KEY are set in the environment but not used: the credentials come from"
         " the task, and credentials are never combined from two sources"],
        id="a lower-priority name of an option whose first name is set is not named"),
    pytest.param(
        dict(auth_token="task-token", project_id="p1", modelarts_endpoint="https://task-ma.example.com"),
        dict(OS_PASSWORD, OS_AUTH_URL="https://os-iam.example.com/v3", OS_REGION_NAME="eu-de", OS_PROJECT_NAME="eu-de"),
        [], id="not named: what a token, a project id and a ModelArts endpoint make irrelevant (the auth module's pattern)"),
    pytest.param(
        dict(TASK_AKSK, project_id="p1"), dict(HW_ENDPOINTS),
        ["HWCLOUD_IAM_ENDPOINT and HWCLOUD_MODELARTS_ENDPOINT are set in the environment but not used: "
         + ENDPOINTS_OF_FAMILY + "the task"],
        id="also when the settings then fail: the warning explains the error"),
]


@pytest.mark.parametrize("task, environ, expected", TABLE)
def test_unused_variables_are_named_with_the_reason(task, environ, expected):
    warnings, _outcome = warnings_of(task, environ)
    assert warnings == expected


def test_a_failing_task_still_warns_and_fails_as_before():
    warnings, outcome = warnings_of(dict(TASK_AKSK, project_id="p1"), dict(HW_ENDPOINTS))
    assert isinstance(outcome, ConfigError)
    assert str(outcome) == "region is required unless modelarts_endpoint is given"
    assert len(warnings) == 1


@pytest.mark.parametrize("task, environ, expected", TABLE)
def test_no_value_of_any_variable_is_in_the_warnings(task, environ, expected):
    warnings, _outcome = warnings_of(task, environ)
    text = "\n".join(warnings)
    for variable, value in environ.items():
        if len(value) > 5:  # short values (eu-de, otc) are words of the messages too
            assert value not in text, variable


def test_the_settings_are_those_of_the_rule_without_the_warning():
    environ = dict(HW_ENDPOINTS)
    warnings, settings = warnings_of(dict(TASK_AKSK, **OTC_EU_DE), environ)
    plain = _options.connection_settings(params(**dict(TASK_AKSK, **OTC_EU_DE)), environ)
    assert warnings and vars(settings).keys() == vars(plain).keys()
    assert (settings.iam_url, settings.modelarts_url) == (plain.iam_url, plain.modelarts_url) == (
        "https://iam.eu-de.otc.t-systems.com/v3", "https://modelarts.eu-de.otc.t-systems.com")


def test_the_task_carries_the_warning_after_connect():
    task = Task(params(**dict(TASK_AKSK, **OTC_EU_DE)), environ=dict(HW_ENDPOINTS))
    task.connect()
    assert task.warnings == ["HWCLOUD_IAM_ENDPOINT and HWCLOUD_MODELARTS_ENDPOINT are set in the environment but not"
                             " used: " + ENDPOINTS_OF_FAMILY + "the task"]


def test_a_cloud_profile_in_use_is_not_named(tmp_path):
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text("clouds:\n  otc:\n    auth: {ak: profile-ak, sk: profile-sk}\n    region_name: eu-de\n")
    environ = dict(OS_CLIENT_CONFIG_FILE=str(clouds), OS_CLOUD="otc")
    assert warnings_of({}, environ)[0] == []
    assert warnings_of(dict(cloud_profile="otc"), dict(environ, OS_CLOUD="other"))[0] == []
    assert warnings_of(dict(TASK_AKSK, region="eu-de"), environ)[0] == [
        "OS_CLOUD is set in the environment but not used: the credentials come from the task, and credentials are"
        " never combined from two sources"]
