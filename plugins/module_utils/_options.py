# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every module shares, and their validation.

The options are documented once, in the ``hwcloud.modelarts.auth`` doc fragment.
Credentials, endpoints and location have no per-option environment fallbacks: where
each comes from is decided as a whole by :mod:`._sources`. :func:`connection_settings`
checks them all before anything touches the network and chooses the auth method:
``auth_token``, then ``access_key`` + ``secret_key``, then ``username`` + ``password``
+ ``domain_name``.
"""

from __future__ import annotations

import os

from ansible.module_utils.errors import AnsibleFallbackNotFound

from ._clouds_yaml import Profile
from ._endpoints import check_region, cloud_of_endpoint, resolve
from ._errors import ConfigError
from ._regions import CLOUDS, HUAWEICLOUD, clouds_of_region
from ._sources import SECRET_OPTIONS, TASK, resolve_sources
from ._unused_variables import unused_variable_warnings

MAX_RETRIES = 10
DEFAULT_CLOUD = HUAWEICLOUD


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
    cloud=dict(type="str", choices=list(CLOUDS)),
    region=dict(type="str"),
    project_id=dict(type="str"),
    project_name=dict(type="str"),
    auth_token=dict(type="str", no_log=True),
    access_key=dict(type="str", no_log=False),
    secret_key=dict(type="str", no_log=True),
    security_token=dict(type="str", no_log=True),
    username=dict(type="str"),
    password=dict(type="str", no_log=True),
    domain_name=dict(type="str"),
    iam_endpoint=dict(type="str"),
    modelarts_endpoint=dict(type="str"),
    cloud_profile=dict(type="str"),
    # Transport options are not credentials: each keeps its own environment fallback.
    # No default: a clouds.yaml profile's "verify" applies when neither the task nor the variable sets it.
    validate_certs=dict(type="bool", fallback=_env("HWCLOUD_VALIDATE_CERTS")),
    ca_path=dict(type="path", fallback=_env("HWCLOUD_CA_PATH")),
    timeout=dict(type="int", default=30, fallback=_env("HWCLOUD_TIMEOUT")),
    retries=dict(type="int", default=3, fallback=_env("HWCLOUD_RETRIES")),
)

_AKSK_OPTIONS = ("access_key", "secret_key", "security_token")
_PASSWORD_OPTIONS = ("username", "password", "domain_name")


class ConnectionSettings:
    """Validated connection options (plain attributes, one per option) plus the chosen auth method.

    ``origins`` says where each sourced option came from ("task" or an environment variable).
    """

    def __init__(self, values, sourced, auth_method, iam_url, modelarts_url, verify, environ=None):
        for name in CONNECTION_ARGUMENT_SPEC:
            setattr(self, name, values.get(name))
        self.credential_source = sourced.source
        self.origins = sourced.origins
        self.auth_method = auth_method
        self.iam_url = iam_url
        self.modelarts_url = modelarts_url
        self.verify = verify
        self.environ = environ  # the environment the task runs with (None: the process's own)

    @property
    def scope_project_name(self):
        """The project a password token is scoped to, or looked up for AK/SK: project_name, else the region."""
        return self.project_name or self.region

    def secrets(self):
        """The secret values in use (to keep out of any message)."""
        return [getattr(self, name) for name in SECRET_OPTIONS if getattr(self, name)]


def _names(sourced, options):
    return " and ".join(sourced.describe(option) for option in options)


def choose_auth_method(sourced):
    """Pick the auth method from the credentials of the one source, failing on incomplete sets that would win."""
    values = sourced.values
    aksk_given = [name for name in _AKSK_OPTIONS if values.get(name)]
    aksk_missing = [name for name in ("access_key", "secret_key") if not values.get(name)]
    password_given = [name for name in _PASSWORD_OPTIONS if values.get(name)]
    password_missing = [name for name in _PASSWORD_OPTIONS if not values.get(name)]
    if values.get("auth_token"):
        return "token"
    if aksk_given and aksk_missing:
        raise ConfigError("%s given without %s: AK/SK signing needs both access_key and secret_key"
                          % (_names(sourced, aksk_given), _names(sourced, aksk_missing)))
    if aksk_given:
        return "aksk"
    if password_given and password_missing:
        raise ConfigError("%s given without %s: password authentication needs username, password and domain_name"
                          % (_names(sourced, password_given), _names(sourced, password_missing)))
    if password_given:
        return "password"
    raise ConfigError("no credentials: set auth_token, or access_key and secret_key, or username, password and domain_name"
                      " (or their environment variables, see the hwcloud.modelarts.auth documentation)")


def _cloud(sourced, environ):
    """The cloud whose default endpoints apply: as set, else recognised from an endpoint's host, else the only
    cloud that has the region (eu-de and eu-nl: Open Telekom Cloud), else Huawei Cloud.

    The endpoints of the credentials' own source count even when a task region turned them off, so that an
    Open Telekom Cloud profile with a region override still gets Open Telekom Cloud's endpoints.
    """
    values = sourced.values
    cloud = values["cloud"]
    if cloud is None:
        endpoints = [values["iam_endpoint"], values["modelarts_endpoint"]]
        if sourced.source not in (None, TASK):
            endpoints += [sourced.source.lookup(option, environ)[0] for option in ("iam_endpoint", "modelarts_endpoint")]
        recognised = next(filter(None, map(cloud_of_endpoint, endpoints)), None)
        if recognised:
            return recognised
        owners = clouds_of_region(values["region"]) if values["region"] else ()
        return owners[0] if len(owners) == 1 else DEFAULT_CLOUD
    if cloud not in CLOUDS:
        raise ConfigError("%s must be one of %s, got %r" % (sourced.describe("cloud"), ", ".join(CLOUDS), cloud))
    return cloud


def _verify(params, source):
    """requests' verify: True, False or a CA path; a clouds.yaml profile's verify and cacert apply when not set."""
    profile = source if isinstance(source, Profile) else None
    verify = params["validate_certs"]
    if verify is None:
        profile_verify = profile.verify() if profile else None
        verify = True if profile_verify is None else profile_verify
    ca_path = params.get("ca_path")
    if not (ca_path and ca_path.strip()) and profile:
        ca_path = profile.lookup("ca_path")[0]
    if ca_path and ca_path.strip():
        if not os.path.exists(ca_path):
            raise ConfigError("ca_path %s does not exist" % ca_path)
        verify = ca_path if verify else False
    return verify


def connection_settings(params, environ=None, warn=None):
    """Validate every connection option and return ConnectionSettings, or raise ConfigError.

    ``warn(message)`` is given a warning for the environment variables the source rule leaves unused
    (see ``_unused_variables``), also when the settings then fail (the warning may be why).
    """
    sourced = resolve_sources(params, environ)
    try:
        settings = _settings(params, sourced, environ)
    except ConfigError:
        _warn_unused(warn, params, sourced, None, environ)
        raise
    _warn_unused(warn, params, sourced, settings, environ)
    return settings


def _warn_unused(warn, params, sourced, settings, environ):
    if warn is not None:
        for message in unused_variable_warnings(params, sourced, settings, os.environ if environ is None else environ):
            warn(message)


def _settings(params, sourced, environ):
    """The ConnectionSettings of the sourced options (checked) and the transport options."""
    values = dict(params)
    values.update(sourced.values)
    auth_method = choose_auth_method(sourced)
    region = values["region"]
    if region:
        check_region(region, sourced.describe("region"))
    if not 1 <= params["timeout"] <= 3600:
        raise ConfigError("timeout must be between 1 and 3600 seconds, got %d" % params["timeout"])
    if not 0 <= params["retries"] <= MAX_RETRIES:
        raise ConfigError("retries must be between 0 and %d, got %d" % (MAX_RETRIES, params["retries"]))
    values["cloud"] = _cloud(sourced, os.environ if environ is None else environ)
    iam_url, modelarts_url = resolve(values["cloud"], region, values["iam_endpoint"], values["modelarts_endpoint"],
                                     sourced.describe)
    needs_iam = auth_method == "password" or not values["project_id"]
    if not modelarts_url or (needs_iam and not iam_url):
        needed = "modelarts_endpoint and iam_endpoint are" if needs_iam else "modelarts_endpoint is"
        raise ConfigError("region is required unless %s given" % needed)
    # A token names its own project (inspected in IAM); password and AK/SK need a project name to scope or look up.
    if needs_iam and auth_method != "token" and not (values["project_id"] or values["project_name"] or region):
        raise ConfigError("set project_id, project_name or region: the project cannot be determined")
    return ConnectionSettings(values, sourced, auth_method, iam_url, modelarts_url, _verify(params, sourced.source),
                              environ)
