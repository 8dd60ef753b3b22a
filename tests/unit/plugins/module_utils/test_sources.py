# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The source rule: credentials and endpoints are never combined across the task and the environment families."""

from __future__ import annotations

import itertools
import json

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


SECRETS = {"task": "task-secret", "huawei": "hw-secret", "openstack": "os-secret", "profile": "profile-secret"}
# The endpoints each source brings (iam, modelarts); the task brings only a ModelArts endpoint.
SOURCE_ENDPOINTS = {
    "huawei": ("https://hw.example.com/v3", "https://hw.example.com"),
    "openstack": ("https://os.example.com/v3", "https://os.example.com"),
    "profile": ("https://profile.example.com/v3", "https://profile.example.com"),
}
TASK_MODELARTS = "https://task.example.com"
TASK_REGION = "eu-nl"      # Open Telekom Cloud's only: it selects that cloud unless the task sets one
TASK_CLOUD = "huaweicloud"  # which does not have eu-nl
CLOUDS_STATES = ("no clouds.yaml", "one profile", "two profiles")
DIMENSIONS = ("task_creds", "task_endpoint", "task_region", "task_cloud", "hw_creds", "hw_endpoints", "os_creds",
              "os_endpoints")
NO_CREDENTIALS = ("no credentials: set auth_token, or access_key and secret_key, or username, password and domain_name"
                  " (or their environment variables, see the hwcloud.modelarts.auth documentation)")


def _profile_entry(name):
    return {"auth": {"auth_url": SOURCE_ENDPOINTS["profile"][0], "username": "pu", "password": SECRETS["profile"],
                     "user_domain_name": "pd", "project_name": "profile-project"},
            "modelarts_endpoint_override": SOURCE_ENDPOINTS["profile"][1], "name": name}


def _combination(flags, clouds_state, clouds_path):
    """The task options and the environment of one combination of the dimensions."""
    task, environ = {}, {"OS_CLIENT_CONFIG_FILE": clouds_path}
    if flags["task_creds"]:
        task.update(access_key="task-ak", secret_key=SECRETS["task"], project_id="task-project")
    if flags["task_endpoint"]:
        task.update(modelarts_endpoint=TASK_MODELARTS)
    if flags["task_region"]:
        task.update(region=TASK_REGION)
    if flags["task_cloud"]:
        task.update(cloud=TASK_CLOUD)
    if flags["hw_creds"]:
        environ.update(HWCLOUD_USERNAME="hu", HWCLOUD_PASSWORD=SECRETS["huawei"], HWCLOUD_DOMAIN_NAME="hd")
    if flags["hw_endpoints"]:
        environ.update(HWCLOUD_IAM_ENDPOINT=SOURCE_ENDPOINTS["huawei"][0],
                       HWCLOUD_MODELARTS_ENDPOINT=SOURCE_ENDPOINTS["huawei"][1], HWCLOUD_PROJECT_NAME="hw-project")
    if flags["os_creds"]:
        environ.update(OS_USERNAME="ou", OS_PASSWORD=SECRETS["openstack"], OS_USER_DOMAIN_NAME="od")
    if flags["os_endpoints"]:
        environ.update(OS_AUTH_URL=SOURCE_ENDPOINTS["openstack"][0],
                       OS_MODELARTS_ENDPOINT_OVERRIDE=SOURCE_ENDPOINTS["openstack"][1], OS_PROJECT_NAME="os-project")
    if clouds_state != "no clouds.yaml":
        names = ["only"] if clouds_state == "one profile" else ["alpha", "beta"]
        with open(clouds_path, "w", encoding="utf-8") as handle:
            json.dump({"clouds": dict((name, _profile_entry(name)) for name in names)}, handle)  # JSON is YAML
    return task, environ


def _expected(flags, clouds_state, clouds_path):
    """The documented rule, written out independently of the code: ("error", message) or ("ok", outcome)."""
    if flags["task_creds"]:
        source = "task"
    elif flags["hw_creds"]:
        source = "huawei"
    elif flags["os_creds"]:
        source = "openstack"
    elif clouds_state == "one profile":
        source = "profile"
    elif clouds_state == "two profiles":
        return ("error", "no credentials in the task or the environment, and %s has several profiles (alpha, beta):"
                         " name one with cloud_profile or OS_CLOUD" % clouds_path)
    else:
        return ("error", NO_CREDENTIALS)
    # Endpoints of the environment or a profile: only with its own credentials, never when the task sets cloud or region.
    brings = {"huawei": flags["hw_endpoints"], "openstack": flags["os_endpoints"], "profile": True}.get(source, False)
    iam, modelarts = SOURCE_ENDPOINTS[source] if brings and not (flags["task_region"] or flags["task_cloud"]) else (None, None)
    if flags["task_endpoint"]:
        modelarts = TASK_MODELARTS
    region = TASK_REGION if flags["task_region"] else None
    # No endpoint here is on a cloud's domain, so the cloud is the task's, else the region's, else Huawei Cloud's.
    cloud = TASK_CLOUD if flags["task_cloud"] else ("opentelekomcloud" if region else "huaweicloud")
    if region and not (iam and modelarts):
        if cloud == "huaweicloud":
            return ("error", "region 'eu-nl' is not a region of cloud huaweicloud (it is a region of opentelekomcloud);"
                             " set cloud to match it, or give iam_endpoint and modelarts_endpoint")
        iam = iam or "https://iam.eu-nl.otc.t-systems.com/v3"
        modelarts = modelarts or "https://modelarts.eu-nl.otc.t-systems.com"
    needs_iam = source != "task"  # password credentials; the task's AK/SK come with a project id
    if not modelarts or (needs_iam and not iam):
        return ("error", "region is required unless %s given"
                % ("modelarts_endpoint and iam_endpoint are" if needs_iam else "modelarts_endpoint is"))
    project_name = {"huawei": "hw-project" if flags["hw_endpoints"] else None,
                    "openstack": "os-project" if flags["os_endpoints"] else None,
                    "profile": "profile-project"}.get(source)
    if needs_iam and not (project_name or region):
        return ("error", "set project_id, project_name or region: the project cannot be determined")
    return ("ok", dict(source=source, cloud=cloud, iam_url=iam, modelarts_url=modelarts, secrets=[SECRETS[source]]))


def _source_label(source):
    if source == _sources.TASK:
        return "task"
    if source is _sources.HUAWEI:
        return "huawei"
    if source is _sources.OPENSTACK:
        return "openstack"
    return "profile" if source is not None else None


COMBINATIONS = [pytest.param(dict(zip(DIMENSIONS, values)), state,
                             id="-".join(name for name, value in zip(DIMENSIONS, values) if value) + "-" + state)
                for values in itertools.product((False, True), repeat=len(DIMENSIONS)) for state in CLOUDS_STATES]


@pytest.mark.parametrize("flags, clouds_state", COMBINATIONS)
def test_every_combination_gives_the_exact_source_or_the_exact_error(flags, clouds_state, tmp_path, monkeypatch):
    """Task credentials, endpoint, region and cloud x both families' credentials and endpoints x clouds.yaml."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    clouds_path = str(tmp_path / "clouds.yaml")
    task, environ = _combination(flags, clouds_state, clouds_path)
    expected = _expected(flags, clouds_state, clouds_path)
    try:
        settings = settings_of(task, environ)
    except ConfigError as error:
        assert ("error", str(error)) == expected
        return
    outcome = dict(source=_source_label(settings.credential_source), cloud=settings.cloud, iam_url=settings.iam_url,
                   modelarts_url=settings.modelarts_url, secrets=settings.secrets())
    assert ("ok", outcome) == expected
    # and so, no secret ever reaches an endpoint another source brought
    others = [endpoint for owner, endpoints in SOURCE_ENDPOINTS.items() if owner != outcome["source"] for endpoint in endpoints]
    assert not {settings.iam_url, settings.modelarts_url} & set(others)


def test_environment_secrets_of_both_families_are_listed_for_masking():
    environ = dict(HWCLOUD_PASSWORD="pw-a", HUAWEICLOUD_SDK_SK="sk-b", OS_PASSWORD="pw-c", OS_AUTH_TOKEN="tok-d",
                   HWCLOUD_USERNAME="u", HWCLOUD_SECURITY_TOKEN="")
    assert sorted(_sources.environment_secrets(environ)) == ["pw-a", "pw-c", "sk-b", "tok-d"]


def test_error_names_the_variable_of_a_bad_environment_endpoint():
    with pytest.raises(ConfigError, match=r"iam_endpoint \(OS_AUTH_URL\) must be an http:// or https:// URL"):
        settings_of({}, dict(OS_PASSWORD, OS_AUTH_URL="keystone.example.com", OS_PROJECT_NAME="eu-de",
                             OS_MODELARTS_ENDPOINT_OVERRIDE="https://m.example.com"))
