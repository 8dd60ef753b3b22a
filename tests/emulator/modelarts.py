# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ModelArts visualization-job endpoints: list and details."""

import re

import auth
import seed
import signature
from jobs import SORT_FIELDS, public
from responses import apigw_error, json_response, modelarts_auth_error, modelarts_error

PARAMETER_ERROR = "ModelArts.0104"
NOT_FOUND = ("ModelArts.0015", "The resource you requested is not exist")
PROJECT_INVALID = ("ModelArts.0210", "Invalid project ID.")
PROJECT_MISMATCH = ("ModelArts.0210", "The project id in the request URL does not match the token.")
WORKSPACE_MISSING = ("ModelArts.0102", "The workspace does not exist.")
# The default workspace, which the list API takes when workspace_id is not sent, and one more (admin "jobs"
# puts a job there with "workspace_id"). Details and writes by job id do not depend on the workspace.
WORKSPACES = ("0", "ws-analytics")
MAX_PER_PAGE = 1000
MAX_SEARCH_LENGTH = 100
_DIGITS = re.compile(r"^[0-9]+$")


class ParameterError(Exception):
    """An invalid query or path parameter (answered with ModelArts.0104)."""


def authorize(state, request, project_id):
    """Return None if the caller may read ``project_id``, else the error Response."""
    bound_project = None
    token_value = request.header("x-auth-token")
    if token_value:
        token, error = auth.check_token(state, token_value)
        if error:
            return modelarts_auth_error(401, *error)
        if token.project is None:
            return modelarts_auth_error(401, *auth.TOKEN_NO_PROJECT)
        bound_project = token.project["id"]
    elif request.header("authorization"):
        try:
            auth.check_aksk(state, request)
        except signature.SignatureError as exc:
            return apigw_error(401, exc.code, exc.message, request.request_id)
        bound_project = request.header("x-project-id").strip() or None
    else:
        return modelarts_auth_error(401, *auth.TOKEN_MISSING)
    if project_id not in seed.PROJECT_NAMES:
        return modelarts_error(400, *PROJECT_INVALID)
    if bound_project is not None and bound_project != project_id:
        return modelarts_auth_error(403, *PROJECT_MISMATCH)
    return None


def _int_param(params, name, default, low, high=None):
    value = params.get(name)
    if value is None:
        return default
    if not _DIGITS.match(value) or int(value) < low or (high is not None and int(value) > high):
        bounds = "[%d,%d]" % (low, high) if high is not None else ">= %d" % low
        raise ParameterError("Parameter error. %s should be an integer in %s" % (name, bounds))
    return int(value)


def parse_list_params(params):
    """Validate list query parameters; return keyword arguments for JobStore.query.

    Raises ParameterError naming the bad parameter.
    """
    status = params.get("status")
    if status is not None and not _DIGITS.match(status):
        raise ParameterError("Parameter error. status should be an integer job status code")
    sort_by = params.get("sortBy", params.get("sort_by", "job_id"))
    if sort_by not in SORT_FIELDS:
        raise ParameterError("Parameter error. sortBy should be one of %s" % ", ".join(SORT_FIELDS))
    order = params.get("order", "asc")
    if order not in ("asc", "desc"):
        raise ParameterError("Parameter error. order should be asc or desc")
    search = params.get("search_content", "")
    if len(search) > MAX_SEARCH_LENGTH:
        raise ParameterError("The length of search content should be in [0,%d]" % MAX_SEARCH_LENGTH)
    return {
        "status": int(status) if status is not None else None,
        "search": search,
        "sort_by": sort_by,
        "descending": order == "desc",
        "page": _int_param(params, "page", 1, 1),
        "per_page": _int_param(params, "per_page", 10, 1, MAX_PER_PAGE),
    }


def list_jobs(state, request, project_id):
    """Answer ``GET /v1/{project_id}/visualization-jobs``."""
    error = authorize(state, request, project_id)
    if error:
        return error
    try:
        query = parse_list_params(request.params)
    except ParameterError as exc:
        return modelarts_error(400, PARAMETER_ERROR, str(exc))
    workspace_id = request.params.get("workspace_id", "0")
    if workspace_id not in WORKSPACES:
        return modelarts_error(400, *WORKSPACE_MISSING)
    if state.page_cap is not None:
        # Like a region that serves fewer jobs per page than asked for.
        query["per_page"] = min(query["per_page"], state.page_cap)
    total, jobs = state.jobs.query(project_id, workspace_id=workspace_id, **query)
    return json_response(200, {
        "is_success": True,
        "job_total_count": total,
        "job_count_limit": max(0, seed.JOB_QUOTA - state.jobs.count(project_id)),
        "quotas": seed.RUNNING_QUOTA,
        "jobs": [public(job) for job in jobs],
    })


def job_details(state, request, project_id, job_id):
    """Answer ``GET /v1/{project_id}/visualization-jobs/{job_id}``."""
    error = authorize(state, request, project_id)
    if error:
        return error
    if not _DIGITS.match(job_id):
        return modelarts_error(400, PARAMETER_ERROR, "Parameter error. job_id should be an integer")
    job = state.jobs.get(project_id, int(job_id))
    if job is None:
        return modelarts_error(404, *NOT_FOUND)
    body = public(job)
    body["is_success"] = True
    return json_response(200, body)
