# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A connection to one ModelArts project: credentials, project id and authorized requests.

Nothing is sent before the first request. The project id is resolved once (given,
from the token, or looked up by name in IAM), and with password auth a token that
expires mid-run (HTTP 401) is replaced once; a second 401 is reported, not retried.
Every failed IAM request becomes an AuthError, so that no IAM answer (a Keystone 404
for an unknown token, say) can ever be mistaken for a missing job.
"""

from __future__ import annotations

from ._auth import AkSkAuth, TokenAuth, find_project_id, inspect_token, issue_token
from ._errors import AuthError, ModelArtsError
from ._transport import Transport


class Connection:
    """Authorized access to the ModelArts API of one project."""

    def __init__(self, settings, transport=None):
        self.settings = settings
        self.transport = transport or Transport(settings.timeout, settings.retries, settings.verify,
                                                environ=settings.environ)
        self.project_id = settings.project_id
        self.expires_at = None
        self._authorize = None
        self._token = settings.auth_token
        self._reauthenticated = False

    def secrets(self):
        """Secret values this connection knows, including a token it was issued."""
        values = self.settings.secrets()
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
                self.project_id = self._iam(find_project_id, settings.scope_project_name, authorize)
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
        self._token = issued.value
        self.expires_at = issued.expires_at
        self.project_id = self.project_id or issued.project_id
        if not self.project_id:
            raise ModelArtsError("the token is not scoped to a project; set project_id or project_name")
        self._authorize = TokenAuth(self._token)

    def _project_headers(self):
        return {"X-Project-Id": self.project_id} if self.settings.auth_method == "aksk" else {}

    def request(self, method, path, query=(), json_body=None):
        """Send ``method /v1/{project_id}<path>`` to ModelArts and return the decoded body.

        A GET is retried by the transport; a write only after a failure that proves it was not
        carried out (see ``_retry.may_retry``).
        """
        self.authenticate()
        url = "%s/v1/%s%s" % (self.settings.modelarts_url, self.project_id, path)
        idempotent = method == "GET"
        try:
            return self.transport.request(method, url, query, self._project_headers(), json_body=json_body,
                                          authorize=self._authorize, idempotent=idempotent).data
        except ModelArtsError as error:
            if error.status_code != 401 or self.settings.auth_method != "password" or self._reauthenticated:
                raise
        # A 401 was not processed, so sending the same request again with a new token is safe.
        self._reauthenticated = True
        self._use(self._iam(issue_token, self.settings))
        return self.transport.request(method, url, query, self._project_headers(), json_body=json_body,
                                      authorize=self._authorize, idempotent=idempotent).data

    def get(self, path, query=()):
        """GET ``/v1/{project_id}<path>`` from ModelArts and return the decoded body."""
        return self.request("GET", path, query)

    def close(self):
        """Close the HTTP session."""
        self.transport.close()
