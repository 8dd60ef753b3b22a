# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading visualization jobs: details by id, and the list with every page followed."""

from __future__ import annotations

from ._errors import ConfigError, ModelArtsError, NotFoundError
from ._jobs import normalize_job, parse_status, status_choices

BASE_PATH = "/visualization-jobs"
# Both versions of the API reference accept 100 per page ([1, 100] and [1, 1000]).
PAGE_SIZE = 100
MAX_NAME_LENGTH = 64
MAX_SEARCH_LENGTH = 100
SORT_FIELDS = ("job_id", "job_name", "job_desc", "create_time", "status", "duration")


def job_query(params):
    """Validate the query options of the info module and return find_jobs() keyword arguments."""
    job_id, name, search = params.get("job_id"), params.get("name"), params.get("search_content")
    if job_id is not None and job_id < 1:
        raise ConfigError("job_id must be 1 or greater, got %d" % job_id)
    if name is not None and not name.strip():
        raise ConfigError("name must not be empty")
    if name is not None and len(name) > MAX_NAME_LENGTH:
        raise ConfigError("name must be at most %d characters, got %d" % (MAX_NAME_LENGTH, len(name)))
    if search is not None and len(search) > MAX_SEARCH_LENGTH:
        raise ConfigError("search_content must be at most %d characters, got %d" % (MAX_SEARCH_LENGTH, len(search)))
    statuses = []
    for value in params.get("status") or []:
        try:
            statuses.append(parse_status(value))
        except ValueError:
            raise ConfigError("status: unknown job status %r; use a status code or one of: %s"
                              % (value, ", ".join(status_choices()))) from None
    return dict(job_id=job_id, name=name, statuses=sorted(set(statuses)) or None, search_content=search or None,
                sort_by=params.get("sort_by"), order=params.get("order"))


def get_job(connection, job_id):
    """The details of one job as a raw dict, or None when ModelArts answers 404."""
    try:
        job = connection.get("%s/%d" % (BASE_PATH, job_id))
    except NotFoundError:
        return None
    if "job_id" not in job:
        job["job_id"] = job_id
    return job


def _page_query(page, status, search_content, sort_by, order):
    query = [("page", page), ("per_page", PAGE_SIZE)]
    if status is not None:
        query.append(("status", status))
    if search_content:
        query.append(("search_content", search_content))
    if sort_by:
        query.append(("sortBy", sort_by))
    if order:
        query.append(("order", order))
    return query


def list_jobs(connection, status=None, search_content=None, sort_by=None, order=None):
    """Every job of the list API (raw dicts), page by page; a failed page fails the whole list."""
    jobs, seen, page, last_page = [], set(), 1, 1
    while page <= last_page:
        body = connection.get(BASE_PATH, _page_query(page, status, search_content, sort_by, order))
        batch = body.get("jobs") if isinstance(body, dict) else None
        if not isinstance(batch, list):
            raise ModelArtsError("the job list (page %d) has no 'jobs' array" % page)
        if page == 1:
            total = body.get("job_total_count")
            # An absent or odd total still ends the loop on a short page.
            last_page = -(-int(total) // PAGE_SIZE) if str(total).isdigit() else 1 << 30
        new = {}
        for job in batch:
            key = str(job.get("job_id"))
            if key not in seen and key not in new:
                new[key] = job
        seen.update(new)
        jobs.extend(new.values())
        # A short page ends the list; so does a page with nothing new (a server that ignores "page").
        if len(batch) < PAGE_SIZE or not new:
            break
        page += 1
    return jobs


def find_jobs(connection, job_id=None, name=None, statuses=None, search_content=None, sort_by=None, order=None):
    """Return (visualization_jobs, visualization_job) as the info module reports them.

    ``statuses`` is a list of codes: one is filtered by the API, several are filtered
    here after listing; all are also checked here, in case a server ignores the filter.
    """
    if job_id is not None:
        raw = get_job(connection, job_id)
        jobs = [normalize_job(raw)] if raw is not None else []
        return jobs, (jobs[0] if jobs else None)
    server_status = statuses[0] if statuses and len(statuses) == 1 else None
    raw_jobs = list_jobs(connection, server_status, name or search_content, sort_by, order)
    jobs = [normalize_job(raw) for raw in raw_jobs]
    if statuses:
        jobs = [job for job in jobs if job.get("status") in statuses]
    if name is not None:
        jobs = [job for job in jobs if job.get("job_name") == name]
        return jobs, (jobs[0] if jobs else None)
    return jobs, None
