# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle of a visualization job: status classes, what each operation accepts, what to do next.

The API documentation names no transitions (see the module's notes); this one table is the
collection's reading of it, and the only place to change when a live cloud says otherwise.
:func:`next_step` is a pure function of the state asked for and the job's status code.
"""

from __future__ import annotations

import re

from ._jobs import STATUSES, status_name

# Status class -> codes of the ModelArts job status table. Codes outside the table are "unknown".
STATUS_CLASSES = {
    "transitional": (0, 1, 2, 4, 7, 9, 15, 18, 19),
    "running": (8,),
    "stopped": (12, 13),
    "ended": (10, 20),
    "failed": (3, 5, 6, 11, 14, 16, 17, 21, 22),
}
_CLASS_OF = dict((code, name) for name, codes in STATUS_CLASSES.items() for code in codes)

QUEUING = 7
KILLING = 9
# Operation -> the codes at which ModelArts accepts it ("delete" is accepted at any code but killing).
ACCEPTED_AT = {
    "stop": (QUEUING, 8),
    "restart": (10, 12, 13, 20),
}

STATES = ("present", "running", "stopped", "absent")

# The steps of next_step(). A write step names the request; WAIT polls until the step changes
# (always: the write it leads to would be refused now); SETTLE polls only with wait=true.
NOTHING, CREATE, STOP, RESTART, DELETE, WAIT, SETTLE, FAIL = (
    "nothing", "create", "stop", "restart", "delete", "wait", "settle", "fail")


def status_class(code):
    """``missing`` for None (no job), else the class of a status code (``unknown`` outside the table)."""
    if code is None:
        return "missing"
    return _CLASS_OF.get(code, "unknown")


def job_status(job):
    """The integer status code of a raw or normalized job, or -1 when it has none that is usable."""
    try:
        return int(job.get("status"))
    except (TypeError, ValueError):
        return -1


def accepts(operation, code):
    """Whether ModelArts accepts ``operation`` (stop, restart, delete) at status ``code``."""
    if operation == "delete":
        return code != KILLING
    return code in ACCEPTED_AT[operation]


def next_step(state, code):
    """The next step towards ``state`` for a job at status ``code`` (None: there is no job).

    Returns ``(step, follow_up)``: ``follow_up`` is the write a WAIT leads to (for check mode),
    else None.
    """
    cls = status_class(code)
    if state == "absent":
        if cls == "missing":
            return NOTHING, None
        # A job being canceled refuses delete; it either ends stopped (then delete) or is gone.
        return (WAIT, DELETE) if code == KILLING else (DELETE, None)
    if cls == "missing":
        return CREATE, None
    if state == "present":
        return NOTHING, None
    if state == "running":
        if cls == "running":
            return NOTHING, None
        if accepts("restart", code):
            return RESTART, None
        if code == KILLING:
            return WAIT, RESTART
        if cls == "transitional":
            return SETTLE, None
        return FAIL, None
    # stopped: "not running"
    if accepts("stop", code):
        return STOP, None
    if code == KILLING:
        return SETTLE, None
    if cls == "transitional":
        return WAIT, STOP
    if cls == "unknown":
        return FAIL, None
    return NOTHING, None


def target_reached(state, code):
    """Whether a job at ``code`` is where a settling wait for ``state`` ends successfully."""
    if state in ("present", "running"):
        return status_class(code) == "running"
    return status_class(code) in ("stopped", "ended", "failed")


def describe_status(code):
    """``queuing (7)``, or ``code 42 (not in the status table)``."""
    if code in STATUSES:
        return "%s (%d)" % (status_name(code), code)
    return "code %s (not in the status table)" % (code,)


def refused_status(message):
    """The status code a ModelArts.0105 refusal names ("... job status: 9"), or None."""
    match = re.search(r"job status:\s*(-?\d+)", message or "")
    return int(match.group(1)) if match else None


def cannot_reach(state, code):
    """The reason a job at ``code`` cannot reach ``state`` (for a FAIL step)."""
    if status_class(code) == "unknown":
        return "its status is %s, so whether it runs is unknown" % describe_status(code)
    verb = "run again" if state == "running" else "be stopped"
    return "its status is %s, and a job in a failed status cannot %s" % (describe_status(code), verb)
