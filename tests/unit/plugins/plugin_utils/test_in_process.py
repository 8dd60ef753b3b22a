# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process action base: which tasks may run in the worker, and the options it reads from the task environment.

The paths themselves (both of them, with -vvv proof of which ran, and their results compared) are
tested through ansible-playbook by the in_process integration target and the integration gate.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import sys
import uuid
from urllib.parse import quote
from unittest import mock

import pytest
from ansible.errors import AnsibleError
from ansible.release import __version__ as ANSIBLE_VERSION
from ansible.utils.display import Display

pytest.importorskip("requests")

from ansible_collections.hwcloud.modelarts.plugins.action import auth as auth_action  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.action import modelarts_visualization_job_info as action  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.module_utils._core_secrets import CORE_MASKS_SECRETS  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.plugin_utils import _in_process  # noqa: E402

CORE = tuple(int(part) for part in ANSIBLE_VERSION.split(".")[:2])


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


_OWN_DISCOVERED = {"ansible_facts": {"discovered_interpreter_python": sys.executable}}


@pytest.mark.parametrize("kwargs, task_vars, reason", [
    ({}, dict(_OWN_DISCOVERED), None),
    ({}, {"ansible_python_interpreter": sys.executable}, None),
    ({}, {"ansible_python_interpreter": "auto_silent", **_OWN_DISCOVERED}, None),
    # left to discovery, and an earlier task discovered another interpreter for the host
    ({}, {"ansible_facts": {"discovered_interpreter_python": "/usr/bin/not-the-controller"}},
     "its discovered Python interpreter /usr/bin/not-the-controller is not the controller's"),
    ({}, {"ansible_python_interpreter": "auto", "ansible_facts": {"discovered_interpreter_python": "/usr/bin/not-the-controller"}},
     "discovered Python interpreter"),
    ({}, {"hwcloud_modelarts_in_process": "yes", **_OWN_DISCOVERED}, None),
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


# -- _run_in_process itself, in a real action instance with real core objects ---------------------------------
# The module is a small stand-in with the module interface (ARGUMENT_SPEC, SPEC_OPTIONS, run) that reports what
# its Task saw; the validation, the environment, the modes and the masking are the plugin's own.


def base64_text(value):
    return base64.b64encode(value.encode()).decode()


class _EchoModule:
    """Reports what run() saw; warns when asked; with ``connect``, builds the connection (reads clouds.yaml)."""

    ARGUMENT_SPEC = dict(name=dict(type="str", aliases=["job_name", "old_name"],
                                   deprecated_aliases=[dict(name="old_name", version="9.0.0", collection_name="hwcloud.modelarts")]),
                         echo=dict(type="str"),
                         warning=dict(type="str"), connect=dict(type="bool", default=False))
    SPEC_OPTIONS = {}

    @staticmethod
    def run(task):
        if task.params["warning"]:
            task.warn(task.params["warning"])
        if task.params["connect"]:
            task.connect()
        return dict(probe=task.environ.get("HWCLOUD_PROBE"), home=task.environ.get("HOME"), check_mode=task.check_mode,
                    diff_mode=task.diff_mode, name=task.params["name"], echo=task.params["echo"])


class _EchoAction(_in_process.InProcessAction):
    MODULE = _EchoModule


def _real_action(args, check_mode=False, diff=False, environment=None, action_class=_EchoAction):
    """An action plugin instance built as the task executor builds it: playbook Task, PlayContext, local connection, Templar."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.playbook.play_context import PlayContext
    from ansible.playbook.task import Task
    from ansible.plugins import loader as plugin_loader
    from ansible.plugins.loader import connection_loader
    from ansible.template import Templar

    task = Task()
    task.action = "hwcloud.modelarts.echo"
    task.args = dict(args)
    task.check_mode = check_mode
    task.diff = diff
    if environment is not None:
        task.environment = [environment]
    play_context = PlayContext()
    loader = DataLoader()
    connection = connection_loader.get("local", play_context, "/dev/null")
    return action_class(task, connection, play_context, loader, Templar(loader=loader), plugin_loader)


def _run(args, **kwargs):
    return _real_action(args, **kwargs)._run_in_process({})  # pylint: disable=protected-access


def test_the_task_environment_is_laid_over_the_workers_own(monkeypatch):
    monkeypatch.setenv("HWCLOUD_PROBE", "from-the-worker")
    assert _run({})["probe"] == "from-the-worker"
    result = _run({}, environment={"HWCLOUD_PROBE": "from-the-task"})
    assert result["probe"] == "from-the-task" and result["home"] == os.environ.get("HOME")
    assert os.environ["HWCLOUD_PROBE"] == "from-the-worker"  # never written into the worker's environment


@pytest.mark.parametrize("check_mode, diff", [(True, False), (False, True), (False, False), (True, True)])
def test_check_mode_and_diff_mode_come_from_the_task_each_on_its_own(check_mode, diff):
    result = _run({}, check_mode=check_mode, diff=diff)
    assert (result["check_mode"], result["diff_mode"]) == (check_mode, diff)


def test_the_alias_warning_and_the_modules_own_warnings_are_both_returned():
    result = _run({"name": "a", "job_name": "b", "warning": "look out"})
    assert result["warnings"] == ["Both option name and its alias job_name are set.", "look out"]


@pytest.mark.parametrize("encode", [str, base64_text, quote], ids=["plain", "base64", "url-encoded"])
def test_a_secret_in_a_warning_is_masked_in_every_encoding(encode):
    # no_log (remove_values) masks the plain value only; the warning's own masking (Task.warn) masks every form
    secret = "env-secret/key+0000000000000000000001"
    result = _run({"warning": "the key is %s" % encode(secret)}, environment={"HWCLOUD_SECRET_KEY": secret})
    result.pop("invocation", None)  # it echoes the stand-in's own (not no_log) warning option
    assert encode(secret) not in json.dumps(result), result["warnings"]
    assert len(result["warnings"]) == 1 and "********" in result["warnings"][0], result["warnings"]


def _masked_as_on_this_core(result, secret):
    """Whether ``secret`` is masked as the module path masks it: in the result before ansible-core 2.22 (no_log values,
    as exit_json masks them), where ansible-core prints from 2.22 on (the result holds it, as a module's result does)."""
    if not CORE_MASKS_SECRETS:
        return secret not in json.dumps(result)
    from ansible.module_utils.secrets import mask_secrets  # pylint: disable=import-error,no-name-in-module
    return secret in json.dumps(result) and secret not in mask_secrets(json.dumps(result))


def test_a_clouds_yaml_secret_echoed_in_the_result_is_masked(tmp_path):
    secret = "clouds-yaml-secret-%s" % uuid.uuid4().hex
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text("clouds:\n  only:\n    auth:\n      auth_url: https://iam.eu-de.otc.t-systems.com/v3\n"
                      "      ak: CLOUDSAK00000000000001\n      sk: %s\n      project_id: 5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00\n"
                      "    region_name: eu-de\n" % secret)
    result = _run({"connect": True, "echo": "sk=%s" % secret}, environment={"OS_CLIENT_CONFIG_FILE": str(clouds)})
    assert not result.get("failed"), result
    assert _masked_as_on_this_core(result, secret), result


def test_an_environment_secret_echoed_in_the_result_is_masked():
    secret = "env-secret-%s" % uuid.uuid4().hex
    result = _run({"echo": "sk=%s" % secret}, environment={"HWCLOUD_SECRET_KEY": secret})
    assert _masked_as_on_this_core(result, secret), result


def test_a_no_log_option_is_masked_everywhere_and_the_invocation_is_added():
    secret = "task-secret-key-%s" % uuid.uuid4().hex
    result = _run({"secret_key": secret, "echo": "sk=%s" % secret})
    assert _masked_as_on_this_core(result, secret), result
    assert result["echo"] == ("sk=%s" % secret if CORE_MASKS_SECRETS else "sk=********")
    if _in_process._inject_invocation({}):  # pylint: disable=protected-access
        assert result["invocation"]["module_args"]["secret_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    else:  # ansible-core 2.21 adds it only when INJECT_INVOCATION is set
        assert "invocation" not in result


def test_an_unknown_option_with_a_date_value_is_refused_as_the_module_refuses_it():
    result = _run({"bogus": datetime.date(2024, 1, 1), "nested": {"when": [datetime.date(2024, 1, 2)]}})
    assert result["failed"] and result["msg"].startswith("Unsupported parameters for (hwcloud.modelarts.echo) module: bogus, nested.")
    assert {key: result[key] for key in ("status_code", "error_code", "request_id")} == dict.fromkeys(("status_code", "error_code", "request_id"))


def test_dates_reach_the_module_as_the_module_paths_json_makes_them():
    result = _run({"name": datetime.datetime(2024, 1, 1, 10, 0), "echo": datetime.date(2024, 1, 1)})
    assert (result["name"], result["echo"]) == ("2024-01-01T10:00:00", "2024-01-01")


@pytest.mark.parametrize("value", [b"hello", {"a": [b"hello"]}], ids=["binary", "nested binary"])
def test_binary_fails_the_task_as_on_the_module_path(value):
    with pytest.raises(AnsibleError, match="Unable to pass options to module|Failed to serialize arguments for the 'hwcloud.modelarts.echo' module"):
        _run({"name": value})


def test_a_deprecated_alias_is_reported_as_ansible_core_reports_a_modules_deprecations(monkeypatch):
    shown = []
    monkeypatch.setattr(Display, "deprecated", lambda self, msg, *args, **kwargs: shown.append((msg, kwargs)))
    result = _run({"old_name": "x"})
    msg = "Alias 'old_name' is deprecated. See the module docs for more information"
    assert result["name"] == "x"
    if CORE < (2, 19):
        # collected in the result, in the form AnsibleModule's deprecate() gives it; the callback displays it
        assert result["deprecations"] == [{"msg": msg, "version": "9.0.0", "collection_name": "hwcloud.modelarts"}] and not shown
    else:
        # displayed through Display, which the task executor attaches to the task's result
        assert "deprecations" not in result
        assert [(text, kwargs["version"], kwargs["deprecator"].resolved_name) for text, kwargs in shown] == [(msg, "9.0.0", "hwcloud.modelarts")]


def test_no_deprecation_from_ansible_core_on_any_core(monkeypatch):
    # ansible-core 2.22 deprecates remove_values(); there the worker leaves the result as exit_json leaves it
    shown = []
    monkeypatch.setattr(Display, "deprecated", lambda self, msg, *args, **kwargs: shown.append(msg))
    result = _run({"secret_key": "task-secret-key-%s" % uuid.uuid4().hex, "echo": "x"})
    assert not shown and "deprecations" not in result, (shown, result)


def test_a_token_issued_in_the_worker_is_registered_with_ansible_core(emulator):
    unused_secret = "env-secret-%s" % uuid.uuid4().hex
    args = dict(region="eu-de", iam_endpoint=emulator.url, modelarts_endpoint=emulator.url, username="demo-user",
                password="Demo-Passw0rd!", domain_name="demo-domain")
    action_plugin = _real_action(args, action_class=auth_action.ActionModule, environment={"OS_PASSWORD": unused_secret})
    result = action_plugin._run_in_process({})  # pylint: disable=protected-access
    token = result["auth_token"]
    assert token.startswith("MIIEMU"), result
    if CORE_MASKS_SECRETS:
        # registered in this process, which ansible-core's worker queue reports to the controller with the result
        from ansible.module_utils.secrets import mask_secrets  # pylint: disable=import-error,no-name-in-module
        assert mask_secrets("%s %s" % (token, unused_secret)) == "$REDACTED$ $REDACTED$"
    else:  # the auth result carries its token (no_log on the task hides it); the unused secret is masked in the result
        assert unused_secret not in json.dumps(result)


# -- a host left to interpreter discovery: ansible-core's own discovery decides, on the task's local connection ------

def _discovery_vars(fallback, mode="auto"):
    return {"inventory_hostname": "left-to-discovery", "ansible_python_interpreter": mode,
            "ansible_interpreter_python_fallback": fallback, "ansible_facts": {}}


def test_discovery_finds_the_controllers_interpreter_so_the_worker_runs_and_returns_what_the_module_path_returns(monkeypatch):
    shown = []
    monkeypatch.setattr(Display, "warning", lambda self, msg, *args, **kwargs: shown.append(msg))
    plugin = _real_action({})
    task_vars = _discovery_vars([sys.executable])
    result = plugin.run(task_vars=task_vars)
    assert result["ansible_facts"] == {"discovered_interpreter_python": sys.executable}, result
    # stored where ansible-core stores it, so that nothing discovers again in this task
    assert task_vars["ansible_facts"] == {"discovered_interpreter_python": sys.executable}
    if CORE < (2, 19):  # 2.16 to 2.18 return their discovery warning in the module's result
        # (pins ActionBase._discovery_warnings, where their discover_interpreter collects them)
        assert any(sys.executable in warning for warning in result["warnings"]), result.get("warnings")
    else:  # later cores display it through Display, which the task executor attaches to the task's result; once
        assert [msg for msg in shown if "discovered Python interpreter at '%s'" % sys.executable in msg] == [shown[0]] and len(shown) == 1, shown
        assert "warnings" not in result
    assert result["check_mode"] is False  # the stand-in ran in this process


def test_discovery_finds_another_interpreter_so_the_module_runs(tmp_path):
    other = tmp_path / "python3"
    other.write_text("#!/bin/sh\nexec %s \"$@\"\n" % sys.executable)
    other.chmod(0o755)
    plugin = _real_action({})
    task_vars = _discovery_vars([str(other)], mode="auto_silent")
    reason = plugin._reason_for_the_module_path(task_vars)  # pylint: disable=protected-access
    assert reason == "its discovered Python interpreter %s is not the controller's %s" % (other, sys.executable)
    assert task_vars["ansible_facts"] == {"discovered_interpreter_python": str(other)}
    assert plugin._discovered_fact == {"discovered_interpreter_python": str(other)}  # pylint: disable=protected-access


def test_a_delegated_task_stores_the_discovered_interpreter_with_the_delegated_host_only():
    plugin = _real_action({})
    plugin._task.delegate_to = "other"  # pylint: disable=protected-access
    delegated = _discovery_vars([sys.executable], mode="auto_silent")
    task_vars = {"ansible_facts": {}, "ansible_delegated_vars": {"other": delegated}}
    assert plugin._reason_for_the_module_path(task_vars) is None  # pylint: disable=protected-access
    assert delegated["ansible_facts"] == {"discovered_interpreter_python": sys.executable} and task_vars["ansible_facts"] == {}
    assert not plugin._discovered_fact  # pylint: disable=protected-access  # ansible-core returns no fact for it either


@pytest.mark.parametrize("mode", ["auto", "auto_silent", ""])
def test_pin_core_builds_a_module_on_the_discovered_interpreter_fact_without_discovering_again(mode, monkeypatch):
    # The rule relies on this: with discovered_interpreter_python among the host's facts, ActionBase._configure_module
    # (ansible.executor.module_common) uses it and does not discover again, so the module path after the worker's
    # discovery runs on exactly the interpreter that was compared with the controller's.
    import ansible.plugins.action as action_base

    def no_discovery(*args, **kwargs):
        raise AssertionError("discovered again")

    monkeypatch.setattr(action_base, "discover_interpreter", no_discovery)
    plugin = _real_action({})
    task_vars = {"inventory_hostname": "h", "ansible_python_interpreter": mode, "ansible_playbook_python": sys.executable,
                 "ansible_facts": {"discovered_interpreter_python": "/opt/discovered/python3"}}
    built = plugin._configure_module("ping", {}, task_vars)  # pylint: disable=protected-access
    shebang = built[1] if isinstance(built[1], str) and built[1].startswith("#!") else built[0].shebang
    assert shebang == "#!/opt/discovered/python3"
