# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process action base: run a module's ``run()`` in the controller's worker when the task runs locally.

A module task normally costs a fork, an AnsiballZ payload, a new interpreter and the imports of
``ansible.module_utils.basic`` and ``requests`` (about 0.35 s here), for a request that takes
milliseconds. When the task would run on this very interpreter anyway, the action plugin of the
same name validates the arguments with ansible-core's ``ArgumentSpecValidator`` against the
module's own argument spec and calls the module's ``run()`` through the same module_utils
(``_task.execute``), so the result is what the module would have returned. ``AnsibleModule`` is
neither used nor patched.

Every other task runs the module exactly as the built-in ``normal`` action does:
- the connection is not ``local``;
- ``become`` is on;
- the task is ``async``;
- its Python interpreter is set and is not the controller's own;
- ``hwcloud_modelarts_in_process`` is false (for a task, host or play).
"""

from __future__ import annotations

import json
import os
import shutil
import sys

from ansible import constants as C
from ansible.executor.interpreter_discovery import discover_interpreter
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.release import __version__ as _ANSIBLE_VERSION
from ansible.utils.display import Display

# The heavy imports are paid here, once per playbook: the strategy loads action plugins in the
# parent process, and every worker it forks inherits them. _transport imports requests (guarded:
# without it, a task fails with the same missing_required_lib message as the module).
from ansible_collections.hwcloud.modelarts.plugins.module_utils import _transport  # noqa: F401 pylint: disable=unused-import
from ansible_collections.hwcloud.modelarts.plugins.module_utils._core_secrets import CORE_MASKS_SECRETS
from ansible_collections.hwcloud.modelarts.plugins.module_utils._masking import scrub_weak_secrets
from ansible_collections.hwcloud.modelarts.plugins.module_utils._task import (
    Task, execute, failure, no_log_options, task_argument_spec)
from ansible_collections.hwcloud.modelarts.plugins.plugin_utils._connection_pool import worker_connections
from ansible_collections.hwcloud.modelarts.plugins.plugin_utils._module_args import as_the_module_receives
from ansible_collections.hwcloud.modelarts.plugins.plugin_utils._validation import (
    alias_warnings, reported_deprecations, validation_no_log_values)

_CORE_VERSION = tuple(int(part) for part in _ANSIBLE_VERSION.split(".")[:2])
OPT_OUT_VARIABLE = "hwcloud_modelarts_in_process"
DISCOVERED_FACT = "discovered_interpreter_python"
# The values of INTERPRETER_PYTHON that ask for discovery (ansible.executor.module_common._get_shebang); the
# auto_legacy modes are gone from ansible-core 2.21.
DISCOVERY_MODES = ("auto", "auto_silent") + (("auto_legacy", "auto_legacy_silent") if _CORE_VERSION < (2, 21) else ())
_display = Display()


def _left_to_discovery(interpreter):
    """Whether the host's interpreter setting leaves the interpreter to ansible-core's discovery."""
    return not interpreter or interpreter in DISCOVERY_MODES


def _with_warnings(result, warnings):
    """``result`` with ``warnings`` added after its own."""
    if warnings:
        result["warnings"] = list(result.get("warnings") or ()) + warnings
    return result


def same_interpreter(path, own=None):
    """Whether ``path`` names the interpreter running this process (``{{ ansible_playbook_python }}``, or
    another link to it in the same directory, as a venv's ``python`` and ``python3``)."""
    own = os.path.abspath(own or sys.executable)
    candidate = shutil.which(path) or path
    if not os.path.isabs(candidate):
        return False
    candidate = os.path.abspath(candidate)
    # The same directory also when reached through a symlinked parent (a venv linked into a work tree).
    return candidate == own or (os.path.realpath(os.path.dirname(candidate)) == os.path.realpath(os.path.dirname(own))
                                and os.path.realpath(candidate) == os.path.realpath(own))


def _inject_invocation(task_vars):
    """Whether ansible-core adds ``invocation`` to a module's result (always before 2.21; then a setting)."""
    try:
        return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))
    except Exception:  # pylint: disable=broad-except
        return True  # the setting does not exist before ansible-core 2.21


def _validation_failure(task_name, validation):
    """The failure AnsibleModule reports for options that do not validate."""
    msg = validation.errors.msg
    if isinstance(validation.errors[0], UnsupportedError):
        msg = "Unsupported parameters for (%s) module: %s" % (task_name, msg)
    return failure(msg, changed=False)


def _as_exit_json_masks(result, no_log_values):
    """What ``exit_json``/``fail_json`` make of a module's result on this ansible-core, with the trip through JSON.

    From ansible-core 2.22 on they leave the result as it is (ansible-core masks the registered secrets where it
    prints, and ``remove_values()`` is deprecated); before, they replace the no_log values in it.
    """
    if not CORE_MASKS_SECRETS:
        from ansible.module_utils.common.parameters import remove_values  # removed in ansible-core 2.25
        result = remove_values(result, no_log_values)
    return json.loads(json.dumps(result))


def _fallbacks_from(environ, argument_spec, args):
    """Apply the options' environment fallbacks from the task's environment (the validator would read os.environ).

    Returns the spec without fallbacks and the arguments with the fallback values filled in, as
    AnsibleModule fills a missing option from the first of its variables that is set and not empty.
    """
    spec = {}
    for name, option in argument_spec.items():
        option = dict(option)
        fallback = option.pop("fallback", None)
        if fallback and name not in args:
            value = next((environ[variable] for variable in (fallback[1] if len(fallback) > 1 else ())
                          if environ.get(variable)), None)
            if value is not None:
                args[name] = value
        spec[name] = option
    return spec, args


class InProcessAction(NormalAction):
    """The action plugin of a module of the collection; subclasses set ``MODULE`` (the module file)."""

    MODULE = None
    _discovered_fact = None  # the discovered interpreter fact this task returns, as ansible-core returns it
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        self._discovered_fact = None
        reason = self._reason_for_the_module_path(task_vars)
        if reason:
            _display.vvv("%s runs as a module: %s" % (self._task.action, reason))
            result = super().run(tmp, task_vars)
        else:
            _display.vvv("%s runs in the controller's worker" % self._task.action)
            result = super(NormalAction, self).run(tmp, task_vars)  # ActionBase.run: the checks every action makes
            del tmp
            result.update(self._run_in_process(task_vars))
            if _CORE_VERSION >= (2, 22):
                # as ansible-core 2.22 marks a module's result it parsed (ActionBase._parse_returned_data), which a
                # registered result shows from 2.22 on
                result["ansible_parsed"] = True
            # ansible-core 2.16 to 2.18 collect discovery warnings on the action and add them to a module's result (a
            # private attribute, pinned by test_discovery_finds_the_controllers_interpreter_...; later cores display them)
            result = _with_warnings(result, list(getattr(self, "_discovery_warnings", None) or ()))
        if self._discovered_fact:
            # as ansible-core returns the interpreter it discovered for a module, whichever path ran
            result.setdefault("ansible_facts", {}).update(self._discovered_fact)
        return result

    # -- eligibility --------------------------------------------------------------------

    def _reason_for_the_module_path(self, task_vars):
        """Why this task must run the module (None: it may run in this process)."""
        host_vars = self._host_vars(task_vars)
        opt_in = self._templar.template(host_vars.get(OPT_OUT_VARIABLE, True))
        if not boolean(opt_in, strict=False):
            return "%s is false" % OPT_OUT_VARIABLE
        if self._connection.transport != "local":
            return "the connection is %s, not local" % self._connection.transport
        if self._play_context.become:
            return "become is set"
        if self._task.async_val:
            return "the task is async"
        interpreter = self._interpreter(host_vars)
        if _left_to_discovery(interpreter):
            interpreter = self._discover_the_hosts_interpreter(task_vars, host_vars, interpreter)
            if not same_interpreter(interpreter):
                return "its discovered Python interpreter %s is not the controller's %s" % (interpreter, sys.executable)
        elif not same_interpreter(interpreter):
            return "its Python interpreter %s is not the controller's %s" % (interpreter, sys.executable)
        return None

    def _host_vars(self, task_vars):
        """The variables of the host the task runs on (the delegated one with delegate_to)."""
        if self._task.delegate_to:
            return (task_vars.get("ansible_delegated_vars") or {}).get(self._task.delegate_to, task_vars)
        return task_vars

    def _interpreter(self, host_vars):
        """The Python interpreter setting of the host, templated (a discovery mode, or empty, leaves it to discovery)."""
        value = host_vars.get("ansible_python_interpreter")
        if value is None:
            value = C.config.get_config_value("INTERPRETER_PYTHON")
        value = self._templar.template(value)
        return "" if value is None else str(value).strip()

    def _discover_the_hosts_interpreter(self, task_vars, host_vars, mode):
        """The interpreter ansible-core's discovery gives the host, as ``ActionBase._configure_module`` gets it.

        The one already discovered for the host (an earlier task's fact), or else core's own
        ``discover_interpreter`` on this task's connection, its answer stored in the task's variables
        exactly where core stores it: the module path then uses it without discovering again, and
        either path returns it as the ``ansible_facts`` core returns with a module's result.
        """
        facts = host_vars.setdefault("ansible_facts", {})
        if DISCOVERED_FACT in facts:
            return str(facts[DISCOVERED_FACT])
        interpreter = discover_interpreter(action=self, interpreter_name="python", discovery_mode=mode, task_vars=host_vars)
        facts[DISCOVERED_FACT] = interpreter
        if not self._task.delegate_to or self._task.delegate_facts:
            task_vars.setdefault("ansible_facts", {})[DISCOVERED_FACT] = interpreter
            self._discovered_fact = {DISCOVERED_FACT: interpreter}
        return str(interpreter)

    # -- the task, in this process ---------------------------------------------------------

    def _environment(self):
        """The environment the module would see: the templated task ``environment:`` over this process's own."""
        task_environment = {}
        self._compute_environment_string(task_environment)
        environ = dict(os.environ)
        environ.update((str(name), str(value)) for name, value in task_environment.items())
        return environ

    def _run_in_process(self, task_vars):
        module = self.MODULE
        environ = self._environment()
        full_spec = task_argument_spec(module.ARGUMENT_SPEC)
        spec, args = _fallbacks_from(environ, full_spec, as_the_module_receives(dict(self._task.args), self._task.action))
        validation = ArgumentSpecValidator(spec, **module.SPEC_OPTIONS).validate(args)
        params = validation.validated_parameters
        no_log_values = set(validation_no_log_values(validation))
        warnings = alias_warnings(validation)
        deprecations = reported_deprecations(validation)
        task = Task(params, check_mode=bool(self._task.check_mode), diff_mode=bool(self._task.diff), environ=environ,
                    connections=worker_connections())
        no_log_values.update(task.no_log_values())
        if validation.errors.errors:
            result = _validation_failure(self._task.action, validation)
        else:
            result = execute(module.run, task)
            no_log_values.update(task.no_log_values())
            warnings += task.warnings
        # In this worker, as AnsibleModule in its process: ansible-core sends what this process registered to the
        # controller with the task's result (before the options become the no_log placeholder below).
        task.register_secrets()
        # A blank or very short secret (refused) must not make no_log mask every space of the result.
        no_log_values = scrub_weak_secrets(params, no_log_options(full_spec), no_log_values)
        if _inject_invocation(task_vars):
            result["invocation"] = {"module_args": params}
        if warnings:
            result["warnings"] = warnings
        if deprecations:
            result["deprecations"] = deprecations
        return _as_exit_json_masks(result, no_log_values)
