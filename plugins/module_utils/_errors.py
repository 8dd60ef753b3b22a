# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's error types and the decoding of cloud answers.

Every failure the client can meet becomes a :class:`ModelArtsError` carrying the HTTP
status, the cloud's ``error_code``, its message and the request id, so that modules
turn any of them into the same ``fail_json`` result.
"""

from __future__ import annotations

import json
import re

EXCERPT_LENGTH = 160

# Short, actionable hints for the error codes users meet most (see the troubleshooting guide).
HINTS = {
    "APIGW.0301": "check access_key and secret_key (and security_token for temporary credentials)",
    "APIGW.0303": "X-Sdk-Date was rejected: check the clock of the host running the module"
                  " (it must be within 15 minutes of the cloud's time; use NTP)",
    "ModelArts.0104": "a request parameter was rejected: check status, search_content, sort_by and order",
    "ModelArts.0201": "the request carried no token: set auth_token or other credentials",
    "ModelArts.0202": "the token has expired: request a new one (tokens live 24 hours)",
    "ModelArts.0203": "the token is invalid: request a new one",
    "ModelArts.0204": "use a project-scoped token (set project_id or project_name when authenticating)",
    "ModelArts.0207": "use a token scoped to a project of this region",
    "ModelArts.0210": "check project_id: it must be the id of the project the credentials or the token are scoped to, in this region",
    "ModelArts.0212": "use a project-scoped token (set project_id or project_name when authenticating)",
}


class ConfigError(Exception):
    """Invalid module input, found before any request is sent; the message names the option."""


class MissingLibrary(Exception):
    """A Python library the host running the task lacks (the task fails with missing_required_lib)."""

    def __init__(self, library, import_error):
        super().__init__(library)
        self.library = library
        self.import_error = import_error


class ModelArtsError(Exception):
    """A failed request: HTTP status, cloud error code, message and request id.

    ``retryable`` says whether sending the request again may help; ``sent`` is False only when the
    request certainly never reached a server (no connection could be made), which makes even a
    write safe to send again.
    """

    def __init__(self, message, status_code=None, error_code=None, request_id=None, method=None, url=None, attempts=1,
                 retryable=False, sent=True):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.error_code = error_code
        self.request_id = request_id
        self.method = method
        self.url = url
        self.attempts = attempts
        self.retryable = retryable
        self.sent = sent
        self.retry_after = None

    def __str__(self):
        text = ""
        if self.method and self.url:
            text = "%s %s failed" % (self.method, self.url)
            text += " after %d attempts: " % self.attempts if self.attempts and self.attempts > 1 else ": "
        if self.status_code is not None:
            text += "HTTP %s" % self.status_code
            text += " %s: " % self.error_code if self.error_code else ": "
        text += self.message
        if self.request_id:
            text += " (request id %s)" % self.request_id
        hint = HINTS.get(self.error_code or "")
        if hint:
            text += ". Hint: " + hint
        return text

    def result(self):
        """The keyword arguments for ``fail_json``: msg, status_code, error_code, request_id."""
        return dict(msg=str(self), status_code=self.status_code, error_code=self.error_code, request_id=self.request_id)


class AuthError(ModelArtsError):
    """A failed IAM request (token issue or inspection, project lookup): never "not found", whatever its status."""


def excerpt(text, length=EXCERPT_LENGTH):
    """A short single-line excerpt of a body, with HTML tags and runs of blanks removed."""
    text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "..."


def _error_fields(body):
    """Pull (error_code, message) out of the error body shapes Huawei's services use."""
    if not isinstance(body, dict):
        return None, None
    code = body.get("error_code") or body.get("code")
    message = body.get("error_message") or body.get("error_msg") or body.get("message")
    nested = body.get("error")
    if isinstance(nested, dict):
        # Keystone puts the HTTP status in error.code; only a string there is an error code.
        if not code and isinstance(nested.get("code"), str):
            code = nested["code"]
        message = message or nested.get("message")
    if code is not None and not isinstance(code, str):
        code = str(code)
    return code, message


EMPTY_BODY = object()  # what decode_body returns for an answer without a body (JSON null is None)


def decode_body(status, content_type, raw, method, url, request_id):
    """Decode a JSON response body (EMPTY_BODY when there is none), or raise a ModelArtsError that explains why it cannot."""
    if not raw:
        return EMPTY_BODY
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        html = "html" in (content_type or "").lower() or text.lstrip().startswith("<")
        kind = "an HTML page instead of JSON" if html else "a body that is not valid JSON"
        message = "the server answered with %s: %s" % (kind, excerpt(text))
        raise ModelArtsError(message, status_code=status, method=method, url=url, request_id=request_id)


def redirect_error(status, location, method, url, request_id):
    """The error for a 3xx answer: redirects are never followed, so credentials go only to the configured endpoint."""
    target = excerpt(location) if location else "no Location given"
    return ModelArtsError("the server redirected the request (to %s) instead of answering; redirects are not followed,"
                          " so that credentials go only to the configured endpoint. Hint: check the endpoint's scheme"
                          " (https://) and host" % target, status_code=status, method=method, url=url, request_id=request_id)


def _json_kind(body):
    """How to name a decoded body that is not an object: an empty body, a JSON array, string, number, ..."""
    if body is EMPTY_BODY:
        return "an empty body"
    names = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "a JSON %s" % names.get(type(body), "null")


def check_response(status, body, method, url, request_id):
    """Raise the matching ModelArtsError unless the answer is a 2xx with a JSON object that is not ``is_success: false``."""
    success = 200 <= status < 300
    if success and isinstance(body, dict) and body.get("is_success") is not False:
        return
    if success and not isinstance(body, dict):
        raise ModelArtsError("the server answered with %s instead of a JSON object" % _json_kind(body),
                             status_code=status, method=method, url=url, request_id=request_id)
    code, message = _error_fields(body)
    if not message:
        message = "the request was not successful" if success else "no error message in the response"
    raise ModelArtsError(message, status_code=status, error_code=code, request_id=request_id, method=method, url=url)
