#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: modelarts_visualization_job
short_description: Create, run, stop, restart and delete ModelArts visualization jobs (TensorBoard, MindInsight)
version_added: 1.0.0
description:
  - Manages a ModelArts visualization job of Huawei Cloud or Open Telekom Cloud, a billed TensorBoard or
    MindInsight instance over training output in OBS, by its exact name (or by O(job_id)).
  - O(state=present) makes sure the job exists, O(state=running) that it exists and runs (created or restarted),
    O(state=stopped) that it does not run (stopped, or not there at all), O(state=absent) that it is deleted.
  - Only what differs is changed, so a second run with the same options changes nothing and sends no write.
  - Uses the visualization-job API of ModelArts v1 (C(/v1/{project_id}/visualization-jobs)), which the
    Open Telekom Cloud documentation files under "historical APIs".
author:
  - hwcloud.modelarts maintainers (@hwcloud-ansible)
options:
  name:
    description:
      - The job name, 1 to 20 letters, digits, C(_) and C(-) (the create API's limit; the info module's O(name)
        accepts up to 64 characters because the list API searches names that long). The job is found by this exact
        name, in the default workspace (see the notes).
      - Two or more jobs with this name are an error that lists their ids, unless O(job_id) picks one.
      - Required to create a job. One of O(name) and O(job_id) is required.
    type: str
    aliases: [job_name]
  job_id:
    description:
      - The id of the job (1 or greater). When O(name) is given too, the job must have that name.
      - A job id that does not exist is an error with O(state=present) and O(state=running); jobs are only created
        by O(name).
    type: int
  state:
    description:
      - V(present) makes sure the job exists. A missing job is created, which starts it; an existing job is never
        started, restarted or stopped.
      - V(running) makes sure the job exists and runs; a missing job is created, a stopped or completed job is
        restarted.
      - V(stopped) makes sure the job does not run; a running or queuing job is stopped. A job that does not exist
        is not running, so nothing is created and RV(visualization_job) is null.
      - V(absent) makes sure the job is deleted.
    type: str
    choices: [present, running, stopped, absent]
    default: present
  description:
    description:
      - The description of the job, 0 to 256 characters; V("") clears it.
      - Changed on an existing job when it differs. Not managed when omitted.
    type: str
    aliases: [job_desc]
  train_url:
    description:
      - The OBS path of the training output to visualize, for example V(/bucket/resnet50/output/).
      - Required only when a job must be created. It cannot be changed later; when an existing job visualizes
        another path, the module warns and leaves the job as it is.
    type: str
  job_type:
    description:
      - The kind of job to create. The API's default is V(tensorboard).
      - Only sent when the job is created; it cannot be updated. When an existing job shows another value in its
        details, the module warns and leaves the job as it is, in check mode too (the API documentation does not list
        this field in the details; a job that does not show it is not compared).
    type: str
    choices: [tensorboard, mindinsight]
  flavor:
    description:
      - The resource specification code of the job (sent as C(flavor.code)); the API documentation says it need not be set.
      - Only sent when the job is created; it cannot be updated. When an existing job shows another value in its
        details, the module warns and leaves the job as it is, in check mode too (the API documentation does not list
        this field in the details; a job that does not show it is not compared).
    type: str
  auto_stop_hours:
    description:
      - Stop the job automatically this many hours (0 to 24) after it starts (the API's C(schedule), sent as one
        C(stop) entry with C(time_unit=HOURS) and C(duration) set to this value).
      - Only sent when the job is created; it cannot be updated. When an existing job shows another value in its
        details, the module warns and leaves the job as it is, in check mode too (the API documentation does not list
        this field in the details; a job that does not show it is not compared).
      - What the cloud does with it is not fully documented, and the module passes it on as it is. The create API
        (ModelArts API reference, "Creating a Visualization Job", modelarts_03_0064) gives the range 0 to 24 without
        saying what V(0) means; the console offers only 1 to 24 hours, so do not rely on V(0) meaning "never", and leave
        the option out for no auto-stop. Whether the schedule applies again after a restart (O(state=running) on a
        stopped job) is not documented either; the job's C(schedule) and C(remaining_duration) in the result show
        what the cloud keeps, so check them after a restart rather than assuming it.
    type: int
  wait:
    description:
      - After a change, poll the job until it has reached O(state) (for V(present) and V(running), until a job that
        this task created or restarted runs; for V(stopped), until it has stopped; for V(absent), until it is gone).
        The interval starts at 0.5 seconds and doubles up to 10 seconds.
      - A job that this task created or restarted and that ends completed, canceled or failed instead of running
        fails the task, naming the status; it is not started again. A failed status ends every wait at once; a
        delete that leaves the job at C(delete_failed) fails at once, also when the job was at C(delete_failed)
        before the delete (see the notes). O(wait_timeout) fails the task with the last status and how long it waited.
      - With V(false), the module returns after its last write and one read of the job. Waits that must
        come before a write (a job being canceled cannot be restarted or deleted yet) happen in either case.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds all the waiting of one task may take in total (1 or greater).
    type: int
    default: 600
extends_documentation_fragment:
  - hwcloud.modelarts.auth
  - hwcloud.modelarts.attributes
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.ACTIONGROUPS
attributes:
  check_mode:
    support: full
    details:
      - The module reads the job and replays the steps the real run would take on the statuses they lead to
        (create to init, restart to queuing, stop to killing, delete to gone, a wait to running or canceled),
        without writing or waiting. C(changed), the diff and RV(visualization_job) are what the real run then returns
        when every step goes as planned.
      - On a create, RV(visualization_job) holds the given fields, C(job_id) null and the status the replay ends at
        (C(running) with O(wait), C(init) without); fields that exist only once the job does (C(service_url),
        C(create_time)) are missing.
  diff_mode:
    support: full
    details:
      - C(before) and C(after) of the job's C(name), C(description), C(train_url) and C(phase); V({}) for no job.
        C(after) is the job the task returns.
notes:
  - "Statuses are grouped in one table (C(plugins/module_utils/_job_plan.py)). Running: running (8).
    Stopped: killed (12), canceled (13). Ended: completed (10), check_running_completed (20).
    Failed: image_failed, submit_failed, delete_failed, failed, lost, submit_model_failed, deploy_service_failed,
    check_failed, mount_failed. Starting: unknown (0), init, image_creating, submit_trying, scaling, check_init,
    check_running. Queuing: waiting (7). Killing (being canceled): killing (9). Codes outside the table are unknown."
  - "The API documentation names no transitions; the module assumes these. Stop is accepted at queuing and running;
    restart at completed, killed, canceled and check_running_completed, and the job returns through queuing to
    running; delete at anything but killing. A stopped job ends killed or canceled. A job in a failed status cannot
    be restarted, so O(state=running) fails naming the status."
  - A job in a transitional status is waited for before a request it would refuse. A refusal
    (C(ModelArts.0105), "job status N") reads the job again and goes back through the plan (a delete refused while
    the job is being canceled waits, then deletes); the status in the message is decoded from the refusal.
  - "Every write is made at most once per task, except to repeat one that certainly did not happen. A definite
    refusal (a 4xx) fails the task with C(changed=false). A 429 means nothing happened: the write is sent again after
    C(Retry-After) (up to 60 seconds), within O(retries). After a failure that may hide a success (no answer, a reset
    after sending, a read timeout, any 5xx) the module reads the job again, and the job as read decides whether a
    stop, restart, delete or description update is still needed. A create is never sent twice: the module waits
    (within O(wait_timeout)) for a job of that name to appear and adopts it, or fails saying that the create may
    still happen and that running the task again adopts its job."
  - "A create whose answer was lost leaves the task without its own C(job_id): it cannot tell the job it adopts
    from a concurrent task's, nor know whether its own create has been carried out yet, and the cloud gives no
    time within which it must be. So a task that adopts a job after a lost create answer succeeds with a warning
    that names the job name and the adopted job, and says that its own create may still make a second job of
    that name. The module does not wait for that or delete late duplicates. If a second job appears, the next run
    of the task fails with C(2 jobs are named ...) (with any O(state), in check mode too), never succeeds over
    them; set O(job_id) to pick one, or delete the one not wanted by O(job_id)."
  - "A delete is judged by the status it leaves: gone, or C(killing) on the way to gone, is deleted; a failed
    status fails the task at once, naming it. C(delete_failed) is what a failed delete ends in, so it fails the
    task also when the job was at C(delete_failed) before the delete and the next read still shows it. A job in
    another failed status (for example C(image_failed)) that still shows it after the delete has not taken the
    delete yet (the API is asynchronous), and is waited for within O(wait_timeout)."
  - "Concurrent creates of one name (a play over several hosts without C(run_once), two AWX jobs of one template)
    end with one job: after its create a task reads the name again, and when several jobs have it every racer keeps
    the one with the lowest C(job_id) (the first created) and deletes its own. This relies on each racer seeing the
    others' jobs in the list once it has created its own; a cloud whose list lags behind its creates can still leave
    two jobs, which the next run reports (and O(job_id) then picks one). Use C(run_once) to avoid the race."
  - With O(state=absent), RV(visualization_job) is null once the delete was accepted, also with O(wait=false),
    although the job may show C(killing) in a list for a moment.
  - "After O(state=stopped) with O(wait=false) the job usually shows status C(killing) (being canceled), whose
    C(phase) is C(running): it runs until ModelArts has stopped it. With O(wait=true) the module waits for
    C(killed) or C(canceled) (phase C(canceled))."
  - "Workspaces: the v1 API lists the jobs of one workspace (C(workspace_id)) but creates every job in the default
    workspace, and its create body has no workspace field. So this module looks names up, and creates, in the
    default workspace only; it has no O(name)-scoped C(workspace_id), which would look a name up in one workspace and
    create in another, and so create again on every run. A job of another workspace can still be stopped,
    restarted and deleted by O(job_id), since the details and write requests take only the id."
  - Details of a job whose C(job_id) is not the id asked for (another job's, or none) are an error, and nothing is
    written.
  - The module returns no C(ansible_facts); register its result and use that.
seealso:
  - module: hwcloud.modelarts.modelarts_visualization_job_info
  - name: ModelArts API, visualization jobs
    description: Creating, stopping, restarting and deleting visualization jobs (Open Telekom Cloud API reference).
    link: https://docs.otc.t-systems.com/modelarts/api-ref/historical_apis/training_management_old_version/visualization_jobs/index.html
"""

EXAMPLES = r"""
- name: Make sure a TensorBoard job over the training output exists (present never starts or stops it)
  hwcloud.modelarts.modelarts_visualization_job:
    region: eu-de
    cloud: opentelekomcloud
    name: tb-resnet50
    train_url: /bucket/resnet50/output/
    description: ResNet-50 training curves
    auto_stop_hours: 4
  register: tensorboard

- name: Run the job (create it, or restart it when stopped) and wait until its URL is live
  hwcloud.modelarts.modelarts_visualization_job:
    name: tb-resnet50
    train_url: /bucket/resnet50/output/
    job_type: tensorboard
    state: running
    wait_timeout: 900
  register: tensorboard

- name: Show the TensorBoard URL (in check mode a job that does not exist yet has none)
  ansible.builtin.debug:
    msg: "TensorBoard: {{ tensorboard.visualization_job.service_url | default('known once the job exists') }}"

- name: Stop the job at the end of the day (billing stops; it can run again later; a missing job is left missing)
  hwcloud.modelarts.modelarts_visualization_job:
    name: tb-resnet50
    state: stopped

- name: Start a MindInsight job without waiting for it
  hwcloud.modelarts.modelarts_visualization_job:
    name: mi-lenet
    train_url: /bucket/lenet/summary/
    job_type: mindinsight
    state: running
    wait: false

- name: Delete one of two jobs with the same name, picked by its id
  hwcloud.modelarts.modelarts_visualization_job:
    name: tb-duplicate
    job_id: 114
    state: absent
"""

RETURN = r"""
visualization_job:
  description:
    - The job as last read, in the form M(hwcloud.modelarts.modelarts_visualization_job_info) returns it
      (every field of the API plus C(status_name), C(status_description), C(phase), C(create_time_iso) and
      C(duration_seconds)); see that module for the fields.
    - Null after O(state=absent), and after O(state=stopped) when the job does not exist.
    - In check mode, the job as the real run would return it; on a create, the given fields with C(job_id) null.
  returned: always
  type: dict
  sample:
    job_id: 101
    job_name: tb-resnet50
    job_desc: ResNet-50 training curves
    train_url: /bucket/resnet50/output/
    status: 8
    status_name: running
    status_description: The job is running.
    phase: running
    service_url: https://modelarts.eu-de.otc.t-systems.com/modelarts/tensorboard/5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00/101/
    create_time: 1565149736000
    create_time_iso: "2019-08-07T03:48:56Z"
    duration: 33000
    duration_seconds: 33
status_code:
  description:
    - The HTTP status of the failed request; null when no request was answered (an option error, say).
    - Every failure has this key, RV(error_code) and RV(request_id), so a conditional can read them directly.
  returned: on failure
  type: int
  sample: 400
error_code:
  description: The cloud's error code; null when the cloud sent none (an option error, say).
  returned: on failure
  type: str
  sample: ModelArts.0105
request_id:
  description: The request id to give Huawei or T-Systems support; null when the cloud sent none.
  returned: on failure
  type: str
  sample: 6f1b9a4e2c8d4b7f9e0a1c2d3e4f5a6b
"""

from ansible_collections.hwcloud.modelarts.plugins.module_utils._job_execution import JobExecution, JobReplay
from ansible_collections.hwcloud.modelarts.plugins.module_utils._job_spec import JobSpec
from ansible_collections.hwcloud.modelarts.plugins.module_utils._jobs import normalize_job

ARGUMENT_SPEC = dict(
    name=dict(type="str", aliases=["job_name"]),
    job_id=dict(type="int"),
    state=dict(type="str", choices=["present", "running", "stopped", "absent"], default="present"),
    description=dict(type="str", aliases=["job_desc"]),
    train_url=dict(type="str"),
    job_type=dict(type="str", choices=["tensorboard", "mindinsight"]),
    flavor=dict(type="str"),
    auto_stop_hours=dict(type="int"),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=600),
)
SPEC_OPTIONS = dict(required_one_of=[["name", "job_id"]])


def run(task):
    """Bring the job to the state asked for."""
    spec = JobSpec(task.params)
    execution = (JobReplay if task.check_mode else JobExecution)(task.connect(), spec)
    job, before, after = execution.run()
    for warning in execution.warnings:
        task.warn(warning)
    result = dict(changed=execution.changed, visualization_job=normalize_job(job) if job is not None else None)
    if task.diff_mode:
        result["diff"] = dict(before=before, after=after)
    return result


def main():
    # Imported here: the in-process action plugin imports this file for ARGUMENT_SPEC and run(), never AnsibleModule.
    from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
    ModelArtsModule(ARGUMENT_SPEC, **SPEC_OPTIONS).run(run)


if __name__ == "__main__":
    main()
