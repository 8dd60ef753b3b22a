# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base every module runs on: shared options, lazy connection, uniform results and failures.

A module gives its own argument spec and a ``run(module)`` function returning the result
dict. Input errors (ConfigError) and cloud errors (ModelArtsError) become ``fail_json``
with ``msg``, ``status_code``, ``error_code`` and ``request_id``; any secret value is
masked in the message. ``changed`` is false unless the result says otherwise; a writing
module also uses ``check_mode``, ``diff_mode`` and ``warn()``.
"""

from __future__ import annotations

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ._clouds_yaml import MissingLibrary
from ._endpoints import embedded_password
from ._errors import ConfigError, ModelArtsError
from ._options import CONNECTION_ARGUMENT_SPEC, connection_settings
from ._sources import SECRET_OPTIONS, environment_secrets

MASK = "********"
ENDPOINT_OPTIONS = ("iam_endpoint", "modelarts_endpoint")


class ModelArtsModule:
    """Wraps AnsibleModule with the connection options and the collection's error handling."""

    def __init__(self, argument_spec, **kwargs):
        spec = dict(CONNECTION_ARGUMENT_SPEC)
        spec.update(argument_spec)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        self.params = self.module.params
        self.connection = None
        # Environment secrets are read outside the argument spec (see _sources), so Ansible does not know to mask them.
        self.module.no_log_values.update(environment_secrets())
        # Endpoints with user:password@ are rejected, but Ansible echoes the options (invocation) first.
        for option in ENDPOINT_OPTIONS:
            password = embedded_password(self.params.get(option) or "")
            if password:
                self.module.no_log_values.add(password)

    def connect(self):
        """Validate the connection options, then build the (not yet connected) Connection."""
        settings = connection_settings(self.params)
        # Secrets may come from a clouds.yaml profile, which Ansible knows nothing of.
        self.module.no_log_values.update(settings.secrets())
        # Imported only now: requests is the heaviest import, and bad input never needs it.
        from ._transport import REQUESTS_IMPORT_ERROR
        if REQUESTS_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        from ._connection import Connection
        self.connection = Connection(settings)
        return self.connection

    def _secrets(self):
        if self.connection is not None:
            return self.connection.secrets()
        return [self.params[name] for name in SECRET_OPTIONS if self.params.get(name)] + environment_secrets()

    def _mask(self, text):
        for secret in sorted(set(self._secrets()), key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    @property
    def check_mode(self):
        """Whether Ansible runs the task in check mode."""
        return self.module.check_mode

    @property
    def diff_mode(self):
        """Whether Ansible asked for a diff (--diff)."""
        return self.module._diff

    def warn(self, message):
        """An Ansible warning, with secrets masked."""
        self.module.warn(self._mask(message))

    def fail(self, msg, **fields):
        """fail_json with secrets masked in the message."""
        self.module.fail_json(msg=self._mask(msg), **fields)

    def run(self, handler):
        """Run ``handler(self)`` and exit with its result, or fail with a clean message."""
        try:
            result = handler(self)
        except ConfigError as error:
            self.fail(str(error))
        except MissingLibrary as error:
            self.fail(missing_required_lib(error.library), exception=error.import_error)
        except ModelArtsError as error:
            fields = error.result()
            # true when a write happened (or may have happened) before the failure
            fields["changed"] = bool(getattr(error, "changed", False))
            self.fail(fields.pop("msg"), **fields)
        except Exception as error:  # pylint: disable=broad-except
            self.fail("unexpected error: %s: %s" % (type(error).__name__, error), exception=self._mask(traceback.format_exc()))
        finally:
            if self.connection is not None:
                self.connection.close()
        result = dict(result)
        result.setdefault("changed", False)
        self.module.exit_json(**result)
