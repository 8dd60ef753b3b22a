# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment variables the source rule of ``_sources`` leaves unused, as warnings.

The rule never mixes sources, so a variable can be set and still not be used: an endpoint of
the Huawei family when the task gives its own credentials, say. Each such variable is named
in a warning with the reason, never with its value. Not named (documented in the notes of the
``hwcloud.modelarts.auth`` doc fragment), because nothing is lost by not using them:

- a variable of an option the task sets itself (the task's value wins, as for any option);
- a lower-priority name of an option whose first name in the same family is set;
- a variable whose value is the one in use (an endpoint the region derives anyway);
- credentials of a kind that the credentials in use outrank in any one source (a token
  outranks AK/SK, AK/SK outrank a password), and ``OS_CLOUD`` when a token is in use;
- once the settings are known, options the task's requests do not depend on: the IAM
  endpoint when no IAM request is needed, the cloud and region when no default endpoint is
  derived and no project is looked up by name, the project name when none is looked up.
"""

from __future__ import annotations

from ._clouds_yaml import Profile
from ._endpoints import iam_base, normalize_endpoint
from ._errors import ConfigError
from ._sources import CREDENTIAL_OPTIONS, ENDPOINT_OPTIONS, FAMILIES, HUAWEI, TASK

# How the auth methods rank within one source (see _options.choose_auth_method), by method and by option.
_METHOD_RANK = {"token": 3, "aksk": 2, "password": 1}
_OPTION_RANK = {"auth_token": 3, "access_key": 2, "secret_key": 2, "security_token": 2,
                "username": 1, "password": 1, "domain_name": 1}
PROFILE_OPTION = "cloud_profile"


def _first_set(family, option, environ):
    """(variable, value) of the first variable of ``option`` in ``family`` that is set and not empty."""
    for variable in family.variables_of(option):
        if environ.get(variable):
            return variable, environ[variable]
    return None, None


def _rank_in_use(sourced, settings):
    """The rank of the credentials in use (0: none, or not known)."""
    if settings is not None:
        return _METHOD_RANK[settings.auth_method]
    return max([_OPTION_RANK[option] for option in CREDENTIAL_OPTIONS if sourced.values.get(option)] or [0])


def _needed(sourced, settings):
    """The location and endpoint options the task's requests depend on (None: all, when the settings are not known)."""
    if settings is None:
        return None
    needs_iam = settings.auth_method == "password" or not settings.project_id
    by_name = needs_iam and settings.auth_method != "token" and not settings.project_id
    derived = not sourced.values["modelarts_endpoint"] or (needs_iam and not sourced.values["iam_endpoint"])
    needed = {"modelarts_endpoint", "project_id"}
    needed.update(name for name, wanted in (("iam_endpoint", needs_iam), ("cloud", derived), ("project_name", by_name),
                                            ("region", derived or (by_name and not settings.project_name))) if wanted)
    return needed


def _comparable(option, value):
    """An endpoint as the settings hold it (normalized, IAM ending in /v3); other values as they are."""
    if option not in ENDPOINT_OPTIONS or not value:
        return value
    try:
        value = normalize_endpoint(option, value)
    except ConfigError:
        return None  # an invalid URL is never the one in use
    return iam_base(value) if option == "iam_endpoint" else value


def _in_use(option, sourced, settings):
    """The value the task uses for ``option`` (its endpoint URL once the settings are known)."""
    if settings is None:
        return _comparable(option, sourced.values.get(option))
    if option in ENDPOINT_OPTIONS:
        return settings.iam_url if option == "iam_endpoint" else settings.modelarts_url
    return getattr(settings, option)


def _source_name(source):
    if source == TASK:
        return "the task"
    return "the %s" % source.name


def _reason(option, family, source):
    """Why the rule does not use ``family``'s variable of ``option`` with credentials from ``source``."""
    if option in CREDENTIAL_OPTIONS or option == PROFILE_OPTION:
        return "the credentials come from %s, and credentials are never combined from two sources" % _source_name(source)
    if option in ENDPOINT_OPTIONS:
        if source is family:
            return "the task sets cloud or region, so the endpoints of that cloud and region are used"
        if source is None:
            return "an endpoint from the environment is used only with credentials of its own family, and no source sets credentials"
        return ("an endpoint from the environment is used only with credentials of its own family, and the credentials"
                " come from %s" % _source_name(source))
    if source in (None, TASK):
        return "with credentials from the task, only the %s fills location options the task leaves unset" % HUAWEI.name
    return "location options come only from the source of the credentials, %s" % _source_name(source)


def _unused(option, family, sourced, settings, environ):
    """The variable of ``option`` in ``family`` that is set and that the rule leaves unused, or None."""
    variable, value = _first_set(family, option, environ)
    if variable is None or sourced.origins.get(option) == variable:
        return None
    if option == PROFILE_OPTION:
        chosen = sourced.source if isinstance(sourced.source, Profile) else None
        unused = (chosen is None or chosen.profile_name != value) and _rank_in_use(sourced, settings) < _METHOD_RANK["token"]
        return variable if unused else None
    if option in CREDENTIAL_OPTIONS:
        if _OPTION_RANK[option] < _rank_in_use(sourced, settings):
            return None
    else:
        needed = _needed(sourced, settings)
        if needed is not None and option not in needed:
            return None
    used = _in_use(option, sourced, settings)
    return None if used is not None and _comparable(option, value) == used else variable


def unused_variables(params, sourced, settings=None, environ=None):
    """``[(reason, [variable, ...]), ...]``: the variables the rule leaves unused, grouped by reason, in table order.

    ``settings`` are the ConnectionSettings made from ``sourced`` (None when making them failed:
    then every option counts as needed).
    """
    environ = environ or {}
    task_sets = set(option for option, origin in sourced.origins.items() if origin == TASK)
    if params.get(PROFILE_OPTION):
        task_sets.add(PROFILE_OPTION)
    grouped = {}
    for family in FAMILIES:
        for option in family.variables:
            if option in task_sets:
                continue
            variable = _unused(option, family, sourced, settings, environ)
            if variable:
                grouped.setdefault(_reason(option, family, sourced.source), []).append(variable)
    return list(grouped.items())


def _names(variables):
    return variables[0] if len(variables) == 1 else "%s and %s" % (", ".join(variables[:-1]), variables[-1])


def unused_variable_warnings(params, sourced, settings=None, environ=None):
    """One warning per reason, naming the variables (never their values)."""
    return ["%s %s set in the environment but not used: %s" % (_names(variables), "is" if len(variables) == 1 else "are", reason)
            for reason, variables in unused_variables(params, sourced, settings, environ)]
