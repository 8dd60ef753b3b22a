#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: auth
short_description: Authenticate once and return a token and project id for later ModelArts tasks
version_added: 0.1.0
description:
  - Authenticates with whatever credentials the connection options resolve to and returns an IAM token, the
    project id and the resolved endpoints, so that later tasks skip authentication (one request per query instead of two).
  - With password credentials, IAM issues a project-scoped token (one request). With O(auth_token), the token's
    project is looked up unless O(project_id) is set, and RV(auth_token) is null (the caller holds the token).
    With AK/SK credentials no token exists (every request is signed); the module then only resolves O(project_id)
    (one IAM request unless it is set) and returns RV(auth_token) as null.
  - Register the result on a task with C(no_log) set to V(true), because it holds a secret token. From ansible-core
    2.22 on, the module also registers the token it was issued with ansible-core, which then masks it wherever it
    prints (also in C(debug) of the registered result); before 2.22 only C(no_log) hides it.
author:
  - hwcloud.modelarts maintainers (@hwcloud-ansible)
extends_documentation_fragment:
  - hwcloud.modelarts.auth
  - hwcloud.modelarts.attributes
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.ACTIONGROUPS
attributes:
  check_mode:
    support: full
    details: The module changes nothing; it authenticates in check mode too, so that later tasks can run.
seealso:
  - module: hwcloud.modelarts.modelarts_visualization_job_info
"""

EXAMPLES = r"""
- name: Authenticate once (password credentials from the OS_* environment variables)
  hwcloud.modelarts.auth:
    cloud: opentelekomcloud
    region: eu-de
  register: modelarts_auth
  no_log: true

- name: Query many jobs with the token, one request each
  hwcloud.modelarts.modelarts_visualization_job_info:
    auth_token: "{{ modelarts_auth.auth_token }}"
    project_id: "{{ modelarts_auth.project_id }}"
    modelarts_endpoint: "{{ modelarts_auth.modelarts_endpoint }}"
    job_id: "{{ item }}"
  loop: [101, 102, 103]
  register: jobs

- name: Or hand the token to every later task of the play through the action group
  module_defaults:
    group/hwcloud.modelarts.modelarts:
      auth_token: "{{ modelarts_auth.auth_token }}"
      project_id: "{{ modelarts_auth.project_id }}"
      modelarts_endpoint: "{{ modelarts_auth.modelarts_endpoint }}"
  block:
    - name: Read a job
      hwcloud.modelarts.modelarts_visualization_job_info:
        job_id: 101
      register: job
"""

RETURN = r"""
auth_token:
  description:
    - The IAM token this task was issued (password credentials), to pass as
      O(hwcloud.modelarts.modelarts_visualization_job_info#module:auth_token).
    - Null with AK/SK credentials, and null when the task was given O(auth_token) (the caller already holds that token).
    - A secret; register the task with C(no_log).
  returned: success
  type: str
  sample: MIIZkQYJKoZIhvcNAQcCoIIZgjCCGX4CAQExDTALBglghkgBZQMEAgEwgh...
project_id:
  description: The id of the project the credentials are scoped to.
  returned: success
  type: str
  sample: 5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00
expires_at:
  description: When the token expires (UTC, ISO 8601, as IAM reports it); null with AK/SK, or a given token when IAM was not asked.
  returned: success
  type: str
  sample: "2026-11-29T16:12:01.000000Z"
auth_method:
  description: The credentials that were used.
  returned: success
  type: str
  choices: [token, aksk, password]
  sample: password
iam_endpoint:
  description: The IAM endpoint (ending in C(/v3)); null when it was neither given nor derivable from the region.
  returned: success
  type: str
  sample: https://iam.eu-de.otc.t-systems.com/v3
modelarts_endpoint:
  description: The ModelArts endpoint.
  returned: success
  type: str
  sample: https://modelarts.eu-de.otc.t-systems.com
status_code:
  description:
    - The HTTP status of the failed request; null when no request was answered (an option error, say).
    - Every failure has this key, RV(error_code) and RV(request_id), so a conditional can read them directly.
  returned: on failure
  type: int
  sample: 401
error_code:
  description: The cloud's error code; null when the cloud sent none (an option error, say).
  returned: on failure
  type: str
  sample: APIGW.0301
request_id:
  description: The request id to give Huawei or T-Systems support; null when the cloud sent none.
  returned: on failure
  type: str
  sample: 6f1b9a4e2c8d4b7f9e0a1c2d3e4f5a6b
"""


# The module's own options (none: only the connection options); the same spec serves the action plugin.
ARGUMENT_SPEC = {}
SPEC_OPTIONS = {}


def run(task):
    """Authenticate and report what later tasks need."""
    # Never a loop's shared connection: each task (each item) is issued, and returns, a token of its own.
    connection = task.connect(shared=False)
    connection.authenticate()
    settings = connection.settings
    # Only a token this task was issued is returned: a given one is the caller's already (and no_log would mask it).
    issued = connection.token if settings.auth_method == "password" else None
    return dict(auth_token=issued, project_id=connection.project_id, expires_at=connection.expires_at,
                auth_method=settings.auth_method, iam_endpoint=settings.iam_url, modelarts_endpoint=settings.modelarts_url)


def main():
    # Imported here: the in-process action plugin imports this file for ARGUMENT_SPEC and run(), never AnsibleModule.
    from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
    ModelArtsModule(ARGUMENT_SPEC, **SPEC_OPTIONS).run(run)


if __name__ == "__main__":
    main()
