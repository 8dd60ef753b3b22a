# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""clouds.yaml profiles: where they are found, how secure.yaml merges, and their place in the source rule."""

from __future__ import annotations

import sys
import textwrap

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _clouds_yaml, _options
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ConfigError

# What AWX's built-in OpenStack credential writes (its injector template, see tests/awx).
AWX_DEVSTACK = """\
clouds:
  devstack:
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: awx-user
      password: awx-password
      project_name: eu-de
      domain_name: OTC00000000001000000001
      project_domain_name: OTC00000000001000000001
    verify: false
    region_name: eu-de
"""

TWO_PROFILES = """\
clouds:
  otc:
    auth: {auth_url: "https://iam.eu-nl.otc.t-systems.com/v3", username: u1, user_domain_name: d1, project_name: eu-nl}
    region_name: eu-nl
  hw:
    auth: {auth_url: "https://iam.cn-north-4.myhuaweicloud.com/v3", ak: hw-ak, sk: hw-sk, project_id: p-hw}
    modelarts_endpoint_override: https://modelarts.example.com
    cacert: /etc/ssl/certs/ca-certificates.crt
"""

SECURE = """\
clouds:
  otc:
    auth: {password: secret-from-secure-yaml}
"""


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No clouds.yaml in the working directory or the home directory unless a test writes one."""
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    return tmp_path


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def settings_of(environ, **task):
    params = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items())
    params.update(task)
    return _options.connection_settings(params, environ)


def test_awx_openstack_credential_single_entry_is_used_without_naming_it(isolated):
    path = write(isolated / "awx" / "clouds.yaml", AWX_DEVSTACK)
    settings = settings_of({"OS_CLIENT_CONFIG_FILE": path})
    assert (settings.auth_method, settings.username, settings.password) == ("password", "awx-user", "awx-password")
    assert settings.domain_name == "OTC00000000001000000001" and settings.project_name == "eu-de"
    assert settings.cloud == "opentelekomcloud" and settings.iam_url == "https://iam.eu-de.otc.t-systems.com/v3"
    assert settings.modelarts_url == "https://modelarts.eu-de.otc.t-systems.com"
    assert settings.verify is False
    assert settings.origins["password"] == "clouds.yaml profile 'devstack', auth.password"


def test_os_cloud_names_a_profile_and_secure_yaml_is_merged(isolated):
    write(isolated / "home" / ".config" / "openstack" / "clouds.yaml", TWO_PROFILES)
    write(isolated / "home" / ".config" / "openstack" / "secure.yaml", SECURE)
    settings = settings_of({"OS_CLOUD": "otc"})
    assert settings.password == "secret-from-secure-yaml" and settings.username == "u1"
    assert settings.iam_url == "https://iam.eu-nl.otc.t-systems.com/v3" and settings.region == "eu-nl"


def test_aksk_profile_with_endpoint_override_and_cacert(isolated):
    write(isolated / "work" / "clouds.yaml", TWO_PROFILES)  # ./clouds.yaml
    settings = settings_of({}, cloud_profile="hw")
    assert (settings.auth_method, settings.access_key, settings.secret_key) == ("aksk", "hw-ak", "hw-sk")
    assert settings.project_id == "p-hw" and settings.modelarts_url == "https://modelarts.example.com"
    assert settings.verify == "/etc/ssl/certs/ca-certificates.crt"


def test_os_client_config_file_comes_before_the_home_directory(isolated):
    write(isolated / "home" / ".config" / "openstack" / "clouds.yaml", TWO_PROFILES)
    path = write(isolated / "elsewhere.yaml", AWX_DEVSTACK)
    assert settings_of({"OS_CLIENT_CONFIG_FILE": path}).username == "awx-user"


@pytest.mark.parametrize("environ, task, expected", [
    # the Huawei family comes before any profile
    ({"OS_CLOUD": "otc", "HWCLOUD_ACCESS_KEY": "ak", "HWCLOUD_SECRET_KEY": "sk-0001", "HWCLOUD_REGION": "eu-de"}, {},
     dict(auth_method="aksk", access_key="ak", password=None, iam_url="https://iam.eu-de.otc.t-systems.com/v3")),
    # OS_CLOUD comes before OS_* credential variables, which are not mixed in
    ({"OS_CLOUD": "otc", "OS_PASSWORD": "os-pw", "OS_AUTH_URL": "https://os.example.com/v3"}, {},
     dict(password="secret-from-secure-yaml", iam_url="https://iam.eu-nl.otc.t-systems.com/v3")),
    # OS_* credentials come before the file's only entry; the profile's auth_url is not used with them
    ({"OS_USERNAME": "u", "OS_PASSWORD": "os-pw", "OS_DOMAIN_NAME": "d", "OS_REGION_NAME": "eu-de"}, {},
     dict(password="os-pw", iam_url="https://iam.eu-de.otc.t-systems.com/v3")),
    # task credentials: no profile at all
    ({"OS_CLOUD": "otc"}, dict(auth_token="tok-0001", region="eu-de"), dict(auth_method="token", username=None)),
    # a task region turns the profile's endpoints off
    ({}, dict(cloud_profile="otc", region="eu-de"),
     dict(iam_url="https://iam.eu-de.otc.t-systems.com/v3", region="eu-de")),
])
def test_profile_precedence(isolated, environ, task, expected):
    write(isolated / "home" / ".config" / "openstack" / "clouds.yaml", TWO_PROFILES)
    write(isolated / "home" / ".config" / "openstack" / "secure.yaml", SECURE)
    if "OS_USERNAME" in environ:  # the single-entry case needs a file with one entry
        write(isolated / "home" / ".config" / "openstack" / "clouds.yaml", AWX_DEVSTACK)
    settings = settings_of(environ, **task)
    assert dict((name, getattr(settings, name)) for name in expected) == expected


@pytest.mark.parametrize("text, environ, task, message", [
    (TWO_PROFILES, {"OS_CLOUD": "nope"}, {}, "OS_CLOUD names the clouds.yaml profile 'nope', which"),
    (TWO_PROFILES, {}, dict(cloud_profile="nope"), "its profiles: hw, otc"),
    (None, {}, dict(cloud_profile="otc"), "but there is no clouds.yaml"),
    ("clouds: [unclosed", {}, dict(cloud_profile="otc"), "is not valid YAML (line 1)"),
    ("- a list\n", {}, dict(cloud_profile="otc"), "has no 'clouds' mapping"),
    ("clouds:\n  empty:\n    region_name: eu-de\n", {}, dict(cloud_profile="empty"),
     "clouds.yaml profile 'empty' ("),
    (TWO_PROFILES, {}, dict(cloud_profile="otc", username="task-user"),
     "cloud_profile cannot be combined with username: the profile brings its own credentials"),
    (TWO_PROFILES, {}, {}, "has several profiles (hw, otc): name one with cloud_profile or OS_CLOUD"),
    (TWO_PROFILES, {}, dict(cloud_profile="otc"),
     "username (clouds.yaml profile 'otc', auth.username) and domain_name (clouds.yaml profile 'otc',"
     " auth.user_domain_name) given without password (clouds.yaml profile 'otc' auth.password)"),
])
def test_profile_errors(isolated, text, environ, task, message):
    if text is not None:
        write(isolated / "work" / "clouds.yaml", text)
    with pytest.raises(ConfigError) as error:
        settings_of(environ, **task)
    assert message in str(error.value)


def test_a_profile_without_credentials_is_named_as_such(isolated):
    write(isolated / "work" / "clouds.yaml", "clouds:\n  empty:\n    region_name: eu-de\n")
    with pytest.raises(ConfigError, match="has no usable credentials"):
        settings_of({}, cloud_profile="empty")


def test_a_directory_is_not_a_clouds_yaml(isolated):
    path = isolated / "clouds.yaml"
    path.mkdir()
    with pytest.raises(ConfigError, match="there is no clouds.yaml"):
        settings_of({"OS_CLIENT_CONFIG_FILE": str(path)}, cloud_profile="x")


def test_an_unreadable_file_is_named_with_the_reason(isolated, monkeypatch):
    path = write(isolated / "clouds.yaml", AWX_DEVSTACK)

    def refuse(name, *args, **kwargs):
        raise PermissionError(13, "Permission denied", name)

    # root reads any file whatever its mode, so the refusal is simulated at open()
    monkeypatch.setattr(_clouds_yaml, "open", refuse, raising=False)
    with pytest.raises(ConfigError, match="cannot read .*clouds.yaml: Permission denied"):
        settings_of({"OS_CLIENT_CONFIG_FILE": path})


def test_missing_pyyaml_is_reported_as_a_missing_library(isolated, monkeypatch):
    write(isolated / "work" / "clouds.yaml", AWX_DEVSTACK)
    monkeypatch.setitem(sys.modules, "yaml", None)  # makes "import yaml" raise ImportError
    with pytest.raises(_clouds_yaml.MissingLibrary) as error:
        settings_of({}, cloud_profile="devstack")
    assert error.value.library == "PyYAML"


def test_profile_secrets_are_the_settings_secrets(isolated):
    write(isolated / "work" / "clouds.yaml", AWX_DEVSTACK)
    assert settings_of({}).secrets() == ["awx-password"]
