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
    emulator.admin("POST", "lifecycle", {"transition_seconds": 1.0, "run_status": 8, "delete_status": None})


def run_module(capsys, emu, faults=(), hold=None, **args):
    """Run main() against the emulator after clearing its log (and adding faults); return (exit code, result, log).

    hold "all" holds every timed status transition where it is for the whole run, so that the statuses the task
    sees do not depend on the machine's load; "first" holds them until the task's first request has seen them."""
    emu.admin("POST", "reset")  # this also lets held transitions go on
    if hold:
        emu.admin("POST", "transitions", {"paused": True, "resume_on_request": hold == "first"})
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


def add_job(emu, name, status, **fields):
    return emu.admin("POST", "jobs", {"jobs": [dict(fields, job_name=name, status=status)]})["job_ids"][0]


def wait_until(condition, what, deadline=60.0):
    """Poll condition() until it holds; fail only if it never does within a generous deadline.

    For things that happen "eventually" (a slow write carried out by the emulator after the task gave up):
    the assertions made afterwards do not depend on how fast it happened."""
    limit = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < limit, "the emulator never %s" % what
        time.sleep(0.05)


def status_of(emu, job_id):
    job = emu.server.state.jobs.get(PROJECT, job_id)
    return None if job is None else job["status"]


# The fields check mode can know; ids, times and URLs exist only once the job does.
KNOWN = ("job_name", "job_desc", "train_url", "status", "status_name", "status_description", "phase")


def known(job):
    return None if job is None else {key: job.get(key) for key in KNOWN}


# -- states and idempotence ---------------------------------------------------------------


def test_create_waits_until_running_then_the_second_run_sends_one_request(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-new", train_url="/bucket/new/", state="running",
                                   description="curves", auto_stop_hours=2, job_type="tensorboard")
    assert code == 0 and result["changed"] is True
    job = result["visualization_job"]
    assert (job["job_name"], job["status_name"], job["phase"], job["job_desc"]) == ("tb-new", "running", "running", "curves")
    # the lookup, the create, the name read again (a concurrent create?), then the details until it runs
    assert kinds(log)[:3] == ["list", "create", "list"] and writes(log) == ["create"]
    assert set(kinds(log)[3:]) == {"details"}
    stored = jobs_named(emu, "tb-new")
    assert len(stored) == 1 and stored[0]["schedule"] == [{"type": "stop", "timeUnit": "HOURS", "duration": 2}]
    code, again, log = run_module(capsys, emu, name="tb-new", train_url="/bucket/new/", state="running", description="curves")
    assert code == 0 and again["changed"] is False and kinds(log) == ["list"]
    assert again["visualization_job"]["job_id"] == job["job_id"]


def test_job_id_run_sends_only_the_details_request(capsys, emu):
    code, result, log = run_module(capsys, emu, job_id=101, name="tb-resnet50", state="running")
    assert code == 0 and result["changed"] is False and kinds(log) == ["details"]


def test_present_never_starts_or_stops(capsys, emu):
    for name in ("tb-canceled", "tb-resnet50", "tb-failed-run", "tb-bert-base"):
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
    code, result, log = run_module(capsys, emu, hold="all", name="tb-resnet50", state="stopped", wait=False)
    assert result["visualization_job"]["status_name"] == "killing" and writes(log) == ["stop"]
    code, result, log = run_module(capsys, emu, hold="first", name="tb-resnet50", state="running")  # finds it killing
    assert code == 0 and result["changed"] and writes(log) == ["restart"]
    assert result["visualization_job"]["status_name"] == "running"


def test_absent_waits_for_a_job_being_canceled_then_deletes_it(capsys, emu):
    run_module(capsys, emu, hold="all", name="tb-resnet50", state="stopped", wait=False)
    assert status_of(emu, 101) == 9
    code, result, log = run_module(capsys, emu, hold="first", name="tb-resnet50", state="absent")  # finds it killing
    assert code == 0 and result["changed"] and writes(log) == ["delete"] and jobs_named(emu, "tb-resnet50") == []


def test_stopped_never_creates(capsys, emu):
    """A missing job is already not running: creating a billed job only to stop it would be wrong."""
    for args in (dict(name="tb-stopped", train_url="/b/s/"), dict(name="tb-stopped"), dict(job_id=999)):
        code, result, log = run_module(capsys, emu, state="stopped", **args)
        assert code == 0 and result["changed"] is False and result["visualization_job"] is None and writes(log) == []
    assert jobs_named(emu, "tb-stopped") == []


def test_wait_false_returns_after_one_read(capsys, emu):
    code, result, log = run_module(capsys, emu, hold="all", name="tb-nowait", train_url="/b/n/", state="running", wait=False)
    assert code == 0 and kinds(log) == ["list", "create", "list"]
    assert result["visualization_job"]["status_name"] == "init"


def test_absent_without_wait_returns_no_job(capsys, emu):
    code, result, log = run_module(capsys, emu, hold="all", name="tb-resnet50", state="absent", wait=False, _ansible_diff=True)
    assert code == 0 and result["changed"] and result["visualization_job"] is None and writes(log) == ["delete"]
    assert result["diff"]["after"] == {} and status_of(emu, 101) == 9  # still being deleted


def test_description_is_updated_once_and_cleared(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-resnet50", description="new text")
    assert result["changed"] and writes(log) == ["update"] and result["visualization_job"]["job_desc"] == "new text"
    code, result, log = run_module(capsys, emu, name="tb-resnet50", description="new text")
    assert result["changed"] is False and writes(log) == []
    code, result, log = run_module(capsys, emu, name="tb-resnet50", description="")
    assert result["changed"] and writes(log) == ["update"] and result["visualization_job"]["job_desc"] == ""


def test_a_null_description_equals_an_empty_one(capsys, emu):
    add_job(emu, "tb-null-desc", 13, job_desc=None)
    code, result, log = run_module(capsys, emu, name="tb-null-desc", description="")
    assert code == 0 and result["changed"] is False and writes(log) == []


def test_another_train_url_warns_and_changes_nothing(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-resnet50", train_url="/other/path/")
    assert code == 0 and result["changed"] is False and writes(log) == []
    assert "train_url cannot be changed" in json.dumps(result["warnings"])
    code, result, log = run_module(capsys, emu, name="tb-resnet50", train_url="/emu-bucket/tb-resnet50/train")
    assert "warnings" not in result


def warning_texts(result):
    """The warnings' messages: strings before ansible-core 2.19, WarningSummary objects (event.msg) after it."""
    return [item if isinstance(item, str) else item["event"]["msg"] for item in result.get("warnings", [])]


# A job that shows each create-only option (as the emulator's details do; the API documents only train_url).
SHOWN = dict(job_type="mindinsight", flavor={"code": "modelarts.vm.cpu.free"},
             schedule=[{"type": "stop", "timeUnit": "HOURS", "duration": 4}])
ASKED_OTHERWISE = [
    ("job_type", "tensorboard", "has job_type mindinsight, not tensorboard; job_type cannot be changed"),
    ("flavor", "modelarts.vm.gpu.p4", "has flavor modelarts.vm.cpu.free, not modelarts.vm.gpu.p4; flavor cannot be changed"),
    ("auto_stop_hours", 2, "has auto_stop_hours 4, not 2; auto_stop_hours cannot be changed"),
]


@pytest.mark.parametrize("check_mode", [False, True], ids=["real run", "check mode"])
@pytest.mark.parametrize("option, asked, warning", ASKED_OTHERWISE, ids=[row[0] for row in ASKED_OTHERWISE])
def test_another_create_only_option_warns_and_changes_nothing(capsys, emu, option, asked, warning, check_mode):
    job_id = add_job(emu, "tb-drift", 8, train_url="/b/drift/", **SHOWN)
    for state in ("present", "running"):
        code, result, log = run_module(capsys, emu, name="tb-drift", state=state, _ansible_check_mode=check_mode,
                                       _ansible_diff=True, **{option: asked})
        assert code == 0 and result["changed"] is False and writes(log) == []
        assert warning_texts(result) == ["job 'tb-drift' (id %d) %s, so the job was left as it is" % (job_id, warning)]
        assert result["diff"]["before"] == result["diff"]["after"]
    # the same value as the job shows: no warning, no write
    code, result, log = run_module(capsys, emu, name="tb-drift", job_type="mindinsight", flavor="modelarts.vm.cpu.free",
                                   auto_stop_hours=4, _ansible_check_mode=check_mode)
    assert code == 0 and result["changed"] is False and writes(log) == [] and "warnings" not in result


def test_create_only_options_a_job_does_not_show_are_not_compared(capsys, emu):
    add_job(emu, "tb-unshown", 8, train_url="/b/unshown/")
    code, result, log = run_module(capsys, emu, name="tb-unshown", job_type="mindinsight", flavor="any", auto_stop_hours=3)
    assert code == 0 and result["changed"] is False and writes(log) == [] and "warnings" not in result


def test_a_job_without_auto_stop_warns_of_asked_hours(capsys, emu):
    job_id = add_job(emu, "tb-nostop", 12, train_url="/b/nostop/", schedule=[])
    code, result, log = run_module(capsys, emu, name="tb-nostop", state="stopped", auto_stop_hours=3)
    assert code == 0 and writes(log) == []
    assert warning_texts(result) == ["job 'tb-nostop' (id %d) has auto_stop_hours none (no auto-stop), not 3; auto_stop_hours"
                                     " cannot be changed, so the job was left as it is" % job_id]


def test_a_created_job_is_not_compared_with_its_own_options(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-fresh", train_url="/b/fresh/", job_type="mindinsight",
                                   flavor="modelarts.vm.cpu.free", auto_stop_hours=2)
    assert code == 0 and result["changed"] is True and "warnings" not in result and writes(log) == ["create"]
    code, result, log = run_module(capsys, emu, name="tb-fresh", train_url="/b/fresh/", job_type="mindinsight",
                                   flavor="modelarts.vm.cpu.free", auto_stop_hours=2)
    assert code == 0 and result["changed"] is False and "warnings" not in result and writes(log) == []


# -- no second start ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state, run_status, name", [
    ("present", 10, "completed (10)"), ("running", 10, "completed (10)"), ("running", 13, "canceled (13)"),
    ("present", 3, "image_failed (3)"),
])
def test_a_created_job_that_ends_instead_of_running_fails_without_a_second_start(capsys, emu, state, run_status, name):
    emu.admin("POST", "lifecycle", {"run_status": run_status})
    code, result, log = run_module(capsys, emu, name="tb-ends", train_url="/b/e/", state=state, wait_timeout=20)
    assert code == 1 and result["changed"] is True, result
    assert "created by this task but reached status %s" % name in result["msg"] and "not started again" in result["msg"]
    assert writes(log) == ["create"] and len(jobs_named(emu, "tb-ends")) == 1
    # it fails as soon as the job shows the status, not at wait_timeout: its last request is the read that saw it
    assert "timed out after" not in result["msg"] and kinds(log)[-1] in ("list", "details")


def test_a_restarted_job_that_ends_instead_of_running_fails_without_a_second_restart(capsys, emu):
    emu.admin("POST", "lifecycle", {"run_status": 10})
    code, result, log = run_module(capsys, emu, name="tb-canceled", state="running", wait_timeout=20)
    assert code == 1 and result["changed"] is True and writes(log) == ["restart"]
    assert "restarted by this task but reached status completed (10)" in result["msg"]


# -- refusals and failed statuses ----------------------------------------------------------------------


def test_a_delete_refused_by_a_concurrent_stop_waits_then_deletes(capsys, emu):
    # another client stops the job between the lookup and the DELETE, which is then refused at killing
    concurrent = {"kind": "delete", "action": "concurrent", "operation": "stop"}
    for wait in (True, False):
        job_id = add_job(emu, "tb-race-stop", 8)
        code, result, log = run_module(capsys, emu, faults=[concurrent], name="tb-race-stop", state="absent", wait=wait)
        assert code == 0 and result["changed"] and result["visualization_job"] is None, result
        deletes = [entry for entry in log if entry["kind"] == "delete"]
        assert [entry["status"] for entry in deletes] == [400, 200]
        if wait:
            assert status_of(emu, job_id) is None
        else:
            assert status_of(emu, job_id) in (9, None)


def test_a_delete_that_ends_delete_failed_fails_at_once(capsys, emu):
    emu.admin("POST", "lifecycle", {"delete_status": 6})
    code, result, log = run_module(capsys, emu, name="tb-bert-base", state="absent", wait_timeout=60)
    assert code == 1 and result["changed"] is True and "delete_failed (6)" in result["msg"], result
    assert writes(log) == ["delete"] and kinds(log).count("details") <= 3


def test_a_delete_that_leaves_a_delete_failed_job_at_delete_failed_fails_at_once(capsys, emu):
    """Issue 23 item 9: the job was at delete_failed already; before the fix the task waited out wait_timeout."""
    job_id = add_job(emu, "tb-del-failed", 6)
    fault = {"kind": "delete", "action": "failed_delete"}
    code, result, log = run_module(capsys, emu, faults=[fault], name="tb-del-failed", state="absent", wait_timeout=20)
    assert code == 1 and result["changed"] is True, result
    assert "is still at delete_failed (6)" in result["msg"] and "wait_timeout" not in result["msg"], result
    assert kinds(log) == ["list", "delete", "details"] and status_of(emu, job_id) == 6


def test_a_refusal_fails_with_the_status_the_message_names(capsys, emu):
    """The status comes from the refusal, not from the job: here the two differ on purpose."""
    refusal = {"kind": "stop", "action": "status", "status": 400, "times": -1, "body": {
        "is_success": False, "error_code": "ModelArts.0105", "error_message": "This job can't be stop. job status: 9"}}
    code, result, log = run_module(capsys, emu, faults=[refusal], name="tb-resnet50", state="stopped", retries=1)
    assert code == 1 and result["error_code"] == "ModelArts.0105" and result["changed"] is False
    assert "job status killing (9)" in result["msg"] and "running (8)" not in result["msg"]
    assert writes(log) == ["stop", "stop"] and status_of(emu, 101) == 8


def test_a_refusal_reads_the_job_and_goes_back_through_the_plan(capsys, emu):
    refusal = {"kind": "stop", "action": "status", "status": 400, "body": {
        "is_success": False, "error_code": "ModelArts.0105", "error_message": "This job can't be stop. job status: 9"}}
    code, result, log = run_module(capsys, emu, faults=[refusal], name="tb-resnet50", state="stopped")
    assert code == 0 and writes(log) == ["stop", "stop"] and result["visualization_job"]["status_name"] == "canceled"


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


def test_unknown_job_id_is_an_error_except_for_stopped_and_absent(capsys, emu):
    code, result, log = run_module(capsys, emu, job_id=999, state="running")
    assert code == 1 and "does not exist" in result["msg"] and writes(log) == []
    for state in ("stopped", "absent"):
        code, result, log = run_module(capsys, emu, job_id=999, state=state)
        assert code == 0 and result["changed"] is False and result["visualization_job"] is None


# -- check and diff mode ------------------------------------------------------------------------


def test_check_mode_create_reports_the_would_be_job_and_sends_no_write(capsys, emu):
    code, result, log = run_module(capsys, emu, name="tb-check", train_url="/b/c/", state="running",
                                   _ansible_check_mode=True, _ansible_diff=True)
    assert code == 0 and result["changed"] and kinds(log) == ["list"]
    job = result["visualization_job"]
    assert job["job_id"] is None and job["job_name"] == "tb-check" and job["train_url"] == "/b/c/"
    assert (job["status_name"], job["phase"]) == ("running", "running") and "service_url" not in job
    assert result["diff"] == {"before": {}, "after": {"name": "tb-check", "description": "", "train_url": "/b/c/",
                                                      "phase": "running"}}


@pytest.mark.parametrize("name, args", [
    ("tb-resnet50", dict(state="stopped")),
    ("tb-resnet50", dict(state="stopped", wait=False)),
    ("tb-canceled", dict(state="running", description="again")),
    ("tb-canceled", dict(state="running", wait=False)),
    ("tb-bert-base", dict(state="absent")),
    ("tb-bert-base", dict(state="absent", wait=False)),
    ("tb-diffnew", dict(state="running", train_url="/b/d/", description="new")),
    ("tb-diffnew", dict(state="present", train_url="/b/d/", wait=False)),
    ("tb-diffnew", dict(state="stopped", train_url="/b/d/")),
    ("tb-resnet50", dict(state="running")),
    ("mi-image-failed", dict(state="running")),
])
def test_check_mode_predicts_what_the_run_then_does(capsys, emu, name, args):
    code, check, log = run_module(capsys, emu, name=name, _ansible_check_mode=True, _ansible_diff=True, **args)
    assert writes(log) == []
    # without wait the run reads the job once: held, it shows the status its write leads to first, whatever the load
    hold = "all" if args.get("wait") is False else None
    real_code, real, log = run_module(capsys, emu, hold=hold, name=name, _ansible_diff=True, **args)
    assert (code, check["changed"], check.get("diff"), check.get("msg")) == (
        real_code, real["changed"], real.get("diff"), real.get("msg"))
    assert known(check.get("visualization_job")) == known(real.get("visualization_job"))


def test_check_mode_counts_a_wait_that_leads_to_a_write_as_a_change(capsys, emu):
    run_module(capsys, emu, hold="all", name="tb-resnet50", state="stopped", wait=False)  # killing
    code, check, log = run_module(capsys, emu, hold="all", name="tb-resnet50", state="running", wait=False,
                                  _ansible_check_mode=True, _ansible_diff=True)
    assert code == 0 and check["changed"] is True and writes(log) == []
    assert check["visualization_job"]["status_name"] == "waiting" and check["diff"]["after"]["phase"] == "pending"


# -- waits that fail -----------------------------------------------------------------------------


def test_wait_timeout_names_the_last_status_and_the_time(capsys, emu):
    # init for ever: the wait must time out
    code, result, log = run_module(capsys, emu, hold="all", name="tb-slow", train_url="/b/slow/", state="running", wait_timeout=2)
    assert code == 1 and "timed out after 2 s" in result["msg"] and "last status: init (1)" in result["msg"]
    assert writes(log) == ["create"] and len(jobs_named(emu, "tb-slow")) == 1


# -- write faults -----------------------------------------------------------------------------------


def _create(capsys, emu, name, fault, **args):
    return run_module(capsys, emu, faults=[fault], name=name, train_url="/b/f/", state="running", **args)


@pytest.mark.parametrize("fault", [
    {"kind": "create", "action": "drop", "apply": True},
    {"kind": "create", "action": "status", "status": 500, "apply": True},
    {"kind": "create", "action": "status", "status": 502, "body": "<html>bad gateway</html>", "apply": True},
    # a gateway that gives up at once while the backend finishes the create a moment later
    {"kind": "create", "action": "status", "status": 504, "apply_after": 1.5},
    {"kind": "create", "action": "drop", "apply_after": 1.5},
])
def test_a_create_that_may_have_happened_is_adopted_never_repeated(capsys, emu, fault):
    code, result, log = _create(capsys, emu, "tb-fault", fault)
    assert code == 0, result["msg"]
    assert result["changed"] is True and result["visualization_job"]["status_name"] == "running"
    assert writes(log) == ["create"] and kinds(log)[:3] == ["list", "create", "list"]
    assert len(jobs_named(emu, "tb-fault")) == 1
    # its own job, but the task cannot know that: it says that a second job may appear
    assert "a second job named 'tb-fault'" in json.dumps(result.get("warnings")), result


def test_a_race_with_a_lost_create_answer_warns_and_the_next_run_reports_two_jobs(capsys, emu):
    """Issue 23 item 6: another client's create lands, this task's create is answered 502 and lands later."""
    fault = {"kind": "create", "action": "concurrent", "operation": "create", "apply_after": 600}
    code, result, log = _create(capsys, emu, "tb-lost", fault)
    assert code == 0 and result["changed"] is True, result
    adopted = result["visualization_job"]["job_id"]
    assert writes(log) == ["create"] and [job["job_id"] for job in jobs_named(emu, "tb-lost")] == [adopted]
    warning = json.dumps(result.get("warnings"))
    assert "create of 'tb-lost' was lost (HTTP 502)" in warning and "job %d" % adopted in warning, result
    assert "a second job named 'tb-lost'" in warning and "2 jobs are named 'tb-lost'" in warning
    assert emu.admin("POST", "late-writes/land")["landed"] == 1  # its own create lands after the task
    ids = [job["job_id"] for job in jobs_named(emu, "tb-lost")]
    for state in ("present", "running", "stopped", "absent"):
        code, result, log = run_module(capsys, emu, name="tb-lost", state=state)
        assert code == 1 and "2 jobs are named 'tb-lost' (job ids %d, %d)" % tuple(ids) in result["msg"], result
        assert writes(log) == []


@pytest.mark.parametrize("fault, text", [
    ({"kind": "create", "action": "status", "status": 503}, "HTTP 503"),
    ({"kind": "create", "action": "status", "status": 500, "times": -1}, "HTTP 500"),
    ({"kind": "create", "action": "drop"}, "closed the connection"),
])
def test_a_create_that_may_have_happened_but_shows_no_job_fails_without_a_second_create(capsys, emu, fault, text):
    code, result, log = _create(capsys, emu, "tb-unsure", fault, wait_timeout=2)
    assert code == 1 and result["changed"] is True and text in result["msg"]
    assert "may still happen: run the task again" in result["msg"]
    assert writes(log) == ["create"] and jobs_named(emu, "tb-unsure") == []


def test_an_adopted_create_counts_as_this_tasks_create(capsys, emu):
    """present waits for a job it created to run: also for one it adopted after a lost answer."""
    emu.admin("POST", "lifecycle", {"transition_seconds": 1})  # still starting when the lookup adopts it
    code, result, log = run_module(capsys, emu, faults=[{"kind": "create", "action": "status", "status": 502,
                                                         "apply_after": 0.3}],
                                   name="tb-adopted", train_url="/b/a/", state="present")
    assert code == 0 and result["changed"] and result["visualization_job"]["status_name"] == "running", result
    assert writes(log) == ["create"]


def test_a_create_whose_answer_times_out_is_adopted(capsys, emu):
    code, result, log = _create(capsys, emu, "tb-late", {"kind": "create", "action": "slow", "delay": 2, "apply": True},
                                timeout=1)
    assert code == 0, result["msg"]
    wait_until(lambda: "create" in writes(emu.requests()), "logged the slow create")
    assert writes(emu.requests()) == ["create"] and len(jobs_named(emu, "tb-late")) == 1


def test_a_create_that_lands_after_the_timeout_is_waited_for_not_repeated(capsys, emu):
    # the emulator carries the create out only after the client gave up waiting for its answer
    code, result, log = _create(capsys, emu, "tb-later", {"kind": "create", "action": "slow", "delay": 2.5}, timeout=1)
    assert code == 0, result["msg"]
    assert result["changed"] and result["visualization_job"]["job_name"] == "tb-later"
    # only once the slow create has been served can a second create be told from it
    wait_until(lambda: "create" in writes(emu.requests()), "logged the slow create")
    assert writes(emu.requests()) == ["create"] and len(jobs_named(emu, "tb-later")) == 1


def test_a_create_that_never_lands_fails_without_a_second_create(capsys, emu):
    code, result, log = _create(capsys, emu, "tb-lost", {"kind": "create", "action": "slow", "delay": 4}, timeout=1,
                                wait_timeout=2)
    assert code == 1 and "read timeout" in result["msg"] and "run the task again" in result["msg"]
    wait_until(lambda: "create" in writes(emu.requests()), "carried the slow create out")
    assert writes(emu.requests()) == ["create"] and len(jobs_named(emu, "tb-lost")) == 1


@pytest.mark.parametrize("body", [
    {"is_success": False, "error_code": "ModelArts.0103", "error_message": "quota exceeded"},
    {"is_success": False, "error_code": "ModelArts.0104", "error_message": "Parameter error."},
])
def test_a_refused_create_is_not_repeated_and_changes_nothing(capsys, emu, body):
    code, result, log = _create(capsys, emu, "tb-refused", {"kind": "create", "action": "status", "status": 400,
                                                            "body": body})
    assert code == 1 and result["changed"] is False and result["error_code"] == body["error_code"]
    assert kinds(log) == ["list", "create"] and jobs_named(emu, "tb-refused") == []


def test_a_throttled_create_is_sent_again_after_retry_after(capsys, emu):
    code, result, log = _create(capsys, emu, "tb-429", {"kind": "create", "action": "status", "status": 429,
                                                        "headers": {"Retry-After": "1"}})
    assert code == 0 and result["changed"], result
    creates = [entry for entry in log if entry["kind"] == "create"]
    assert [entry["status"] for entry in creates] == [429, 200]
    assert creates[1]["received"] - creates[0]["answered"] >= 0.95
    assert len(jobs_named(emu, "tb-429")) == 1


def test_a_create_throttled_until_the_retries_run_out_changes_nothing(capsys, emu):
    throttled = {"kind": "create", "action": "status", "status": 429, "times": -1, "headers": {"Retry-After": "0"}}
    # wait_timeout 2: were the 429 taken as "may have happened", the wait for its job would fail the test quickly
    code, result, log = _create(capsys, emu, "tb-429s", throttled, retries=2, wait_timeout=2)
    assert code == 1 and result["changed"] is False and result["status_code"] == 429
    assert writes(log) == ["create"] * 3 and jobs_named(emu, "tb-429s") == []


def test_a_write_answered_504_is_not_repeated_by_the_transport(capsys, emu):
    """The transport retries reads after a 504, never a write: the job decides."""
    code, result, log = run_module(capsys, emu, faults=[{"kind": "stop", "action": "status", "status": 504,
                                                         "apply": True}], name="tb-resnet50", state="stopped")
    assert code == 0 and writes(log) == ["stop"] and kinds(log)[:3] == ["list", "stop", "details"]


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


@pytest.mark.parametrize("fault, updates", [
    ({"kind": "update", "action": "status", "status": 502, "apply": True}, 1),  # applied, answer lost: judged on job_desc
    ({"kind": "update", "action": "status", "status": 502}, 2),                 # not applied: sent again
])
def test_a_description_update_that_may_have_happened_is_judged_on_the_job(capsys, emu, fault, updates):
    code, result, log = run_module(capsys, emu, faults=[fault], name="tb-resnet50", state="stopped", description="evening")
    assert code == 0, result["msg"]
    assert writes(log) == ["update"] * updates + ["stop"]
    assert (result["visualization_job"]["job_desc"], result["visualization_job"]["status_name"]) == ("evening", "canceled")


def test_a_definite_refusal_of_the_description_changes_nothing(capsys, emu):
    code, result, log = run_module(capsys, emu, faults=[{"kind": "update", "action": "status", "status": 400, "body": {
        "is_success": False, "error_code": "ModelArts.0104", "error_message": "Parameter error."}}],
        name="tb-resnet50", state="stopped", description="evening")
    assert code == 1 and result["changed"] is False and writes(log) == ["update"]


# -- concurrent creates ------------------------------------------------------------------------------


def test_a_create_that_raced_another_keeps_the_first_job_and_deletes_its_own(capsys, emu):
    # another client creates a job of the same name just before this task's create (both found none)
    code, result, log = run_module(capsys, emu, faults=[{"kind": "create", "action": "concurrent", "operation": "create"}],
                                   name="tb-raced", train_url="/b/r/", state="running")
    assert code == 0 and result["changed"], result
    remaining = jobs_named(emu, "tb-raced")
    assert len(remaining) == 1 and result["visualization_job"]["job_id"] == remaining[0]["job_id"]
    own = [entry for entry in log if entry["kind"] == "delete"]
    assert writes(log) == ["create", "delete"] and own[0]["path"].endswith("/%d" % (remaining[0]["job_id"] + 1))
    assert "concurrent task" in json.dumps(result["warnings"])
    assert result["visualization_job"]["status_name"] == "running"


# -- workspaces ----------------------------------------------------------------------------------------


def test_a_job_of_another_workspace_is_managed_by_job_id_only(capsys, emu):
    """The v1 API lists by workspace but creates in the default one: a name is looked up there only."""
    job_id = add_job(emu, "tb-other-ws", 8, workspace_id="ws-analytics")
    code, result, log = run_module(capsys, emu, name="tb-other-ws", state="stopped")
    assert code == 0 and result["changed"] is False and result["visualization_job"] is None  # not in the default one
    code, result, log = run_module(capsys, emu, job_id=job_id, name="tb-other-ws", state="stopped")
    assert code == 0 and result["changed"] and writes(log) == ["stop"] and kinds(log)[0] == "details"
    assert result["visualization_job"]["status_name"] == "canceled"
    code, result, log = run_module(capsys, emu, job_id=job_id, state="absent")
    assert code == 0 and result["changed"] and status_of(emu, job_id) is None
