# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM (Keystone v3) endpoints: issue and inspect tokens, look up projects."""

import datetime
import json

import auth
import seed
import signature
from responses import apigw_error, json_response, keystone_error

WRONG_CREDENTIALS = "The username or password is wrong."
NEEDS_AUTH = "The request you have made requires authentication."
DOMAIN = {"id": seed.DOMAIN_ID, "name": seed.DOMAIN_NAME}
ROLES = [
    {"id": "0123456789abcdef0123456789ab0001", "name": "te_admin"},
    {"id": "0123456789abcdef0123456789ab0002", "name": "modelarts_adm"},
]


class BadRequest(Exception):
    """The token request body is not a valid password authentication."""


def iso_time(epoch_seconds):
    """Return a Keystone timestamp such as ``2024-01-01T00:00:00.000000Z``."""
    moment = datetime.datetime.fromtimestamp(epoch_seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _project_ref(project_id):
    return {"id": project_id, "name": seed.PROJECT_NAMES[project_id], "domain": dict(DOMAIN)}


def token_body(token, with_catalog=True):
    """Return the JSON body describing a token (as POST/GET /v3/auth/tokens do)."""
    body = {
        "expires_at": iso_time(token.expires_at),
        "issued_at": iso_time(token.issued_at),
        "methods": ["password"],
        "user": {"id": seed.USER_ID, "name": seed.USER_NAME, "domain": dict(DOMAIN), "password_expires_at": ""},
        "roles": [dict(role) for role in ROLES],
    }
    if token.project is not None:
        body["project"] = token.project
    if with_catalog:
        body["catalog"] = []
    return {"token": body}


def _string(container, key):
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, str):
        raise BadRequest("auth.identity.password.user.%s must be a string" % key)
    return value


def _parse_password_auth(raw_body):
    """Return ``(user name, password, domain dict, scope)`` or raise BadRequest."""
    try:
        body = json.loads(raw_body.decode("utf-8"))
        auth_part = body["auth"]
        identity = auth_part["identity"]
        user = identity["password"]["user"]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BadRequest("The request body must be a Keystone v3 password authentication")
    methods = identity.get("methods") if isinstance(identity, dict) else None
    if not isinstance(methods, list) or "password" not in methods:
        raise BadRequest("auth.identity.methods must contain password")
    domain = user.get("domain") if isinstance(user, dict) else None
    if not isinstance(domain, dict):
        raise BadRequest("auth.identity.password.user.domain must be an object")
    scope = auth_part.get("scope")
    if scope is not None and not isinstance(scope, dict):
        raise BadRequest("auth.scope must be an object")
    return _string(user, "name"), _string(user, "password"), domain, scope or {}


def _scoped_project(scope):
    """Return the project ref named by the scope, None if unscoped; raise LookupError if unknown."""
    project = scope.get("project")
    if project is None:
        return None
    if not isinstance(project, dict):
        raise LookupError("scope.project must be an object")
    if project.get("id") in seed.PROJECT_NAMES:
        return _project_ref(project["id"])
    if "id" not in project and project.get("name") in seed.PROJECTS:
        return _project_ref(seed.PROJECTS[project["name"]])
    raise LookupError("The project in the scope could not be found.")


def issue_token(state, request):
    """Answer ``POST /v3/auth/tokens`` (password method)."""
    try:
        name, password, domain, scope = _parse_password_auth(request.body)
    except BadRequest as exc:
        return keystone_error(400, str(exc), "Bad Request")
    domain_ok = domain.get("name") == seed.DOMAIN_NAME or domain.get("id") == seed.DOMAIN_ID
    if not (domain_ok and name == seed.USER_NAME and password == seed.USER_PASSWORD):
        return keystone_error(401, WRONG_CREDENTIALS, "Unauthorized")
    try:
        project = _scoped_project(scope)
    except LookupError as exc:
        return keystone_error(400, str(exc), "Bad Request")
    token = state.tokens.issue(project, state.clock.now(), state.token_ttl)
    with_catalog = not request.params.get("nocatalog")
    return json_response(201, token_body(token, with_catalog), {"X-Subject-Token": token.value})


def check_subject_token(state, request):
    """Answer ``GET /v3/auth/tokens``: describe the X-Subject-Token for a valid caller."""
    caller, _error = auth.check_token(state, request.header("x-auth-token"))
    if caller is None:
        return keystone_error(401, NEEDS_AUTH, "Unauthorized")
    subject_value = request.header("x-subject-token")
    if not subject_value:
        return keystone_error(400, "The X-Subject-Token header is required.", "Bad Request")
    subject, _error = auth.check_token(state, subject_value)
    if subject is None:
        return keystone_error(404, "The token could not be found or has expired.", "Not Found")
    return json_response(200, token_body(subject), {"X-Subject-Token": subject_value})


def list_projects(state, request):
    """Answer ``GET /v3/projects`` (optional ``name`` filter), by token or AK/SK."""
    if request.header("x-auth-token"):
        token, _error = auth.check_token(state, request.header("x-auth-token"))
        if token is None:
            return keystone_error(401, NEEDS_AUTH, "Unauthorized")
    elif request.header("authorization"):
        try:
            auth.check_aksk(state, request)
        except signature.SignatureError as exc:
            return apigw_error(401, exc.code, exc.message, request.request_id)
    else:
        return keystone_error(401, NEEDS_AUTH, "Unauthorized")
    wanted = request.params.get("name")
    projects = [
        {"id": project_id, "name": name, "domain_id": seed.DOMAIN_ID, "enabled": True, "is_domain": False,
         "parent_id": seed.DOMAIN_ID, "description": ""}
        for name, project_id in seed.PROJECTS.items()
        if wanted is None or name == wanted
    ]
    self_link = request.base_url + request.path + ("?" + request.query if request.query else "")
    return json_response(200, {"projects": projects, "links": {"self": self_link, "next": None, "previous": None}})
