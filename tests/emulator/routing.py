# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Map a request to its kind (as recorded in the request log) and to the endpoint that answers it."""

import iam
import modelarts
import writes
from responses import not_found


def classify(request):
    """Return ``(kind, args)``: kind is iam_token, iam_token_check, iam_projects, list, details, a write
    (create, update, stop, restart, delete) or other."""
    method, segments = request.method, request.segments
    if segments == ["v3", "auth", "tokens"] and method in ("POST", "GET"):
        return ("iam_token" if method == "POST" else "iam_token_check"), ()
    if segments == ["v3", "projects"] and method == "GET":
        return "iam_projects", ()
    if method == "GET" and len(segments) in (3, 4) and segments[0] == "v1" and segments[2] == "visualization-jobs":
        if len(segments) == 3:
            return "list", (segments[1],)
        return "details", (segments[1], segments[3])
    return writes.classify(request) or ("other", ())


def list_page(kind, request):
    """Return the page number a list request asks for (1 by default), or None."""
    if kind != "list":
        return None
    value = request.params.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() else None


def auth_label(kind, request):
    """Return the auth method a request presents: token, aksk, password or none."""
    if kind == "iam_token":
        return "password"
    if request.header("x-auth-token"):
        return "token"
    if request.header("authorization"):
        return "aksk"
    return "none"


_ENDPOINTS = {
    "iam_token": iam.issue_token,
    "iam_token_check": iam.check_subject_token,
    "iam_projects": iam.list_projects,
    "list": modelarts.list_jobs,
    "details": modelarts.job_details,
}
_ENDPOINTS.update(writes.ENDPOINTS)


def dispatch(state, request, kind, args):
    """Return the Response of the endpoint for ``kind``."""
    endpoint = _ENDPOINTS.get(kind)
    if endpoint is None:
        return not_found(request.request_id)
    return endpoint(state, request, *args)
