# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The visualization-job model: the official status table, phases and job normalization.

A job keeps every field the API returned (unknown future fields included), minus the
transport fields ``is_success`` and ``error_*``; numeric fields sent as strings become
numbers; and fields for playbook conditionals are added: ``status_name``,
``status_description``, ``phase``, ``create_time_iso`` and ``duration_seconds``.
"""

from __future__ import annotations

from datetime import datetime, timezone

# ModelArts "Job Statuses" (modelarts_03_0074), codes 0-21; 22 comes from the ModelArts SDK reference.
STATUSES = {
    0: ("JOBSTAT_UNKNOWN", "Unknown status."),
    1: ("JOBSTAT_INIT", "The job is being initialized."),
    2: ("JOBSTAT_IMAGE_CREATING", "The job image is being created."),
    3: ("JOBSTAT_IMAGE_FAILED", "Failed to create the job image."),
    4: ("JOBSTAT_SUBMIT_TRYING", "The job is being submitted."),
    5: ("JOBSTAT_SUBMIT_FAILED", "Failed to submit the job."),
    6: ("JOBSTAT_DELETE_FAILED", "Failed to delete the job."),
    7: ("JOBSTAT_WAITING", "The job is queuing."),
    8: ("JOBSTAT_RUNNING", "The job is running."),
    9: ("JOBSTAT_KILLING", "The job is being canceled."),
    10: ("JOBSTAT_COMPLETED", "The job has been completed."),
    11: ("JOBSTAT_FAILED", "Failed to run the job."),
    12: ("JOBSTAT_KILLED", "Job canceled successfully."),
    13: ("JOBSTAT_CANCELED", "Job canceled."),
    14: ("JOBSTAT_LOST", "Job lost."),
    15: ("JOBSTAT_SCALING", "The job is being scaled."),
    16: ("JOBSTAT_SUBMIT_MODEL_FAILED", "Failed to submit the model."),
    17: ("JOBSTAT_DEPLOY_SERVICE_FAILED", "Failed to deploy the service."),
    18: ("JOBSTAT_CHECK_INIT", "The job review is being initialized."),
    19: ("JOBSTAT_CHECK_RUNNING", "The job is being reviewed."),
    20: ("JOBSTAT_CHECK_RUNNING_COMPLETED", "The approval job is completed."),
    21: ("JOBSTAT_CHECK_FAILED", "Failed to review the job."),
    22: ("MOUNT_FAILED", "Failed to mount."),
}

# The phase a playbook branches on; every code of the table belongs to exactly one.
PHASES = {
    "pending": (1, 2, 4, 7, 18),
    "running": (8, 9, 15, 19),
    "succeeded": (10, 20),
    "failed": (3, 5, 6, 11, 14, 16, 17, 21, 22),
    "canceled": (12, 13),
    "unknown": (0,),
}
_PHASE_OF = dict((code, phase) for phase, codes in PHASES.items() for code in codes)


def phase_of(code):
    """The phase of a status code (``unknown`` for codes outside the table)."""
    return _PHASE_OF.get(code, "unknown")


NUMERIC_FIELDS = ("job_id", "status", "create_time", "duration", "remaining_duration")
TRANSPORT_FIELDS = ("is_success", "error_code", "error_message", "error_msg")
# Epoch values below this are seconds, above it milliseconds (the API documents milliseconds).
_MILLISECONDS_THRESHOLD = 10 ** 11


def status_name(code):
    """Lower-case name without the JOBSTAT_ prefix (``running``), or ``unknown`` outside the table."""
    if code not in STATUSES:
        return "unknown"
    name = STATUSES[code][0]
    return (name[len("JOBSTAT_"):] if name.startswith("JOBSTAT_") else name).lower()


_CODE_OF_NAME = dict((status_name(code), code) for code in STATUSES)


def status_choices():
    """Every accepted status name, for error messages and docs."""
    return sorted(_CODE_OF_NAME, key=_CODE_OF_NAME.get)


def parse_status(value):
    """Turn ``running``, ``JOBSTAT_RUNNING``, ``8`` or 8 into a status code; ValueError if unknown."""
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    name = text.lower()
    if name.startswith("jobstat_"):
        name = name[len("jobstat_"):]
    if name not in _CODE_OF_NAME:
        raise ValueError(text)
    return _CODE_OF_NAME[name]


def _number(value):
    """Return ints/floats given as strings as numbers; leave anything else alone."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return value


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _whole_seconds(milliseconds):
    return int(milliseconds // 1000) if _is_number(milliseconds) and milliseconds >= 0 else None


def iso_time(epoch):
    """UTC ISO 8601 text (``2019-08-07T03:48:56Z``) of an epoch in ms (or s), or None."""
    if not _is_number(epoch) or epoch < 0:
        return None
    seconds = epoch / 1000.0 if epoch >= _MILLISECONDS_THRESHOLD else float(epoch)
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def normalize_job(raw):
    """Return the job as the module reports it (see the module's RETURN documentation)."""
    job = dict((key, value) for key, value in raw.items() if key not in TRANSPORT_FIELDS)
    for field in NUMERIC_FIELDS:
        if field in job:
            job[field] = _number(job[field])
    code = job.get("status")
    known = _is_number(code) and code == int(code)
    code = int(code) if known else code
    job["status_name"] = status_name(code) if known else "unknown"
    job["status_description"] = STATUSES[code][1] if known and code in STATUSES else "Status code %r is not documented." % (code,)
    job["phase"] = _PHASE_OF.get(code, "unknown") if known else "unknown"
    job["create_time_iso"] = iso_time(job.get("create_time"))
    job["duration_seconds"] = _whole_seconds(job.get("duration"))
    return job
