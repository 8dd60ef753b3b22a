# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan of the lifecycle module: the next step towards the state asked for.

:func:`plan` is a pure function of the state asked for, the job as last read and what this
task has already done to it (:class:`Done`). The real run carries its steps out
(``_job_execution.JobExecution``); check mode replays them on the statuses each step leads to
(:func:`simulated_status`, :func:`settled_status`), so check mode and the real run cannot drift.

The API documentation names no transitions (see the module's notes); the tables below are the
collection's reading of it, and the only place to change when a live cloud says otherwise.
"""

from __future__ import annotations

import re

from ._jobs import STATUSES, status_name

# Status class -> codes of the ModelArts job status table. Codes outside the table are "unknown";
# "missing" is no job at all.
STATUS_CLASSES = {
    "starting": (0, 1, 2, 4, 15, 18, 19),
    "queuing": (7,),
    "running": (8,),
    "killing": (9,),
    "stopped": (12, 13),
    "ended": (10, 20),
    "failed": (3, 5, 6, 11, 14, 16, 17, 21, 22),
}
_CLASS_OF = dict((code, name) for name, codes in STATUS_CLASSES.items() for code in codes)
CLASSES = ("missing",) + tuple(STATUS_CLASSES) + ("unknown",)

INIT, QUEUING, RUNNING, KILLING, CANCELED = 1, 7, 8, 9, 13
# Operation -> the codes at which ModelArts accepts it ("delete" is accepted at any code but killing).
ACCEPTED_AT = {
    "stop": (QUEUING, RUNNING),
    "restart": (10, 12, 13, 20),
}

STATES = ("present", "running", "stopped", "absent")

# The steps. A write step names its request. WAIT polls until the plan changes, whatever the
# option wait says (the write it leads to would be refused now); SETTLE polls only with wait=true.
NOTHING, CREATE, DESCRIBE, STOP, RESTART, DELETE, WAIT, SETTLE, FAIL = (
    "nothing", "create", "describe", "stop", "restart", "delete", "wait", "settle", "fail")
WRITES = (CREATE, DESCRIBE, STOP, RESTART, DELETE)

# Why a FAIL step fails (the execution words the message).
CANNOT, ENDED, GONE, STARTED_AGAIN, NOT_DELETED, UNKNOWN = (
    "cannot", "ended", "gone", "started_again", "not_deleted", "unknown")

_N, _W, _S = (NOTHING, None), (WAIT, None), (SETTLE, None)

# The plan for a job this task has not yet written to (columns: the status classes of CLASSES).
FIRST = {
    "present": dict(missing=(CREATE, None), starting=_N, queuing=_N, running=_N, killing=_N,
                    stopped=_N, ended=_N, failed=_N, unknown=_N),
    "running": dict(missing=(CREATE, None), starting=_S, queuing=_S, running=_N, killing=_W,
                    stopped=(RESTART, None), ended=(RESTART, None), failed=(FAIL, CANNOT), unknown=(FAIL, UNKNOWN)),
    "stopped": dict(missing=_N, starting=_W, queuing=(STOP, None), running=(STOP, None), killing=_S,
                    stopped=_N, ended=_N, failed=_N, unknown=(FAIL, UNKNOWN)),
    "absent": dict(missing=_N, starting=(DELETE, None), queuing=(DELETE, None), running=(DELETE, None), killing=_W,
                   stopped=(DELETE, None), ended=(DELETE, None), failed=(DELETE, None), unknown=(DELETE, None)),
}

# The plan once this task's own write for the state (create or restart; stop; delete) has been seen
# to take effect. No write is ever made twice: a job that does not end where the write leads fails.
_STARTED = dict(missing=(FAIL, GONE), starting=_S, queuing=_S, running=_N, killing=_S,
                stopped=(FAIL, ENDED), ended=(FAIL, ENDED), failed=(FAIL, ENDED), unknown=(FAIL, ENDED))
AFTER = {
    "present": _STARTED,
    "running": _STARTED,
    "stopped": dict(missing=_N, starting=(FAIL, STARTED_AGAIN), queuing=(FAIL, STARTED_AGAIN),
                    running=(FAIL, STARTED_AGAIN), killing=_S, stopped=_N, ended=_N, failed=_N, unknown=(FAIL, UNKNOWN)),
    "absent": dict(missing=_N, starting=_S, queuing=_S, running=_S, killing=_S, stopped=_S, ended=_S,
                   failed=(FAIL, NOT_DELETED), unknown=_S),
}

# The writes that make each state (at most one of them per task).
OWN_WRITES = {"present": (CREATE, RESTART), "running": (CREATE, RESTART), "stopped": (STOP,), "absent": (DELETE,)}

# The status classes that show that a write took effect (at a status other than the one it was sent at).
EFFECTS = {
    CREATE: frozenset(CLASSES) - {"missing"},
    # an ended status other than the one it was sent at: the restarted job ran and ended before a read saw it
    RESTART: frozenset(("starting", "queuing", "running", "ended", "failed", "missing")),
    STOP: frozenset(("killing", "stopped", "ended", "failed", "missing")),
    DELETE: frozenset(("killing", "missing", "failed")),
    DESCRIBE: frozenset(CLASSES),
}

# The failed statuses that are the result of a failed write, whichever status it was sent at. A read that
# shows one after the write is its effect, also when the job already showed it before: a delete sent at
# delete_failed (6) that leaves the job at delete_failed has failed again, and waiting cannot tell more (a
# wait for another status would only run out wait_timeout). Any other failed status may be the one the job
# merely still shows (ModelArts is asynchronous): a delete of an image_failed (3) job whose next read shows
# image_failed has not taken effect yet, and the wait goes on until killing, gone or delete_failed.
FAILED_RESULTS = {
    DELETE: frozenset((6,)),
}

# Check mode: the status each write leads to (None: gone), and where a wait from a status ends.
SIMULATED_STATUS = {CREATE: INIT, RESTART: QUEUING, STOP: KILLING, DELETE: None}
_SETTLES_AT = {"starting": RUNNING, "queuing": RUNNING, "killing": CANCELED}


def status_class(code):
    """``missing`` for None (no job), else the class of a status code (``unknown`` outside the table)."""
    if code is None:
        return "missing"
    return _CLASS_OF.get(code, "unknown")


def job_status(job):
    """The integer status code of a job (None for no job, -1 when it has no usable status)."""
    if job is None:
        return None
    try:
        return int(job.get("status"))
    except (TypeError, ValueError):
        return -1


def accepts(operation, code):
    """Whether ModelArts accepts ``operation`` (stop, restart, delete) at status ``code``."""
    if operation == "delete":
        return code != KILLING
    return code in ACCEPTED_AT[operation]


class Done:
    """What this task has done to the job: each write, the status it was sent at, and whether its effect was seen."""

    def __init__(self):
        self._writes = {}  # step -> [status code at the write, effect seen]

    def record(self, step, code):
        """A write that succeeded (or that a fresh read shows happened), sent at status ``code``."""
        self._writes[step] = [code, False]

    def did(self, step):
        """Whether this task made the write ``step``."""
        return step in self._writes

    def observe(self, code):
        """Take note of the job's status as read now: a write's effect is seen once the job shows it.

        An effect is a status other than the one the write was sent at, or one of the write's FAILED_RESULTS.
        """
        for step, entry in self._writes.items():
            if not entry[1] and status_class(code) in EFFECTS[step] and (
                    code != entry[0] or code in FAILED_RESULTS.get(step, ())):
                entry[1] = True

    def sent_at(self, step):
        """The status code ``step`` was sent at (None: no job, or no such write)."""
        return self._writes[step][0] if step in self._writes else None

    def own_write(self, state):
        """``(step, effect seen)`` of the write this task made for ``state``, or None."""
        for step in OWN_WRITES[state]:
            if step in self._writes:
                return step, self._writes[step][1]
        return None


def plan(state, job, done, description=None):
    """The next step towards ``state`` for ``job`` (None: no job): ``(step, reason)``.

    ``reason`` says why a FAIL step fails (else None). ``description`` is the one asked for
    (None: not managed); it is set before anything else, once.
    """
    code = job_status(job)
    if (job is not None and state != "absent" and description is not None and not done.did(DESCRIBE)
            and (job.get("job_desc") or "") != description):
        return DESCRIBE, None
    own = done.own_write(state)
    if own is None:
        return FIRST[state][status_class(code)]
    if not own[1]:
        # The write was accepted but the job does not show it yet (the API is asynchronous).
        return SETTLE, None
    return AFTER[state][status_class(code)]


def simulated_status(step, job):
    """The status ``job`` is at right after the write ``step`` (check mode)."""
    return SIMULATED_STATUS.get(step, job_status(job))


def settled_status(code):
    """The status a wait from ``code`` ends at, if all goes well (check mode)."""
    return _SETTLES_AT.get(status_class(code), code)


def describe_status(code):
    """``queuing (7)``, or ``code 42 (not in the status table)``."""
    if code in STATUSES:
        return "%s (%d)" % (status_name(code), code)
    return "code %s (not in the status table)" % (code,)


def refused_status(message):
    """The status code a ModelArts.0105 refusal names ("... job status: 9"), or None."""
    match = re.search(r"job status:\s*(-?\d+)", message or "")
    return int(match.group(1)) if match else None
