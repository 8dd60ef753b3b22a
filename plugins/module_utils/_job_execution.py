# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Carrying out the plan of ``_job_plan``: look the job up, then write and wait, step by step.

:class:`JobExecution` is the real run. :class:`JobReplay` is check mode: the same loop over the
same plan, with each write and wait replaced by the status it leads to, so that ``changed``,
the diff and the returned job are what the real run then does.

A write is made at most once per task, except to repeat one that certainly did not happen:
- a definite refusal (a 4xx; a 429 once the transport gave up) fails the task, unchanged;
- a refusal because of the job's status (``ModelArts.0105``) reads the job and goes back
  through the plan (a delete refused at killing waits, then deletes);
- a failure that may hide a success (no answer, a 5xx) reads the job, which decides whether
  the write is still needed. A create is never sent again: its job is waited for and adopted.
After its own create the task reads the name again; when a concurrent task created a job of
the same name, every racer keeps the one with the lowest job_id and deletes its own. A task whose
create's answer was lost adopts the job of the name that appears and warns that its own create may
still land as a second job (which the next run reports as two jobs of the name).
"""

from __future__ import annotations

from collections import Counter

from ._errors import ConfigError, ModelArtsError
from ._job_drift import create_only_drift
from ._job_plan import (CANNOT, CREATE, DELETE, DESCRIBE, ENDED, FAIL, GONE, NOT_DELETED, NOTHING, RESTART,
                        SETTLE, STARTED_AGAIN, STOP, WAIT, Done, describe_status, job_status, plan, refused_status,
                        settled_status, simulated_status)
from ._job_writes import (MAYBE, NOT_CARRIED_OUT, REFUSED, create_job, delete_job, outcome, restart_job, stop_job,
                          update_description)
from ._jobs import normalize_job
from ._visualization_jobs import find_jobs, get_job
from ._wait import Waiter, WaitTimeout

# No plan needs more steps: each write is bounded by the attempts, each wait by wait_timeout.
_MAX_STEPS = 100
_PURPOSE = {"present": "run", "running": "run", "stopped": "stop", "absent": "be deleted"}


class JobStateError(ModelArtsError):
    """The job cannot reach the state asked for (no request failed: the message says why)."""

    def __str__(self):
        return self.message


def _refuse_incomplete_list(message):
    """A list that ended short of its total may hide the job: deciding to create on it could make a second one."""
    raise JobStateError(message + "; the job cannot be looked up with certainty, so nothing is changed")


def diff_view(job):
    """What diff mode compares: name, description, train_url and phase ({} for no job)."""
    if job is None:
        return {}
    normalized = normalize_job(job)
    return {"name": normalized.get("job_name"), "description": normalized.get("job_desc"),
            "train_url": normalized.get("train_url"), "phase": normalized.get("phase")}


def _same_path(left, right):
    return (left or "").rstrip("/") == (right or "").rstrip("/")


class JobExecution:
    """One real run of the lifecycle module: ``run()`` returns ``(visualization_job, diff before, diff after)``."""

    def __init__(self, connection, spec, waiter=None, policy=None):
        self.connection = connection
        self.spec = spec
        self.waiter = waiter or Waiter(spec.wait_timeout)
        self.policy = policy or connection.transport.policy
        self.attempts = self.policy.attempts
        self.changed = False
        self.warnings = []
        self.done = Done()
        self._sent = Counter()  # write step -> how many times it was sent
        self._job_id = spec.job_id

    # -- the run ----------------------------------------------------------------------

    def run(self):
        """Bring the job to the state asked for."""
        job = self._find()
        before = diff_view(job)
        if job is None and self.spec.job_id is not None and self.spec.state in ("present", "running"):
            raise JobStateError("job %d does not exist; to create a job, give name and train_url without job_id"
                                % self.spec.job_id)
        if job is not None and self.spec.state != "absent":
            self._check_create_only(job)
        try:
            job = self._converge(job)
        except ModelArtsError as error:
            error.changed = self.changed
            raise
        if self.spec.state == "absent":
            job = None  # a deleted job may show killing for a moment: it is gone for the playbook
        return job, before, diff_view(job)

    def _converge(self, job):
        for _step_number in range(_MAX_STEPS):
            step, reason = self._plan(job)
            if step == NOTHING or (step == SETTLE and not self.spec.wait):
                return job
            if step == FAIL:
                raise JobStateError(self._failure(reason, job))
            if step in (WAIT, SETTLE):
                job = self._wait(job, step)
            else:
                job = self._write(step, job)
        raise AssertionError("the plan did not end within %d steps" % _MAX_STEPS)  # pragma: no cover

    def _plan(self, job):
        """The next step for the job as read now (noting what the read shows of this task's writes)."""
        if job is not None and job.get("job_id") is not None:
            self._job_id = int(job["job_id"])
        self.done.observe(job_status(job))
        return plan(self.spec.state, job, self.done, self.spec.description)

    # -- reading --------------------------------------------------------------------------

    def label(self, job=None):
        """``job 'tb-x' (id 5)`` for messages."""
        name = (job or {}).get("job_name") or self.spec.name
        job_id = (job or {}).get("job_id") or self._job_id
        text = "job %r" % name if name else "job"
        return text + (" (id %s)" % job_id if job_id is not None else "")

    def _find(self):
        """The job the options name, or None; fails on ambiguous names and mismatched ids."""
        spec = self.spec
        if spec.job_id is not None:
            job = get_job(self.connection, spec.job_id)
            if job is not None and spec.name is not None and job.get("job_name") != spec.name:
                raise JobStateError("job %d is named %r, not %r: job_id and name must name the same job"
                                    % (spec.job_id, job.get("job_name"), spec.name))
            return job
        jobs = self._jobs_named()
        if len(jobs) > 1:
            raise JobStateError("%d jobs are named %r (job ids %s): set job_id to pick one"
                                % (len(jobs), spec.name, ", ".join(str(job.get("job_id")) for job in jobs)))
        return jobs[0] if jobs else None

    def _jobs_named(self):
        """Every job with exactly the name asked for, lowest job_id first."""
        jobs, _first = find_jobs(self.connection, name=self.spec.name, warn=_refuse_incomplete_list)
        return sorted(jobs, key=lambda job: int(job["job_id"]))

    def _read(self, job_id):
        """The details of a job, or None when it is gone."""
        return get_job(self.connection, job_id)

    def _check_create_only(self, job):
        """Warn of each create-only option the task gives that the job, as read, shows with another value."""
        if self.spec.train_url is not None and not _same_path(job.get("train_url"), self.spec.train_url):
            self.warnings.append("%s visualizes %s, not %s; train_url cannot be changed, so the job was left as it is"
                                 % (self.label(job), job.get("train_url"), self.spec.train_url))
        for option, shown in create_only_drift(self.spec, job):
            self.warnings.append("%s has %s %s, not %s; %s cannot be changed, so the job was left as it is"
                                 % (self.label(job), option, shown, getattr(self.spec, option), option))

    # -- waiting ------------------------------------------------------------------------------

    def _wait(self, job, step):
        """Poll the job until the plan changes; fail with the last status on timeout."""
        job_id = self._job_id

        def plan_changed(value):
            return self._plan(value)[0] != step

        try:
            return self.waiter.until(lambda: self._read(job_id), plan_changed, first=job)
        except WaitTimeout as timeout:
            last = timeout.last
            status = "gone" if last is None else describe_status(job_status(last))
            raise JobStateError("timed out after %d s (wait_timeout) waiting for %s to %s; last status: %s"
                                % (timeout.waited, self.label(job), _PURPOSE[self.spec.state], status)) from None

    # -- writing ----------------------------------------------------------------------------------

    def _write(self, step, job):
        """Make one write (repeated only when it certainly did not happen); return the job as read afterwards."""
        if step == CREATE:
            return self._create()
        job_id, code = int(job["job_id"]), job_status(job)
        while True:
            self._sent[step] += 1
            try:
                self._send(step, job_id)
            except ModelArtsError as error:
                result = outcome(error)
                if result == NOT_CARRIED_OUT:
                    raise
                if result == MAYBE:
                    self.changed = True
                fresh = self._read(job_id)
                next_step = plan(self.spec.state, fresh, self.done, self.spec.description)[0]
                if next_step != step:
                    if result == MAYBE and next_step != WAIT:
                        self.done.record(step, code)  # the job as read shows the write happened
                    return fresh
                if self._sent[step] >= self.attempts:
                    raise self._still_needed(error, step, job, result) from None
                self.policy.wait(self.policy.backoff(self._sent[step]))
                continue
            self.changed = True
            self.done.record(step, code)
            if step == DESCRIBE:
                return dict(job, job_desc=self.spec.description)
            return self._read(job_id)

    def _send(self, step, job_id):
        if step == DESCRIBE:
            update_description(self.connection, job_id, self.spec.description)
        elif step == STOP:
            stop_job(self.connection, job_id)
        elif step == RESTART:
            restart_job(self.connection, job_id)
        else:
            delete_job(self.connection, job_id)

    def _still_needed(self, error, step, job, result):
        """The error of a write that was sent ``attempts`` times and is still needed."""
        if result == REFUSED:
            code = refused_status(error.message)
            status = describe_status(code) if code is not None else "not given"
            error.message += " (%s refused %s; job status %s)" % (self.label(job), step, status)
        else:
            error.message += "; %s was read again and the %s is still needed" % (self.label(job), step)
        return error

    def _create(self):
        """Create the job once; adopt it, or the job of a concurrent create of the same name."""
        if self.spec.train_url is None:
            raise ConfigError("train_url is required to create %s, which does not exist" % self.label())
        self._sent[CREATE] += 1
        try:
            own_id = create_job(self.connection, self.spec.create_body())
        except ModelArtsError as error:
            if outcome(error) != MAYBE:
                raise
            self.changed = True
            job = self._one_job(None, self._wait_for_late_create(error))
            self.warnings.append(self._lost_create_warning(error, job))
            return job
        self.changed = True
        return self._one_job(own_id, self._jobs_named())

    def _lost_create_warning(self, error, job):
        """The warning of a task that adopted a job after its create's answer was lost.

        Without its own job_id the task cannot tell its job from a concurrent task's, nor know whether its
        create was carried out yet: the create may still land after the task ended and make a second job.
        No wait can rule that out (the cloud gives no bound), so the task says so; the next run then fails on
        the two jobs (see ``_find``) rather than report success over them.
        """
        answer = "HTTP %s" % error.status_code if error.status_code is not None else "no answer"
        name = self.spec.name
        return ("the answer to this task's create of %r was lost (%s), so it adopted job %s, the job of that name"
                " it found afterwards. That job may be another task's: this task's own create may still be carried"
                " out and make a second job named %r (billed like any job). If one appears, the next run fails"
                " because 2 jobs are named %r; then delete the one not wanted (state=absent with its job_id)"
                % (name, answer, job.get("job_id") if job else "(none)", name, name))

    def _wait_for_late_create(self, error):
        """The jobs of the name once a create that may have happened shows; never a second create."""
        try:
            return self.waiter.until(self._jobs_named, bool, first=[])
        except WaitTimeout as timeout:
            raise JobStateError("%s; no job named %r appeared in the %d s after it (wait_timeout). The create may still"
                                " happen: run the task again, which adopts the job if it appears"
                                % (error, self.spec.name, timeout.waited)) from None

    def _one_job(self, own_id, jobs):
        """Keep one job of the name: the lowest job_id, which every racer picks; delete this task's other ones."""
        ids = sorted(set(int(job["job_id"]) for job in jobs) | ({own_id} if own_id is not None else set()))
        survivor = ids[0]
        # Jobs of the name appeared only during this task (its lookup found none). Without its own id
        # (the answer was lost) it cannot tell its job from a racer's, so it deletes all but the survivor.
        duplicates = [own_id] if own_id is not None and own_id != survivor else ([] if own_id is not None else ids[1:])
        for job_id in duplicates:
            self._delete_duplicate(job_id)
        if own_id is None or own_id == survivor:
            self.done.record(CREATE, None)
        found = [job for job in jobs if int(job["job_id"]) == survivor]
        return found[0] if found else self._read(survivor)

    def _delete_duplicate(self, job_id):
        """Delete a second job of the name and wait until it is gone (within wait_timeout)."""
        self._sent[DELETE] += 1
        try:
            delete_job(self.connection, job_id)
        except ModelArtsError as error:
            if outcome(error) == NOT_CARRIED_OUT:
                raise
        self.warnings.append("a concurrent task created a job with the same name; job %d was deleted so that one job"
                             " remains" % job_id)
        try:
            self.waiter.until(lambda: self._read(job_id), lambda value: value is None)
        except WaitTimeout as timeout:
            raise JobStateError("timed out after %d s (wait_timeout) waiting for the duplicate job %d to be deleted"
                                % (timeout.waited, job_id)) from None

    # -- failures ---------------------------------------------------------------------------------

    def _failure(self, reason, job):
        """The message of a FAIL step."""
        code = job_status(job)
        status = describe_status(code) if job is not None else "gone"
        waited = " after waiting %.1f s" % self.waiter.waited() if self.waiter.started is not None else ""
        label, state = self.label(job), self.spec.state
        if reason == ENDED:
            verb = "created" if self.done.did(CREATE) else "restarted"
            return ("%s was %s by this task but reached status %s%s instead of running; it is not started again"
                    " (every start is billed)" % (label, verb, status, waited))
        if reason == GONE:
            verb = "created" if self.done.did(CREATE) else "restarted"
            return "%s was %s by this task but is gone now" % (label, verb)
        if reason == STARTED_AGAIN:
            return ("%s was stopped by this task but is %s now (started again elsewhere?); it is not stopped again"
                    % (label, status))
        if reason == NOT_DELETED:
            if code == self.done.sent_at(DELETE):
                return ("%s was at status %s when this task deleted it and is still at %s%s: the delete failed again"
                        " (or ModelArts has not begun it); it is not sent again" % (label, status, status, waited))
            return "%s was deleted by this task but reached status %s%s: ModelArts did not delete it" % (label, status, waited)
        if waited:
            return "%s reached status %s%s, so it cannot %s" % (label, status, waited, _PURPOSE[state])
        if reason == CANNOT:
            return ("%s cannot run: its status is %s, and a job in a failed status cannot run again" % (label, status))
        return "%s cannot %s: its status is %s, so whether it runs is unknown" % (label, _PURPOSE[state], status)


class JobReplay(JobExecution):
    """Check mode: the plan of the real run, replayed on the statuses each step leads to; no write, no wait."""

    def _wait(self, job, step):
        return dict(job, status=settled_status(job_status(job)))

    def _write(self, step, job):
        code = job_status(job)
        if step == CREATE:
            if self.spec.train_url is None:
                raise ConfigError("train_url is required to create %s, which does not exist" % self.label())
            job = self.spec.would_be_job()
        elif step == DESCRIBE:
            job = dict(job, job_desc=self.spec.description)
        self.changed = True
        self.done.record(step, code)
        if step == DELETE:
            return None
        if step == DESCRIBE:
            return job
        return dict(job, status=simulated_status(step, job))
