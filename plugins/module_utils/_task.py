# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One task of the collection, whatever runs it: validated options in, one result dict out.

Two runners use it and nothing else: the module base (``_module.py``, in an AnsiballZ
process, with ``AnsibleModule``) and the in-process action base (``plugins/plugin_utils``, in
the controller's worker, with ansible-core's ``ArgumentSpecValidator``). Both hand a
:class:`Task` to the module's ``run()`` and turn what :func:`execute` returns into the task
result, so that the two paths decide, fail and mask in exactly the same way.

A failure is a dict with ``failed``, ``msg``, ``changed``, ``status_code``, ``error_code`` and
``request_id`` (the last three null when there is no such value: an option error, say). Every
secret in use is masked in every message; the runner then registers every secret with ansible-core
(2.22 and later, which masks them wherever it prints), or applies Ansible's ``no_log`` masking to
the whole result (older cores).
"""

from __future__ import annotations

import os
import traceback

from ._endpoints import embedded_password
from ._errors import ConfigError, MissingLibrary, ModelArtsError
from ._core_secrets import register_with_core
from ._masking import Masker, mask_patterns
from ._options import CONNECTION_ARGUMENT_SPEC, connection_settings
from ._sources import SECRET_OPTIONS, environment_secrets

ENDPOINT_OPTIONS = ("iam_endpoint", "modelarts_endpoint")


def task_argument_spec(argument_spec):
    """The whole argument spec of a module: the shared connection options plus its own."""
    spec = dict(CONNECTION_ARGUMENT_SPEC)
    spec.update(argument_spec)
    return spec


def no_log_options(argument_spec):
    """The names of the options marked ``no_log`` in an argument spec."""
    return [name for name, option in argument_spec.items() if option.get("no_log")]


class Task:
    """What a module's ``run()`` sees: its options, the modes, warnings and a lazy connection.

    ``environ`` is the environment the task runs with (the process's own for a module; the
    task's ``environment:`` laid over the worker's for the in-process path). ``connections`` is
    a pool that keeps connections across the items of a loop (the in-process path's
    ``plugin_utils._connection_pool``; None: a connection of this task's own, closed at its end).
    """

    def __init__(self, params, check_mode=False, diff_mode=False, environ=None, connections=None):
        self.params = params
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.environ = os.environ if environ is None else environ
        self.connections = connections
        self.warnings = []
        self.connection = None
        self.settings = None
        self.pooled = False

    def secrets(self):
        """Every secret value this task knows: options, environment, a clouds.yaml profile, an issued token."""
        if self.connection is not None:
            values = self.connection.secrets()
        else:
            values = [self.params[name] for name in SECRET_OPTIONS if self.params.get(name)]
            if self.settings is not None:
                values += self.settings.secrets()
        return values + environment_secrets(self.environ) + self._endpoint_passwords()

    def no_log_values(self):
        """The values Ansible must mask in the whole result (the issued token is not one: auth returns it).

        Only values that can be mask patterns (see ``_masking``): a blank one would mask every space.
        """
        values = set(environment_secrets(self.environ)) | set(self._endpoint_passwords())
        if self.settings is not None:
            values.update(self.settings.secrets())
        return mask_patterns(values)

    def register_secrets(self):
        """Register every secret this task knows with ansible-core, which masks them in its output (2.22 and later).

        Call it before the options are shown as the no_log placeholder (``scrub_weak_secrets``).
        """
        return register_with_core(self.secrets())

    def _endpoint_passwords(self):
        # Endpoints with user:password@ are refused, but Ansible echoes the options (invocation) first.
        return [password for password in (embedded_password(self.params.get(option) or "") for option in ENDPOINT_OPTIONS)
                if password]

    def connect(self, shared=True):
        """Validate the connection options, then build the (not yet connected) Connection.

        With a pool, and unless ``shared`` is false, the connection is the pool's: the one an
        earlier item of the loop made with the very same settings (its session, token and
        project id), or a new one kept for the next items.
        """
        self.settings = connection_settings(self.params, self.environ, warn=self.warn)
        # Imported only now: requests is the heaviest import, and bad input never needs it.
        from ._transport import REQUESTS_IMPORT_ERROR
        if REQUESTS_IMPORT_ERROR:
            raise MissingLibrary("requests", REQUESTS_IMPORT_ERROR)
        from ._connection import Connection
        self.pooled = shared and self.connections is not None
        self.connection = self.connections.connection(self.settings, Connection) if self.pooled else Connection(self.settings)
        return self.connection

    def release(self):
        """Close this task's own connection; a pooled one stays open for the next item of the loop."""
        if self.connection is not None and not self.pooled:
            self.connection.close()

    def mask(self, text):
        """``text`` with every secret this task knows masked in each encoding it can take (see ``_masking``)."""
        return Masker(self.secrets()).mask(text)

    def warn(self, message):
        """A warning for the task result, with secrets masked."""
        self.warnings.append(self.mask(message))


FAILURE_FIELDS = ("status_code", "error_code", "request_id")


def failure(msg, **fields):
    """A failed result of the one shape every failure has (the message is not masked here)."""
    result = dict.fromkeys(FAILURE_FIELDS)
    result.update(fields, failed=True, msg=msg)
    return result


def _failure(task, msg, **fields):
    return failure(task.mask(msg), **fields)


def execute(handler, task):
    """Run ``handler(task)``; return its result (``changed`` false unless it says so) or a failure dict."""
    try:
        result = dict(handler(task))
        result.setdefault("changed", False)
        return result
    except ConfigError as error:
        return _failure(task, str(error), changed=False)
    except MissingLibrary as error:
        from ansible.module_utils.basic import missing_required_lib
        return _failure(task, missing_required_lib(error.library), changed=False, exception=error.import_error)
    except ModelArtsError as error:
        fields = error.result()
        # true when a write happened (or may have happened) before the failure
        fields["changed"] = bool(getattr(error, "changed", False))
        return _failure(task, fields.pop("msg"), **fields)
    except Exception as error:  # pylint: disable=broad-except
        # A bug of the collection: the last resort, masked like every other message.
        return _failure(task, "unexpected error: %s: %s" % (type(error).__name__, error), changed=False,
                        exception=task.mask(traceback.format_exc()))
    finally:
        task.release()
