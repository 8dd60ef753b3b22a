# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read-only store of visualization jobs with filtering, sorting and paging."""

import threading

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


class JobStore:
    """Jobs per project.  Sorted orders are computed once and cached."""

    def __init__(self, jobs_by_project):
        self._jobs = jobs_by_project
        self._by_id = {
            project_id: {_number(job["job_id"]): job for job in jobs}
            for project_id, jobs in jobs_by_project.items()
        }
        self._sorted = {}
        self._lock = threading.Lock()

    def count(self, project_id):
        """Return how many jobs a project has."""
        return len(self._jobs.get(project_id, ()))

    def get(self, project_id, job_id):
        """Return the job with this integer id, or None."""
        return self._by_id.get(project_id, {}).get(job_id)

    def _ordered(self, project_id, sort_by):
        key = (project_id, sort_by)
        with self._lock:
            if key not in self._sorted:
                self._sorted[key] = sorted(self._jobs.get(project_id, ()), key=_sort_key(sort_by))
            return self._sorted[key]

    def query(self, project_id, status=None, search=None, sort_by="job_id", descending=False, page=1, per_page=10):
        """Return ``(total matching, jobs of the requested page)``.

        ``status`` is an int code, ``search`` a case-insensitive substring of job_name.
        Ties in the sort field are ordered by job_id (reversed with ``descending``).
        """
        jobs = self._ordered(project_id, sort_by)
        if descending:
            jobs = jobs[::-1]
        if status is not None:
            jobs = [job for job in jobs if _number(job.get("status")) == status]
        if search:
            needle = search.lower()
            jobs = [job for job in jobs if needle in str(job.get("job_name", "")).lower()]
        start = (page - 1) * per_page
        return len(jobs), jobs[start:start + per_page]
