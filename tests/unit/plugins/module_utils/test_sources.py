# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The source rule: credentials and endpoints are never combined across the task and the environment families."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _options, _sources
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ConfigError

TASK_PASSWORD = dict(username="task-user", password="task-pw", domain_name="task-domain")
HW_AKSK = dict(HWCLOUD_ACCESS_KEY="hw-ak", HWCLOUD_SECRET_KEY="hw-sk")
HW_ENDPOINTS = dict(HWCLOUD_IAM_ENDPOINT="https://hw-iam.example.com", HWCLOUD_MODELARTS_ENDPOINT="https://hw-ma.example.com")
OS_PASSWORD = dict(OS_USERNAME="os-user", OS_PASSWORD="os-pw", OS_USER_DOMAIN_NAME="os-domain")
OS_ENDPOINTS = dict(OS_AUTH_URL="https://os-iam.example.com/v3", OS_MODELARTS_ENDPOINT_OVERRIDE="https://os-ma.example.com")
# AWX injects every field of a credential, the blank ones as "".
AWX_BLANK_HW = dict((name, "") for name in ("HWCLOUD_AUTH_TOKEN", "HWCLOUD_ACCESS_KEY", "HWCLOUD_SECRET_KEY",
                                            "HWCLOUD_SECURITY_TOKEN", "HWCLOUD_USERNAME", "HWCLOUD_PASSWORD",
                                            "HWCLOUD_DOMAIN_NAME", "HWCLOUD_IAM_ENDPOINT", "HWCLOUD_MODELARTS_ENDPOINT",
                                            "HWCLOUD_CLOUD", "HWCLOUD_REGION", "HWCLOUD_PROJECT_ID", "HWCLOUD_PROJECT_NAME"))


def settings_of(task, environ):
    params = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items())
    params.update(task)
    return _options.connection_settings(params, environ)


# Each row: the task's options, the environment, then what must be used (attribute -> value).
RULE_TABLE = [
    pytest.param(
        dict(cloud="opentelekomcloud", region="eu-de", **TASK_PASSWORD), dict(OS_ENDPOINTS),
        dict(auth_method="password", password="task-pw", iam_url="https://iam.eu-de.otc.t-systems.com/v3",
             modelarts_url="https://modelarts.eu-de.otc.t-systems.com"),
        id="task password ignores a leftover OS_AUTH_URL"),
    pytest.param(
        dict(region="eu-de", **TASK_PASSWORD), dict(HW_AKSK, **HW_ENDPOINTS),
        dict(auth_method="password", access_key=None, secret_key=None, iam_url="https://iam.eu-de.otc.t-systems.com/v3"),
        id="task password is not outranked by AWX-injected AK/SK, nor sent to its endpoints"),
    pytest.param(
        {}, dict(HW_AKSK, HWCLOUD_REGION="eu-de", **OS_ENDPOINTS),
        dict(auth_method="aksk", secret_key="hw-sk", iam_url="https://iam.eu-de.otc.t-systems.com/v3",
             modelarts_url="https://modelarts.eu-de.otc.t-systems.com"),
        id="Huawei credentials never go to OS_AUTH_URL"),
    pytest.param(
        {}, dict(OS_PASSWORD, OS_PROJECT_NAME="eu-de", **OS_ENDPOINTS),
        dict(auth_method="password", password="os-pw", iam_url="https://os-iam.example.com/v3",
             modelarts_url="https://os-ma.example.com", project_name="eu-de"),
        id="OpenStack family with its own endpoints"),
    pytest.param(
        {}, dict(OS_PASSWORD, OS_AUTH_URL="https://iam.eu-de.otc.t-systems.com/v3", OS_REGION_NAME="eu-de", **HW_ENDPOINTS),
        dict(auth_method="password", cloud="opentelekomcloud", iam_url="https://iam.eu-de.otc.t-systems.com/v3",
             modelarts_url="https://modelarts.eu-de.otc.t-systems.com", region="eu-de"),
        id="OpenStack credentials never go to HWCLOUD endpoints; the cloud is recognised from OS_AUTH_URL"),
    pytest.param(
        dict(region="eu-de"), dict(OS_PASSWORD, OS_AUTH_URL="https://iam.eu-de.otc.t-systems.com/v3"),
        dict(cloud="opentelekomcloud", iam_url="https://iam.eu-de.otc.t-systems.com/v3"),
        id="a task region turns OS_AUTH_URL off, but its domain still tells the cloud"),
    pytest.param(
        dict(region="eu-nl"), dict(HW_AKSK, **HW_ENDPOINTS),
        dict(auth_method="aksk", cloud="opentelekomcloud", iam_url="https://iam.eu-nl.otc.t-systems.com/v3",
             modelarts_url="https://modelarts.eu-nl.otc.t-systems.com"),
        id="a task region turns the environment's endpoints off"),
    pytest.param(
        dict(modelarts_endpoint="https://task-ma.example.com"), dict(HW_AKSK, HWCLOUD_PROJECT_ID="p1", **HW_ENDPOINTS),
        dict(auth_method="aksk", modelarts_url="https://task-ma.example.com", iam_url="https://hw-iam.example.com/v3"),
        id="a task endpoint wins over the family's"),
    pytest.param(
        dict(TASK_PASSWORD), dict(HWCLOUD_REGION="eu-de", HWCLOUD_PROJECT_ID="hw-project", OS_REGION_NAME="eu-nl",
                                  OS_PROJECT_ID="os-project", **HW_ENDPOINTS),
        dict(region="eu-de", project_id="hw-project", iam_url="https://iam.eu-de.otc.t-systems.com/v3"),
        id="task credentials take the Huawei family's location, never its endpoints, never OS_*"),
    pytest.param(
        dict(TASK_PASSWORD), dict(OS_REGION_NAME="eu-nl", OS_PROJECT_ID="os-project", **OS_ENDPOINTS),
        ConfigError("region is required unless modelarts_endpoint and iam_endpoint are given"),
        id="task credentials never take OpenStack location or endpoints"),
    pytest.param(
        {}, dict(AWX_BLANK_HW, HWCLOUD_ACCESS_KEY="hw-ak", HWCLOUD_SECRET_KEY="hw-sk", HWCLOUD_REGION="eu-de",
                 **OS_PASSWORD),
        dict(auth_method="aksk", username=None, password=None, region="eu-de"),
        id="AWX credential with blank fields"),
    pytest.param(
        {}, dict(AWX_BLANK_HW, OS_PROJECT_NAME="eu-de", **dict(OS_PASSWORD, **OS_ENDPOINTS)),
        dict(auth_method="password", password="os-pw", iam_url="https://os-iam.example.com/v3"),
        id="an all-blank Huawei family falls through to OpenStack"),
    pytest.param(
        {}, dict(HWCLOUD_ACCESS_KEY="hw-ak", OS_SECRET_KEY="os-sk", HWCLOUD_REGION="eu-de"),
        ConfigError("access_key (HWCLOUD_ACCESS_KEY) given without secret_key (HWCLOUD_SECRET_KEY or HUAWEICLOUD_SDK_SK)"),
        id="families are never combined: Huawei AK with an OpenStack SK"),
    pytest.param(
        {}, dict(HWCLOUD_USERNAME="hw-user", OS_PASSWORD="os-pw", OS_USER_DOMAIN_NAME="d", HWCLOUD_REGION="eu-de"),
        ConfigError("username (HWCLOUD_USERNAME) given without password (HWCLOUD_PASSWORD) and domain_name (HWCLOUD_DOMAIN_NAME)"),
        id="families are never combined: Huawei user with an OpenStack password"),
    pytest.param(
        dict(username="task-user"), dict(HWCLOUD_PASSWORD="hw-pw", HWCLOUD_DOMAIN_NAME="d", HWCLOUD_REGION="eu-de"),
        ConfigError("username given without password and domain_name"),
        id="the task's credentials are never completed from the environment"),
    pytest.param(
        {}, dict(HWCLOUD_ACCESS_KEY="hw-ak", HUAWEICLOUD_SDK_AK="sdk-ak", HUAWEICLOUD_SDK_SK="sdk-sk",
                 HUAWEICLOUD_SDK_PROJECT_ID="sdk-project", HWCLOUD_REGION="eu-de"),
        dict(access_key="hw-ak", secret_key="sdk-sk", project_id="sdk-project"),
        id="HUAWEICLOUD_SDK_* are lower-priority names of the Huawei family"),
    pytest.param(
        {}, dict(HWCLOUD_PASSWORD="   ", HWCLOUD_REGION="eu-de"),
        ConfigError("the environment variable HWCLOUD_PASSWORD must not be blank"),
        id="a whitespace-only variable is an error that names it"),
    pytest.param(
        dict(auth_token="task-token", region="eu-de"), dict(HWCLOUD_PASSWORD="hw-pw", OS_PASSWORD="os-pw"),
        dict(auth_method="token", password=None),
        id="task token; environment passwords are not in use"),
]


@pytest.mark.parametrize("task, environ, expected", RULE_TABLE)
def test_source_rule(task, environ, expected):
    if isinstance(expected, ConfigError):
        with pytest.raises(ConfigError) as error:
            settings_of(task, environ)
        assert str(expected) in str(error.value)
        return
    settings = settings_of(task, environ)
    assert dict((name, getattr(settings, name)) for name in expected) == expected


SECRETS = {"task": "task-secret", "huawei": "hw-secret", "openstack": "os-secret"}
FOREIGN_HOSTS = {"huawei": "hw.example.com", "openstack": "os.example.com", "task": "task.example.com"}


def _scenario(task_creds, hw_creds, os_creds, task_endpoint, hw_endpoints, os_endpoints, task_region):
    task, environ = {}, {}
    if task_creds:
        task.update(access_key="task-ak", secret_key=SECRETS["task"], project_id="p")
    if task_endpoint:
        task.update(modelarts_endpoint="https://task.example.com")
    if task_region:
        task.update(region="eu-de")
    if hw_creds:
        environ.update(HWCLOUD_USERNAME="u", HWCLOUD_PASSWORD=SECRETS["huawei"], HWCLOUD_DOMAIN_NAME="d")
    if hw_endpoints:
        environ.update(HWCLOUD_IAM_ENDPOINT="https://hw.example.com/v3", HWCLOUD_MODELARTS_ENDPOINT="https://hw.example.com",
                       HWCLOUD_PROJECT_NAME="eu-de")
    if os_creds:
        environ.update(OS_USERNAME="u", OS_PASSWORD=SECRETS["openstack"], OS_USER_DOMAIN_NAME="d")
    if os_endpoints:
        environ.update(OS_AUTH_URL="https://os.example.com/v3", OS_MODELARTS_ENDPOINT_OVERRIDE="https://os.example.com",
                       OS_PROJECT_NAME="eu-de")
    return task, environ


@pytest.mark.parametrize("flags", list(itertools.product((False, True), repeat=7)))
def test_no_combination_sends_a_secret_to_another_sources_endpoint(flags):
    task, environ = _scenario(*flags)
    try:
        settings = settings_of(task, environ)
    except ConfigError:
        return  # nothing is sent
    owners = [owner for owner, secret in SECRETS.items() if secret in settings.secrets()]
    assert len(owners) == 1, "secrets of several sources in use: %s" % owners
    allowed = {FOREIGN_HOSTS[owners[0]], "task.example.com"} if owners[0] != "task" else {"task.example.com"}
    for url in filter(None, (settings.iam_url, settings.modelarts_url)):
        host = url.split("/")[2]
        assert host in allowed or host.endswith(".myhuaweicloud.com"), "%s secret sent to %s" % (owners[0], url)


def test_environment_secrets_of_both_families_are_listed_for_masking():
    environ = dict(HWCLOUD_PASSWORD="a", HUAWEICLOUD_SDK_SK="b", OS_PASSWORD="c", OS_AUTH_TOKEN="d", HWCLOUD_USERNAME="u",
                   HWCLOUD_SECURITY_TOKEN="")
    assert sorted(_sources.environment_secrets(environ)) == ["a", "b", "c", "d"]


def test_error_names_the_variable_of_a_bad_environment_endpoint():
    with pytest.raises(ConfigError, match=r"iam_endpoint \(OS_AUTH_URL\) must be an http:// or https:// URL"):
        settings_of({}, dict(OS_PASSWORD, OS_AUTH_URL="keystone.example.com", OS_PROJECT_NAME="eu-de",
                             OS_MODELARTS_ENDPOINT_OVERRIDE="https://m.example.com"))
