# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process action base: which tasks may run in the worker, and the options it reads from the task environment.

The paths themselves (both of them, with -vvv proof of which ran, and their results compared) are
tested through ansible-playbook by the in_process integration target and the integration gate.
"""

from __future__ import annotations

import os
import sys
from unittest import mock

import pytest

pytest.importorskip("requests")

from ansible_collections.hwcloud.modelarts.plugins.action import modelarts_visualization_job_info as action  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.plugin_utils import _in_process  # noqa: E402


def test_the_controllers_own_interpreter_and_its_links_are_the_same(tmp_path):
    own = sys.executable
    assert _in_process.same_interpreter(own)
    # a link beside it (a venv's python and python3) counts; a link elsewhere to the same file does not
    assert not _in_process.same_interpreter(str(tmp_path / "nothing-here"))
    elsewhere = tmp_path / "python3"
    elsewhere.symlink_to(os.path.realpath(own))
    assert not _in_process.same_interpreter(str(elsewhere))
    wrapper = tmp_path / "python"
    wrapper.write_text("#!/bin/sh\nexec %s \"$@\"\n" % own)
    wrapper.chmod(0o755)
    assert not _in_process.same_interpreter(str(wrapper))
    assert not _in_process.same_interpreter("/usr/bin/definitely-not-a-python")


def test_a_link_in_the_same_directory_counts(tmp_path):
    real = tmp_path / "python3.99"
    real.write_text("")
    real.chmod(0o755)
    (tmp_path / "python3").symlink_to(real)
    assert _in_process.same_interpreter(str(tmp_path / "python3"), own=str(real))
    assert _in_process.same_interpreter(str(real), own=str(tmp_path / "python3"))
    other = tmp_path / "other"
    other.mkdir()
    (other / "python3").symlink_to(real)
    assert not _in_process.same_interpreter(str(other / "python3"), own=str(real))


def test_fallbacks_come_from_the_task_environment_and_only_for_missing_options():
    spec = {"timeout": {"type": "int", "default": 30, "fallback": (None, ["HWCLOUD_TIMEOUT"])},
            "retries": {"type": "int", "fallback": (None, ["HWCLOUD_RETRIES"])},
            "ca_path": {"type": "path", "fallback": (None, ["HWCLOUD_CA_PATH"])},
            "region": {"type": "str"}}
    environ = {"HWCLOUD_TIMEOUT": "7", "HWCLOUD_RETRIES": "1", "HWCLOUD_CA_PATH": ""}
    new_spec, args = _in_process._fallbacks_from(environ, spec, {"retries": 5})  # pylint: disable=protected-access
    assert args == {"retries": 5, "timeout": "7"}  # given wins; blank (as AWX injects) is not set
    assert all("fallback" not in option for option in new_spec.values())  # the validator must not read os.environ
    assert new_spec["timeout"]["default"] == 30 and "fallback" in spec["timeout"]  # the module's spec is not changed


class _Templar:
    def template(self, value):
        return value


def _action(transport="local", become=False, async_val=0, delegate_to=None):
    plugin = action.ActionModule.__new__(action.ActionModule)
    plugin._task = mock.Mock(async_val=async_val, delegate_to=delegate_to, action="hwcloud.modelarts.x")  # pylint: disable=protected-access
    plugin._connection = mock.Mock(transport=transport)  # pylint: disable=protected-access
    plugin._play_context = mock.Mock(become=become)  # pylint: disable=protected-access
    plugin._templar = _Templar()  # pylint: disable=protected-access
    return plugin


@pytest.mark.parametrize("kwargs, task_vars, reason", [
    ({}, {}, None),
    ({}, {"ansible_python_interpreter": sys.executable}, None),
    ({}, {"ansible_python_interpreter": "auto_silent"}, None),
    ({}, {"hwcloud_modelarts_in_process": "yes"}, None),
    ({}, {"hwcloud_modelarts_in_process": False}, "hwcloud_modelarts_in_process is false"),
    ({}, {"hwcloud_modelarts_in_process": "false"}, "hwcloud_modelarts_in_process is false"),
    ({"transport": "ssh"}, {}, "the connection is ssh, not local"),
    ({"become": True}, {}, "become is set"),
    ({"async_val": 30}, {}, "the task is async"),
    ({}, {"ansible_python_interpreter": "/usr/bin/not-the-controller"}, "is not the controller's"),
    # with delegate_to, the delegated host's variables decide
    ({"delegate_to": "other"}, {"ansible_delegated_vars": {"other": {"ansible_python_interpreter": "/opt/py"}}},
     "is not the controller's"),
    ({"delegate_to": "other"}, {"ansible_python_interpreter": "/opt/py",
                                "ansible_delegated_vars": {"other": {"ansible_python_interpreter": sys.executable}}}, None),
    ({"delegate_to": "other"}, {"ansible_delegated_vars": {"other": {"hwcloud_modelarts_in_process": False}}},
     "hwcloud_modelarts_in_process is false"),
])
def test_why_a_task_runs_the_module(kwargs, task_vars, reason, monkeypatch):
    monkeypatch.delenv("ANSIBLE_PYTHON_INTERPRETER", raising=False)
    found = _action(**kwargs)._reason_for_the_module_path(task_vars)  # pylint: disable=protected-access
    assert (found is None) if reason is None else (reason in found), found


def test_an_interpreter_set_in_the_configuration_counts(monkeypatch):
    monkeypatch.setattr(_in_process.C.config, "get_config_value",
                        lambda name, variables=None: "/usr/bin/configured-python" if name == "INTERPRETER_PYTHON" else None)
    assert "configured-python" in _action()._reason_for_the_module_path({})  # pylint: disable=protected-access
