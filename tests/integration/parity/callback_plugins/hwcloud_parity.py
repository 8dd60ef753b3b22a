# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: record the result of every hwcloud.modelarts task, one JSON line each, in run order.

The integration gate runs every target twice, in-process and with ``hwcloud_modelarts_in_process:
false``, with this callback enabled, and compare.py checks that the two records agree.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: hwcloud_parity
type: aggregate
short_description: Record the results of hwcloud.modelarts tasks (tests only)
description:
  - Appends one JSON line per task of the collection to O(path).
requirements:
  - its directory on callback_plugins (it needs no enabling)
options:
  path:
    description: The file to append to.
    type: path
    required: true
    ini:
      - section: callback_hwcloud_parity
        key: path
"""

import json

from ansible.plugins.callback import CallbackBase

PREFIX = "hwcloud.modelarts."


class CallbackModule(CallbackBase):
    """The callback."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "hwcloud_parity"
    # loaded without being enabled (ansible-test sets ANSIBLE_CALLBACKS_ENABLED): only the integration gate
    # puts its directory on callback_plugins
    CALLBACK_NEEDS_ENABLED = False

    def _record(self, outcome, result):
        task = result._task  # pylint: disable=protected-access
        if not str(task.action).startswith(PREFIX):
            return
        line = {"host": result._host.get_name(), "task": task.get_name(), "action": task.action,  # pylint: disable=protected-access
                "outcome": outcome, "result": result._result}  # pylint: disable=protected-access
        with open(self.get_option("path"), "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, sort_keys=True, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._record("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("failed", result)

    def v2_runner_on_skipped(self, result):
        self._record("skipped", result)
