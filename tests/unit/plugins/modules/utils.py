# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for the module tests that work on every supported ansible-core (2.16 and later)."""

from __future__ import annotations

import contextlib
import json
from unittest import mock

from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args  # pylint: disable=unused-import
except ImportError:  # ansible-core < 2.19 has no public helper; AnsibleModule reads basic._ANSIBLE_ARGS
    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Make the next AnsibleModule() read these arguments."""
        serialized = json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode("utf-8")
        with mock.patch.object(basic, "_ANSIBLE_ARGS", serialized):
            yield


def single_entry_clouds_yaml(tmp_path, monkeypatch, url, password="Demo-Passw0rd!"):
    """A single-entry clouds.yaml (JSON is YAML) whose IAM and ModelArts are at ``url``, named only by OS_CLIENT_CONFIG_FILE."""
    path = tmp_path / "clouds.yaml"
    entry = {"auth": {"auth_url": url, "username": "demo-user", "password": password,
                      "user_domain_name": "demo-domain", "project_name": "eu-de"},
             "modelarts_endpoint_override": url}
    path.write_text(json.dumps({"clouds": {"devstack": entry}}))
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
