# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A connection to one ModelArts project: credentials, project id and authorized requests.

Nothing is sent before the first request. The project id is resolved once (given,
from the token, or looked up by name in IAM). With password auth the issued token is
reused for every request and re-issued when it is about to expire (``expires_at``, less
:data:`RENEW_MARGIN_SECONDS`) or when a request is answered 401 (it expired early, or was
revoked); a request sends a second 401 back, never retried again. So one Connection serves
a long-running caller (the event source) for days.
Every failed IAM request becomes an AuthError, so that no IAM answer (a Keystone 404
for an unknown token, say) can ever be mistaken for a missing job.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from ._auth import AkSkAuth, TokenAuth, find_project_id, inspect_token, issue_token
from ._errors import AuthError, ModelArtsError
from ._header_values import is_id
from ._transport import Transport


RENEW_MARGIN_SECONDS = 300


def _expiry(expires_at):
    """IAM's ``expires_at`` (``2026-12-02T10:00:00.000000Z``) as an aware datetime, or None when unusable."""
    if not isinstance(expires_at, str) or not expires_at.strip():
        return None
    text = expires_at.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _answered_project_id(project_id):
    """A project id IAM answered, refused unless it looks like an id (a wrong answer is never pasted into a URL)."""
    if project_id and not is_id(project_id):
        raise ModelArtsError("IAM answered a project id that is not a ModelArts id (letters, digits, '-' and '_'"
                             " only); set project_id", status_code=200)
    return project_id


class Connection:
    """Authorized access to the ModelArts API of one project."""

    def __init__(self, settings, transport=None, now=None):
        self.settings = settings
        self.transport = transport or Transport(settings.timeout, settings.retries, settings.verify,
                                                environ=settings.environ)
        self.project_id = settings.project_id
        self.expires_at = None
        self._authorize = None
        self._token = settings.auth_token
        self._replaced_tokens = []  # issued to this connection, then renewed: still secrets
        self._now = now or (lambda: datetime.now(timezone.utc))

    def secrets(self):
        """Secret values this connection knows, including every token it was issued."""
        values = self.settings.secrets() + self._replaced_tokens
        if self._token:
            values.append(self._token)
        return values

    @property
    def token(self):
        """The token in use (None with AK/SK)."""
        return self._token

    def authenticate(self):
        """Make sure requests can be authorized and the project id is known."""
        if self._authorize is not None:
            return
        settings = self.settings
        if settings.auth_method == "aksk":
            authorize = AkSkAuth(settings.access_key, settings.secret_key, settings.security_token)
            if not self.project_id:
                self.project_id = _answered_project_id(self._iam(find_project_id, settings.scope_project_name, authorize))
            self._authorize = authorize
            return
        if settings.auth_method == "password":
            self._use(self._iam(issue_token, settings))
        elif not self.project_id:
            self._use(self._iam(inspect_token, self._token))
        self._authorize = TokenAuth(self._token)

    def _iam(self, call, *args):
        """Run one IAM call; any failure is an AuthError (authentication failed), never a ModelArts answer."""
        try:
            return call(self.transport, self.settings.iam_url, *args)
        except AuthError:
            raise
        except ModelArtsError as error:
            raise AuthError("authentication failed: %s" % error.message, status_code=error.status_code,
                            error_code=error.error_code, request_id=error.request_id, method=error.method,
                            url=error.url, attempts=error.attempts)

    def _use(self, issued):
        if self._token and self._token != issued.value:
            self._replaced_tokens.append(self._token)
        self._token = issued.value
        self.expires_at = issued.expires_at
        self.project_id = self.project_id or _answered_project_id(issued.project_id)
        if not self.project_id:
            raise ModelArtsError("the token is not scoped to a project; set project_id or project_name")
        self._authorize = TokenAuth(self._token)

    def _expiring(self):
        """True when the issued password token expires within RENEW_MARGIN_SECONDS (never for other methods)."""
        if self.settings.auth_method != "password":
            return False
        expiry = _expiry(self.expires_at)
        return expiry is not None and self._now() >= expiry - timedelta(seconds=RENEW_MARGIN_SECONDS)

    def _project_headers(self):
        return {"X-Project-Id": self.project_id} if self.settings.auth_method == "aksk" else {}

    def request(self, method, path, query=(), json_body=None):
        """Send ``method /v1/{project_id}<path>`` to ModelArts and return the decoded body.

        A GET is retried by the transport; a write only after a failure that proves it was not
        carried out (see ``_retry.may_retry``).
        """
        self.authenticate()
        if self._expiring():
            self._use(self._iam(issue_token, self.settings))
        url = "%s/v1/%s%s" % (self.settings.modelarts_url, quote(self.project_id, safe=""), path)
        idempotent = method == "GET"
        try:
            return self.transport.request(method, url, query, self._project_headers(), json_body=json_body,
                                          authorize=self._authorize, idempotent=idempotent).data
        except ModelArtsError as error:
            if error.status_code != 401 or self.settings.auth_method != "password":
                raise
        # A 401 was not processed, so sending the same request again with a new token is safe (once per request).
        self._use(self._iam(issue_token, self.settings))
        return self.transport.request(method, url, query, self._project_headers(), json_body=json_body,
                                      authorize=self._authorize, idempotent=idempotent).data

    def get(self, path, query=()):
        """GET ``/v1/{project_id}<path>`` from ModelArts and return the decoded body."""
        return self.request("GET", path, query)

    def close(self):
        """Close the HTTP session."""
        self.transport.close()
