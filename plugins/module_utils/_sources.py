# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the connection options come from: the task, or one environment family, never a mix.

The rule (documented for users in the ``hwcloud.modelarts.auth`` doc fragment):

- Credentials come as a whole from one source: a clouds.yaml profile the task names
  (``cloud_profile``), or the task (arguments and ``module_defaults``) when it sets any of
  them; otherwise the Huawei family (``HWCLOUD_*``/``HUAWEICLOUD_SDK_*``); otherwise, as
  openstacksdk does, the profile ``OS_CLOUD`` names, else the OpenStack family (``OS_*``),
  else the only profile of clouds.yaml.
- Endpoints from the environment or a profile are used only with credentials of that same
  source, and never when the task sets credentials, ``cloud`` or ``region``.
- Location options come from the task where it sets them, else from the credentials'
  source; with task credentials the Huawei family's location variables may fill the gaps.

So a secret given in a task never reaches an endpoint that came from the environment, and
a secret of one family never reaches an endpoint of the other. The transport options
(timeout, retries, certificates) are not covered here: they keep per-option fallbacks.
"""

from __future__ import annotations

import os

from ._clouds_yaml import CloudsFile, Profile
from ._errors import ConfigError
from ._header_values import SECRET_OPTIONS, check_value

CREDENTIAL_OPTIONS = ("auth_token", "access_key", "secret_key", "security_token", "username", "password", "domain_name")
ENDPOINT_OPTIONS = ("iam_endpoint", "modelarts_endpoint")
LOCATION_OPTIONS = ("cloud", "region", "project_id", "project_name")
SOURCED_OPTIONS = CREDENTIAL_OPTIONS + ENDPOINT_OPTIONS + LOCATION_OPTIONS

TASK = "task"


class Family:
    """A set of environment variables that belong together, option by option (first name wins)."""

    def __init__(self, name, variables):
        self.name = name
        self.variables = variables

    def lookup(self, option, environ):
        """(value, variable) of the first non-empty variable of ``option``, or (None, None)."""
        for variable in self.variables.get(option, ()):
            value = environ.get(variable)
            if value:
                if not value.strip():
                    raise ConfigError("the environment variable %s must not be blank" % variable)
                return value, variable
        return None, None

    def variables_of(self, option):
        """The variables that may hold ``option``, for messages about a missing one."""
        return self.variables.get(option, ())

    def sets_credentials(self, environ):
        """True when any credential variable of this family is set (and not empty)."""
        return any(self.lookup(option, environ)[0] for option in CREDENTIAL_OPTIONS)

    def secret_values(self, environ):
        """Every non-empty secret this family holds in the environment (to mask in any output)."""
        return [environ[variable] for option in SECRET_OPTIONS for variable in self.variables.get(option, ())
                if environ.get(variable)]


HUAWEI = Family("Huawei Cloud environment (HWCLOUD_*)", {
    "auth_token": ("HWCLOUD_AUTH_TOKEN",),
    "access_key": ("HWCLOUD_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"),
    "secret_key": ("HWCLOUD_SECRET_KEY", "HUAWEICLOUD_SDK_SK"),
    "security_token": ("HWCLOUD_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"),
    "username": ("HWCLOUD_USERNAME",),
    "password": ("HWCLOUD_PASSWORD",),
    "domain_name": ("HWCLOUD_DOMAIN_NAME",),
    "iam_endpoint": ("HWCLOUD_IAM_ENDPOINT",),
    "modelarts_endpoint": ("HWCLOUD_MODELARTS_ENDPOINT",),
    "cloud": ("HWCLOUD_CLOUD",),
    "region": ("HWCLOUD_REGION",),
    "project_id": ("HWCLOUD_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"),
    "project_name": ("HWCLOUD_PROJECT_NAME",),
})

OPENSTACK = Family("OpenStack environment (OS_*)", {
    "auth_token": ("OS_AUTH_TOKEN",),
    "access_key": ("OS_ACCESS_KEY",),
    "secret_key": ("OS_SECRET_KEY",),
    "security_token": ("OS_SECURITY_TOKEN",),
    "username": ("OS_USERNAME",),
    "password": ("OS_PASSWORD",),
    "domain_name": ("OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME"),
    "iam_endpoint": ("OS_AUTH_URL",),
    "modelarts_endpoint": ("OS_MODELARTS_ENDPOINT_OVERRIDE",),
    "region": ("OS_REGION_NAME",),
    "project_id": ("OS_PROJECT_ID",),
    "project_name": ("OS_PROJECT_NAME",),
    "cloud_profile": ("OS_CLOUD",),
})

FAMILIES = (HUAWEI, OPENSTACK)


class Sourced:
    """The sourced options: ``values`` (option -> value or None), ``origins`` (option -> "task" or
    the variable it came from) and ``source``, where the credentials came from (None: nowhere)."""

    def __init__(self, source):
        self.source = source
        self.values = dict.fromkeys(SOURCED_OPTIONS)
        self.origins = {}

    def take(self, option, value, origin):
        """Record one option's value and where it came from, once it passed the checks of ``_header_values``."""
        check_value(option, value, None if origin == TASK else origin)
        self.values[option] = value
        self.origins[option] = origin

    def describe(self, option):
        """The option's name for messages, with the variable it came from (``password (OS_PASSWORD)``)."""
        origin = self.origins.get(option)
        if origin and origin != TASK:
            return "%s (%s)" % (option, origin)
        if origin is None and self.source not in (None, TASK):
            return "%s (%s)" % (option, " or ".join(self.source.variables_of(option)) or "no variable")
        return option


def _task_value(params, option):
    value = params.get(option)
    if isinstance(value, str) and not value.strip():
        if value:
            raise ConfigError("%s must not be blank" % option)
        return None
    return value


def _credential_source(task, environ):
    """The one source of the credentials: TASK, a Family, a Profile, or None when nothing sets any."""
    given = [option for option in CREDENTIAL_OPTIONS if task.get(option)]
    if task.get("cloud_profile"):
        if given:
            raise ConfigError("cloud_profile cannot be combined with %s: the profile brings its own credentials"
                              % ", ".join(given))
        return CloudsFile(environ).profile(task["cloud_profile"], "cloud_profile")
    if given:
        return TASK
    if HUAWEI.sets_credentials(environ):
        return HUAWEI
    os_cloud, _variable = OPENSTACK.lookup("cloud_profile", environ)
    if os_cloud:
        return CloudsFile(environ).profile(os_cloud, "OS_CLOUD")
    if OPENSTACK.sets_credentials(environ):
        return OPENSTACK
    clouds = CloudsFile(environ)
    if len(clouds.entries) > 1:
        raise ConfigError("no credentials in the task or the environment, and %s has several profiles (%s):"
                          " name one with cloud_profile or OS_CLOUD" % (clouds.path, ", ".join(clouds.names())))
    return clouds.only_profile()


def _take_from_family(sourced, family, options, environ):
    """Fill the options still unset from a Family or Profile, recording where each came from."""
    for option in options:
        if sourced.values[option] is None:
            value, variable = family.lookup(option, environ)
            if value is not None:
                sourced.take(option, value, variable)


def resolve_sources(params, environ=None):
    """Apply the source rule to the task's ``params`` and the environment; return a :class:`Sourced`.

    "" counts as not set (AWX injects blank fields as empty strings); blanks are an error.
    """
    environ = os.environ if environ is None else environ
    task = dict((option, _task_value(params, option)) for option in SOURCED_OPTIONS + ("cloud_profile",))
    source = _credential_source(task, environ)
    sourced = Sourced(source)
    for option in SOURCED_OPTIONS:
        if task[option] is not None and (option not in CREDENTIAL_OPTIONS or source == TASK):
            sourced.take(option, task[option], TASK)
    if source not in (None, TASK):
        _take_from_family(sourced, source, CREDENTIAL_OPTIONS, environ)
        if isinstance(source, Profile) and not any(sourced.values[option] for option in CREDENTIAL_OPTIONS):
            raise ConfigError("%s (%s) has no usable credentials: set auth.token, auth.ak and auth.sk, or auth.username,"
                              " auth.password and auth.user_domain_name" % (source.name, source.path))
        if not (task.get("cloud") or task.get("region")):
            _take_from_family(sourced, source, ENDPOINT_OPTIONS, environ)
        _take_from_family(sourced, source, LOCATION_OPTIONS, environ)
    else:
        # Task credentials (or none): only the Huawei family's location may fill gaps (an AWX credential's).
        _take_from_family(sourced, HUAWEI, LOCATION_OPTIONS, environ)
    return sourced


def environment_secrets(environ=None):
    """Every secret value of every family in the environment, used or not (masked in all output)."""
    environ = os.environ if environ is None else environ
    return [value for family in FAMILIES for value in family.secret_values(environ)]
