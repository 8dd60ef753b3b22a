# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Admin API under ``/__emulator__/``: health, reset, request log, faults, clock, token expiry, page cap.

Admin calls need no authentication, are never faulted and never enter the request log.
"""

import json

import seed
from jobs import GONE, WORKSPACE_FIELD
from modelarts import WORKSPACES
from responses import json_response

PREFIX = "/__emulator__/"


def _body(request):
    if not request.body.strip():
        return {}
    payload = json.loads(request.body.decode("utf-8"))
    if not isinstance(payload, dict):
        raise ValueError("the body must be a JSON object")
    return payload


def _health(state, payload):
    return {"ok": True}


def _reset(state, payload):
    state.reset(forget_tokens=bool(payload.get("tokens")), reseed_jobs=bool(payload.get("jobs")))
    return {"ok": True}


def _requests(state, payload):
    entries = state.requests.entries()
    return {"count": len(entries), "requests": entries}


def _take_requests(state, payload):
    """The request log, emptied in the same step (no request can fall between reading and clearing)."""
    entries = state.requests.take()
    return {"count": len(entries), "requests": entries}


def _list_faults(state, payload):
    return {"faults": state.faults.describe()}


def _add_faults(state, payload):
    return {"ok": True, "count": state.faults.add(payload.get("faults"))}


def _clear_faults(state, payload):
    state.faults.clear()
    return {"ok": True}


def _offset_seconds(payload):
    offset = payload.get("offset_seconds")
    if isinstance(offset, bool) or not isinstance(offset, (int, float)):
        raise ValueError("offset_seconds must be a number")
    return float(offset)


def _clock(state, payload):
    state.clock.offset_seconds = _offset_seconds(payload)
    return {"ok": True, "offset_seconds": state.clock.offset_seconds}


def _calendar(state, payload):
    """Shift the create_time of jobs created from now on (not signatures or tokens): another day for a test."""
    state.calendar.offset_seconds = _offset_seconds(payload)
    return {"ok": True, "offset_seconds": state.calendar.offset_seconds}


def _page_cap(state, payload):
    cap = payload.get("max_per_page")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        raise ValueError("max_per_page must be a positive integer or null")
    state.page_cap = cap
    return {"ok": True, "max_per_page": cap}


def _pause_transitions(state, payload):
    """Pause or resume the timed status transitions: {"paused": true|false, "resume_on_request": false};
    or {"settle": true}: carry every pending transition out now."""
    if payload.get("settle") is True:
        return {"ok": True, "settled": state.jobs.settle()}
    paused = payload.get("paused")
    resume_on_request = payload.get("resume_on_request", False)
    if not isinstance(paused, bool) or not isinstance(resume_on_request, bool):
        raise ValueError("paused and resume_on_request must be true or false")
    if paused:
        state.transition_clock.pause()
        state.transition_clock.resume_on_request = resume_on_request
    else:
        state.transition_clock.resume()
    return {"ok": True, "paused": state.transition_clock.paused}


def _land_late_writes(state, payload):
    """Carry every write of an ``apply_after`` fault out now, before its time: {"ok": true, "landed": N}."""
    return {"ok": True, "landed": state.late_writes.land()}


def _expire_tokens(state, payload):
    return {"ok": True, "expired": state.tokens.expire_all()}


def _issued_tokens(state, payload):
    """Every token value issued and not forgotten, in the order issued: a test looks for them in what Ansible printed."""
    return {"ok": True, "tokens": state.tokens.values()}


def _lifecycle(state, payload):
    settings = state.lifecycle
    seconds = payload.get("transition_seconds", settings.transition_seconds)
    run_status = payload.get("run_status", settings.run_status)
    delete_status = payload.get("delete_status", settings.delete_status)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise ValueError("transition_seconds must be a number >= 0")
    if isinstance(run_status, bool) or not isinstance(run_status, int):
        raise ValueError("run_status must be an integer status code")
    if delete_status is not None and (isinstance(delete_status, bool) or not isinstance(delete_status, int)):
        raise ValueError("delete_status must be an integer status code or null (gone)")
    settings.transition_seconds, settings.run_status = float(seconds), run_status
    settings.delete_status = delete_status
    return dict(settings.describe(), ok=True)


def _show_lifecycle(state, payload):
    return state.lifecycle.describe()


def _transitions(spec):
    """A job spec's "then": [[seconds, status or null], ...] (null: the job is gone), checked."""
    then = spec.get("then", [])
    if not isinstance(then, list) or not all(
            isinstance(step, list) and len(step) == 2 and isinstance(step[0], (int, float)) and not isinstance(step[0], bool)
            and step[0] >= 0 and (step[1] is None or (isinstance(step[1], int) and not isinstance(step[1], bool)))
            for step in then):
        raise ValueError("then must be a list of [seconds, status or null] pairs")
    return [(float(seconds), status) for seconds, status in then]


def _add_jobs(state, payload):
    """Add jobs (names may repeat): {"project_id": <default eu-de>, "jobs": [{"job_name", "status", "then", ...}]}."""
    project_id = payload.get("project_id", seed.EU_DE)
    specs = payload.get("jobs")
    if project_id not in seed.PROJECT_NAMES:
        raise ValueError("project_id must be one of the seeded projects")
    if not isinstance(specs, list) or not all(isinstance(spec, dict) and isinstance(spec.get("job_name"), str)
                                              and isinstance(spec.get("status"), int) for spec in specs):
        raise ValueError("jobs must be a list of objects with a job_name and an integer status")
    transitions = [_transitions(spec) for spec in specs]
    if any(spec.get("workspace_id", "0") not in WORKSPACES for spec in specs):
        raise ValueError("workspace_id must be one of %s" % ", ".join(WORKSPACES))
    ids = []
    for spec, then in zip(specs, transitions):
        job_id = state.jobs.next_id(project_id)
        fields = {key: value for key, value in spec.items()
                  if key not in ("job_id", "job_name", "status", "then", "workspace_id", "create_time", "duration")}
        if spec.get("workspace_id", "0") != "0":
            fields[WORKSPACE_FIELD] = spec["workspace_id"]
        state.jobs.add(project_id, seed.make_job(project_id, job_id, spec["job_name"], spec["status"],
                                                 spec.get("create_time", 1732200000000), spec.get("duration", 0),
                                                 **fields))
        if then:
            state.jobs.set_status(project_id, job_id, spec["status"], then=then)
        ids.append(job_id)
    return {"ok": True, "job_ids": ids}


def _known_job(state, payload):
    """(project_id, job_id) of an existing job named by the payload ("project_id" defaults to eu-de)."""
    project_id = payload.get("project_id", seed.EU_DE)
    job_id = payload.get("job_id")
    if isinstance(job_id, bool) or not isinstance(job_id, int):
        raise ValueError("job_id must be an integer")
    if state.jobs.get(project_id, job_id) is None:
        raise ValueError("no job %s in project %s" % (job_id, project_id))
    return project_id, job_id


def _set_job_status(state, payload):
    """Change a job's status now, as the cloud would: {"job_id", "status", "then", "project_id"}; "then" replaces
    its pending transitions (none when not given)."""
    project_id, job_id = _known_job(state, payload)
    status = payload.get("status")
    if isinstance(status, bool) or not isinstance(status, int):
        raise ValueError("status must be an integer status code")
    state.jobs.set_status(project_id, job_id, status, then=_transitions(payload))
    return {"ok": True, "job_id": job_id, "status": status}


def _delete_job(state, payload):
    """Remove a job now, as if someone deleted it elsewhere: {"job_id", "project_id"}."""
    project_id, job_id = _known_job(state, payload)
    state.jobs.set_status(project_id, job_id, GONE)
    return {"ok": True, "job_id": job_id}


def _show_jobs(state, payload):
    """Every job of every project as the details API shows it: {"jobs": {project_id: [job, ...]}}."""
    return {"jobs": state.jobs.snapshot()}


ROUTES = {
    ("GET", "health"): _health,
    ("POST", "reset"): _reset,
    ("GET", "requests"): _requests,
    ("POST", "requests/take"): _take_requests,
    ("GET", "faults"): _list_faults,
    ("POST", "faults"): _add_faults,
    ("DELETE", "faults"): _clear_faults,
    ("POST", "clock"): _clock,
    ("POST", "calendar"): _calendar,
    ("POST", "expire-tokens"): _expire_tokens,
    ("GET", "tokens"): _issued_tokens,
    ("POST", "transitions"): _pause_transitions,
    ("POST", "page-cap"): _page_cap,
    ("POST", "late-writes/land"): _land_late_writes,
    ("GET", "lifecycle"): _show_lifecycle,
    ("POST", "lifecycle"): _lifecycle,
    ("POST", "jobs"): _add_jobs,
    ("GET", "jobs"): _show_jobs,
    ("POST", "jobs/status"): _set_job_status,
    ("POST", "jobs/delete"): _delete_job,
}


def is_admin_path(path):
    """Return True for paths of the admin API."""
    return path.startswith(PREFIX)


def handle(state, request):
    """Answer one admin request."""
    action = ROUTES.get((request.method, request.path[len(PREFIX):].strip("/")))
    if action is None:
        return json_response(404, {"ok": False, "error": "unknown admin call %s %s" % (request.method, request.path)})
    try:
        return json_response(200, action(state, _body(request)))
    except ValueError as exc:
        return json_response(400, {"ok": False, "error": str(exc)})
