# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle module's main() against the emulator: writes, waits, check/diff mode and write faults.

Every test counts the requests in the emulator's log: which writes were sent, how many, and
that no fault leaves two jobs (or none) where one was asked for.
"""

from __future__ import annotations

import json
import time

import pytest

from ansible.module_utils.common import warnings as ansible_warnings

from ansible_collections.hwcloud.modelarts.plugins.modules import modelarts_visualization_job as module
from ansible_collections.hwcloud.modelarts.tests.unit.plugins.modules.utils import patch_module_args

PROJECT = "5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00"
AKSK = dict(access_key="EMUAK0000000000000001", secret_key="emu-secret-key-0000000000000000000000000001",
            project_id=PROJECT, region="eu-de")
STEP = 0.05  # seconds per emulated status transition


@pytest.fixture
def emu(emulator):
    """The emulator with its seed jobs restored and fast transitions; restored again afterwards."""
    emulator.admin("POST", "reset", {"tokens": True, "jobs": True})
    emulator.admin("POST", "lifecycle", {"transition_seconds": STEP, "run_status": 8})
    yield emulator
    emulator.admin("POST", "reset", {"jobs": True})
    emulator.admin("POST", "lifecycle", {"transition_seconds": 1.0, "run_status": 8})


def run_module(capsys, emu, faults=(), **args):
    """Run main() against the emulator after clearing its log (and adding faults); return (exit code, result, log)."""
    emu.admin("POST", "reset")
    # module.warn() collects warnings per process; every run here shares this one
    ansible_warnings._global_warnings.clear()  # pylint: disable=protected-access
    if faults:
        emu.faults(*faults)
    options = dict(AKSK, modelarts_endpoint=emu.url)
    options.update(args)
    with patch_module_args(options):
        with pytest.raises(SystemExit) as exited:
            module.main()
    return exited.value.code, json.loads(capsys.readouterr().out), emu.requests()


def kinds(log):
    return [entry["kind"] for entry in log]


def writes(log):
    return [entry["kind"] for entry in log if entry["method"] != "GET"]


def jobs_named(emu, name):
    return [job for job in emu.server.state.jobs.query(PROJECT, search=name, per_page=1000)[1] if job["job_name"] == name]


def add_job(emu, name, status):
    return emu.admin("POST", "jobs", {"jobs": [{"job_name": name, "status": status}]})["job_ids"][0]


# -- states and idempotence ---------------------------------------------------------------


def test_create_waits_until_running_then_the_second_run_sends_one_request(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-new", train_url="/bucket/new/", state="running",
                                   description="curves", auto_stop_hours=2, job_type="tensorboard")
    assert code == 0 and result["changed"] is True
    job = result["visualization_job"]
    assert (job["job_name"], job["status_name"], job["phase"], job["job_desc"]) == ("tb-new", "running", "running", "curves")
    assert kinds(log)[:3] == ["list", "create", "details"] and writes(log) == ["create"]
    assert set(kinds(log)[2:]) == {"details"}
    stored = jobs_named(emu, "tb-new")
    assert len(stored) == 1 and stored[0]["schedule"] == [{"type": "stop", "timeUnit": "HOURS", "duration": 2}]
    code, again, log = run_module(capsys, emu, name="tb-new", train_url="/bucket/new/", state="running", description="curves")
    assert code == 0 and again["changed"] is False and kinds(log) == ["list"]
    assert again["visualization_job"]["job_id"] == job["job_id"]


def test_job_id_run_sends_only_the_details_request(capsys, emu):
    code, result, log = run_module(capsys, emu, job_id=101, name="tb-resnet50", state="running")
    assert code == 0 and result["changed"] is False and kinds(log) == ["details"]


def test_present_never_starts_or_stops(capsys, emu):
    for name in ("tb-canceled", "tb-resnet50", "tb-failed-run"):
        code, result, log = run_module(capsys, emu, name=name)
        assert code == 0 and result["changed"] is False and writes(log) == []


def test_stop_then_restart_then_delete(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-resnet50", state="stopped")
    assert code == 0 and result["changed"] and result["visualization_job"]["status_name"] == "canceled"
    assert writes(log) == ["stop"]
    code, result, log = run_module(capsys, emu, name="tb-resnet50", state="stopped")
    assert result["changed"] is False and kinds(log) == ["list"]
    code, result, log = run_module(capsys, emu, name="tb-resnet50", state="running")
    assert result["changed"] and result["visualization_job"]["status_name"] == "running" and writes(log) == ["restart"]
    code, result, log = run_module(capsys, emu, name="tb-resnet50", state="absent")
    assert code == 0 and result["changed"] and result["visualization_job"] is None and writes(log) == ["delete"]
    assert kinds(log)[-1] == "details" and log[-1]["status"] == 404
    assert jobs_named(emu, "tb-resnet50") == []
    code, result, log = run_module(capsys, emu, name="tb-resnet50", state="absent")
    assert code == 0 and result["changed"] is False and kinds(log) == ["list"]


def test_a_failed_job_cannot_run(capsys, emu):
    code, result, log = run_module(capsys, emu, name="mi-image-failed", state="running")
    assert code == 1 and "image_failed (3)" in result["msg"] and writes(log) == []


def test_running_waits_for_a_job_being_canceled_then_restarts_it(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-resnet50", state="stopped", wait=False)
    assert result["visualization_job"]["status_name"] == "killing" and writes(log) == ["stop"]
    code, result, log = run_module(capsys, emu, name="tb-resnet50", state="running")
    assert code == 0 and result["changed"] and writes(log) == ["restart"]
    assert result["visualization_job"]["status_name"] == "running"


def test_absent_waits_for_a_job_being_canceled_then_deletes_it(capsys, emu):
    run_module(capsys, emu, name="tb-resnet50", state="stopped", wait=False)
    code, result, log = run_module(capsys, emu, name="tb-resnet50", state="absent")
    assert code == 0 and result["changed"] and writes(log) == ["delete"] and jobs_named(emu, "tb-resnet50") == []


def test_stopped_creates_then_stops(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-stopped", train_url="/b/s/", state="stopped")
    assert code == 0 and result["changed"] and writes(log) == ["create", "stop"]
    assert result["visualization_job"]["status_name"] == "canceled"


def test_wait_false_returns_after_one_read(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-nowait", train_url="/b/n/", state="running", wait=False)
    assert code == 0 and kinds(log) == ["list", "create", "details"]
    assert result["visualization_job"]["status_name"] == "init"


def test_description_is_updated_once_and_cleared(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-resnet50", description="new text")
    assert result["changed"] and writes(log) == ["update"] and result["visualization_job"]["job_desc"] == "new text"
    code, result, log = run_module(capsys, emu, name="tb-resnet50", description="new text")
    assert result["changed"] is False and writes(log) == []
    code, result, log = run_module(capsys, emu, name="tb-resnet50", description="")
    assert result["changed"] and writes(log) == ["update"] and result["visualization_job"]["job_desc"] == ""


def test_another_train_url_warns_and_changes_nothing(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-resnet50", train_url="/other/path/")
    assert code == 0 and result["changed"] is False and writes(log) == []
    assert "train_url cannot be changed" in json.dumps(result["warnings"])
    code, result, log = run_module(capsys, emu, name="tb-resnet50", train_url="/emu-bucket/tb-resnet50/train")
    assert "warnings" not in result


# -- identity and bad input -------------------------------------------------------------------


def test_duplicates_fail_listing_their_ids_and_job_id_picks_one(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-duplicate", state="absent")
    assert code == 1 and "113, 114" in result["msg"] and writes(log) == []
    code, result, log = run_module(capsys, emu, name="tb-duplicate", job_id=114, state="absent")
    assert code == 0 and result["changed"] and [job["job_id"] for job in jobs_named(emu, "tb-duplicate")] == [113]


def test_a_list_short_of_its_total_never_leads_to_a_create(capsys, emu):
    """The job may be on the page that was not served: creating would risk a second job of the name."""
    short = {"is_success": True, "job_total_count": 1, "jobs": []}
    code, result, log = run_module(capsys, emu, faults=[{"kind": "list", "action": "status", "status": 200, "body": short}],
                                   name="tb-hidden", train_url="/bucket/x/", state="running")
    assert code == 1 and "ended after 0 jobs although ModelArts reported job_total_count 1" in result["msg"]
    assert "nothing is changed" in result["msg"] and writes(log) == [] and jobs_named(emu, "tb-hidden") == []


def test_job_id_must_match_the_name(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-bert-base", job_id=101, state="absent")
    assert code == 1 and "named 'tb-resnet50'" in result["msg"] and writes(log) == []


@pytest.mark.parametrize("args, text", [
    (dict(name="bad name"), "name must be 1 to 20"),
    (dict(name="x" * 21), "name must be 1 to 20"),
    (dict(name="ok", description="d" * 257), "description must be at most 256"),
    (dict(name="ok", auto_stop_hours=25), "auto_stop_hours"),
    (dict(name="ok", wait_timeout=0), "wait_timeout"),
    (dict(name="ok", job_id=0), "job_id"),
    (dict(state="running"), "name, job_id"),
])
def test_bad_input_fails_before_any_request(capsys, emu, args, text):
    code, result, log = run_module(capsys, emu, **args)
    assert code == 1 and text in result["msg"] and log == []


def test_create_needs_train_url(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-nothing", state="running")
    assert code == 1 and "train_url is required" in result["msg"] and kinds(log) == ["list"]


def test_unknown_job_id_is_an_error_except_for_absent(capsys, emu):
    code, result, log = run_module(capsys, emu, job_id=999, state="running")
    assert code == 1 and "does not exist" in result["msg"] and writes(log) == []
    code, result, log = run_module(capsys, emu, job_id=999, state="absent")
    assert code == 0 and result["changed"] is False


# -- check and diff mode ------------------------------------------------------------------------


def test_check_mode_create_reports_the_would_be_job_and_sends_no_write(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-check", train_url="/b/c/", state="running",
                                   _ansible_check_mode=True, _ansible_diff=True)
    assert code == 0 and result["changed"] and kinds(log) == ["list"]
    job = result["visualization_job"]
    assert job["job_id"] is None and job["job_name"] == "tb-check" and job["train_url"] == "/b/c/"
    assert result["diff"] == {"before": {}, "after": {"name": "tb-check", "description": "", "train_url": "/b/c/",
                                                      "phase": "running"}}


@pytest.mark.parametrize("name, args", [
    ("tb-resnet50", dict(state="stopped")),
    ("tb-canceled", dict(state="running", description="again")),
    ("tb-bert-base", dict(state="absent")),
    ("tb-diffnew", dict(state="running", train_url="/b/d/", description="new")),
    ("tb-resnet50", dict(state="running")),
])
def test_check_mode_predicts_what_the_run_then_does(capsys, emu, name, args):
    code, check, log = run_module(capsys, emu, name=name, _ansible_check_mode=True, _ansible_diff=True, **args)
    assert code == 0 and writes(log) == []
    code, real, log = run_module(capsys, emu, name=name, _ansible_diff=True, **args)
    assert code == 0
    assert check["changed"] == real["changed"]
    assert check["diff"] == real["diff"]


# -- waits that fail -----------------------------------------------------------------------------


def test_wait_timeout_names_the_last_status_and_the_time(capsys, emu):
    emu.admin("POST", "lifecycle", {"transition_seconds": 30})
    code, result, log = run_module(capsys, emu, name="tb-slow", train_url="/b/slow/", state="running", wait_timeout=2)
    assert code == 1 and "timed out after 2 s" in result["msg"] and "last status: init (1)" in result["msg"]
    assert writes(log) == ["create"] and len(jobs_named(emu, "tb-slow")) == 1


def test_a_job_that_fails_to_start_fails_the_wait(capsys, emu):
    emu.admin("POST", "lifecycle", {"run_status": 3})
    code, result, log = run_module(capsys, emu, name="tb-broken", train_url="/b/broken/", state="present")
    assert code == 1 and "reached status image_failed (3) after waiting" in result["msg"]


# -- write faults -----------------------------------------------------------------------------------


def _create(capsys, emu, name, fault, **args):
    return run_module(capsys, emu, faults=[fault], name=name, train_url="/b/f/", state="running", **args)


@pytest.mark.parametrize("fault, expected_kinds", [
    # carried out, answer lost: the lookup finds the job and adopts it
    ({"kind": "create", "action": "drop", "apply": True}, ["list", "create", "list"]),
    ({"kind": "create", "action": "status", "status": 500, "apply": True}, ["list", "create", "list"]),
    ({"kind": "create", "action": "status", "status": 502, "body": "<html>bad gateway</html>", "apply": True},
     ["list", "create", "list"]),
    # not carried out: the lookup finds nothing, so the create is sent again
    ({"kind": "create", "action": "status", "status": 503}, ["list", "create", "list", "create"]),
    ({"kind": "create", "action": "drop"}, ["list", "create", "list", "create"]),
])
def test_a_failed_create_is_looked_up_before_it_is_repeated(capsys, emu, fault, expected_kinds):
    code, result, log = _create(capsys, emu, "tb-fault", fault)
    assert code == 0, result["msg"]
    assert result["changed"] is True and result["visualization_job"]["status_name"] == "running"
    # then the details of the job until it runs (none when the lookup found it running)
    assert kinds(log)[:len(expected_kinds)] == expected_kinds and set(kinds(log)[len(expected_kinds):]) <= {"details"}
    assert len(jobs_named(emu, "tb-fault")) == 1


def test_a_create_whose_answer_times_out_is_adopted(capsys, emu):
    code, result, log = _create(capsys, emu, "tb-late", {"kind": "create", "action": "slow", "delay": 2, "apply": True},
                                timeout=1)
    assert code == 0, result["msg"]
    # the emulator logs the slow create once it has answered, after the module gave up on it
    deadline = time.monotonic() + 10
    while "create" not in writes(log) and time.monotonic() < deadline:
        time.sleep(0.2)
        log = emu.requests()
    assert writes(log) == ["create"] and len(jobs_named(emu, "tb-late")) == 1


def test_a_create_that_lands_after_the_timeout_is_waited_for_not_repeated(capsys, emu):
    # the emulator carries the create out only after the client gave up waiting for its answer
    code, result, log = _create(capsys, emu, "tb-later", {"kind": "create", "action": "slow", "delay": 2.5}, timeout=1)
    assert code == 0, result["msg"]
    assert result["changed"] and result["visualization_job"]["job_name"] == "tb-later"
    assert writes(log) == ["create"] and len(jobs_named(emu, "tb-later")) == 1


def test_a_create_that_never_lands_fails_without_a_second_create(capsys, emu):
    code, result, log = _create(capsys, emu, "tb-lost", {"kind": "create", "action": "slow", "delay": 4}, timeout=1,
                                wait_timeout=2)
    assert code == 1 and "read timeout" in result["msg"] and "run the task again" in result["msg"]
    time.sleep(3.5)  # until the emulator has carried the slow create out
    assert writes(emu.requests()) == ["create"] and len(jobs_named(emu, "tb-lost")) == 1


def test_a_refused_create_is_not_repeated(capsys, emu):
    code, result, log = _create(capsys, emu, "tb-refused", {"kind": "create", "action": "status", "status": 400, "body": {
        "is_success": False, "error_code": "ModelArts.0103", "error_message": "quota exceeded"}})
    assert code == 1 and result["error_code"] == "ModelArts.0103" and kinds(log) == ["list", "create"]
    assert jobs_named(emu, "tb-refused") == []


def test_create_gives_up_after_retries_without_a_job(capsys, emu):
    code, result, log = _create(capsys, emu, "tb-never", {"kind": "create", "action": "status", "status": 500, "times": -1},
                                retries=1)
    assert code == 1 and result["status_code"] == 500, result
    assert kinds(log) == ["list", "create", "list", "create", "list"] and jobs_named(emu, "tb-never") == []


@pytest.mark.parametrize("fault, stops", [
    ({"kind": "stop", "action": "status", "status": 500}, 2),                  # not carried out: sent again
    ({"kind": "stop", "action": "status", "status": 500, "apply": True}, 1),   # carried out: not repeated
    ({"kind": "stop", "action": "drop", "apply": True}, 1),
])
def test_a_failed_stop_is_repeated_only_when_still_needed(capsys, emu, fault, stops):
    code, result, log = run_module(capsys, emu, faults=[fault], name="tb-resnet50", state="stopped")
    assert code == 0, result["msg"]
    assert writes(log) == ["stop"] * stops and result["visualization_job"]["status_name"] == "canceled"


def test_a_lost_restart_or_delete_answer_is_not_repeated(capsys, emu):
    run_module(capsys, emu, name="tb-resnet50", state="stopped")
    code, result, log = run_module(capsys, emu, faults=[{"kind": "restart", "action": "drop", "apply": True}],
                                   name="tb-resnet50", state="running")
    assert code == 0 and writes(log) == ["restart"] and result["visualization_job"]["status_name"] == "running"
    code, result, log = run_module(capsys, emu, faults=[{"kind": "delete", "action": "drop", "apply": True}],
                                   name="tb-resnet50", state="absent")
    assert code == 0 and writes(log) == ["delete"] and result["visualization_job"] is None
    assert jobs_named(emu, "tb-resnet50") == []


def test_a_refusal_fails_with_the_status_decoded(capsys, emu):
    refusal = {"kind": "stop", "action": "status", "status": 400, "body": {
        "is_success": False, "error_code": "ModelArts.0105", "error_message": "This job can't be stop. job status: 8"}}
    code, result, log = run_module(capsys, emu, faults=[refusal], name="tb-resnet50", state="stopped")
    assert code == 1 and result["error_code"] == "ModelArts.0105"
    assert "running (8)" in result["msg"] and writes(log) == ["stop"]
