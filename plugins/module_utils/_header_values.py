# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the values that go into a request header, a signature or an IAM request body.

They run before any request, on every value whatever its source (the task, an environment
variable, a clouds.yaml profile), so that a pasted value with a stray newline never reaches
``requests`` (whose ``InvalidHeader`` error would quote it) and never becomes a mask pattern.

Surrounding whitespace is **refused, not stripped**: a credential that is silently changed is
harder to debug than a clear error, and a value with a trailing newline usually means the wrong
field or file was used. A line break, tab or other control character inside a value is always
refused. The error names the option and where its value came from, never the value.

An id that becomes part of a request URL (``project_id`` in the path, ``workspace_id`` in the
query) must look like a ModelArts id: letters, digits, ``-`` and ``_``. So a value with ``/``,
``#``, ``?`` or ``%`` can never address another resource than the one asked for.
"""

from __future__ import annotations

import re

from ._errors import ConfigError
from ._masking import MIN_SECRET_LENGTH

SECRET_OPTIONS = ("auth_token", "secret_key", "security_token", "password")
# Sent as HTTP header values (X-Auth-Token, X-Security-Token, the Authorization header's AK, X-Project-Id)
# or as a query parameter (workspace_id): printable ASCII only, as a header value can carry nothing else safely.
HEADER_OPTIONS = ("auth_token", "security_token", "access_key", "project_id", "workspace_id")
# Ids of the request URL: ModelArts' own ids are 32 hex digits (project) or "0" and 32 hex digits (workspace).
ID_OPTIONS = ("project_id", "workspace_id")
# Every option checked here: the secrets, the header values, and the names of an IAM password request.
CHECKED_OPTIONS = SECRET_OPTIONS + ("access_key", "project_id", "workspace_id", "username", "domain_name")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_PRINTABLE_ASCII = re.compile(r"^[\x21-\x7e]+$")
_ID = re.compile(r"[A-Za-z0-9_-]+")


def is_id(value):
    """True when ``value`` is a string that may be an id of ModelArts: letters, digits, ``-`` and ``_``."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _where(origin):
    return " (from %s)" % origin if origin else ""


def check_value(option, value, origin=None):
    """Raise ConfigError unless ``value`` of ``option`` (from ``origin``: a variable or profile key) is usable.

    ``value`` is a non-empty string; the message never contains it.
    """
    if option not in CHECKED_OPTIONS or not isinstance(value, str) or not value:
        return
    where = _where(origin)
    if not value.strip():
        raise ConfigError("%s%s must not be blank" % (option, where))
    if _CONTROL.search(value):
        raise ConfigError("%s%s must not contain a line break, tab or other control character (check for a pasted"
                          " newline)" % (option, where))
    if value != value.strip():
        raise ConfigError("%s%s must not start or end with whitespace (it is refused, not stripped, so that a"
                          " credential is never silently changed)" % (option, where))
    if option in ID_OPTIONS and not is_id(value):
        raise ConfigError("%s%s must consist of letters, digits, '-' and '_' only (it is part of the request URL)"
                          % (option, where))
    if option in HEADER_OPTIONS and not _PRINTABLE_ASCII.match(value):
        raise ConfigError("%s%s must consist of printable ASCII characters without spaces (it is sent in an HTTP"
                          " header)" % (option, where))
    if option in SECRET_OPTIONS and len(value) < MIN_SECRET_LENGTH:
        raise ConfigError("%s%s must be at least %d characters long" % (option, where, MIN_SECRET_LENGTH))
