# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ansible-core API of the worker path (plugins/action, plugins/plugin_utils), pinned on every supported core.

What the worker path uses, and the test (run by the units gate on every core, 2.16 to 2.22) that pins it:

- ``ansible.plugins.action.normal.ActionModule.run`` (the module path) and ``ActionBase.run`` (the checks every
  action makes), ``ActionBase._supports_check_mode`` / ``_supports_async``: here, test_the_support_flags_*.
- the attributes the executor sets and the eligibility check reads: ``Task.async_val``, ``delegate_to``,
  ``delegate_facts``, ``check_mode``, ``diff``, ``args``, ``action``; ``PlayContext.become``; the connection's
  ``transport``; ``task_vars["ansible_delegated_vars"]`` (``VariableManager.get_delegated_vars_and_hostname``):
  here, built as the executor builds them from a loaded play.
- ``ActionBase._templar.template``, ``_compute_environment_string``: test_in_process.py's _real_action tests
  (the task environment, check and diff mode).
- ``C.config.get_config_value("INTERPRETER_PYTHON")``: test_an_interpreter_set_in_the_configuration_counts;
  ``INJECT_INVOCATION`` (2.21 and later): test_a_no_log_option_is_masked_everywhere_and_the_invocation_is_added.
- ``discover_interpreter`` (its keyword arguments), ``ActionBase._discovery_warnings`` (2.16) and
  ``ActionBase._configure_module`` reading the discovered fact: the test_discovery_* and
  test_pin_core_builds_a_module_on_the_discovered_interpreter_fact_* tests of test_in_process.py.
- ``ArgumentSpecValidator``, ``ValidationResult.validated_parameters``/``errors``, ``UnsupportedError``:
  test_an_unknown_option_with_a_date_value_is_refused_as_the_module_refuses_it and the _run tests;
  ``ValidationResult._no_log_values``/``_warnings``/``_deprecations``: test_validation.py.
- ``deprecate``/``get_deprecation_messages``: test_a_deprecated_alias_is_reported_as_ansible_core_reports_*.
- ``get_module_encoder``/``get_module_decoder``/``Direction`` (2.19 and later) or ``AnsibleJSONEncoder``:
  test_dates_reach_the_module_as_the_module_paths_json_makes_them, test_binary_fails_the_task_*.
- ``remove_values``, ``boolean``, ``Display``, ``ansible.release.__version__``: public; every _run test.
"""

from __future__ import annotations

import sys

import pytest
from ansible.errors import AnsibleActionFail, AnsibleActionSkip
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play import Play
from ansible.playbook.play_context import PlayContext
from ansible.plugins import loader as plugin_loader
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import connection_loader, init_plugin_loader
from ansible.template import Templar
from ansible.utils.collection_loader import AnsibleCollectionConfig
from ansible.vars.manager import VariableManager

pytest.importorskip("requests")

from ansible_collections.hwcloud.modelarts.plugins.action import modelarts_visualization_job_info as action  # noqa: E402


def _executor_view(task_data, connection="local"):
    """The action plugin, its task variables, as the task executor builds them for the first task of a play on
    host ``worker`` (inventory: worker, other with its own interpreter), from ``task_data``."""
    if AnsibleCollectionConfig.collection_finder is None:  # ansible-test units has set it up; a bare pytest has not
        init_plugin_loader()
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources="worker,other,")
    inventory.get_host("other").set_variable("ansible_python_interpreter", "/other/bin/python")
    variables_manager = VariableManager(loader=loader, inventory=inventory)
    play = Play.load({"hosts": "worker", "gather_facts": False, "tasks": [dict(task_data, **{"ansible.builtin.ping": {}})]},
                     variable_manager=variables_manager, loader=loader)
    task = play.get_tasks()[0][0]
    task_vars = variables_manager.get_vars(play=play, host=inventory.get_host("worker"), task=task)
    task_vars["ansible_python_interpreter"] = sys.executable
    templar = Templar(loader=loader, variables=task_vars)
    delegated, delegated_host = variables_manager.get_delegated_vars_and_hostname(templar, task, task_vars)
    assert delegated_host == task_data.get("delegate_to")
    task_vars.update(delegated)
    play_context = PlayContext(play=play)
    play_context = play_context.set_task_and_variable_override(task=task, variables=task_vars, templar=templar)
    plugin = action.ActionModule(task, connection_loader.get(connection, play_context, "/dev/null"), play_context,
                                 loader, templar, plugin_loader)
    return plugin, task_vars


def _reason(task_data, connection="local"):
    plugin, task_vars = _executor_view(task_data, connection)
    return plugin._reason_for_the_module_path(task_vars)  # pylint: disable=protected-access


def test_a_plain_local_task_on_the_controllers_python_may_run_in_the_worker():
    assert _reason({}) is None


@pytest.mark.parametrize("task_data, connection, reason", [
    ({"async": 30, "poll": 0}, "local", "the task is async"),
    ({"become": True}, "local", "become is set"),
    ({}, "ssh", "the connection is ssh, not local"),
    ({"vars": {"hwcloud_modelarts_in_process": False}}, "local", "hwcloud_modelarts_in_process is false"),
    ({"delegate_to": "other"}, "local", "its Python interpreter /other/bin/python is not the controller's %s" % sys.executable),
], ids=["async_val", "become", "transport", "opt-out", "ansible_delegated_vars"])
def test_the_executors_task_attributes_send_the_task_to_the_module(task_data, connection, reason):
    assert _reason(task_data, connection) == reason


def test_the_task_attributes_the_worker_reads_as_the_executor_sets_them():
    plugin = _executor_view({"check_mode": True, "diff": True, "delegate_to": "other", "delegate_facts": True})[0]
    task = plugin._task  # pylint: disable=protected-access
    assert (task.check_mode, task.diff, task.delegate_to, task.delegate_facts, task.async_val) == (True, True, "other", True, 0)
    assert task.args == {} and task.action in ("ansible.builtin.ping", "ping")


@pytest.mark.parametrize("flag, task_data, refusal", [
    ("_supports_check_mode", {"check_mode": True}, AnsibleActionSkip),
    ("_supports_async", {"async": 30, "poll": 0}, AnsibleActionFail),
], ids=["check_mode", "async"])
def test_the_support_flags_are_the_ones_actionbase_run_reads(flag, task_data, refusal):
    plugin, task_vars = _executor_view(task_data)
    assert getattr(plugin, flag) is True
    ActionBase.run(plugin, None, task_vars)  # the worker path calls it for the checks every action makes
    setattr(plugin, flag, False)
    with pytest.raises(refusal):
        ActionBase.run(plugin, None, task_vars)
