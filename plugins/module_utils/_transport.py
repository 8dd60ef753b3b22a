# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport: one requests Session per module run, retries, and response decoding.

This is the only place that imports ``requests``. Every request goes through
:meth:`Transport.request`, which signs or authorizes each attempt through a callback,
retries what :mod:`._retry` says is retryable, and turns every failure (HTTP error,
cloud error body, non-JSON body, connection or TLS problem) into a ModelArtsError.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import traceback
from contextlib import contextmanager
from urllib.parse import urlsplit

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ._errors import ModelArtsError, check_response, decode_body, redirect_error
from ._retry import RETRY_STATUSES, RetryPolicy, may_retry, parse_retry_after
from ._signing import encode_query
from ._version import COLLECTION_NAME, COLLECTION_VERSION

try:
    import requests
    import requests.utils
    import urllib3
    from requests import exceptions as request_errors
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

USER_AGENT = "%s/%s (ansible-core/%s; python/%s)" % (
    COLLECTION_NAME, COLLECTION_VERSION, ANSIBLE_VERSION, platform.python_version())


class Response:
    """A successful answer: a 2xx whose body is a JSON object (``data``)."""

    def __init__(self, status, headers, data):
        self.status = status
        self.headers = headers
        self.data = data


def _ssl_reason(text):
    match = re.search(r"certificate verify failed: ([^(')\]]+)", text)
    return match.group(1).strip() if match else "certificate verify failed"


def describe_transport_error(exc, url, timeout):
    """A one-line explanation of a connection-level failure that names the endpoint."""
    host = urlsplit(url).netloc
    text = str(exc)
    if isinstance(exc, request_errors.SSLError):
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            return ("TLS error talking to %s: the server certificate was not trusted (%s). Set ca_path to the CA"
                    " bundle that signed it, or validate_certs to false (never in production)" % (host, _ssl_reason(text)))
        return "TLS error talking to %s: %s" % (host, text.splitlines()[-1][:200])
    if isinstance(exc, request_errors.ConnectTimeout):
        return "could not connect to %s within %s s (connect timeout)" % (host, timeout)
    if isinstance(exc, request_errors.ReadTimeout) or "Read timed out" in text:
        return "no answer from %s within %s s (read timeout)" % (host, timeout)
    if isinstance(exc, request_errors.ProxyError):
        return "could not reach %s through the proxy: %s" % (host, text[-200:])
    if "refused" in text:
        return "could not connect to %s: connection refused" % host
    if any(marker in text for marker in ("Name or service not known", "Temporary failure in name resolution",
                                         "nodename nor servname", "getaddrinfo failed", "No address associated")):
        return "could not connect to %s: the host name could not be resolved" % host
    if any(marker in text for marker in ("RemoteDisconnected", "Connection aborted", "Connection reset", "closed connection")):
        return "%s closed the connection without an answer" % host
    return "could not connect to %s: %s" % (host, text[-200:])


# Why a request could not even be prepared or sent, by exception class: fixed texts, because these exceptions
# quote what they refused (requests' InvalidHeader quotes the whole header value, a secret token say).
_UNSENDABLE = (
    ("InvalidHeader", "a header value was refused (a credential or project id with a line break or other invalid"
                      " character)"),
    ("InvalidURL", "the URL is not valid"),
    ("InvalidSchema", "the URL's scheme is not supported"),
    ("MissingSchema", "the URL has no scheme"),
    ("LocationParseError", "the URL could not be parsed"),
    ("UnicodeError", "a host name or header could not be encoded (IDNA or Latin-1)"),
)


def describe_unsendable(exc):
    """A one-line cause for an exception raised while preparing or sending a request, never quoting a value."""
    names = [cls.__name__ for cls in type(exc).__mro__]
    for name, text in _UNSENDABLE:
        if name in names:
            return "the request could not be sent: %s (%s)" % (text, type(exc).__name__)
    return "the request could not be sent (%s)" % type(exc).__name__


def _never_connected(exc):
    """True when no connection to the server was made, so the request certainly never left this host."""
    if isinstance(exc, request_errors.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    # NewConnectionError covers a refused connection and a host name that cannot be resolved;
    # a proxy in between may have passed the request on, so ProxyError is not counted.
    return (isinstance(reason, urllib3.exceptions.NewConnectionError)
            and not isinstance(exc, request_errors.ProxyError))


def _is_proxy_variable(name):
    """True for a variable that decides the proxy: every ``*_proxy`` (``no_proxy`` included), in any case.

    ``REQUEST_METHOD`` too: with it set (a CGI script), urllib ignores ``HTTP_PROXY``.
    """
    return name.lower().endswith("_proxy") or name == "REQUEST_METHOD"


@contextmanager
def _proxy_variables(environ):
    """Make the proxy variables of ``os.environ`` exactly those of ``environ`` for the duration, then restore them.

    requests and urllib read only ``os.environ``; this lets their own rules apply to a task's environment.
    The worker process runs one task at a time; a caller whose ``environ`` is ``os.environ`` (a module,
    the event source's polling thread) changes nothing.
    """
    if environ is os.environ:
        yield
        return
    saved = dict((name, value) for name, value in os.environ.items() if _is_proxy_variable(name))
    try:
        for name in saved:
            del os.environ[name]
        os.environ.update((name, value) for name, value in environ.items() if _is_proxy_variable(name))
        yield
    finally:
        for name in [name for name in os.environ if _is_proxy_variable(name)]:
            del os.environ[name]
        os.environ.update(saved)


def _proxy_for(url, environ):
    """The proxy ``requests`` would take for ``url`` from the environment ``environ`` (None: go direct).

    requests' own functions decide (``get_environ_proxies``: ``no_proxy`` with host names, domain
    suffixes, ports, CIDR ranges and ``*``; ``<scheme>_proxy`` then ``all_proxy``, lower case first;
    ``select_proxy``), so that a task's ``environment:`` applies exactly as to plain requests.
    """
    with _proxy_variables(environ):
        proxies = requests.utils.get_environ_proxies(url)
    return requests.utils.select_proxy(url, proxies)


class Transport:
    """Sends requests over one keep-alive Session, with retries and uniform errors.

    ``environ`` is the environment the task runs with: its proxy variables and
    ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` apply as ``requests`` would apply them from the
    process environment (the Session itself does not read the environment).
    """

    def __init__(self, timeout, retries, verify=True, policy=None, environ=None):
        self.timeout = timeout
        self.policy = policy or RetryPolicy(retries)
        self.environ = os.environ if environ is None else environ
        if verify is True:
            verify = self.environ.get("REQUESTS_CA_BUNDLE") or self.environ.get("CURL_CA_BUNDLE") or True
        self.verify = verify
        self.session = requests.Session()
        self.session.trust_env = False  # proxies and CA bundle come from self.environ, per request
        if verify is False:
            # The user chose validate_certs=false; urllib3's per-request warning would only add noise on stderr.
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"

    def close(self):
        """Release the pooled connections."""
        self.session.close()

    def request(self, method, url, query=(), headers=None, json_body=None, authorize=None, idempotent=True):
        """Send a request and return its decoded Response.

        ``query`` is a list of (name, value) pairs, sent sorted and encoded exactly as
        AK/SK signing canonicalizes them. ``authorize(method, url, query, headers, body)``
        returns the headers to send and runs again for every attempt (fresh X-Sdk-Date).
        With ``idempotent=False`` (a write) the request is sent again only when the failure
        proves it was not carried out (see ``_retry.may_retry``): a write whose answer was
        lost may have happened, so the caller looks before repeating it.
        """
        wire_query = encode_query(query) if query else ""
        full_url = url + ("?" + wire_query if wire_query else "")
        body = json.dumps(json_body, separators=(",", ":")).encode("utf-8") if json_body is not None else b""
        base_headers = dict(headers or {})
        if body:
            base_headers["Content-Type"] = "application/json;charset=utf8"
        attempt = 0
        while True:
            attempt += 1
            try:
                send_headers = authorize(method, url, wire_query, base_headers, body) if authorize else base_headers
            except (UnicodeError, ValueError) as exc:
                raise ModelArtsError("the request could not be signed (%s)" % type(exc).__name__, method=method,
                                     url=full_url, sent=False) from None
            try:
                return self._attempt(method, full_url, send_headers, body)
            except ModelArtsError as error:
                error.attempts = attempt
                if not may_retry(error, idempotent) or attempt >= self.policy.attempts:
                    raise
                delay = self.policy.delay(attempt, error.retry_after)
                if delay is None:
                    error.message += " (the server asked to retry after %d seconds, longer than this module waits)" % error.retry_after
                    raise
                self.policy.wait(delay)

    def _attempt(self, method, url, headers, body):
        """One try: the decoded Response, or a ModelArtsError saying whether to retry."""
        try:
            proxy = _proxy_for(url, self.environ)
            answer = self.session.request(method, url, data=body or None, headers=headers, verify=self.verify,
                                          proxies={urlsplit(url).scheme: proxy} if proxy else None,
                                          timeout=self.timeout, allow_redirects=False)
        except request_errors.SSLError as exc:
            raise ModelArtsError(describe_transport_error(exc, url, self.timeout), method=method, url=url)
        except (request_errors.ConnectionError, request_errors.Timeout, request_errors.ChunkedEncodingError) as exc:
            raise ModelArtsError(describe_transport_error(exc, url, self.timeout), method=method, url=url, retryable=True,
                                 sent=not _never_connected(exc))
        except (request_errors.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, UnicodeError,
                ValueError) as exc:
            # InvalidHeader, InvalidURL, InvalidSchema, MissingSchema, LocationParseError, IDNA: nothing was sent.
            raise ModelArtsError(describe_unsendable(exc), method=method, url=url, sent=False) from None
        status = answer.status_code
        request_id = answer.headers.get("X-Request-Id")
        retryable = status in RETRY_STATUSES
        try:
            if 300 <= status < 400:
                raise redirect_error(status, answer.headers.get("Location"), method, url, request_id)
            data = decode_body(status, answer.headers.get("Content-Type"), answer.content, method, url, request_id)
            if request_id is None and isinstance(data, dict):
                request_id = data.get("request_id")
            check_response(status, data, method, url, request_id)
        except ModelArtsError as error:
            error.retryable = retryable
            if status in (429, 503):
                error.retry_after = parse_retry_after(answer.headers.get("Retry-After"))
            raise
        return Response(status, answer.headers, data)
