# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module path hands every secret its task learned to ansible-core (2.22 and later), through AnsibleModule.

On 2.22 ``AnsibleModule`` adds every value registered in the module process since it started to the result as
``_ansible_new_secrets``; the controller registers them where it displays. A value registered earlier in the same
process is not new, so each test uses values of its own (the unit tests share one process).
"""

from __future__ import annotations

import json
import uuid

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._core_secrets import CORE_MASKS_SECRETS
from ansible_collections.hwcloud.modelarts.plugins.modules import auth, modelarts_visualization_job_info as info
from ansible_collections.hwcloud.modelarts.tests.unit.plugins.modules.utils import patch_module_args, single_entry_clouds_yaml


def run_module(module, capsys, **args):
    """Run main() with these arguments; return (exit code, result dict)."""
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exited:
            module.main()
    return exited.value.code, json.loads(capsys.readouterr().out)


def test_the_issued_token_and_the_environments_secrets_go_to_ansible_core(emulator, capsys, monkeypatch):
    unused_secret = "env-secret-%s" % uuid.uuid4().hex  # read from the environment, not used: masked all the same
    monkeypatch.setenv("OS_PASSWORD", unused_secret)
    code, result = run_module(auth, capsys, region="eu-de", iam_endpoint=emulator.url, modelarts_endpoint=emulator.url,
                              username="demo-user", password="Demo-Passw0rd!", domain_name="demo-domain")
    assert code == 0 and result["auth_token"].startswith("MIIEMU")
    if CORE_MASKS_SECRETS:
        assert {result["auth_token"], unused_secret} <= set(result["_ansible_new_secrets"])
    else:  # before 2.22 the result is masked by no_log values (exit_json), and the auth result carries its token
        assert "_ansible_new_secrets" not in result and unused_secret not in json.dumps(result)


def test_a_clouds_yaml_secret_goes_to_ansible_core_also_when_the_task_fails(emulator, capsys, monkeypatch, tmp_path):
    password = "profile-%s" % uuid.uuid4().hex  # wrong: IAM refuses it
    single_entry_clouds_yaml(tmp_path, monkeypatch, emulator.url, password)
    code, result = run_module(info, capsys, job_id=101)
    new_secrets = result.pop("_ansible_new_secrets", None)
    assert code == 1 and result["status_code"] == 401 and password not in json.dumps(result)
    if CORE_MASKS_SECRETS:
        assert password in new_secrets
    else:
        assert new_secrets is None
