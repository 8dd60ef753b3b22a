# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bringing one visualization job to the state asked for: look up, decide, write, wait.

The decisions come from _lifecycle.next_step(); this file sends the requests. A write that
fails without a clear answer (no answer, a 5xx) may have happened, so it is never repeated
blindly: the job is read again (a create looks the name up) and the next step is decided
afresh. A refusal because of the job's status is checked the same way before it fails the task.
"""

from __future__ import annotations

from ._errors import ConfigError, ModelArtsError
from ._job_writes import (check_description, check_name, create_body, create_job, delete_job, is_refusal,
                          may_have_happened, may_still_happen, restart_job, stop_job, update_description)
from ._jobs import normalize_job
from ._lifecycle import (CREATE, DELETE, FAIL, NOTHING, RESTART, SETTLE, STOP, WAIT, cannot_reach, describe_status,
                         job_status, next_step, refused_status)
from ._visualization_jobs import find_jobs, get_job
from ._wait import Waiter, WaitTimeout


class JobStateError(ModelArtsError):
    """The job cannot reach the state asked for (no request failed: the message says why)."""

    def __str__(self):
        return self.message


def _refuse_incomplete_list(message):
    """A list that ended short of its total may hide the job: deciding to create on it could make a second one."""
    raise JobStateError(message + "; the job cannot be looked up with certainty, so nothing is changed")


_WRITE_CALLS = {STOP: stop_job, RESTART: restart_job, DELETE: delete_job}
_PURPOSE = {"present": "run", "running": "run", "stopped": "stop", "absent": "be deleted"}
# The phase a job shows once a write has settled (with wait) or right after it (without).
_PHASE_AFTER = {CREATE: ("running", "pending"), RESTART: ("running", "pending"), STOP: ("canceled", "running")}


class JobSpec:
    """The validated options of the lifecycle module."""

    def __init__(self, params):
        self.name = params.get("name")
        self.job_id = params.get("job_id")
        self.state = params.get("state") or "present"
        self.description = params.get("description")
        self.train_url = params.get("train_url")
        self.job_type = params.get("job_type")
        self.flavor = params.get("flavor")
        self.auto_stop_hours = params.get("auto_stop_hours")
        self.wait = params.get("wait", True)
        self.wait_timeout = params.get("wait_timeout", 600)
        self._check()

    def _check(self):
        if self.name is None and self.job_id is None:
            raise ConfigError("one of name or job_id is required")
        if self.name is not None:
            check_name(self.name)
        if self.job_id is not None and self.job_id < 1:
            raise ConfigError("job_id must be 1 or greater, got %d" % self.job_id)
        if self.description is not None:
            check_description(self.description)
        if self.train_url is not None and not self.train_url.strip():
            raise ConfigError("train_url must not be empty")
        if self.flavor is not None and not self.flavor.strip():
            raise ConfigError("flavor must not be empty")
        if self.auto_stop_hours is not None and not 0 <= self.auto_stop_hours <= 24:
            raise ConfigError("auto_stop_hours must be between 0 and 24, got %d" % self.auto_stop_hours)
        if self.wait_timeout < 1:
            raise ConfigError("wait_timeout must be 1 or greater, got %d" % self.wait_timeout)

    def create_body(self):
        """The body of the create request."""
        return create_body(self.name, self.train_url, self.description, self.job_type, self.flavor, self.auto_stop_hours)


def diff_view(job):
    """What diff mode compares: name, description, train_url and phase ({} for no job)."""
    if job is None:
        return {}
    normalized = normalize_job(job)
    return {"name": normalized.get("job_name"), "description": normalized.get("job_desc"),
            "train_url": normalized.get("train_url"), "phase": normalized.get("phase")}


def _same_path(left, right):
    return (left or "").rstrip("/") == (right or "").rstrip("/")


class JobLifecycle:
    """One run of the lifecycle module: ``run()`` returns the result fields."""

    def __init__(self, connection, spec, check_mode=False, waiter=None, attempts=None, policy=None):
        self.connection = connection
        self.spec = spec
        self.check_mode = check_mode
        self.waiter = waiter or Waiter(spec.wait_timeout)
        self.policy = policy or connection.transport.policy
        self.attempts = attempts or self.policy.attempts
        self.changed = False
        self.warnings = []
        self.created_id = None
        self.planned = None  # the write check mode would have made

    # -- reading ----------------------------------------------------------------

    def label(self, job=None):
        """``job 'tb-x' (id 5)`` for messages."""
        name = (job or {}).get("job_name") or self.spec.name
        job_id = (job or {}).get("job_id") or self.spec.job_id
        text = "job %r" % name if name else "job"
        return text + (" (id %s)" % job_id if job_id is not None else "")

    def find(self):
        """The job the options name (raw), or None; fails on ambiguous names and mismatched ids."""
        spec = self.spec
        if spec.job_id is not None:
            job = get_job(self.connection, spec.job_id)
            if job is not None and spec.name is not None and job.get("job_name") != spec.name:
                raise JobStateError("job %d is named %r, not %r: job_id and name must name the same job"
                                    % (spec.job_id, job.get("job_name"), spec.name))
            return job
        jobs, _first = find_jobs(self.connection, name=spec.name, warn=_refuse_incomplete_list)
        if len(jobs) > 1:
            raise JobStateError("%d jobs are named %r (job ids %s): set job_id to pick one"
                                % (len(jobs), spec.name, ", ".join(str(job.get("job_id")) for job in jobs)))
        return jobs[0] if jobs else None

    def read(self, job_id):
        """The details of a job, or None when it is gone."""
        return get_job(self.connection, job_id)

    # -- the run ------------------------------------------------------------------

    def run(self):
        """Bring the job to the state asked for; return ``(visualization_job, before, after)``."""
        job = self.find()
        before = diff_view(job)
        if job is None and self.spec.job_id is not None and self.spec.state != "absent":
            raise JobStateError("job %d does not exist; to create a job, give name and train_url without job_id"
                                % self.spec.job_id)
        try:
            if job is not None and self.spec.state != "absent":
                self._check_train_url(job)
                job = self._update_description(job)
            job = self._converge(job)
        except ModelArtsError as error:
            error.changed = self.changed
            raise
        after = self._after(job)
        if self.check_mode and self.planned == DELETE:
            job = None
        return job, before, after

    def _check_train_url(self, job):
        if self.spec.train_url is not None and not _same_path(job.get("train_url"), self.spec.train_url):
            self.warnings.append("%s visualizes %s, not %s; train_url cannot be changed, so the job was left as it is"
                                 % (self.label(job), job.get("train_url"), self.spec.train_url))

    def _update_description(self, job):
        description = self.spec.description
        if description is None or (job.get("job_desc") or "") == description:
            return job
        self.changed = True
        if not self.check_mode:
            update_description(self.connection, int(job["job_id"]), description)
        job = dict(job)
        job["job_desc"] = description
        return job

    def _converge(self, job):
        while True:
            target = self._target()
            code = None if job is None else job_status(job)
            step, follow_up = next_step(target, code)
            if step == NOTHING:
                return job
            if step == FAIL:
                raise JobStateError(self._cannot_reach(job, target, code))
            if step in (WAIT, SETTLE):
                if self.check_mode:
                    self.planned = follow_up or (step if self.spec.wait else None)
                    self.changed = self.changed or follow_up is not None
                    return job
                if step == SETTLE and not self.spec.wait:
                    return job
                job = self._wait(job, target, step)
                continue
            if step == CREATE and self.created_id is not None:
                raise JobStateError("%s was created by this task but is gone now" % self.label(job))
            if step == CREATE and self.spec.train_url is None:
                raise ConfigError("train_url is required to create %s, which does not exist" % self.label(job))
            self.changed = True
            if self.check_mode:
                self.planned = step
                return self._simulated(job) if step == CREATE else job
            job = self._write(step, job)
            if step == DELETE and job is not None and not self.spec.wait:
                return job
            if step == DELETE and job is not None:
                job = self._wait(job, target, DELETE)

    def _cannot_reach(self, job, state, code):
        if self.waiter.started is not None:
            return ("%s reached status %s after waiting %.1f s, so it cannot %s"
                    % (self.label(job), describe_status(code), self.waiter.waited(), _PURPOSE[state]))
        return "%s cannot %s: %s" % (self.label(job), _PURPOSE[state], cannot_reach(state, code))

    def _wait(self, job, state, step):
        """Poll until the step changes (for DELETE: until the job is gone); fail with the last status on timeout."""
        job_id = int(job["job_id"])
        if step == DELETE:
            def done(value):
                return value is None
        else:
            def done(value):
                return next_step(state, None if value is None else job_status(value))[0] != step
        try:
            return self.waiter.until(lambda: self.read(job_id), done, first=job)
        except WaitTimeout as timeout:
            last = timeout.last
            status = "gone" if last is None else describe_status(job_status(last))
            raise JobStateError("timed out after %d s (wait_timeout) waiting for %s to %s; last status: %s"
                                % (timeout.waited, self.label(job), _PURPOSE[state], status)) from None

    # -- writing --------------------------------------------------------------------

    def _write(self, step, job):
        """Make one write and return the job as read afterwards (None when it is gone).

        A write that may have happened is followed by a fresh look at the job; it is only
        repeated when that look says it is still needed.
        """
        for attempt in range(1, self.attempts + 1):
            try:
                return self._send(step, job)
            except ModelArtsError as error:
                if step == CREATE and not may_have_happened(error):
                    raise
                if step != CREATE and not (is_refusal(error) or may_have_happened(error)):
                    raise
                if attempt > 1 or not is_refusal(error):
                    self.policy.wait(self.policy.backoff(attempt))
                fresh = self._look_again(step, job)
                if step == CREATE and fresh is None and may_still_happen(error):
                    # Creating again could make a second job once the first create lands: wait for it instead.
                    fresh = self._wait_for_late_create(error)
                still_needed = next_step(self._target(), None if fresh is None else job_status(fresh))[0] == step
                if step == CREATE and fresh is not None:
                    self.created_id = int(fresh["job_id"])
                    return fresh
                if not still_needed:
                    return fresh
                if is_refusal(error):
                    raise self._refusal(error, step, job) from None
                if attempt == self.attempts:
                    error.message += "; %s was read again and the request is still needed" % self.label(job)
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait_for_late_create(self, error):
        """The job of a create that timed out, once it appears (within wait_timeout); never a second create."""
        try:
            return self.waiter.until(self.find, lambda found: found is not None, first=None)
        except WaitTimeout as timeout:
            raise JobStateError("%s; no job named %r appeared in the %d s after it (wait_timeout). The create may still"
                                " happen: run the task again, which adopts the job if it appears"
                                % (error, self.spec.name, timeout.waited)) from None

    def _target(self):
        """The state to reach: a create starts the job, so "present" then waits for it to run like "running"."""
        return "running" if self.spec.state == "present" and self.created_id is not None else self.spec.state

    def _send(self, step, job):
        if step == CREATE:
            self.created_id = create_job(self.connection, self.spec.create_body())
            # None (details 404 right after the create) makes _converge fail rather than create again.
            return self.read(self.created_id)
        job_id = int(job["job_id"])
        _WRITE_CALLS[step](self.connection, job_id)
        return self.read(job_id)

    def _look_again(self, step, job):
        return self.find() if step == CREATE else self.read(int(job["job_id"]))

    def _refusal(self, error, step, job):
        code = refused_status(error.message)
        status = describe_status(code) if code is not None else "not given"
        error.message += " (%s refused %s; job status %s)" % (self.label(job), step, status)
        return error

    # -- check and diff mode ----------------------------------------------------------------

    def _simulated(self, job):
        """The would-be job of a create in check mode: the given fields, no id yet."""
        spec = self.spec
        would_be = {"job_id": None, "job_name": spec.name, "job_desc": spec.description or "",
                    "train_url": spec.train_url, "status": None}
        if spec.job_type is not None:
            would_be["job_type"] = spec.job_type
        return would_be

    def _after(self, job):
        if job is None or (self.check_mode and self.planned == DELETE):
            return {}
        after = diff_view(job)
        if self.check_mode and self.planned in _PHASE_AFTER:
            after["phase"] = _PHASE_AFTER[self.planned][0 if self.spec.wait else 1]
        elif self.check_mode and self.planned == SETTLE:
            after["phase"] = "running" if self._target() == "running" else "canceled"
        return after
