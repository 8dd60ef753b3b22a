# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan: every state x every status class, before and after this task's own write; the status table."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _jobs, _job_plan as jp

# Every code of each class (None: no job; 42 and -1: outside the table).
CLASS_CODES = {
    "missing": [None],
    "running": [8],
    "stopped": [12, 13],
    "ended": [10, 20],
    "failed": [3, 5, 6, 11, 14, 16, 17, 21, 22],
    "queuing": [7],
    "killing": [9],
    "starting": [0, 1, 2, 4, 15, 18, 19],
    "unknown": [42, -1],
}

N, C, S, R, D, W, T, F = jp.NOTHING, jp.CREATE, jp.STOP, jp.RESTART, jp.DELETE, jp.WAIT, jp.SETTLE, jp.FAIL

# state -> status class -> step, for a job this task has not written to
FIRST = {
    "present": dict(missing=C, running=N, stopped=N, ended=N, failed=N, queuing=N, killing=N, starting=N, unknown=N),
    "running": dict(missing=C, running=N, stopped=R, ended=R, failed=F, queuing=T, killing=W, starting=T, unknown=F),
    "stopped": dict(missing=N, running=S, stopped=N, ended=N, failed=N, queuing=S, killing=T, starting=W, unknown=F),
    "absent": dict(missing=N, running=D, stopped=D, ended=D, failed=D, queuing=D, killing=W, starting=D, unknown=D),
}
# state -> status class -> step, once this task's own write has been seen to take effect: never the same write again
AFTER = {
    "present": dict(missing=F, running=N, stopped=F, ended=F, failed=F, queuing=T, killing=T, starting=T, unknown=F),
    "running": dict(missing=F, running=N, stopped=F, ended=F, failed=F, queuing=T, killing=T, starting=T, unknown=F),
    "stopped": dict(missing=N, running=F, stopped=N, ended=N, failed=N, queuing=F, killing=T, starting=F, unknown=F),
    "absent": dict(missing=N, running=T, stopped=T, ended=T, failed=F, queuing=T, killing=T, starting=T, unknown=T),
}
OWN = {"present": jp.CREATE, "running": jp.RESTART, "stopped": jp.STOP, "absent": jp.DELETE}
# a status at which each own write is sent, and one that shows its effect
SENT_AT = {jp.CREATE: None, jp.RESTART: 13, jp.STOP: 8, jp.DELETE: 8}
EFFECT = {jp.CREATE: 1, jp.RESTART: 7, jp.STOP: 9, jp.DELETE: 9}

CASES = [(state, cls, code) for state in jp.STATES for cls, codes in CLASS_CODES.items() for code in codes]
IDS = ["%s-%s-%s" % case for case in CASES]


def job(code, **fields):
    return None if code is None else dict({"job_id": 5, "status": code, "job_desc": ""}, **fields)


def done_after(step, seen=True):
    done = jp.Done()
    done.record(step, SENT_AT[step])
    if seen:
        done.observe(EFFECT[step])
    return done


def test_the_tables_cover_every_state_and_class():
    for table in (FIRST, AFTER, jp.FIRST, jp.AFTER):
        assert set(table) == set(jp.STATES)
        for state in jp.STATES:
            assert set(table[state]) == set(CLASS_CODES) == set(jp.CLASSES)


@pytest.mark.parametrize("state, cls, code", CASES, ids=IDS)
def test_first_step(state, cls, code):
    assert jp.plan(state, job(code), jp.Done())[0] == FIRST[state][cls]


@pytest.mark.parametrize("state, cls, code", CASES, ids=IDS)
def test_step_after_the_own_write_took_effect(state, cls, code):
    done = done_after(OWN[state])
    done.observe(code)
    assert jp.plan(state, job(code), done)[0] == AFTER[state][cls]


@pytest.mark.parametrize("state", ["present", "running"])
def test_a_created_job_is_never_created_or_restarted_again(state):
    done = done_after(jp.CREATE)
    for code in (None, 10, 12, 13, 20, 11):
        done.observe(code)
        step, reason = jp.plan(state, job(code), done)
        assert step == F and reason == (jp.GONE if code is None else jp.ENDED)


@pytest.mark.parametrize("state, sent_at", [("running", 13), ("stopped", 8), ("absent", 8), ("absent", 11)])
def test_until_the_write_shows_the_job_is_waited_for(state, sent_at):
    """The API is asynchronous: a job still at the status the write was sent at has not taken it yet."""
    done = jp.Done()
    done.record(OWN[state], sent_at)
    done.observe(sent_at)
    assert jp.plan(state, job(sent_at), done) == (T, None)


def test_a_delete_that_ends_in_a_failed_status_fails():
    done = done_after(jp.DELETE)
    done.observe(6)
    assert jp.plan("absent", job(6), done) == (F, jp.NOT_DELETED)
    # a job that was failed before the delete fails once its status changes to another failed one
    done = jp.Done()
    done.record(jp.DELETE, 11)
    done.observe(6)
    assert jp.plan("absent", job(6), done) == (F, jp.NOT_DELETED)


@pytest.mark.parametrize("sent_at", [3, 5, 11, 14, 17, 22])
def test_a_delete_of_a_failed_job_that_still_shows_its_status_is_waited_for(sent_at):
    """Only delete_failed is the result of a failed delete; any other failed status may be the one it still shows."""
    done = jp.Done()
    done.record(jp.DELETE, sent_at)
    done.observe(sent_at)
    assert jp.plan("absent", job(sent_at), done) == (T, None)
    done.observe(6)
    assert jp.plan("absent", job(6), done) == (F, jp.NOT_DELETED)


def test_a_delete_that_leaves_a_delete_failed_job_at_delete_failed_fails_at_once():
    """Issue 23 item 9: sent at delete_failed and still at delete_failed is the delete's result, not a wait."""
    done = jp.Done()
    done.record(jp.DELETE, 6)
    done.observe(6)
    assert jp.plan("absent", job(6), done) == (F, jp.NOT_DELETED)
    assert done.sent_at(jp.DELETE) == 6 and done.sent_at(jp.STOP) is None


@pytest.mark.parametrize("sent_at, ended", [(13, 10), (12, 20), (10, 20)])
def test_a_restarted_job_seen_first_at_another_ended_status_fails_at_once(sent_at, ended):
    """A restart whose job ran and ended before any read saw it running: it ended, no wait for a start to show."""
    done = jp.Done()
    done.record(jp.RESTART, sent_at)
    done.observe(ended)
    assert jp.plan("running", job(ended), done) == (F, jp.ENDED)


def test_a_restarted_job_still_at_the_ended_status_it_was_sent_at_is_waited_for():
    """Completed (10) again after a restart sent at 10 may be the status it still shows: not an effect."""
    done = jp.Done()
    done.record(jp.RESTART, 10)
    done.observe(10)
    assert jp.plan("running", job(10), done) == (T, None)


def test_a_stopped_job_that_runs_again_is_not_stopped_again():
    done = done_after(jp.STOP)
    assert jp.plan("stopped", job(7), done) == (F, jp.STARTED_AGAIN)


@pytest.mark.parametrize("state", ["present", "running", "stopped"])
def test_the_description_comes_first_and_once(state):
    assert jp.plan(state, job(8, job_desc="old"), jp.Done(), "new")[0] == jp.DESCRIBE
    assert jp.plan(state, job(8, job_desc=None), jp.Done(), "")[0] != jp.DESCRIBE  # null reads as ""
    assert jp.plan(state, job(8, job_desc="new"), jp.Done(), "new")[0] != jp.DESCRIBE
    done = jp.Done()
    done.record(jp.DESCRIBE, 8)
    assert jp.plan(state, job(8, job_desc="someone else's"), done, "new")[0] != jp.DESCRIBE
    assert jp.plan("absent", job(8, job_desc="old"), jp.Done(), "new")[0] == jp.DELETE
    assert jp.plan(state, None, jp.Done(), "new")[0] != jp.DESCRIBE


def test_every_documented_status_has_exactly_one_class():
    codes = [code for class_codes in jp.STATUS_CLASSES.values() for code in class_codes]
    assert sorted(codes) == sorted(_jobs.STATUSES)
    assert jp.status_class(None) == "missing"
    assert jp.status_class(42) == "unknown"


@pytest.mark.parametrize("code", sorted(_jobs.STATUSES) + [42])
def test_what_each_operation_accepts(code):
    assert jp.accepts("stop", code) == (code in (7, 8))
    assert jp.accepts("restart", code) == (code in (10, 12, 13, 20))
    assert jp.accepts("delete", code) == (code != 9)


@pytest.mark.parametrize("state, cls, code", CASES, ids=IDS)
def test_a_write_is_planned_only_where_it_is_accepted_and_a_wait_only_where_it_is_not(state, cls, code):
    step = jp.plan(state, job(code), jp.Done())[0]
    if step in (S, R, D):
        assert jp.accepts(step, code)
    if step == W:
        follow_up = {"running": "restart", "stopped": "stop", "absent": "delete"}[state]
        assert not jp.accepts(follow_up, code)


@pytest.mark.parametrize("state, cls, code", CASES, ids=IDS)
def test_the_replay_of_check_mode_always_ends(state, cls, code):
    """Every wait moves the simulated status, every write records itself: the plan reaches NOTHING or FAIL."""
    done, current = jp.Done(), job(code)
    for _step_number in range(10):
        done.observe(jp.job_status(current))
        step = jp.plan(state, current, done)[0]
        if step in (N, F):
            return
        if step in (W, T):
            settled = jp.settled_status(jp.job_status(current))
            assert settled != jp.job_status(current)
            current = dict(current, status=settled)
            continue
        done.record(step, jp.job_status(current))
        status = jp.simulated_status(step, current)
        current = None if status is None else dict(current or {"job_id": None, "job_desc": ""}, status=status)
    pytest.fail("the replay did not end")


@pytest.mark.parametrize("message, code", [
    ("This job can't be delete. job status: 9", 9),
    ("This job can't be stop. job status: 10", 10),
    ("This job can't be resubmit. job status:8", 8),
    ("something else", None),
    (None, None),
])
def test_refused_status(message, code):
    assert jp.refused_status(message) == code


def test_describe_status():
    assert jp.describe_status(7) == "waiting (7)"
    assert jp.describe_status(42) == "code 42 (not in the status table)"


@pytest.mark.parametrize("value, code", [({"status": 8}, 8), ({"status": "13"}, 13), ({"status": None}, -1), ({}, -1),
                                         (None, None)])
def test_job_status(value, code):
    assert jp.job_status(value) == code
