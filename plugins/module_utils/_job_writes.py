# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writing visualization jobs: create, update the description, stop, restart, delete.

Each function sends one request, never retried by the transport (Connection.request sends
writes once): whether a failed write happened is decided by the caller, who reads the job
first (see _job_lifecycle.py). Bodies hold only the fields the API reference documents.
"""

from __future__ import annotations

import re

from ._errors import ConfigError, ModelArtsError
from ._visualization_jobs import BASE_PATH

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
MAX_DESCRIPTION_LENGTH = 256
MAX_AUTO_STOP_HOURS = 24
JOB_TYPES = ("tensorboard", "mindinsight")
REFUSED = "ModelArts.0105"
NOT_FOUND = "ModelArts.0015"


def check_name(name):
    """Raise ConfigError unless ``name`` is a valid job name (1-20 letters, digits, ``_``, ``-``)."""
    if not NAME_PATTERN.match(name):
        raise ConfigError("name must be 1 to 20 characters of letters, digits, '_' and '-', got %r" % name)


def check_description(description):
    """Raise ConfigError when ``description`` is longer than the API accepts."""
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise ConfigError("description must be at most %d characters, got %d" % (MAX_DESCRIPTION_LENGTH, len(description)))


def create_body(name, train_url, description=None, job_type=None, flavor=None, auto_stop_hours=None):
    """The body of the create request (documented fields only; omitted options are not sent)."""
    body = {"job_name": name, "train_url": train_url}
    if description is not None:
        body["job_desc"] = description
    if job_type is not None:
        body["job_type"] = job_type
    if flavor is not None:
        body["flavor"] = {"code": flavor}
    if auto_stop_hours is not None:
        # The shape of the API reference's sample (its table says Object; the sample sends a list).
        body["schedule"] = [{"type": "stop", "time_unit": "HOURS", "duration": auto_stop_hours}]
    return body


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
    connection.request("PUT", "%s/%d" % (BASE_PATH, job_id), json_body={"job_desc": description})


def stop_job(connection, job_id):
    """Ask ModelArts to stop a job (asynchronous: the job passes through killing)."""
    connection.request("POST", "%s/%d/stop" % (BASE_PATH, job_id))


def restart_job(connection, job_id):
    """Ask ModelArts to run a stopped or ended job again (asynchronous: it passes through queuing)."""
    connection.request("POST", "%s/%d/restart" % (BASE_PATH, job_id))


def delete_job(connection, job_id):
    """Ask ModelArts to delete a job; a job that is already gone counts as deleted."""
    try:
        connection.request("DELETE", "%s/%d" % (BASE_PATH, job_id))
    except ModelArtsError as error:
        if not is_gone(error):
            raise


def is_refusal(error):
    """A write refused because of the job's status (``ModelArts.0105``, "job status: N")."""
    return error.error_code == REFUSED


def is_gone(error):
    """ModelArts' own answer that the job does not exist (HTTP 404, ``ModelArts.0015``)."""
    return error.status_code == 404 and error.error_code == NOT_FOUND


def may_still_happen(error):
    """A read timeout: the server got the request and may carry it out after the client gave up."""
    return error.status_code is None and "(read timeout)" in error.message


def may_have_happened(error):
    """Whether a failed write may still have been carried out: no answer, a 5xx, or an unreadable 2xx."""
    status = error.status_code
    return error.retryable or (status is not None and (status >= 500 or 200 <= status < 300))
