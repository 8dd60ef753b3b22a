#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: modelarts_visualization_job_info
short_description: Read ModelArts visualization jobs (managed TensorBoard and MindInsight)
version_added: 0.1.0
description:
  - Reads ModelArts visualization jobs of Huawei Cloud or Open Telekom Cloud, so that playbooks can branch on a
    job's status, service URL and duration.
  - With O(job_id), the details of one job. With O(name), the jobs of that exact name. With neither, every job
    (all pages are read), optionally filtered by O(status), O(phase) and O(search_content) and ordered by O(sort_by)
    and O(order).
  - Nothing found is not an error; the module returns an empty list (a job id ModelArts does not know included).
    Only ModelArts' own answer to the job's details (HTTP 404 with a C(ModelArts.*) error code) means "not found".
    A 404 from the API gateway (error code C(APIGW.*), for example a wrong O(modelarts_endpoint)) or from IAM (an
    unknown token, for example) is an error, and so is any answer that is not a 2xx with a JSON object (a
    redirect, which is never followed, an empty body, or a body that is not an object). Details whose C(job_id) is
    not O(job_id) (another job's, or none) are an error too, never the job asked for.
  - When the list ends before the number of jobs ModelArts reported (C(job_total_count)), the module returns what it
    read with a warning that names both numbers; so it does when a later page of the list reports another
    C(job_total_count) than the first (jobs came or went while the list was read).
  - Uses the visualization-job API of ModelArts v1 (C(/v1/{project_id}/visualization-jobs)), which the
    Open Telekom Cloud documentation files under "historical APIs".
author:
  - hwcloud.modelarts maintainers (@hwcloud-ansible)
options:
  job_id:
    description:
      - The id of one job (1 or greater). Cannot be combined with the list options O(name), O(status), O(phase),
        O(search_content), O(sort_by), O(order) and O(workspace_id).
    type: int
  name:
    description:
      - Only jobs with exactly this name (1 to 64 characters); the API's substring search is refined to an exact match.
      - 64 is the list API's limit for the search it sends (C(search_content), 0 to 64 characters in the API
        reference). The v1 create API allows 20, hence the shorter O(hwcloud.modelarts.modelarts_visualization_job#module:name);
        the API reference does not say whether longer names exist, so this module refuses only what the list API would.
    type: str
    aliases: [job_name]
  status:
    description:
      - Only jobs in one of these statuses. Each entry is a status name as in RV(visualization_jobs[].status_name)
        (V(running), V(completed), V(failed), ...), the API's name (V(JOBSTAT_RUNNING)), or a status code (V(8)).
      - With O(phase), a job must match both.
    type: list
    elements: str
  phase:
    version_added: 1.0.0
    description:
      - Only jobs in one of these phases (the RV(visualization_jobs[].phase) a playbook branches on; the notes list
        the statuses of each). Combines with O(status) and O(name).
      - The API filters by one status code. A filter that leaves one code is sent to the API; for several codes
        the module reads the first page of the whole list, and when reading the rest would take more requests
        than one query per code, it lists each code on its own and merges them in the order O(sort_by) and
        O(order) ask for. V(unknown) also matches codes outside the status table, so it needs the whole list.
    type: list
    elements: str
    choices: [pending, running, succeeded, failed, canceled, unknown]
  search_content:
    description:
      - Only jobs whose name contains this text (the API's search, up to 100 characters).
    type: str
  sort_by:
    description:
      - The field the API orders the list by. The API's default is V(job_id).
    type: str
    choices: [job_id, job_name, job_desc, create_time, status]
  order:
    description:
      - The direction of O(sort_by). The API's default is V(asc).
    type: str
    choices: [asc, desc]
  workspace_id:
    version_added: 1.0.0
    description:
      - The id of the ModelArts workspace to list, sent as the list API's C(workspace_id) parameter. When not set,
        the parameter is not sent and the API uses its default workspace (V(0)).
      - Only letters, digits, C(-) and C(_) are accepted.
      - Applies to the list and O(name) modes; cannot be combined with O(job_id).
    type: str
extends_documentation_fragment:
  - hwcloud.modelarts.auth
  - hwcloud.modelarts.attributes
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.ACTIONGROUPS
attributes:
  check_mode:
    support: full
    details: The module only reads, so it runs the same way in check mode.
notes:
  - The module returns no C(ansible_facts); register its result and use that.
  - "O(status) values map to a RV(visualization_jobs[].phase) as follows. V(pending): init, image_creating,
    submit_trying, waiting, check_init. V(running): running, killing (being canceled), scaling, check_running.
    V(succeeded): completed, check_running_completed. V(failed): image_failed, submit_failed, delete_failed, failed,
    lost, submit_model_failed, deploy_service_failed, check_failed, mount_failed. V(canceled): killed, canceled.
    V(unknown): unknown and any code the API documentation does not list."
seealso:
  - module: hwcloud.modelarts.auth
  - name: ModelArts API, visualization jobs
    description: Querying the details about a visualization job (Open Telekom Cloud API reference).
    link: https://docs.otc.t-systems.com/modelarts/api-ref/historical_apis/training_management_old_version/visualization_jobs/index.html
"""

EXAMPLES = r"""
- name: Read one visualization job with AK/SK credentials from the environment (HWCLOUD_ACCESS_KEY, ...)
  hwcloud.modelarts.modelarts_visualization_job_info:
    region: eu-de
    cloud: opentelekomcloud
    job_id: 101
  register: result

- name: Open the TensorBoard URL only while the job runs
  ansible.builtin.debug:
    msg: "TensorBoard: {{ result.visualization_job.service_url }}"
  when:
    - result.visualization_job is not none
    - result.visualization_job.phase == 'running'

- name: Wait while a job is pending; stop waiting at once when it is missing, runs or has ended
  hwcloud.modelarts.modelarts_visualization_job_info:
    name: tb-resnet50
  register: result
  until: result is failed or result.visualization_job is none or result.visualization_job.phase != 'pending'
  retries: 30
  delay: 20

- name: Fail with a clear message unless the job runs
  ansible.builtin.assert:
    that:
      - result.visualization_job is not none
      - result.visualization_job.phase == 'running'
    fail_msg: >-
      tb-resnet50 does not run: {{ 'there is no job of that name' if result.visualization_job is none
      else 'its status is ' ~ result.visualization_job.status_name ~ ' (phase ' ~ result.visualization_job.phase ~ ')' }}
    quiet: true

- name: Connection options once for the whole play, through the action group
  module_defaults:
    group/hwcloud.modelarts.modelarts:
      cloud: huaweicloud
      region: cn-north-4
      username: "{{ hw_user }}"
      password: "{{ hw_password }}"
      domain_name: "{{ hw_account }}"
  block:
    - name: List the failed and canceled jobs (every failed status, not only the one named failed), newest first
      hwcloud.modelarts.modelarts_visualization_job_info:
        phase: [failed, canceled]
        sort_by: create_time
        order: desc
      register: broken

    - name: Report jobs that ran for more than an hour
      ansible.builtin.debug:
        msg: "{{ item.job_name }} ran {{ item.duration_seconds }} s (status {{ item.status_name }})"
      loop: "{{ broken.visualization_jobs | selectattr('duration_seconds', 'gt', 3600) | list }}"
"""

RETURN = r"""
visualization_jobs:
  description:
    - The jobs found, in the order the API listed them; an empty list when nothing matches.
    - Each job holds every field the API returned, including fields this documentation does not list yet,
      without the transport fields C(is_success), C(error_code), C(error_message) and C(error_msg); numbers the API sent
      as strings are converted to numbers.
    - The module adds RV(visualization_jobs[].status_name), RV(visualization_jobs[].status_description),
      RV(visualization_jobs[].phase), RV(visualization_jobs[].create_time_iso) and
      RV(visualization_jobs[].duration_seconds); every other field is the API's own.
  returned: always
  type: list
  elements: dict
  contains:
    job_id:
      description: The job id.
      type: int
      returned: always
      sample: 101
    job_name:
      description: The job name.
      type: str
      returned: always
      sample: tb-resnet50
    job_desc:
      description: The description.
      type: str
      returned: when the API returns it
      sample: ResNet-50 training curves
    status:
      description: The status code of the ModelArts job status table.
      type: int
      returned: always
      sample: 8
    service_url:
      description: The URL of the TensorBoard or MindInsight web UI (usable while the job runs).
      type: str
      returned: when the API returns it
      sample: https://modelarts.eu-de.otc.t-systems.com/modelarts/tensorboard/5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00/101/
    train_url:
      description: The OBS path of the training output the job visualizes.
      type: str
      returned: when the API returns it
      sample: /bucket/resnet50/output/
    resource_id:
      description: The id of the charged resource.
      type: str
      returned: when the API returns it
      sample: e17dd874-b5e0-4e9b-aaf0-22b045ad8571
    duration:
      description: How long the job has run, in milliseconds.
      type: int
      returned: when the API returns it
      sample: 33000
    create_time:
      description: When the job was created, in milliseconds since the epoch.
      type: int
      returned: when the API returns it
      sample: 1565149736000
    remaining_duration:
      description: The time left before the job stops automatically, as the API returns it (null without auto-stop).
      type: raw
      returned: when the API returns it
      sample: null
    status_name:
      description:
        - The status in lower case without the C(JOBSTAT_) prefix, from the ModelArts job status table;
          V(unknown) for a code outside the table.
      type: str
      returned: always
      sample: running
    status_description:
      description: The description of the status in the job status table.
      type: str
      returned: always
      sample: The job is running.
    phase:
      description:
        - The stage of the job, for conditionals; the mapping from statuses is in the notes.
      type: str
      returned: always
      choices: [pending, running, succeeded, failed, canceled, unknown]
      sample: running
    create_time_iso:
      description: The creation time in UTC, ISO 8601 (null when the API sent no usable time).
      type: str
      returned: always
      sample: "2019-08-07T03:48:56Z"
    duration_seconds:
      description: The duration in whole seconds (null when the API sent no duration).
      type: int
      returned: always
      sample: 33
visualization_job:
  description:
    - The job of O(job_id), or the first job named O(name); null when there is none.
  returned: when O(job_id) or O(name) is given
  type: dict
  sample:
    job_id: 101
    job_name: tb-resnet50
    status: 8
    status_name: running
    phase: running
    service_url: https://modelarts.eu-de.otc.t-systems.com/modelarts/tensorboard/5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00/101/
    duration: 33000
    duration_seconds: 33
    create_time: 1565149736000
    create_time_iso: "2019-08-07T03:48:56Z"
status_code:
  description:
    - The HTTP status of the failed request; null when no request was answered (an option error, say).
    - Every failure has this key, RV(error_code) and RV(request_id), so a conditional can read them directly.
  returned: on failure
  type: int
  sample: 403
error_code:
  description: The cloud's error code; null when the cloud sent none (an option error, say).
  returned: on failure
  type: str
  sample: ModelArts.0210
request_id:
  description: The request id to give Huawei or T-Systems support; null when the cloud sent none.
  returned: on failure
  type: str
  sample: 6f1b9a4e2c8d4b7f9e0a1c2d3e4f5a6b
"""

from ansible_collections.hwcloud.modelarts.plugins.module_utils._visualization_jobs import SORT_FIELDS, find_jobs, job_query

ARGUMENT_SPEC = dict(
    job_id=dict(type="int"),
    name=dict(type="str", aliases=["job_name"]),
    status=dict(type="list", elements="str"),
    phase=dict(type="list", elements="str", choices=["pending", "running", "succeeded", "failed", "canceled", "unknown"]),
    search_content=dict(type="str"),
    sort_by=dict(type="str", choices=list(SORT_FIELDS)),
    order=dict(type="str", choices=["asc", "desc"]),
    workspace_id=dict(type="str"),
)

_LIST_OPTIONS = ("name", "status", "phase", "search_content", "sort_by", "order", "workspace_id")
MUTUALLY_EXCLUSIVE = [["job_id", option] for option in _LIST_OPTIONS] + [["name", "search_content"]]
SPEC_OPTIONS = dict(mutually_exclusive=MUTUALLY_EXCLUSIVE)


def run(task):
    """Find the jobs the options ask for."""
    query = job_query(task.params)
    jobs, job = find_jobs(task.connect(), warn=task.warn, **query)
    result = dict(visualization_jobs=jobs)
    if query["job_id"] is not None or query["name"] is not None:
        result["visualization_job"] = job
    return result


def main():
    # Imported here: the in-process action plugin imports this file for ARGUMENT_SPEC and run(), never AnsibleModule.
    from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
    ModelArtsModule(ARGUMENT_SPEC, **SPEC_OPTIONS).run(run)


if __name__ == "__main__":
    main()
