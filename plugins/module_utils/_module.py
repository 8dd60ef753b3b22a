# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module path: a module's ``run()`` inside an AnsiballZ process, through ``AnsibleModule``.

``AnsibleModule`` parses and validates the options; :mod:`._task` runs the task and shapes the
result (the in-process action path in ``plugins/plugin_utils`` does the same with ansible-core's
``ArgumentSpecValidator``). Here the result becomes ``exit_json`` or ``fail_json``, with every
secret the task knows registered with ansible-core first (2.22 and later: ``AnsibleModule`` hands
what was registered to the controller, which masks it wherever it prints), and added to
``no_log_values`` (older cores: ``exit_json`` masks them in the result).
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ._masking import scrub_weak_secrets
from ._task import FAILURE_FIELDS, Task, execute, no_log_options, task_argument_spec


class _Module(AnsibleModule):
    """AnsibleModule whose own failures (an option of the wrong type, say) have the collection's failure shape."""

    def fail_json(self, msg, **kwargs):  # pylint: disable=arguments-differ
        for field in FAILURE_FIELDS:
            kwargs.setdefault(field, None)
        kwargs.setdefault("changed", False)
        super().fail_json(msg=msg, **kwargs)


class ModelArtsModule:
    """A module of the collection: its own argument spec plus the connection options."""

    def __init__(self, argument_spec, **kwargs):
        self.argument_spec = task_argument_spec(argument_spec)
        self.module = _Module(argument_spec=self.argument_spec, supports_check_mode=True, **kwargs)
        self.task = Task(self.module.params, check_mode=self.module.check_mode, diff_mode=self.module._diff)
        # Environment secrets are read outside the argument spec (see _sources), so Ansible does not know to mask them.
        self.module.no_log_values.update(self.task.no_log_values())

    def run(self, handler):
        """Run ``handler(task)`` and exit with its result, or fail with a clean message."""
        result = execute(handler, self.task)
        # Before the options become the no_log placeholder: the token issued, the secrets read from the environment
        # and from clouds.yaml, the options' values.
        self.task.register_secrets()
        # A clouds.yaml profile's secrets are known once the options were resolved.
        self.module.no_log_values.update(self.task.no_log_values())
        # A blank or very short secret (refused) must not make no_log mask every space of the result.
        self.module.no_log_values = scrub_weak_secrets(self.module.params, no_log_options(self.argument_spec),
                                                       self.module.no_log_values)
        for warning in self.task.warnings:
            self.module.warn(warning)
        if result.pop("failed", False):
            self.module.fail_json(**result)
        self.module.exit_json(**result)
