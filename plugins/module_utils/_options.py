# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every module shares, and their validation.

The options are documented once, in the ``hwcloud.modelarts.auth`` doc fragment.
:func:`connection_settings` checks them all before anything touches the network and
chooses the auth method: ``auth_token``, then ``access_key`` + ``secret_key``, then
``username`` + ``password`` + ``domain_name``.
"""

from __future__ import annotations

import os

from ansible.module_utils.basic import AnsibleFallbackNotFound

from ._endpoints import CLOUDS, check_region, resolve
from ._errors import ConfigError

MAX_RETRIES = 10


def first_env(*names):
    """The first of these environment variables that is set and not empty (AWX injects blank fields as "")."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    raise AnsibleFallbackNotFound


def _env(*names):
    return (first_env, list(names))


CONNECTION_ARGUMENT_SPEC = dict(
    cloud=dict(type="str", choices=list(CLOUDS), default="huaweicloud", fallback=_env("HWCLOUD_CLOUD")),
    region=dict(type="str", fallback=_env("HWCLOUD_REGION", "OS_REGION_NAME")),
    project_id=dict(type="str", fallback=_env("HWCLOUD_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID", "OS_PROJECT_ID")),
    project_name=dict(type="str", fallback=_env("HWCLOUD_PROJECT_NAME", "OS_PROJECT_NAME")),
    auth_token=dict(type="str", no_log=True, fallback=_env("HWCLOUD_AUTH_TOKEN", "OS_AUTH_TOKEN")),
    access_key=dict(type="str", no_log=False, fallback=_env("HWCLOUD_ACCESS_KEY", "HUAWEICLOUD_SDK_AK", "OS_ACCESS_KEY")),
    secret_key=dict(type="str", no_log=True, fallback=_env("HWCLOUD_SECRET_KEY", "HUAWEICLOUD_SDK_SK", "OS_SECRET_KEY")),
    security_token=dict(type="str", no_log=True,
                        fallback=_env("HWCLOUD_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "OS_SECURITY_TOKEN")),
    username=dict(type="str", fallback=_env("HWCLOUD_USERNAME", "OS_USERNAME")),
    password=dict(type="str", no_log=True, fallback=_env("HWCLOUD_PASSWORD", "OS_PASSWORD")),
    domain_name=dict(type="str", fallback=_env("HWCLOUD_DOMAIN_NAME", "OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME")),
    iam_endpoint=dict(type="str", fallback=_env("HWCLOUD_IAM_ENDPOINT", "OS_AUTH_URL")),
    modelarts_endpoint=dict(type="str", fallback=_env("HWCLOUD_MODELARTS_ENDPOINT")),
    validate_certs=dict(type="bool", default=True, fallback=_env("HWCLOUD_VALIDATE_CERTS")),
    ca_path=dict(type="path", fallback=_env("HWCLOUD_CA_PATH")),
    timeout=dict(type="int", default=30, fallback=_env("HWCLOUD_TIMEOUT")),
    retries=dict(type="int", default=3, fallback=_env("HWCLOUD_RETRIES")),
)

SECRET_OPTIONS = ("auth_token", "secret_key", "security_token", "password")

_AKSK_OPTIONS = ("access_key", "secret_key", "security_token")
_PASSWORD_OPTIONS = ("username", "password", "domain_name")


class ConnectionSettings:
    """Validated connection options (plain attributes, one per option) plus the chosen auth method."""

    def __init__(self, params, auth_method, iam_url, modelarts_url, verify):
        for name in CONNECTION_ARGUMENT_SPEC:
            setattr(self, name, params.get(name))
        self.auth_method = auth_method
        self.iam_url = iam_url
        self.modelarts_url = modelarts_url
        self.verify = verify

    @property
    def scope_project_name(self):
        """The project a password token is scoped to, or looked up for AK/SK: project_name, else the region."""
        return self.project_name or self.region

    def secrets(self):
        """The secret values given to the module (to keep out of any message)."""
        return [getattr(self, name) for name in SECRET_OPTIONS if getattr(self, name)]


def _missing(params, names):
    return [name for name in names if not params.get(name)]


def _given(params, names):
    return [name for name in names if params.get(name)]


def choose_auth_method(params):
    """Pick the auth method from the credentials present, failing on incomplete sets that would win."""
    aksk_given = _given(params, _AKSK_OPTIONS)
    aksk_missing = _missing(params, ("access_key", "secret_key"))
    password_given = _given(params, _PASSWORD_OPTIONS)
    password_missing = _missing(params, _PASSWORD_OPTIONS)
    if params.get("auth_token"):
        return "token"
    if aksk_given and aksk_missing:
        raise ConfigError("%s given without %s: AK/SK signing needs both access_key and secret_key"
                          % (" and ".join(aksk_given), " and ".join(aksk_missing)))
    if aksk_given:
        return "aksk"
    if password_given and password_missing:
        raise ConfigError("%s given without %s: password authentication needs username, password and domain_name"
                          % (" and ".join(password_given), " and ".join(password_missing)))
    if password_given:
        return "password"
    raise ConfigError("no credentials: set auth_token, or access_key and secret_key, or username, password and domain_name"
                      " (or their environment variables, see the hwcloud.modelarts.auth documentation)")


def _without_empty_strings(params):
    """Treat "" as not set (AWX injects blank optional fields as empty variables); reject blanks."""
    cleaned = dict(params)
    for name in CONNECTION_ARGUMENT_SPEC:
        value = cleaned.get(name)
        if isinstance(value, str) and not value.strip():
            if value:
                raise ConfigError("%s must not be blank" % name)
            cleaned[name] = None
    return cleaned


def connection_settings(params):
    """Validate every connection option and return ConnectionSettings, or raise ConfigError."""
    params = _without_empty_strings(params)
    auth_method = choose_auth_method(params)
    region = params.get("region")
    if region:
        check_region(region)
    if not 1 <= params["timeout"] <= 3600:
        raise ConfigError("timeout must be between 1 and 3600 seconds, got %d" % params["timeout"])
    if not 0 <= params["retries"] <= MAX_RETRIES:
        raise ConfigError("retries must be between 0 and %d, got %d" % (MAX_RETRIES, params["retries"]))
    iam_url, modelarts_url = resolve(params["cloud"], region, params.get("iam_endpoint"), params.get("modelarts_endpoint"))
    needs_iam = auth_method == "password" or not params.get("project_id")
    if not modelarts_url or (needs_iam and not iam_url):
        needed = "modelarts_endpoint and iam_endpoint are" if needs_iam else "modelarts_endpoint is"
        raise ConfigError("region is required unless %s given" % needed)
    if needs_iam and not (params.get("project_id") or params.get("project_name") or region):
        raise ConfigError("set project_id, project_name or region: the project cannot be determined")
    verify = params["validate_certs"]
    ca_path = params.get("ca_path")
    if ca_path:
        if not os.path.exists(ca_path):
            raise ConfigError("ca_path %s does not exist" % ca_path)
        verify = ca_path if verify else False
    return ConnectionSettings(params, auth_method, iam_url, modelarts_url, verify)
