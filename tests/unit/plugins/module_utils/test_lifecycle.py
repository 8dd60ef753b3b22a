# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state machine: every state x every status class, the status table and refusal decoding."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _jobs, _lifecycle as lc

# Every code of each class (None: no job; 42 and -1: outside the table).
CLASS_CODES = {
    "missing": [None],
    "running": [8],
    "stopped": [12, 13],
    "ended": [10, 20],
    "failed": [3, 5, 6, 11, 14, 16, 17, 21, 22],
    "queuing": [7],
    "killing": [9],
    "starting": [0, 1, 2, 4, 15, 18, 19],  # the other transitional codes
    "unknown": [42, -1],
}

# state -> status class -> (step, follow-up write of a wait)
EXPECTED = {
    "present": {
        "missing": (lc.CREATE, None), "running": (lc.NOTHING, None), "stopped": (lc.NOTHING, None),
        "ended": (lc.NOTHING, None), "failed": (lc.NOTHING, None), "queuing": (lc.NOTHING, None),
        "killing": (lc.NOTHING, None), "starting": (lc.NOTHING, None), "unknown": (lc.NOTHING, None),
    },
    "running": {
        "missing": (lc.CREATE, None), "running": (lc.NOTHING, None), "stopped": (lc.RESTART, None),
        "ended": (lc.RESTART, None), "failed": (lc.FAIL, None), "queuing": (lc.SETTLE, None),
        "killing": (lc.WAIT, lc.RESTART), "starting": (lc.SETTLE, None), "unknown": (lc.FAIL, None),
    },
    "stopped": {
        "missing": (lc.CREATE, None), "running": (lc.STOP, None), "stopped": (lc.NOTHING, None),
        "ended": (lc.NOTHING, None), "failed": (lc.NOTHING, None), "queuing": (lc.STOP, None),
        "killing": (lc.SETTLE, None), "starting": (lc.WAIT, lc.STOP), "unknown": (lc.FAIL, None),
    },
    "absent": {
        "missing": (lc.NOTHING, None), "running": (lc.DELETE, None), "stopped": (lc.DELETE, None),
        "ended": (lc.DELETE, None), "failed": (lc.DELETE, None), "queuing": (lc.DELETE, None),
        "killing": (lc.WAIT, lc.DELETE), "starting": (lc.DELETE, None), "unknown": (lc.DELETE, None),
    },
}

CASES = [(state, cls, code) for state in lc.STATES for cls, codes in CLASS_CODES.items() for code in codes]


def test_the_expectations_cover_every_state_and_class():
    assert set(EXPECTED) == set(lc.STATES)
    for state in lc.STATES:
        assert set(EXPECTED[state]) == set(CLASS_CODES)


@pytest.mark.parametrize("state, cls, code", CASES, ids=["%s-%s-%s" % case for case in CASES])
def test_next_step(state, cls, code):
    assert lc.next_step(state, code) == EXPECTED[state][cls]


def test_every_documented_status_has_exactly_one_class():
    codes = [code for class_codes in lc.STATUS_CLASSES.values() for code in class_codes]
    assert sorted(codes) == sorted(_jobs.STATUSES)
    assert lc.status_class(None) == "missing"
    assert lc.status_class(42) == "unknown"


@pytest.mark.parametrize("code", sorted(_jobs.STATUSES) + [42])
def test_what_each_operation_accepts(code):
    assert lc.accepts("stop", code) == (code in (7, 8))
    assert lc.accepts("restart", code) == (code in (10, 12, 13, 20))
    assert lc.accepts("delete", code) == (code != 9)


@pytest.mark.parametrize("state, cls, code", CASES, ids=["%s-%s-%s" % case for case in CASES])
def test_a_wait_always_leads_to_a_write_the_status_refuses_now(state, cls, code):
    step, follow_up = lc.next_step(state, code)
    if step == lc.WAIT:
        operation = {lc.STOP: "stop", lc.RESTART: "restart", lc.DELETE: "delete"}[follow_up]
        assert not lc.accepts(operation, code)
    if step in (lc.STOP, lc.RESTART, lc.DELETE):
        assert lc.accepts(step, code)


@pytest.mark.parametrize("state, code, reached", [
    ("running", 8, True), ("running", 7, False), ("running", 13, False), ("present", 8, True),
    ("stopped", 13, True), ("stopped", 12, True), ("stopped", 10, True), ("stopped", 11, True),
    ("stopped", 9, False), ("stopped", 8, False),
])
def test_target_reached(state, code, reached):
    assert lc.target_reached(state, code) is reached


@pytest.mark.parametrize("message, code", [
    ("This job can't be delete. job status: 9", 9),
    ("This job can't be stop. job status: 10", 10),
    ("This job can't be resubmit. job status:8", 8),
    ("something else", None),
    (None, None),
])
def test_refused_status(message, code):
    assert lc.refused_status(message) == code


def test_describe_status():
    assert lc.describe_status(7) == "waiting (7)"
    assert lc.describe_status(42) == "code 42 (not in the status table)"


@pytest.mark.parametrize("job, code", [({"status": 8}, 8), ({"status": "13"}, 13), ({"status": None}, -1), ({}, -1)])
def test_job_status(job, code):
    assert lc.job_status(job) == code


def test_cannot_reach_names_the_status():
    assert "image_failed (3)" in lc.cannot_reach("running", 3)
    assert "not in the status table" in lc.cannot_reach("stopped", 42)
