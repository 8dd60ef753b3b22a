# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP request handler: read the request, apply faults, dispatch, answer, record."""

import socket
import ssl
import time
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler

import admin
import auth
import responses
import routing
import writes
from apirequest import ApiRequest

IS_SUCCESS_FALSE_BODY = {"is_success": False, "error_code": "ModelArts.0104", "error_message": "Parameter error."}
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout, ssl.SSLError)


def _header_text(value):
    """Undo http.server's latin-1 decoding so UTF-8 header values compare as sent."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


class EmulatorHandler(BaseHTTPRequestHandler):
    """Serves IAM, ModelArts and admin calls for an EmulatorServer."""

    protocol_version = "HTTP/1.1"
    server_version = "modelarts-emulator"
    timeout = 120

    def setup(self):
        self.request.settimeout(self.timeout)
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()
        self.server.track(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def version_string(self):
        """Return the Server header value."""
        return self.server_version

    def send_error(self, code, message=None, explain=None):
        """Answer protocol-level errors (bad request line, unsupported method) in JSON."""
        request_id = uuid.uuid4().hex
        reason = message or HTTPStatus(code).phrase
        self.close_connection = True
        response = responses.apigw_error(code, "APIGW.0101" if code in (404, 405, 501) else "APIGW.0201", reason, request_id)
        if self.command == "HEAD":
            response.body = b""
        response.headers["Connection"] = "close"
        self._send(response, request_id)

    def log_message(self, format, *args):
        """Silence http.server's own logging; AccessLog writes the lines."""

    def do_GET(self):
        """Serve a GET request."""
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length)

    def _serve(self):
        started = time.monotonic()
        received = time.time()
        request_id = uuid.uuid4().hex
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send(responses.json_response(400, {"error_msg": "Bad request body framing"}), request_id)
            return
        headers = {name.lower(): _header_text(value) for name, value in self.headers.items()}
        request = ApiRequest(self.command, self.path, headers, body, request_id, self.server.base_url)
        state = self.server.state
        if admin.is_admin_path(request.path):
            response = admin.handle(state, request)
            self._record(request, response.status, "admin", "none", None, started, received, in_request_log=False)
            self._send(response, request_id)
            self.server.count_request()
            return
        if state.transition_clock.resume_on_request:
            state.transition_clock.resume()  # the request sees the status as paused, then time goes on
        kind, args = routing.classify(request)
        fault = state.faults.take(kind, routing.list_page(kind, request))
        response = None
        carried_out = self._carry_out(request, kind, args, fault)
        if fault is not None and fault.action == "drop":
            self.close_connection = True
        else:
            response = self._answer(request, kind, args, fault, carried_out)
        # Record before answering, so a client that got its answer always finds it in the log.
        self._record(request, response.status if response else None, kind, routing.auth_label(kind, request),
                     fault.action if fault else None, started, received, in_request_log=True)
        if response is not None:
            self._send(response, request_id)
        self.server.count_request()

    def _carry_out(self, request, kind, args, fault):
        """For a fault with ``apply``: the endpoint's own Response, computed before the fault answers.

        With ``apply_after`` the request is carried out that many seconds later, in the background.
        """
        if fault is not None and fault.apply_after is not None:
            self.server.state.late_writes.schedule(fault.apply_after,
                                                   lambda: self._dispatch_quietly(request, kind, args))
            return None
        if fault is None or not fault.apply:
            return None
        return self._dispatch_quietly(request, kind, args)

    def _dispatch_quietly(self, request, kind, args):
        """The endpoint's Response (a 500 if the emulator has a bug)."""
        try:
            return routing.dispatch(self.server.state, request, kind, args)
        except Exception:  # the emulator must answer even when it has a bug
            return responses.modelarts_error(500, "ModelArts.0010", "Internal error.")

    def _answer(self, request, kind, args, fault, carried_out=None):
        state = self.server.state
        action = fault.action if fault else None
        if action == "barrier":
            # Read when the request arrives, answered once all have arrived: the held requests all see the state before
            # any of them was answered, however late the thread of a released one runs (a racer's create, sent as soon
            # as its own lookup was answered, is in no held lookup's answer).
            response = self._dispatch_quietly(request, kind, args)
            fault.hold()
            response.headers.update(fault.headers)
            return response
        if action == "slow":
            time.sleep(fault.delay)
        elif action == "concurrent":
            writes.concurrent_operation(state, fault.operation, request, args)
        if action == "slow" and carried_out is not None:
            response = carried_out
        elif action == "short_list":
            response = responses.short_list(self._dispatch_quietly(request, kind, args), fault.missing)
        elif action == "concurrent" and fault.apply_after is not None:
            response = responses.custom(fault.status, fault.body, fault.headers)  # carried out later (_carry_out)
        elif action in (None, "slow", "truncated_json", "concurrent"):
            try:
                response = routing.dispatch(state, request, kind, args)
            except Exception:  # the emulator must answer even when it has a bug
                response = responses.modelarts_error(500, "ModelArts.0010", "Internal error.")
            if action == "truncated_json":
                response = responses.truncated(response, fault.status)
        elif action == "status":
            response = responses.custom(fault.status, fault.body, fault.headers)
        elif action == "html":
            response = responses.html_page(fault.status)
        elif action == "failed_delete":
            response = writes.failed_delete(state, request, args[0], args[1], fault.job_status)
        elif action == "is_success_false":
            response = responses.json_response(fault.status, fault.body or IS_SUCCESS_FALSE_BODY)
        else:  # expire_token
            state.tokens.expire(request.header("x-auth-token"))
            response = responses.modelarts_auth_error(401, *auth.TOKEN_EXPIRED)
        if fault is not None and action != "status":
            response.headers.update(fault.headers)
        return response

    def _send(self, response, request_id):
        headers = {"x-request-id": ("X-Request-Id", request_id), "content-type": ("Content-Type", response.content_type)}
        for name, value in response.headers.items():
            headers[name.lower()] = (name, value)
        headers["content-length"] = ("Content-Length", str(len(response.body)))
        try:
            self.send_response(response.status)
            for name, value in headers.values():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
            self.wfile.flush()
        except CLIENT_GONE:
            self.close_connection = True

    def _record(self, request, status, kind, auth_method, fault, started, received, in_request_log):
        elapsed_ms = (time.monotonic() - started) * 1000.0
        target = request.path + ("?" + request.query if request.query else "")
        self.server.access_log.write(request.method, target, status, kind, auth_method, fault, elapsed_ms)
        if in_request_log:
            self.server.state.requests.add({
                "method": request.method, "path": request.path, "query": request.query,
                "status": status, "kind": kind, "auth": auth_method, "fault": fault,
                "listener": self.server.listener,
                # what the tests compare results and timings with: the X-Request-Id sent, and when
                # (epoch seconds) the request was received and its answer (or drop) was ready
                "request_id": request.request_id, "received": round(received, 6),
                "answered": round(received + elapsed_ms / 1000.0, 6),
            })
