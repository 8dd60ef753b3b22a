# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Store of visualization jobs: filtering, sorting and paging, writes and timed status transitions."""

import threading
import time

SORT_FIELDS = ("job_id", "job_name", "job_desc", "create_time", "status")
NUMERIC_FIELDS = ("job_id", "create_time", "status", "duration")


def _number(value):
    """Return a job field as a number (some seed jobs carry numbers as strings)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _sort_key(field):
    if field in NUMERIC_FIELDS:
        return lambda job: (_number(job.get(field)), _number(job.get("job_id")))
    return lambda job: (str(job.get(field) or ""), _number(job.get("job_id")))


GONE = None  # a scheduled transition to GONE removes the job
# The workspace a job belongs to: kept by the store, never part of an answer (the API returns no such field).
WORKSPACE_FIELD = "_workspace_id"


def public(job):
    """The job as the API answers with it (without the store's own fields)."""
    return {key: value for key, value in job.items() if key != WORKSPACE_FIELD}


class JobStore:
    """Jobs per project.  Sorted orders are computed once and cached until a job changes.

    Status transitions scheduled with :meth:`schedule` happen lazily: every read first
    applies the transitions that are due (monotonic clock).
    """

    def __init__(self, jobs_by_project, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.RLock()
        self._last_id = 1000
        self.replace(jobs_by_project)

    def replace(self, jobs_by_project):
        """Drop every job and pending transition and hold these jobs instead."""
        with self._lock:
            self._jobs = {project_id: list(jobs) for project_id, jobs in jobs_by_project.items()}
            self._by_id = {
                project_id: {_number(job["job_id"]): job for job in jobs}
                for project_id, jobs in self._jobs.items()
            }
            self._sorted = {}
            self._pending = {}  # (project_id, job_id) -> [(due, status or GONE), ...]

    def count(self, project_id):
        """Return how many jobs a project has."""
        with self._lock:
            self._advance()
            return len(self._jobs.get(project_id, ()))

    def get(self, project_id, job_id):
        """Return the job with this integer id, or None."""
        with self._lock:
            self._advance()
            return self._by_id.get(project_id, {}).get(job_id)

    def next_id(self, project_id):
        """An id above every id the project has and every id given before (1001 at least)."""
        with self._lock:
            self._last_id = max([self._last_id] + list(self._by_id.get(project_id, {}))) + 1
            return self._last_id

    def add(self, project_id, job):
        """Add a job (names may repeat)."""
        with self._lock:
            self._jobs.setdefault(project_id, []).append(job)
            self._by_id.setdefault(project_id, {})[_number(job["job_id"])] = job
            self._sorted = {}

    def set_status(self, project_id, job_id, status, then=()):
        """Set a job's status now, replacing its pending transitions with ``then``: [(delay s, status or GONE)]."""
        with self._lock:
            self._pending.pop((project_id, job_id), None)
            self._apply(project_id, job_id, status)
            now = self._clock()
            steps = [(now + delay, next_status) for delay, next_status in then]
            if steps:
                self._pending[(project_id, job_id)] = steps
            self._advance()

    def snapshot(self):
        """Every job of every project (public fields, in job-id order), after the transitions that are due."""
        with self._lock:
            self._advance()
            return {project_id: [public(job) for _id, job in sorted(jobs.items())]
                    for project_id, jobs in self._by_id.items()}

    def settle(self):
        """Carry every pending transition out now, to its end; return how many jobs moved."""
        with self._lock:
            pending, self._pending = self._pending, {}
            for (project_id, job_id), steps in pending.items():
                for _due, status in steps:
                    self._apply(project_id, job_id, status)
            return len(pending)

    def _apply(self, project_id, job_id, status):
        job = self._by_id.get(project_id, {}).get(job_id)
        if job is None:
            return
        if status is GONE:
            del self._by_id[project_id][job_id]
            self._jobs[project_id] = [other for other in self._jobs[project_id] if other is not job]
            self._pending.pop((project_id, job_id), None)
        else:
            job["status"] = status
        self._sorted = {}

    def _advance(self):
        now = self._clock()
        for key in list(self._pending):
            steps = self._pending.get(key, [])
            while steps and steps[0][0] <= now:
                _due, status = steps.pop(0)
                self._apply(key[0], key[1], status)
            if not steps:
                self._pending.pop(key, None)

    def _ordered(self, project_id, sort_by):
        key = (project_id, sort_by)
        with self._lock:
            self._advance()
            if key not in self._sorted:
                self._sorted[key] = sorted(self._jobs.get(project_id, ()), key=_sort_key(sort_by))
            return self._sorted[key]

    def query(self, project_id, status=None, search=None, sort_by="job_id", descending=False, page=1, per_page=10,
              workspace_id="0"):
        """Return ``(total matching, jobs of the requested page)``.

        ``status`` is an int code, ``search`` a case-insensitive substring of job_name; only the jobs of
        ``workspace_id`` (a job's WORKSPACE_FIELD, "0" when it has none) are listed.
        Ties in the sort field are ordered by job_id (reversed with ``descending``).
        """
        jobs = self._ordered(project_id, sort_by)
        if descending:
            jobs = jobs[::-1]
        jobs = [job for job in jobs if job.get(WORKSPACE_FIELD, "0") == workspace_id]
        if status is not None:
            jobs = [job for job in jobs if _number(job.get("status")) == status]
        if search:
            needle = search.lower()
            jobs = [job for job in jobs if needle in str(job.get("job_name", "")).lower()]
        start = (page - 1) * per_page
        return len(jobs), jobs[start:start + per_page]
