# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values bound for a header, a signature or an URL are checked whole, before any request; none is ever quoted."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _options
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ConfigError, ModelArtsError

SECRET = "MIIsecret-value-0001"
VALID = dict(access_key="AK-0001", secret_key="SK-secret-0001", project_id="p-0001", region="eu-de")
HOSTILE = {
    "a trailing newline": SECRET + "\n",
    "a newline inside": "MII\nsecret",
    "a NUL": "MII\x00secret",
    "a tab": "MII\tsecret",
    "a leading space": " " + SECRET,
    "a trailing space": SECRET + " ",
    "a DEL": SECRET + "\x7f",
}


def settings_of(environ=None, **values):
    params = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items())
    params.update(values)
    return _options.connection_settings(params, environ or {})


@pytest.mark.parametrize("what", sorted(HOSTILE))
@pytest.mark.parametrize("option", ["auth_token", "secret_key", "security_token", "access_key", "project_id"])
def test_a_task_value_with_whitespace_or_control_characters_is_refused(option, what):
    values = dict(VALID, **{option: HOSTILE[what]})
    if option == "auth_token":
        values = dict(auth_token=HOSTILE[what], region="eu-de")
    with pytest.raises(ConfigError) as error:
        settings_of(**values)
    message = str(error.value)
    assert message.startswith(option + " must not ")
    assert "secret" not in message.replace("secret_key", "")


@pytest.mark.parametrize("variable, option", [
    ("HWCLOUD_AUTH_TOKEN", "auth_token"), ("HWCLOUD_SECRET_KEY", "secret_key"), ("HUAWEICLOUD_SDK_SK", "secret_key"),
    ("HWCLOUD_SECURITY_TOKEN", "security_token"), ("HWCLOUD_PASSWORD", "password"), ("OS_PASSWORD", "password"),
    ("OS_AUTH_TOKEN", "auth_token"),
])
def test_an_environment_value_names_its_variable(variable, option):
    family = "HWCLOUD" if variable.startswith(("HWCLOUD", "HUAWEICLOUD")) else "OS"
    environ = {"HWCLOUD": dict(HWCLOUD_ACCESS_KEY="AK-0001", HWCLOUD_SECRET_KEY="SK-secret-0001",
                               HWCLOUD_USERNAME="u", HWCLOUD_PASSWORD="pw-0001", HWCLOUD_DOMAIN_NAME="d",
                               HWCLOUD_REGION="eu-de"),
               "OS": dict(OS_USERNAME="u", OS_PASSWORD="pw-0001", OS_USER_DOMAIN_NAME="d", OS_REGION_NAME="eu-de")}[family]
    environ = dict((name, value) for name, value in environ.items() if not (option == "secret_key" and name.endswith("SECRET_KEY")))
    environ[variable] = SECRET + "\n"
    with pytest.raises(ConfigError) as error:
        settings_of(environ)
    assert str(error.value).startswith("%s (from %s) must not contain a line break" % (option, variable))
    assert SECRET not in str(error.value)


def test_surrounding_whitespace_is_refused_not_stripped():
    with pytest.raises(ConfigError, match=r"^secret_key must not start or end with whitespace \(it is refused, not stripped"):
        values = dict(VALID)
        values["secret_key"] = " SK-secret-0001"
        settings_of(**values)


@pytest.mark.parametrize("value", ["ab", "abc"])
def test_a_secret_too_short_to_mask_is_refused(value):
    with pytest.raises(ConfigError, match="^password must be at least 4 characters long$"):
        settings_of(username="u", password=value, domain_name="d", region="eu-de")


def test_a_non_ascii_header_value_is_refused_but_a_non_ascii_password_works():
    with pytest.raises(ConfigError, match="^auth_token must consist of printable ASCII"):
        settings_of(auth_token="MIIä-token", region="eu-de")
    assert settings_of(username="ü", password="Pässwört", domain_name="dö", region="eu-de").password == "Pässwört"


@pytest.mark.parametrize("url, message", [
    ("http://[::1", "is not a valid URL"),
    ("http://exa mple.com", "must not contain whitespace or control characters"),
    ("http://example.com\n", "must not contain whitespace or control characters"),
    (" http://example.com", "must not contain whitespace or control characters"),
    ("http://example.com:0", "has an invalid port"),
    ("http://example.com:65536", "has an invalid port"),
    ("http://example.com:", "has an invalid port"),
    ("http://user:pw@example.com", "must not contain user information"),
    ("http://example.com/?", "must not contain a query string or fragment"),
    ("http://example.com/#x", "must not contain a query string or fragment"),
    ("http://ex..ample.com", "has an invalid host name"),
    ("http://" + "a" * 64 + ".com", "has an invalid host name"),
    ("https://", "must be an http:// or https:// URL with a host name"),
    ("mailto:x@example.com", "must be an http:// or https:// URL with a host name"),
])
@pytest.mark.parametrize("option", ["iam_endpoint", "modelarts_endpoint"])
def test_a_malformed_endpoint_is_a_config_error_naming_the_option(option, url, message):
    with pytest.raises(ConfigError) as error:
        settings_of(**dict(VALID, **{option: url}))
    assert str(error.value).startswith(option + " ") and message in str(error.value)
    assert "pw@" not in str(error.value)


def test_an_endpoint_variable_and_a_clouds_yaml_auth_url_are_validated(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match=r"^modelarts_endpoint \(HWCLOUD_MODELARTS_ENDPOINT\) is not a valid URL"):
        settings_of(dict(HWCLOUD_ACCESS_KEY="AK-0001", HWCLOUD_SECRET_KEY="SK-secret-0001", HWCLOUD_PROJECT_ID="p",
                         HWCLOUD_MODELARTS_ENDPOINT="http://[::1", HWCLOUD_REGION="eu-de"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text('{"clouds": {"c": {"auth": {"auth_url": "http://exa mple.com", "username": "u",'
                      ' "password": "pw-0001", "user_domain_name": "d", "project_name": "eu-de"}}}}')
    with pytest.raises(ConfigError, match=r"^iam_endpoint \(clouds.yaml profile 'c', auth.auth_url\) must not contain"):
        settings_of(dict(OS_CLIENT_CONFIG_FILE=str(clouds)))


def test_an_idna_host_name_is_accepted():
    assert settings_of(**dict(VALID, modelarts_endpoint="https://bücher.example")).modelarts_url == "https://bücher.example"


def test_requests_errors_become_a_model_arts_error_without_the_header_value():
    pytest.importorskip("requests")
    from ansible_collections.hwcloud.modelarts.plugins.module_utils._transport import Transport  # pylint: disable=import-outside-toplevel
    transport = Transport(5, 0)
    with pytest.raises(ModelArtsError) as error:
        transport.request("GET", "http://127.0.0.1:9/v1/p", headers={"X-Auth-Token": SECRET + "\n"})
    message = str(error.value)
    assert message.startswith("GET http://127.0.0.1:9/v1/p failed: the request could not be sent: a header value was refused")
    assert SECRET not in message and error.value.sent is False
    with pytest.raises(ModelArtsError, match=r"^GET http://exa mple\.com/x failed: the request could not be sent"):
        transport.request("GET", "http://exa mple.com/x")
