# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ModelArts visualization-job writes: create, update, stop, restart, delete, with asynchronous transitions.

Each step of a transition takes ``state.lifecycle.transition_seconds`` (0: the next read
shows the end status):

- create: init (1), then queuing (7), then running (8, or ``run_status``);
- stop: killing (9) at once, then canceled (13);
- restart: queuing (7) at once, then running (8, or ``run_status``);
- delete: killing (9) at once, then gone (gone at once when transitions take 0 s), or
  ``state.lifecycle.delete_status`` instead of gone (6, delete_failed, for a delete that fails).

Refusals follow the samples of the API reference: HTTP 400 ``ModelArts.0105``
"This job can't be <op>. job status: N". Job names may repeat.
"""

import json
import re
import uuid

from jobs import GONE
from modelarts import NOT_FOUND, PARAMETER_ERROR, authorize
from responses import json_response, modelarts_error

REFUSED = "ModelArts.0105"
INIT, QUEUING, KILLING, CANCELED = 1, 7, 9, 13
STOP_ACCEPTED = (QUEUING, 8)
RESTART_ACCEPTED = (10, 12, 13, 20)
CREATE_FIELDS = ("job_name", "job_desc", "train_url", "job_type", "flavor", "schedule")
JOB_TYPES = ("tensorboard", "mindinsight")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
_DIGITS = re.compile(r"^[0-9]+$")
MAX_DESCRIPTION = 256


class BodyError(Exception):
    """An invalid request body (answered with ModelArts.0104)."""


def classify(request):
    """``(kind, args)`` of a write request on the job paths, or None."""
    method, segments = request.method, request.segments
    if len(segments) < 3 or segments[0] != "v1" or segments[2] != "visualization-jobs":
        return None
    if len(segments) == 3 and method == "POST":
        return "create", (segments[1],)
    if len(segments) == 4 and method in ("PUT", "DELETE"):
        return ("update" if method == "PUT" else "delete"), (segments[1], segments[3])
    if len(segments) == 5 and method == "POST" and segments[4] in ("stop", "restart"):
        return segments[4], (segments[1], segments[3])
    return None


def _body(request):
    try:
        payload = json.loads(request.body.decode("utf-8")) if request.body.strip() else None
    except ValueError:
        raise BodyError("Parameter error. the body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BodyError("Parameter error. the body must be a JSON object")
    return payload


def _check_description(value):
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION:
        raise BodyError("Parameter error. job_desc must be a string of 0 to %d characters" % MAX_DESCRIPTION)


def _schedule(value):
    """The schedule as the list API shows it; accepts the documented object and the sample's one-item list."""
    item = value[0] if isinstance(value, list) and len(value) == 1 else value
    if not isinstance(item, dict) or set(item) != {"type", "time_unit", "duration"}:
        raise BodyError("Parameter error. schedule needs type, time_unit and duration")
    duration = item["duration"]
    if item["type"] != "stop" or item["time_unit"] != "HOURS" or isinstance(duration, bool) \
            or not isinstance(duration, int) or not 0 <= duration <= 24:
        raise BodyError("Parameter error. schedule must be type stop, time_unit HOURS, duration 0 to 24")
    return [{"type": "stop", "timeUnit": "HOURS", "duration": duration}]


def new_job(state, project_id, payload):
    """Validate a create body and return the job it creates (status init)."""
    unknown = sorted(set(payload) - set(CREATE_FIELDS))
    if unknown:
        raise BodyError("Parameter error. unknown field %s" % unknown[0])
    name = payload.get("job_name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise BodyError("Parameter error. job_name must be 1 to 20 letters, digits, '_' or '-'")
    train_url = payload.get("train_url")
    if not isinstance(train_url, str) or not train_url.strip():
        raise BodyError("Parameter error. train_url is mandatory")
    description = payload.get("job_desc", "")
    _check_description(description)
    job_type = payload.get("job_type", "tensorboard")
    if job_type not in JOB_TYPES:
        raise BodyError("Parameter error. job_type must be tensorboard or mindinsight")
    job_id = state.jobs.next_id(project_id)
    job = {
        "job_id": job_id, "job_name": name, "status": INIT, "create_time": int(state.calendar.now() * 1000),
        "duration": 0, "remaining_duration": None, "job_desc": description, "train_url": train_url,
        "service_url": "https://127.0.0.1/modelarts/tensorboard/%s/%d/" % (project_id, job_id),
        "resource_id": str(uuid.uuid4()), "job_type": job_type,
    }
    if "flavor" in payload:
        flavor = payload["flavor"]
        if not isinstance(flavor, dict) or set(flavor) != {"code"} or not isinstance(flavor["code"], str):
            raise BodyError("Parameter error. flavor must be {\"code\": <string>}")
        job["flavor"] = flavor
    if "schedule" in payload:
        job["schedule"] = _schedule(payload["schedule"])
    return job


def create_job(state, request, project_id):
    """Answer ``POST /v1/{project_id}/visualization-jobs``."""
    error = authorize(state, request, project_id)
    if error:
        return error
    try:
        job = new_job(state, project_id, _body(request))
    except BodyError as exc:
        return modelarts_error(400, PARAMETER_ERROR, str(exc))
    state.jobs.add(project_id, job)
    _start(state, project_id, job["job_id"])
    # The documented sample quotes the numbers.
    return json_response(200, {"is_success": True, "job_id": str(job["job_id"]), "job_name": job["job_name"],
                               "status": str(INIT), "create_time": str(job["create_time"])})


def _existing(state, request, project_id, job_id):
    """(job, None) or (None, error Response)."""
    error = authorize(state, request, project_id)
    if error:
        return None, error
    if not _DIGITS.match(job_id):
        return None, modelarts_error(400, PARAMETER_ERROR, "Parameter error. job_id should be an integer")
    job = state.jobs.get(project_id, int(job_id))
    if job is None:
        return None, modelarts_error(404, *NOT_FOUND)
    return job, None


def _status(job):
    try:
        return int(job.get("status"))
    except (TypeError, ValueError):
        return -1


def _refused(verb, job):
    return modelarts_error(400, REFUSED, "This job can't be %s. job status: %d" % (verb, _status(job)))


def update_job(state, request, project_id, job_id):
    """Answer ``PUT /v1/{project_id}/visualization-jobs/{job_id}`` (the description only)."""
    job, error = _existing(state, request, project_id, job_id)
    if error:
        return error
    try:
        payload = _body(request)
        if set(payload) != {"job_desc"}:
            raise BodyError("Parameter error. the body must hold job_desc only")
        _check_description(payload["job_desc"])
    except BodyError as exc:
        return modelarts_error(400, PARAMETER_ERROR, str(exc))
    job["job_desc"] = payload["job_desc"]
    return json_response(200, {"is_success": True})


def _start(state, project_id, job_id):
    step, run_status = state.lifecycle.transition_seconds, state.lifecycle.run_status
    state.jobs.set_status(project_id, job_id, INIT, then=[(step, QUEUING), (2 * step, run_status)])


def _stop(state, project_id, job_id):
    state.jobs.set_status(project_id, job_id, KILLING, then=[(state.lifecycle.transition_seconds, CANCELED)])


def _restart(state, project_id, job_id):
    lifecycle = state.lifecycle
    state.jobs.set_status(project_id, job_id, QUEUING, then=[(lifecycle.transition_seconds, lifecycle.run_status)])


def _delete(state, project_id, job_id):
    step, end = state.lifecycle.transition_seconds, state.lifecycle.delete_status
    if step > 0 or end is not GONE:
        state.jobs.set_status(project_id, job_id, KILLING, then=[(step, end)])
    else:
        state.jobs.set_status(project_id, job_id, GONE)


# operation -> (the codes it is accepted at, its transition)
_OPERATIONS = {
    "stop": (lambda code: code in STOP_ACCEPTED, _stop),
    "restart": (lambda code: code in RESTART_ACCEPTED, _restart),
    "delete": (lambda code: code != KILLING, _delete),
}


def concurrent_operation(state, operation, request, args):
    """What another client does just before a request: stop, restart or delete its job (if its status allows it),
    or, before a create, create a job of the same name."""
    if operation == "create":
        if len(args) == 1:
            try:
                job = new_job(state, args[0], _body(request))
            except BodyError:
                return
            state.jobs.add(args[0], job)
            _start(state, args[0], job["job_id"])
        return
    if len(args) != 2 or not _DIGITS.match(args[1]):
        return
    project_id, job_id = args[0], int(args[1])
    job = state.jobs.get(project_id, job_id)
    accepted, transition = _OPERATIONS[operation]
    if job is not None and accepted(_status(job)):
        transition(state, project_id, job_id)


def stop_job(state, request, project_id, job_id):
    """Answer ``POST .../{job_id}/stop``: killing, then canceled."""
    job, error = _existing(state, request, project_id, job_id)
    if error:
        return error
    if _status(job) not in STOP_ACCEPTED:
        return _refused("stop", job)
    _stop(state, project_id, int(job_id))
    return json_response(200, {"is_success": True})


def restart_job(state, request, project_id, job_id):
    """Answer ``POST .../{job_id}/restart``: queuing, then running."""
    job, error = _existing(state, request, project_id, job_id)
    if error:
        return error
    if _status(job) not in RESTART_ACCEPTED:
        return _refused("resubmit", job)
    _restart(state, project_id, int(job_id))
    return json_response(200, {"is_success": True})


def delete_job(state, request, project_id, job_id):
    """Answer ``DELETE .../{job_id}``: killing for one step, then gone (or the lifecycle's delete_status)."""
    job, error = _existing(state, request, project_id, job_id)
    if error:
        return error
    if _status(job) == KILLING:
        return _refused("delete", job)
    _delete(state, project_id, int(job_id))
    return json_response(200, {"is_success": True})


def failed_delete(state, request, project_id, job_id, job_status):
    """Answer ``DELETE .../{job_id}`` as :func:`delete_job` does, but leave the job at ``job_status`` at once
    (fault ``failed_delete``: a delete that ModelArts accepts and that fails)."""
    job, error = _existing(state, request, project_id, job_id)
    if error:
        return error
    if _status(job) == KILLING:
        return _refused("delete", job)
    state.jobs.set_status(project_id, int(job_id), job_status)
    return json_response(200, {"is_success": True})


ENDPOINTS = {
    "create": create_job,
    "update": update_job,
    "stop": stop_job,
    "restart": restart_job,
    "delete": delete_job,
}
