# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's write API: bodies, timed transitions, refusals, admin seeding and faults that carry out a write."""

import http.client
import json
import os
import sys
import time

import pytest

EMULATOR_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "emulator"))
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)

import seed  # noqa: E402
from server import start_emulator  # noqa: E402

JOBS = "/v1/%s/visualization-jobs" % seed.EU_DE
STEP = 0.2


def call(emu, method, target, payload=None, token=None, raw=None):
    """One request; returns (status, decoded JSON body or None)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Auth-Token"] = token
    body = raw if raw is not None else (json.dumps(payload).encode() if payload is not None else None)
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    try:
        conn.request(method, target, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        return answer.status, (json.loads(data) if data else None)
    finally:
        conn.close()


def admin(emu, method, name, payload=None):
    status, body = call(emu, method, "/__emulator__/" + name, payload)
    assert status == 200, body
    return body


@pytest.fixture(scope="module")
def emu():
    emulator = start_emulator(transition_seconds=STEP)
    yield emulator
    emulator.stop()


@pytest.fixture
def token(emu):
    admin(emu, "POST", "reset", {"jobs": True})
    admin(emu, "POST", "lifecycle", {"transition_seconds": STEP, "run_status": 8, "delete_status": None})
    auth = {"identity": {"methods": ["password"], "password": {"user": {
        "name": seed.USER_NAME, "password": seed.USER_PASSWORD, "domain": {"name": seed.DOMAIN_NAME}}}},
        "scope": {"project": {"name": "eu-de"}}}
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    conn.request("POST", "/v3/auth/tokens", body=json.dumps({"auth": auth}), headers={"Content-Type": "application/json"})
    answer = conn.getresponse()
    answer.read()
    conn.close()
    return answer.getheader("X-Subject-Token")


def status_of(emu, token, job_id):
    status, body = call(emu, "GET", "%s/%d" % (JOBS, job_id), token=token)
    return body["status"] if status == 200 else status


def wait_for(emu, token, job_id, expected, timeout=5):
    deadline = time.monotonic() + timeout
    while status_of(emu, token, job_id) != expected:
        assert time.monotonic() < deadline, "job %d did not reach %s" % (job_id, expected)
        time.sleep(0.05)


def test_create_passes_through_init_and_queuing_to_running(emu, token):
    status, body = call(emu, "POST", JOBS, {"job_name": "tb-a", "train_url": "/b/a/", "job_type": "mindinsight",
                                            "flavor": {"code": "cpu"}, "job_desc": "d",
                                            "schedule": [{"type": "stop", "time_unit": "HOURS", "duration": 3}]}, token)
    assert status == 200 and body["is_success"] is True and body["status"] == "1" and body["job_name"] == "tb-a"
    job_id = int(body["job_id"])
    assert status_of(emu, token, job_id) == 1
    wait_for(emu, token, job_id, 7)
    wait_for(emu, token, job_id, 8)
    _status, job = call(emu, "GET", "%s/%d" % (JOBS, job_id), token=token)
    assert job["schedule"] == [{"type": "stop", "timeUnit": "HOURS", "duration": 3}] and job["job_type"] == "mindinsight"
    kinds = [entry["kind"] for entry in admin(emu, "GET", "requests")["requests"]]
    assert kinds[:2] == ["iam_token", "create"]


def test_the_calendar_dates_new_jobs_on_another_day_and_leaves_signatures_and_tokens_alone(emu, token):
    week = 7 * 86400
    admin(emu, "POST", "calendar", {"offset_seconds": -week})
    status, body = call(emu, "POST", JOBS, {"job_name": "tb-old", "train_url": "/b/o/"}, token)
    assert status == 200
    created = int(body["create_time"]) / 1000.0
    assert abs(created - (time.time() - week)) < 60, created
    # the token issued at the real time is still valid, and the clock of signatures is not moved
    assert call(emu, "GET", JOBS, token=token)[0] == 200
    admin(emu, "POST", "reset")
    status, body = call(emu, "POST", JOBS, {"job_name": "tb-new", "train_url": "/b/n/"}, token)
    assert abs(int(body["create_time"]) / 1000.0 - time.time()) < 60, "reset must put the calendar back"


@pytest.mark.parametrize("payload", [
    {"job_name": "bad name", "train_url": "/b/"},
    {"job_name": "x" * 21, "train_url": "/b/"},
    {"job_name": "ok"},
    {"job_name": "ok", "train_url": "/b/", "job_desc": "d" * 257},
    {"job_name": "ok", "train_url": "/b/", "job_type": "other"},
    {"job_name": "ok", "train_url": "/b/", "extra": 1},
    {"job_name": "ok", "train_url": "/b/", "flavor": "cpu"},
    {"job_name": "ok", "train_url": "/b/", "schedule": [{"type": "stop", "time_unit": "HOURS", "duration": 25}]},
    {"job_name": "ok", "train_url": "/b/", "schedule": {"type": "start", "time_unit": "HOURS", "duration": 1}},
    ["not", "an", "object"],
])
def test_bad_create_bodies_are_refused(emu, token, payload):
    status, body = call(emu, "POST", JOBS, payload, token)
    assert status == 400 and body["error_code"] == "ModelArts.0104"


def test_duplicate_names_are_possible(emu, token):
    first = call(emu, "POST", JOBS, {"job_name": "tb-resnet50", "train_url": "/b/"}, token)
    assert first[0] == 200 and int(first[1]["job_id"]) > 114


def test_stop_restart_delete_and_refusals(emu, token):
    assert call(emu, "POST", JOBS + "/102/stop", token=token) == (400, {
        "is_success": False, "error_code": "ModelArts.0105", "error_message": "This job can't be stop. job status: 10"})
    assert call(emu, "POST", JOBS + "/101/restart", token=token)[1]["error_message"] == \
        "This job can't be resubmit. job status: 8"
    assert call(emu, "POST", JOBS + "/101/stop", token=token) == (200, {"is_success": True})
    assert status_of(emu, token, 101) == 9
    assert call(emu, "DELETE", JOBS + "/101", token=token)[1]["error_message"] == "This job can't be delete. job status: 9"
    wait_for(emu, token, 101, 13)
    assert call(emu, "POST", JOBS + "/101/restart", token=token)[0] == 200
    assert status_of(emu, token, 101) == 7
    wait_for(emu, token, 101, 8)
    assert call(emu, "PUT", JOBS + "/101", {"job_desc": "new"}, token) == (200, {"is_success": True})
    assert call(emu, "PUT", JOBS + "/101", {"job_desc": "new", "x": 1}, token)[0] == 400
    assert call(emu, "DELETE", JOBS + "/101", token=token) == (200, {"is_success": True})
    assert status_of(emu, token, 101) == 9
    wait_for(emu, token, 101, 404)
    assert call(emu, "DELETE", JOBS + "/101", token=token)[1]["error_code"] == "ModelArts.0015"


def test_transitions_of_zero_seconds_apply_at_once(emu, token):
    admin(emu, "POST", "lifecycle", {"transition_seconds": 0})
    job_id = int(call(emu, "POST", JOBS, {"job_name": "tb-now", "train_url": "/b/"}, token)[1]["job_id"])
    assert status_of(emu, token, job_id) == 8
    call(emu, "DELETE", "%s/%d" % (JOBS, job_id), token=token)
    assert status_of(emu, token, job_id) == 404


def test_admin_seeds_jobs_and_run_status(emu, token):
    ids = admin(emu, "POST", "jobs", {"jobs": [{"job_name": "tb-x", "status": 12}, {"job_name": "tb-x", "status": 3}]})
    assert [status_of(emu, token, job_id) for job_id in ids["job_ids"]] == [12, 3]
    admin(emu, "POST", "lifecycle", {"run_status": 11})
    assert call(emu, "POST", "%s/%d/restart" % (JOBS, ids["job_ids"][0]), token=token)[0] == 200
    wait_for(emu, token, ids["job_ids"][0], 11)
    admin(emu, "POST", "reset", {"jobs": True})
    assert status_of(emu, token, ids["job_ids"][0]) == 404 and status_of(emu, token, 101) == 8


def test_a_fault_with_apply_carries_out_the_write(emu, token):
    admin(emu, "POST", "faults", {"faults": [{"kind": "stop", "action": "status", "status": 500, "apply": True},
                                             {"kind": "stop", "action": "status", "status": 500}]})
    assert call(emu, "POST", JOBS + "/110/stop", token=token)[0] == 500
    assert status_of(emu, token, 110) == 9  # carried out
    assert call(emu, "POST", JOBS + "/113/stop", token=token)[0] == 500
    assert status_of(emu, token, 113) == 8  # not carried out
    status, body = call(emu, "POST", "/__emulator__/faults", {"faults": [{"kind": "stop", "action": "expire_token",
                                                                          "apply": True}]})
    assert status == 400 and "apply" in body["error"]


def test_apply_after_answers_at_once_and_carries_the_write_out_later(emu, token):
    admin(emu, "POST", "faults", {"faults": [{"kind": "create", "action": "status", "status": 504, "apply_after": 0.5},
                                             {"kind": "stop", "action": "drop", "apply_after": 0.3}]})
    started = time.monotonic()
    assert call(emu, "POST", JOBS, {"job_name": "tb-late", "train_url": "/b/"}, token)[0] == 504
    assert time.monotonic() - started < 0.4

    def names():
        return [job["job_name"] for job in call(emu, "GET", JOBS + "?per_page=100", token=token)[1]["jobs"]]

    assert "tb-late" not in names()
    time.sleep(0.7)
    assert names().count("tb-late") == 1
    with pytest.raises(http.client.HTTPException):
        call(emu, "POST", JOBS + "/101/stop", token=token)
    assert status_of(emu, token, 101) == 8
    wait_for(emu, token, 101, 9)
    status, body = call(emu, "POST", "/__emulator__/faults", {"faults": [{"kind": "stop", "action": "slow",
                                                                          "apply_after": 1}]})
    assert status == 400 and "apply_after" in body["error"]


def test_a_barrier_holds_requests_until_all_have_arrived(emu, token):
    import threading  # pylint: disable=import-outside-toplevel
    admin(emu, "POST", "faults", {"faults": [{"kind": "details", "action": "barrier", "count": 2, "delay": 5}]})
    answered = []

    def read():
        call(emu, "GET", JOBS + "/101", token=token)
        answered.append(time.monotonic())

    first = threading.Thread(target=read)
    first.start()
    time.sleep(0.5)
    assert answered == []  # held until the second one arrives
    started = time.monotonic()
    read()
    first.join(5)
    assert len(answered) == 2 and answered[0] >= started
    read()  # the barrier applied to two requests only
    assert [fault["applied"] for fault in admin(emu, "GET", "faults")["faults"]] == [2]


def test_a_concurrent_operation_happens_just_before_the_request(emu, token):
    admin(emu, "POST", "faults", {"faults": [{"kind": "delete", "action": "concurrent", "operation": "stop"}]})
    status, body = call(emu, "DELETE", JOBS + "/101", token=token)
    assert status == 400 and body["error_message"] == "This job can't be delete. job status: 9"
    wait_for(emu, token, 101, 13)
    status, body = call(emu, "POST", "/__emulator__/faults", {"faults": [{"action": "concurrent", "operation": "x"}]})
    assert status == 400 and "operation" in body["error"]


def test_delete_status_makes_deletes_fail(emu, token):
    admin(emu, "POST", "lifecycle", {"delete_status": 6})
    assert call(emu, "DELETE", JOBS + "/102", token=token)[0] == 200
    assert status_of(emu, token, 102) == 9
    wait_for(emu, token, 102, 6)
    admin(emu, "POST", "lifecycle", {"delete_status": None})
    assert call(emu, "DELETE", JOBS + "/102", token=token)[0] == 200
    wait_for(emu, token, 102, 404)


def test_seeded_jobs_can_have_transitions(emu, token):
    ids = admin(emu, "POST", "jobs", {"jobs": [{"job_name": "tb-t", "status": 9, "then": [[0.2, 13], [0.4, None]]},
                                               {"job_name": "tb-d", "status": 1, "job_desc": None}]})["job_ids"]
    assert status_of(emu, token, ids[0]) == 9
    wait_for(emu, token, ids[0], 13)
    wait_for(emu, token, ids[0], 404)
    assert call(emu, "GET", "%s/%d" % (JOBS, ids[1]), token=token)[1]["job_desc"] is None
    status, body = call(emu, "POST", "/__emulator__/jobs", {"jobs": [{"job_name": "x", "status": 1, "then": [[1]]}]})
    assert status == 400 and "then" in body["error"]


def test_paused_transitions_hold_the_status_until_resumed(emu, token):
    job_id = admin(emu, "POST", "jobs", {"jobs": [{"job_name": "tb-p", "status": 9, "then": [[0.3, 13]]}]})["job_ids"][0]
    admin(emu, "POST", "transitions", {"paused": True})
    time.sleep(0.5)
    assert status_of(emu, token, job_id) == 9  # due, but held
    admin(emu, "POST", "transitions", {"paused": False})
    assert status_of(emu, token, job_id) == 9  # 0.3 s of its time are still to come
    wait_for(emu, token, job_id, 13)
    admin(emu, "POST", "transitions", {"paused": True})
    admin(emu, "POST", "reset")  # a reset lets them go on
    assert admin(emu, "POST", "transitions", {"paused": False})["paused"] is False


def test_paused_transitions_can_resume_with_the_next_request(emu, token):
    job_id = admin(emu, "POST", "jobs", {"jobs": [{"job_name": "tb-r", "status": 9, "then": [[0.3, 13]]}]})["job_ids"][0]
    admin(emu, "POST", "transitions", {"paused": True, "resume_on_request": True})
    time.sleep(0.5)
    assert status_of(emu, token, job_id) == 9  # this request resumed them, and saw the status as paused
    wait_for(emu, token, job_id, 13)


def test_settle_carries_every_pending_transition_out_at_once(emu, token):
    job_id = admin(emu, "POST", "jobs", {"jobs": [{"job_name": "tb-s", "status": 1, "then": [[30, 7], [60, 8]]}]})["job_ids"][0]
    gone = admin(emu, "POST", "jobs", {"jobs": [{"job_name": "tb-g", "status": 9, "then": [[30, None]]}]})["job_ids"][0]
    assert admin(emu, "POST", "transitions", {"settle": True})["settled"] == 2
    assert status_of(emu, token, job_id) == 8 and status_of(emu, token, gone) == 404


def test_admin_changes_a_status_and_deletes_a_job(emu, token):
    ids = admin(emu, "POST", "jobs", {"jobs": [{"job_name": "tb-y", "status": 8, "create_time": 1000, "duration": 5}]})
    job_id = ids["job_ids"][0]
    shown = {job["job_id"]: job for job in admin(emu, "GET", "jobs")["jobs"][seed.EU_DE]}
    assert (shown[job_id]["create_time"], shown[job_id]["duration"], shown[101]["status"]) == (1000, 5, 8)
    admin(emu, "POST", "jobs/status", {"job_id": job_id, "status": 11})
    assert status_of(emu, token, job_id) == 11
    admin(emu, "POST", "jobs/status", {"job_id": job_id, "status": 9, "then": [[STEP, 13]]})
    assert status_of(emu, token, job_id) == 9
    wait_for(emu, token, job_id, 13)
    admin(emu, "POST", "jobs/delete", {"job_id": job_id})
    assert status_of(emu, token, job_id) == 404
    assert job_id not in [job["job_id"] for job in admin(emu, "GET", "jobs")["jobs"][seed.EU_DE]]
    assert call(emu, "POST", "/__emulator__/jobs/delete", {"job_id": job_id})[0] == 400
    assert call(emu, "POST", "/__emulator__/jobs/status", {"job_id": 101, "status": "8"})[0] == 400


def test_a_failed_delete_leaves_the_job_at_a_failed_status_at_once(emu, token):
    admin(emu, "POST", "jobs/status", {"job_id": 102, "status": 6})
    admin(emu, "POST", "faults", {"faults": [{"kind": "delete", "action": "failed_delete"},
                                             {"kind": "delete", "action": "failed_delete", "job_status": 11}]})
    assert call(emu, "DELETE", JOBS + "/102", token=token) == (200, {"is_success": True})
    assert status_of(emu, token, 102) == 6  # accepted, and left at delete_failed: no killing in between
    time.sleep(2 * STEP)
    assert status_of(emu, token, 102) == 6
    assert call(emu, "DELETE", JOBS + "/101", token=token)[0] == 200
    assert status_of(emu, token, 101) == 11
    assert call(emu, "DELETE", JOBS + "/101", token=token)[0] == 200  # both faults used: a normal delete
    wait_for(emu, token, 101, 404)
    for bad in ({"kind": "stop", "action": "failed_delete"}, {"kind": "delete", "action": "failed_delete", "job_status": "6"}):
        status, body = call(emu, "POST", "/__emulator__/faults", {"faults": [bad]})
        assert status == 400 and ("failed_delete" in body["error"] or "job_status" in body["error"]), body


def test_a_concurrent_create_with_apply_after_lands_first_and_the_request_late(emu, token):
    admin(emu, "POST", "faults", {"faults": [{"kind": "create", "action": "concurrent", "operation": "create",
                                              "apply_after": 0.5}]})
    status, body = call(emu, "POST", JOBS, {"job_name": "tb-lost", "train_url": "/b/"}, token)
    assert status == 502 and body["error_code"] == "ModelArts.0010"

    def ids():
        return [job["job_id"] for job in call(emu, "GET", JOBS + "?per_page=100", token=token)[1]["jobs"]
                if job["job_name"] == "tb-lost"]

    racer = ids()
    assert len(racer) == 1  # the other client's create landed before the answer
    deadline = time.monotonic() + 5
    while len(ids()) < 2:
        assert time.monotonic() < deadline, "the lost create did not land"
        time.sleep(0.05)
    assert ids()[0] == racer[0] and ids()[1] > racer[0]
    assert admin(emu, "POST", "late-writes/land") == {"ok": True, "landed": 0}  # the timer landed it


def test_late_writes_land_when_the_test_says(emu, token):
    admin(emu, "POST", "faults", {"faults": [{"kind": "create", "action": "concurrent", "operation": "create",
                                              "apply_after": 600}]})
    assert call(emu, "POST", JOBS, {"job_name": "tb-held", "train_url": "/b/"}, token)[0] == 502

    def count():
        return [job["job_name"] for job in call(emu, "GET", JOBS + "?per_page=100", token=token)[1]["jobs"]].count("tb-held")

    assert count() == 1
    assert admin(emu, "POST", "late-writes/land") == {"ok": True, "landed": 1}
    assert count() == 2
    assert admin(emu, "POST", "late-writes/land") == {"ok": True, "landed": 0}  # each write lands once


def test_a_held_request_answers_with_the_state_as_it_arrived(emu, token):
    """Held lookups read the jobs when they arrive: however late the thread of a released lookup runs, a write made
    meanwhile (a racer's create, as soon as its own lookup was answered) is not in its answer (issue 24 item 5)."""
    import threading  # pylint: disable=import-outside-toplevel
    admin(emu, "POST", "faults", {"faults": [{"kind": "list", "action": "barrier", "count": 2, "delay": None}]})
    answers = []
    first = threading.Thread(target=lambda: answers.append(call(emu, "GET", JOBS + "?search_content=tb-held", token=token)))
    first.start()
    deadline = time.monotonic() + 10
    while admin(emu, "GET", "faults")["faults"][0]["applied"] < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert admin(emu, "GET", "faults")["faults"][0]["applied"] == 1  # the first lookup is held
    # a write while it is held (at the barrier, or after it was released but before its thread read the jobs)
    assert call(emu, "POST", JOBS, {"job_name": "tb-held", "train_url": "/b/h/"}, token)[0] == 200
    status, second = call(emu, "GET", JOBS + "?search_content=tb-held", token=token)
    first.join(10)
    assert status == 200 and [job["job_name"] for job in second["jobs"]] == ["tb-held"]
    assert [(status, body["jobs"]) for status, body in answers] == [(200, [])]


def test_a_barrier_without_delay_lets_no_request_through_alone(emu, token):
    import threading  # pylint: disable=import-outside-toplevel
    admin(emu, "POST", "faults", {"faults": [{"kind": "details", "action": "barrier", "count": 2, "delay": None}]})
    answered = []
    first = threading.Thread(target=lambda: answered.append(call(emu, "GET", JOBS + "/101", token=token)[0]))
    first.start()
    first.join(6)  # longer than the default delay of 5 s, which would have let it through
    assert answered == [] and first.is_alive()
    assert call(emu, "GET", JOBS + "/101", token=token)[0] == 200
    first.join(5)
    assert answered == [200]
    status, body = call(emu, "POST", "/__emulator__/faults", {"faults": [{"kind": "details", "action": "slow", "delay": None}]})
    assert status == 400 and "delay" in body["error"]
