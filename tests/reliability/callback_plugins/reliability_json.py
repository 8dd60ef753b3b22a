# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stdout callback of the reliability suite: the default output plus one JSON line of task results."""

from __future__ import annotations

DOCUMENTATION = r"""
name: reliability_json
type: stdout
short_description: Default screen output plus one machine-readable JSON line of every task result
version_added: 0.1.0
description:
  - Used by the reliability suite of the hwcloud.modelarts collection (C(tests/reliability/run.py)); not shipped as a plugin.
  - Prints exactly what the C(default) stdout callback prints at the same verbosity, so that the suite's secret scan
    covers what users see, including the full result dumps at C(-vvvv).
  - At the end of the playbook it prints one line that starts with C(RELIABILITY_JSON ) followed by a JSON object
    with a C(tasks) list. Each entry has the task name, the action, the outcome (C(ok), C(failed), C(skipped) or
    C(unreachable)), the result (censored as Ansible censors it for C(no_log) tasks) and the task duration in seconds,
    measured in the controller from the start of the task on the host to its result.
author:
  - hwcloud.modelarts contributors (@hwcloud)
extends_documentation_fragment:
  - default_callback
  - result_format_callback
requirements:
  - set as stdout callback (C(ANSIBLE_STDOUT_CALLBACK=reliability_json)) with C(ANSIBLE_CALLBACK_PLUGINS) pointing to this directory
"""

import json
import time

from ansible.plugins.callback.default import CallbackModule as DefaultCallbackModule

MARKER = "RELIABILITY_JSON "
CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"


def _plain(value):
    """A JSON-compatible deep copy of a task result (tagged or unsafe strings become plain strings)."""
    return json.loads(json.dumps(value, default=str))


def _result_of(task_result):
    """The result dict of a task result object, censored for no_log tasks, across ansible-core versions."""
    result = getattr(task_result, "result", None)
    if not isinstance(result, dict):
        result = getattr(task_result, "_result", {})
    result = _plain(result)
    if result.get("_ansible_no_log"):
        result = {"censored": CENSORED, "_ansible_no_log": True,
                  "failed": result.get("failed", False), "changed": result.get("changed", False)}
    return result


class CallbackModule(DefaultCallbackModule):
    """The default stdout callback that also collects each task result and prints them as one JSON line."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "reliability_json"

    def __init__(self):
        super().__init__()
        self._started = {}
        self._records = []

    def _record(self, task_result, outcome):
        # ansible-core 2.19 made TaskResult.task and .host public; 2.16 to 2.18 only have _task and _host
        task = getattr(task_result, "task", None) or task_result._task  # pylint: disable=protected-access
        host = getattr(task_result, "host", None) or task_result._host  # pylint: disable=protected-access
        key = (task._uuid, host.get_name())  # pylint: disable=protected-access
        started = self._started.pop(key, None)
        self._records.append({
            "name": task.get_name(),
            "action": task.action,
            "outcome": outcome,
            "duration": round(time.monotonic() - started, 3) if started is not None else None,
            "result": _result_of(task_result),
        })

    def v2_runner_on_start(self, host, task):
        self._started[(task._uuid, host.get_name())] = time.monotonic()  # pylint: disable=protected-access
        super().v2_runner_on_start(host, task)

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")
        super().v2_runner_on_ok(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")
        super().v2_runner_on_failed(result, ignore_errors=ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")
        super().v2_runner_on_skipped(result)

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")
        super().v2_runner_on_unreachable(result)

    def v2_playbook_on_stats(self, stats):
        super().v2_playbook_on_stats(stats)
        self._display.display(MARKER + json.dumps({"tasks": self._records}, sort_keys=True))
