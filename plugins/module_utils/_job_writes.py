# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writing visualization jobs: create, update the description, stop, restart, delete; and what a failure means.

Each function sends one request. The transport repeats a write only after a failure that
proves it was not carried out (a 429, a connection never made); any other failure is judged
by :func:`outcome`, and the caller reads the job before it decides on another write
(see _job_execution.py).
"""

from __future__ import annotations

from ._errors import ModelArtsError
from ._visualization_jobs import BASE_PATH, job_path

REFUSED_CODE = "ModelArts.0105"
NOT_FOUND_CODE = "ModelArts.0015"

# What a failed write says about the write itself.
NOT_CARRIED_OUT = "not carried out"    # a definite answer: 3xx, 4xx (429 included, once the transport gave up)
REFUSED = "refused"                    # ModelArts.0105: refused because of the job's status; nothing happened
MAYBE = "may have happened"            # no answer, a reset after sending, a read timeout, a 5xx, an unreadable 2xx


def create_job(connection, body):
    """POST the create request and return the new job's id (the answer holds no whole job)."""
    answer = connection.request("POST", BASE_PATH, json_body=body)
    job_id = answer.get("job_id") if isinstance(answer, dict) else None
    try:
        return int(job_id)
    except (TypeError, ValueError):
        raise ModelArtsError("the create answer has no usable job_id (%r)" % (job_id,), status_code=200) from None


def update_description(connection, job_id, description):
    """PUT a new description (the only field of a job that can be changed)."""
    connection.request("PUT", job_path(job_id), json_body={"job_desc": description})


def stop_job(connection, job_id):
    """Ask ModelArts to stop a job (asynchronous: the job passes through killing)."""
    connection.request("POST", job_path(job_id, "stop"))


def restart_job(connection, job_id):
    """Ask ModelArts to run a stopped or ended job again (asynchronous: it passes through queuing)."""
    connection.request("POST", job_path(job_id, "restart"))


def delete_job(connection, job_id):
    """Ask ModelArts to delete a job; a job that is already gone counts as deleted."""
    try:
        connection.request("DELETE", job_path(job_id))
    except ModelArtsError as error:
        if not is_gone(error):
            raise


def is_refusal(error):
    """A write refused because of the job's status (``ModelArts.0105``, "job status: N")."""
    return error.error_code == REFUSED_CODE


def is_gone(error):
    """ModelArts' own answer that the job does not exist (HTTP 404, ``ModelArts.0015``)."""
    return error.status_code == 404 and error.error_code == NOT_FOUND_CODE


def outcome(error):
    """What a failed write means: NOT_CARRIED_OUT, REFUSED or MAYBE.

    Only a definite answer proves that nothing happened. Everything else may hide a write
    that was (or will still be) carried out: a gateway may answer 502 or 504 and the backend
    finish the create a moment later.
    """
    status = error.status_code
    if status is None:
        return MAYBE if error.sent else NOT_CARRIED_OUT
    if status >= 500 or 200 <= status < 300:
        return MAYBE
    return REFUSED if is_refusal(error) else NOT_CARRIED_OUT
