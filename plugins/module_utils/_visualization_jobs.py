# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading visualization jobs: details by id, and the list with every page followed."""

from __future__ import annotations

import math
from urllib.parse import quote

from ._errors import AuthError, ConfigError, ModelArtsError
from ._header_values import check_value
from ._jobs import PHASES, normalize_job, parse_status, phase_of, status_choices

BASE_PATH = "/visualization-jobs"
# Both versions of the API reference accept 100 per page ([1, 100] and [1, 1000]).
PAGE_SIZE = 100
MAX_NAME_LENGTH = 64
MAX_SEARCH_LENGTH = 100
SORT_FIELDS = ("job_id", "job_name", "job_desc", "create_time", "status")


def job_path(job_id, action=None):
    """The path of one job (``/visualization-jobs/101``, or ``/visualization-jobs/101/stop`` with ``action``).

    ``job_id`` must be an int of 1 or more (the options are checked before; an id read from an answer is
    checked here), and every segment is quoted, so that nothing can address another job.
    """
    if isinstance(job_id, bool) or not isinstance(job_id, int) or job_id < 1:
        raise ModelArtsError("job id %r is not an integer of 1 or greater" % (job_id,))
    segments = [BASE_PATH, quote(str(job_id), safe="")] + ([quote(action, safe="")] if action else [])
    return "/".join(segments)


def _is_id_of(answered, job_id):
    """True when ``answered`` (a job_id of an answer: an int, or digits as the API's samples quote them) is ``job_id``."""
    if isinstance(answered, bool):
        return False
    if isinstance(answered, str) and answered.isascii() and answered.isdigit():
        answered = int(answered)
    return isinstance(answered, int) and answered == job_id


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
    phases = params.get("phase") or []
    unknown = sorted(set(phases) - set(PHASES))
    if unknown:
        raise ConfigError("phase: unknown phase %r; use one of: %s" % (unknown[0], ", ".join(PHASES)))
    workspace_id = params.get("workspace_id")
    if workspace_id is not None and not workspace_id.strip():
        raise ConfigError("workspace_id must not be empty")
    check_value("workspace_id", workspace_id)
    return dict(job_id=job_id, name=name, statuses=sorted(set(statuses)) or None, phases=sorted(set(phases)) or None,
                search_content=search or None, sort_by=params.get("sort_by"), order=params.get("order"),
                workspace_id=workspace_id)


def _is_unknown_job(error):
    """True for ModelArts' own 404 (``ModelArts.0015``): not a gateway's (``APIGW.*``), IAM's or a bare 404."""
    return (error.status_code == 404 and not isinstance(error, AuthError)
            and (error.error_code or "").startswith("ModelArts."))


def get_job(connection, job_id):
    """The details of one job as a raw dict, or None when ModelArts itself says the job does not exist."""
    connection.authenticate()  # outside the try: no authentication failure may read as "no such job"
    try:
        job = connection.get(job_path(job_id))
    except ModelArtsError as error:
        if _is_unknown_job(error):
            return None
        raise
    # Every version of the API reference returns job_id in the details: an answer that does not name the job
    # asked for (another job, no id at all) is never taken for it.
    answered = job.get("job_id")
    if answered is None:
        raise ModelArtsError("the details of job %d have no job_id: not known to be the job asked for" % job_id,
                             status_code=200)
    if not _is_id_of(answered, job_id):
        raise ModelArtsError("the details of job %d are those of job %s: not the job asked for"
                             % (job_id, repr(answered)[:40]), status_code=200)
    return job


def _page_query(page, status, search_content, sort_by, order, workspace_id):
    query = [("page", page), ("per_page", PAGE_SIZE)]
    if status is not None:
        query.append(("status", status))
    if search_content:
        query.append(("search_content", search_content))
    if sort_by:
        query.append(("sortBy", sort_by))
    if order:
        query.append(("order", order))
    if workspace_id is not None:
        query.append(("workspace_id", workspace_id))
    return query


def _total(body):
    """The list's job_total_count as an int, or None when absent or unusable."""
    total = body.get("job_total_count")
    return int(total) if str(total).isdigit() else None


def list_jobs(connection, status=None, search_content=None, sort_by=None, order=None, workspace_id=None, warn=None,
              first_page=None):
    """Every job of the list API (raw dicts), page by page; a failed page fails the whole list.

    With a usable ``job_total_count`` the next page is asked for while fewer jobs were read,
    even after a short page (a region may cap ``per_page``); an empty page, or a page with
    nothing new (a server that ignores ``page``), ends the list, with a warning when it ends
    short of the total (passed to ``warn``). Without a total, a short page ends it. A later page
    whose total differs from page 1's is warned about too (the list changed while it was read).
    ``first_page`` is the body of page 1 when it was already read (see :func:`find_jobs`).
    """
    jobs, seen, page, total = [], set(), 1, None
    while True:
        if page == 1 and first_page is not None:
            body = first_page
        else:
            body = connection.get(BASE_PATH, _page_query(page, status, search_content, sort_by, order, workspace_id))
        batch = body.get("jobs")
        if not isinstance(batch, list):
            raise ModelArtsError("the job list (page %d) has no 'jobs' array" % page)
        if page == 1:
            total = _total(body)
        elif total is not None and _total(body) not in (None, total) and warn is not None:
            # jobs came or went between the pages: the pages overlap or skip jobs
            warn("the job list changed while it was read: page %d reported job_total_count %s, page 1 %s;"
                 " the jobs returned may be incomplete" % (page, _total(body), total))
        new = {}
        for job in batch:
            key = str(job.get("job_id"))
            if key not in seen and key not in new:
                new[key] = job
        seen.update(new)
        jobs.extend(new.values())
        if not new or (total is None and len(batch) < PAGE_SIZE) or (total is not None and len(jobs) >= total):
            break
        page += 1
    if total is not None and len(jobs) < total and warn is not None:
        warn("the job list ended after %d jobs although ModelArts reported job_total_count %d;"
             " the jobs returned may be incomplete" % (len(jobs), total))
    return jobs


def _codes_to_query(statuses, phases):
    """The status codes a matching job can have, or None when that set cannot be listed (no filter, or a
    phase ``unknown``, which also covers codes outside the status table)."""
    if statuses:
        return set(code for code in statuses if not phases or phase_of(code) in phases)
    if phases and "unknown" not in phases:
        return set(code for phase in phases for code in PHASES[phase])
    return None


def _matches(job, statuses, phases):
    return (not statuses or job.get("status") in statuses) and (not phases or job.get("phase") in phases)


def _sort_key(sort_by):
    """The API's order for merged lists: by the field (numbers as numbers), ties by job_id."""
    field = sort_by or "job_id"

    def key(job):
        value, job_id = job.get(field), job.get("job_id") or 0
        return (0, value, job_id) if isinstance(value, (int, float)) else (1, str(value or ""), job_id)
    return key


def _list_matching(connection, codes, search, sort_by, order, workspace_id, warn):
    """The raw jobs whose status is one of ``codes`` (None: any), with as few list requests as the API allows.

    The API filters by one status. For one code the list is filtered by the API; for several, page 1 of
    the whole list is read first: when the rest of the whole list would take more requests than one
    query per code, each code is listed on its own and the lists are merged in the order asked for.
    """
    if codes is not None and not codes:
        return []
    if codes is not None and len(codes) == 1:
        return list_jobs(connection, next(iter(codes)), search, sort_by, order, workspace_id, warn)
    first = connection.get(BASE_PATH, _page_query(1, None, search, sort_by, order, workspace_id))
    total, batch = _total(first), first.get("jobs")
    if codes is not None and total is not None and isinstance(batch, list):
        # the page size the server really serves (a region may cap per_page)
        remaining_pages = math.ceil(max(0, total - len(batch)) / float(len(batch) or PAGE_SIZE))
        if len(codes) < remaining_pages:
            merged = {}
            for code in sorted(codes):
                for job in list_jobs(connection, code, search, sort_by, order, workspace_id, warn):
                    merged.setdefault(str(job.get("job_id")), job)
            return sorted(merged.values(), key=lambda job: _sort_key(sort_by)(normalize_job(job)), reverse=order == "desc")
    return list_jobs(connection, None, search, sort_by, order, workspace_id, warn, first_page=first)


def find_jobs(connection, job_id=None, name=None, statuses=None, phases=None, search_content=None, sort_by=None,
              order=None, workspace_id=None, warn=None):
    """Return (visualization_jobs, visualization_job) as the info module reports them.

    ``statuses`` is a list of codes and ``phases`` a list of phases; a job matches both. They are
    turned into as few list queries as the API allows, and every job is also checked here, in
    case a server ignores the filter.
    """
    if job_id is not None:
        raw = get_job(connection, job_id)
        jobs = [normalize_job(raw)] if raw is not None else []
        return jobs, (jobs[0] if jobs else None)
    codes = _codes_to_query(statuses, phases)
    raw_jobs = _list_matching(connection, codes, name or search_content, sort_by, order, workspace_id, warn)
    jobs = [job for job in (normalize_job(raw) for raw in raw_jobs) if _matches(job, statuses, phases)]
    if name is not None:
        jobs = [job for job in jobs if job.get("job_name") == name]
        return jobs, (jobs[0] if jobs else None)
    return jobs, None
