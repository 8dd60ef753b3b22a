# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication: how each request is authorized, and the IAM calls behind it.

- ``auth_token``: sent as X-Auth-Token (:class:`TokenAuth`).
- ``access_key`` + ``secret_key``: every request signed with SDK-HMAC-SHA256 (:class:`AkSkAuth`).
- ``username`` + ``password`` + ``domain_name``: a project-scoped token from IAM
  ``POST /v3/auth/tokens`` (:func:`issue_token`), then used like ``auth_token``.
"""

from __future__ import annotations

from ._errors import ModelArtsError
from ._signing import sign


class TokenAuth:
    """Authorizes requests with an IAM token."""

    method = "token"

    def __init__(self, token):
        self.token = token

    def __call__(self, method, url, query, headers, body):
        authorized = dict(headers)
        authorized["X-Auth-Token"] = self.token
        return authorized


class AkSkAuth:
    """Signs requests with an access key / secret key pair (and a security token for temporary keys)."""

    method = "aksk"

    def __init__(self, access_key, secret_key, security_token=None):
        self._access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token

    def __call__(self, method, url, query, headers, body):
        to_sign = dict(headers)
        if self._security_token:
            to_sign["X-Security-Token"] = self._security_token
        return sign(method, url, query, to_sign, body, self._access_key, self._secret_key)


class IssuedToken:
    """A token and what IAM said about it."""

    def __init__(self, value, project_id, expires_at):
        self.value = value
        self.project_id = project_id
        self.expires_at = expires_at


def _token_details(body):
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, dict):
        raise ModelArtsError("IAM answered without a token description")
    project = token.get("project") or {}
    return project.get("id"), token.get("expires_at")


def issue_token(transport, iam_url, settings):
    """Obtain a project-scoped token with the password method (``POST /v3/auth/tokens``)."""
    scope = {"id": settings.project_id} if settings.project_id else {"name": settings.scope_project_name}
    payload = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": settings.username, "password": settings.password, "domain": {"name": settings.domain_name}}}},
        "scope": {"project": scope},
    }}
    response = transport.request("POST", iam_url + "/auth/tokens", query=[("nocatalog", "true")], json_body=payload)
    value = response.headers.get("X-Subject-Token")
    if not value:
        raise ModelArtsError("IAM issued no token (no X-Subject-Token header)", status_code=response.status)
    return IssuedToken(value, *_token_details(response.data))


def inspect_token(transport, iam_url, token):
    """Ask IAM which project a pre-issued token belongs to (``GET /v3/auth/tokens``)."""
    response = transport.request("GET", iam_url + "/auth/tokens", headers={"X-Subject-Token": token},
                                 authorize=TokenAuth(token))
    return IssuedToken(token, *_token_details(response.data))


def find_project_id(transport, iam_url, name, authorize):
    """Look a project id up by name (``GET /v3/projects?name=``)."""
    response = transport.request("GET", iam_url + "/projects", query=[("name", name)], authorize=authorize)
    projects = response.data.get("projects") if isinstance(response.data, dict) else None
    for project in projects or []:
        if project.get("name") == name and project.get("id"):
            return project["id"]
    raise ModelArtsError("IAM knows no project named %r for these credentials; set project_id, or project_name"
                         " to the project's name (usually the region name, e.g. eu-de)" % name)
