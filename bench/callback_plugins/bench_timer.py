# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark callback: records when each task starts and when its result arrives.

bench/run.py enables it with ANSIBLE_CALLBACK_PLUGINS=<bench/callback_plugins> and
ANSIBLE_CALLBACKS_ENABLED=bench_timer, and reads the JSON file named by BENCH_TIMER_FILE.
A task's duration is the controller's view of it, from v2_playbook_on_task_start to the
result callback (module transfer, the module process and the result processing included),
which is what a playbook author pays per task. The benchmark runs one host, so a result
always belongs to the task started last.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Record per-task start and end times for the hwcloud.modelarts benchmark
description:
  - Writes the name, start, end, duration and status of every task to the JSON file named by
    the E(BENCH_TIMER_FILE) environment variable when the playbook ends.
  - Only for bench/run.py; not part of the collection.
requirements:
  - enable in configuration
"""


class CallbackModule(CallbackBase):
    """Collects task timings and writes them at the end of the playbook."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tasks = []
        self._current = None
        self._started = time.perf_counter()

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._current = {"name": task.get_name(), "start": time.perf_counter() - self._started}
        self._tasks.append(self._current)

    def _finish(self, status):
        if self._current is not None and "end" not in self._current:
            self._current["end"] = time.perf_counter() - self._started
            self._current["duration"] = self._current["end"] - self._current["start"]
            self._current["status"] = status

    def v2_runner_on_ok(self, result):
        self._finish("ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._finish("failed")

    def v2_runner_on_skipped(self, result):
        self._finish("skipped")

    def v2_runner_on_unreachable(self, result):
        self._finish("unreachable")

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_TIMER_FILE")
        if not path:
            return
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"tasks": self._tasks, "total": time.perf_counter() - self._started}, handle, indent=1)
