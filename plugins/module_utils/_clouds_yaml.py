# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""clouds.yaml profiles, found and merged where openstacksdk finds them.

``clouds.yaml`` is looked for in ``$OS_CLIENT_CONFIG_FILE``, ``./clouds.yaml``,
``~/.config/openstack/clouds.yaml`` and ``/etc/openstack/clouds.yaml`` (the first that
exists is used), and ``secure.yaml`` likewise (``$OS_CLIENT_SECURE_FILE`` first); the
entries of ``secure.yaml`` are merged into those of ``clouds.yaml`` key by key, as
openstacksdk does. A :class:`Profile` maps one entry to the collection's options.
"""

from __future__ import annotations

import os
import traceback

from ._errors import ConfigError, MissingLibrary

# option -> the keys of a clouds.yaml entry that may hold it, first found wins
# (auth.ak / auth.sk as otcextensions accepts them, or at the top of the entry).
_KEYS = {
    "auth_token": (("auth", "token"),),
    "access_key": (("auth", "ak"), ("ak",)),
    "secret_key": (("auth", "sk"), ("sk",)),
    "security_token": (("auth", "security_token"), ("security_token",)),
    "username": (("auth", "username"),),
    "password": (("auth", "password"),),
    "domain_name": (("auth", "user_domain_name"), ("auth", "domain_name")),
    "iam_endpoint": (("auth", "auth_url"),),
    "modelarts_endpoint": (("modelarts_endpoint_override",),),
    "region": (("region_name",),),
    "project_id": (("auth", "project_id"),),
    "project_name": (("auth", "project_name"),),
    "ca_path": (("cacert",),),
}


def _candidates(kind, environ):
    variable = "OS_CLIENT_CONFIG_FILE" if kind == "clouds" else "OS_CLIENT_SECURE_FILE"
    home = os.path.expanduser("~")
    paths = [environ.get(variable), os.path.join(os.getcwd(), kind + ".yaml"),
             os.path.join(home, ".config", "openstack", kind + ".yaml"), os.path.join("/etc", "openstack", kind + ".yaml")]
    return [path for path in paths if path]


def _first_existing(kind, environ):
    return next((path for path in _candidates(kind, environ) if os.path.isfile(path)), None)


def _yaml():
    """PyYAML, imported only when a clouds.yaml is read (about 20 ms that most runs do not need)."""
    try:
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError:
        raise MissingLibrary("PyYAML", traceback.format_exc()) from None
    return yaml


def _read(path):
    """The ``clouds`` mapping of a YAML file, with clear errors for unreadable or invalid files."""
    yaml = _yaml()
    try:
        with open(path, "rb") as handle:
            document = yaml.safe_load(handle)
    except (OSError, IOError) as error:
        raise ConfigError("cannot read %s: %s" % (path, error.strerror or error)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = " (line %d)" % (mark.line + 1) if mark is not None else ""
        raise ConfigError("%s is not valid YAML%s" % (path, where)) from None
    clouds = document.get("clouds") if isinstance(document, dict) else None
    if not isinstance(clouds, dict):
        raise ConfigError("%s has no 'clouds' mapping" % path)
    return clouds


def _merge(base, extra):
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class CloudsFile:
    """The clouds.yaml in use (``path``, None when there is none) and its entries, secure.yaml merged in."""

    def __init__(self, environ):
        self.path = _first_existing("clouds", environ)
        self.entries = _read(self.path) if self.path else {}
        secure = _first_existing("secure", environ) if self.path else None
        if secure:
            self.entries = _merge(self.entries, _read(secure))

    def names(self):
        """The profile names, sorted, for messages."""
        return sorted(str(name) for name in self.entries)

    def profile(self, name, named_by):
        """The Profile ``name``; ``named_by`` (cloud_profile or OS_CLOUD) is quoted in errors."""
        if not self.path:
            raise ConfigError("%s names the clouds.yaml profile %r, but there is no clouds.yaml (looked for OS_CLIENT_CONFIG_FILE,"
                              " ./clouds.yaml, ~/.config/openstack/clouds.yaml and /etc/openstack/clouds.yaml)"
                              % (named_by, name))
        entry = self.entries.get(name)
        if not isinstance(entry, dict):
            raise ConfigError("%s names the clouds.yaml profile %r, which %s does not have; its profiles: %s"
                              % (named_by, name, self.path, ", ".join(self.names()) or "none"))
        return Profile(name, self.path, entry)

    def only_profile(self):
        """The Profile of a file with exactly one entry, else None."""
        if len(self.entries) != 1:
            return None
        name = next(iter(self.entries))
        entry = self.entries[name]
        return Profile(str(name), self.path, entry) if isinstance(entry, dict) else None


def _scalar(value):
    return value if isinstance(value, str) else (str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None)


class Profile:
    """One clouds.yaml entry as a source of options: ``lookup(option)`` like an environment family."""

    def __init__(self, name, path, entry):
        self.profile_name = name
        self.name = "clouds.yaml profile %r" % name
        self.path = path
        self.entry = entry

    def _value(self, keys):
        node = self.entry
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        return _scalar(node)

    def lookup(self, option, environ=None):  # pylint: disable=unused-argument
        """(value, origin) of an option the entry holds, or (None, None)."""
        for keys in _KEYS.get(option, ()):
            value = self._value(keys)
            if value:
                return value, "%s, %s" % (self.name, ".".join(keys))
        return None, None

    def variables_of(self, option):
        """Where the option would be in the entry, for messages about a missing one."""
        return tuple("%s %s" % (self.name, ".".join(keys)) for keys in _KEYS.get(option, ()))

    def verify(self):
        """The entry's ``verify`` (a bool), or None when it does not set it."""
        value = self.entry.get("verify")
        if isinstance(value, str):
            value = {"true": True, "false": False, "yes": True, "no": False}.get(value.strip().lower())
        return value if isinstance(value, bool) else None
