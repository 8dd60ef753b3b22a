# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation of the connection and query options, before any request."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _options, _visualization_jobs
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ConfigError


def params(**values):
    base = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items())
    base.update(values)
    return base


def settings_of(environ=None, **values):
    """connection_settings of these task values, with an empty environment unless one is given."""
    return _options.connection_settings(params(**values), environ or {})


TOKEN = dict(auth_token="t0k3n", region="eu-de")
AKSK = dict(access_key="AK", secret_key="SK-0001", region="eu-de")
PASSWORD = dict(username="u", password="pw-0001", domain_name="d", region="eu-de")


@pytest.mark.parametrize("values, method", [
    (TOKEN, "token"),
    (AKSK, "aksk"),
    (PASSWORD, "password"),
    (dict(TOKEN, **AKSK), "token"),
    (dict(AKSK, **PASSWORD), "aksk"),
    (dict(TOKEN, username="only-user"), "token"),
    (dict(AKSK, username="only-user"), "aksk"),
    (dict(PASSWORD, auth_token=""), "password"),
])
def test_precedence(values, method):
    assert settings_of(**values).auth_method == method


@pytest.mark.parametrize("values, message", [
    (dict(region="eu-de"), "no credentials"),
    (dict(access_key="AK", region="eu-de"), "access_key given without secret_key"),
    (dict(secret_key="SK-0001", region="eu-de"), "secret_key given without access_key"),
    (dict(security_token="ST-0001", region="eu-de"), "security_token given without access_key and secret_key"),
    (dict(PASSWORD, access_key="AK"), "access_key given without secret_key"),
    (dict(username="u", region="eu-de"), "username given without password and domain_name"),
    (dict(username="u", password="pw-0001", region="eu-de"), "username and password given without domain_name"),
    (dict(password="pw-0001", domain_name="d", region="eu-de"), "given without username"),
    (dict(auth_token="tok-0001"), "region is required unless modelarts_endpoint and iam_endpoint are given"),
    (dict(auth_token="tok-0001", project_id="p"), "region is required unless modelarts_endpoint is given"),
    (dict(auth_token="tok-0001", modelarts_endpoint="http://127.0.0.1:1"), "region is required unless modelarts_endpoint and iam_endpoint"),
    (dict(access_key="AK", secret_key="SK-0001", modelarts_endpoint="http://127.0.0.1:1", iam_endpoint="http://127.0.0.1:1"),
     "set project_id, project_name or region"),
    (dict(PASSWORD, region=None, modelarts_endpoint="http://127.0.0.1:1", iam_endpoint="http://127.0.0.1:1"),
     "set project_id, project_name or region"),
    (dict(TOKEN, modelarts_endpoint="ftp://x"), "modelarts_endpoint must be an http:// or https:// URL"),
    (dict(TOKEN, iam_endpoint="iam.example.com"), "iam_endpoint must be an http:// or https:// URL"),
    (dict(TOKEN, iam_endpoint="https://user:pw@iam.example.com"), "iam_endpoint must not contain user information"),
    (dict(TOKEN, modelarts_endpoint="https://h:99999"), "modelarts_endpoint has an invalid port"),
    (dict(TOKEN, modelarts_endpoint="https://h/?a=1"), "modelarts_endpoint must not contain a query"),
    (dict(TOKEN, region="EU DE"), "region must look like"),
    (dict(TOKEN, region="  "), "region must not be blank"),
    (dict(TOKEN, cloud="  "), "cloud must not be blank"),
    (dict(TOKEN, timeout=0), "timeout must be between 1 and 3600"),
    (dict(TOKEN, retries=11), "retries must be between 0 and 10"),
    (dict(TOKEN, ca_path="/nonexistent/ca.pem"), "ca_path /nonexistent/ca.pem does not exist"),
])
def test_bad_connection_input(values, message):
    with pytest.raises(ConfigError, match=message.replace("?", "\\?")):
        settings_of(**values)


def test_credentials_never_appear_in_errors():
    with pytest.raises(ConfigError) as error:
        settings_of(access_key="AK", secret_key="", password="hunter2", region="eu-de")
    assert "hunter2" not in str(error.value)
    with pytest.raises(ConfigError) as error:
        settings_of(iam_endpoint="ftp://user:hunter2@x", **TOKEN)
    assert "hunter2" not in str(error.value)


def test_default_endpoints():
    settings = settings_of(cloud="opentelekomcloud", **TOKEN)
    assert settings.iam_url == "https://iam.eu-de.otc.t-systems.com/v3"
    assert settings.modelarts_url == "https://modelarts.eu-de.otc.t-systems.com"
    settings = settings_of(auth_token="tok-0001", region="ap-southeast-1")
    assert settings.modelarts_url == "https://modelarts.ap-southeast-1.myhuaweicloud.cn"
    settings = settings_of(auth_token="tok-0001", region="eu-west-101")
    assert settings.iam_url == "https://iam.eu-west-101.myhuaweicloud.eu/v3"


@pytest.mark.parametrize("region", ["eu-de", "eu-nl"])
@pytest.mark.parametrize("where", ["task", "HWCLOUD_*", "HWCLOUD_* as AWX injects a blank cloud", "OS_*"])
def test_an_otc_region_without_a_cloud_reaches_only_open_telekom_cloud(region, where):
    # guide_awx: fill in the region and one set of credentials, leave Cloud blank
    if where == "task":
        settings = settings_of(username="u", password="pw-0001", domain_name="d", region=region)
    elif where == "OS_*":
        settings = settings_of(dict(OS_USERNAME="u", OS_PASSWORD="pw-0001", OS_USER_DOMAIN_NAME="d", OS_REGION_NAME=region))
    else:
        environ = dict(HWCLOUD_USERNAME="u", HWCLOUD_PASSWORD="pw-0001", HWCLOUD_DOMAIN_NAME="d", HWCLOUD_REGION=region)
        if "blank" in where:
            environ.update(HWCLOUD_CLOUD="", HWCLOUD_IAM_ENDPOINT="", HWCLOUD_MODELARTS_ENDPOINT="")
        settings = settings_of(environ)
    assert settings.iam_url == "https://iam.%s.otc.t-systems.com/v3" % region
    assert settings.modelarts_url == "https://modelarts.%s.otc.t-systems.com" % region


@pytest.mark.parametrize("given", ["https://iam.example.com", "https://iam.example.com/", "https://iam.example.com/v3",
                                   "https://iam.example.com/v3/"])
def test_iam_endpoint_with_or_without_v3(given):
    settings = settings_of(auth_token="tok-0001", iam_endpoint=given, modelarts_endpoint="https://m/", project_name="eu-de")
    assert settings.iam_url == "https://iam.example.com/v3"
    assert settings.modelarts_url == "https://m"


def test_tls_settings(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    assert settings_of(ca_path=str(ca), **TOKEN).verify == str(ca)
    assert settings_of(validate_certs=False, ca_path=str(ca), **TOKEN).verify is False
    assert settings_of(**TOKEN).verify is True


@pytest.mark.parametrize("endpoint, cloud, modelarts_url", [
    ("https://iam.eu-de.otc.t-systems.com/v3", "opentelekomcloud", "https://modelarts.eu-de.otc.t-systems.com"),
    ("https://iam-pub.eu-de.otc.t-systems.com:443", "opentelekomcloud", "https://modelarts.eu-de.otc.t-systems.com"),
    # no cloud's domain: the region tells (eu-de is Open Telekom Cloud's only)
    ("https://keystone.example.com/v3", "opentelekomcloud", "https://modelarts.eu-de.otc.t-systems.com"),
    ("https://evil-otc.t-systems.com.example.com", "opentelekomcloud", "https://modelarts.eu-de.otc.t-systems.com"),
])
def test_cloud_is_recognised_from_the_iam_endpoint(endpoint, cloud, modelarts_url):
    settings = settings_of(iam_endpoint=endpoint, **TOKEN)
    assert (settings.cloud, settings.modelarts_url) == (cloud, modelarts_url)


@pytest.mark.parametrize("endpoint, region, modelarts_url", [
    ("https://iam.cn-north-4.myhuaweicloud.com/v3", "cn-north-4", "https://modelarts.cn-north-4.myhuaweicloud.com"),
    ("https://keystone.example.com/v3", "cn-north-4", "https://modelarts.cn-north-4.myhuaweicloud.com"),
    ("https://keystone.example.com/v3", "xx-new-1", "https://modelarts.xx-new-1.myhuaweicloud.com"),
])
def test_huawei_cloud_regions(endpoint, region, modelarts_url):
    values = dict(TOKEN, iam_endpoint=endpoint)
    values["region"] = region
    settings = settings_of(**values)
    assert (settings.cloud, settings.modelarts_url) == ("huaweicloud", modelarts_url)


def test_a_huawei_endpoint_with_an_otc_region_is_refused():
    with pytest.raises(ConfigError) as error:
        settings_of(iam_endpoint="https://iam.eu-de.myhuaweicloud.com/v3", **TOKEN)
    assert str(error.value) == ("region 'eu-de' is not a region of cloud huaweicloud (it is a region of"
                                " opentelekomcloud); set cloud to match it, or give iam_endpoint and modelarts_endpoint")


def test_cloud_from_the_environment_is_validated():
    with pytest.raises(ConfigError, match=r"cloud \(HWCLOUD_CLOUD\) must be one of huaweicloud, opentelekomcloud"):
        settings_of(dict(HWCLOUD_CLOUD="aws", HWCLOUD_AUTH_TOKEN="tok-0001", HWCLOUD_REGION="eu-de"))


def query(**values):
    base = dict(job_id=None, name=None, status=None, search_content=None, sort_by=None, order=None, workspace_id=None)
    base.update(values)
    return base


@pytest.mark.parametrize("values, message", [
    (dict(job_id=0), "job_id must be 1 or greater, got 0"),
    (dict(job_id=-3), "job_id must be 1 or greater"),
    (dict(name=""), "name must not be empty"),
    (dict(name="   "), "name must not be empty"),
    (dict(name="x" * 65), "name must be at most 64 characters, got 65"),
    (dict(search_content="x" * 101), "search_content must be at most 100 characters"),
    (dict(status=["running", "runing"]), "status: unknown job status 'runing'"),
    (dict(workspace_id=" "), "workspace_id must not be empty"),
])
def test_bad_query_input(values, message):
    with pytest.raises(ConfigError, match=message):
        _visualization_jobs.job_query(query(**values))


def test_query_statuses_are_codes_without_duplicates():
    result = _visualization_jobs.job_query(query(status=["failed", "JOBSTAT_FAILED", "3", "canceled"]))
    assert result["statuses"] == [3, 11, 13]
    assert _visualization_jobs.job_query(query(name="x" * 64))["name"] == "x" * 64


def test_transport_fallback_skips_empty_variables(monkeypatch):
    from ansible.module_utils.basic import AnsibleFallbackNotFound  # pylint: disable=import-outside-toplevel
    monkeypatch.setenv("HWCLOUD_TIMEOUT", "")
    monkeypatch.setenv("HWCLOUD_RETRIES", "5")
    assert _options.first_env("HWCLOUD_TIMEOUT", "HWCLOUD_RETRIES") == "5"
    with pytest.raises(AnsibleFallbackNotFound):
        _options.first_env("HWCLOUD_TIMEOUT")


def test_only_transport_options_have_environment_fallbacks():
    with_fallback = sorted(name for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items() if "fallback" in spec)
    assert with_fallback == ["ca_path", "retries", "timeout", "validate_certs"]


def test_a_token_needs_no_project_name_its_project_is_inspected():
    settings = settings_of(auth_token="tok-0001", modelarts_endpoint="http://127.0.0.1:1", iam_endpoint="http://127.0.0.1:1")
    assert settings.auth_method == "token" and settings.iam_url == "http://127.0.0.1:1/v3"
