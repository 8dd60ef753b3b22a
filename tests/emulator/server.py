# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The threaded loopback HTTP(S) server and the Emulator object that runs it."""

import ipaddress
import shutil
import socket
import socketserver
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer

import tls as tls_material
from accesslog import AccessLog
from handler import EmulatorHandler
from state import EmulatorState


def loopback_address(host):
    """Return the IPv4 loopback address to bind for ``host``; raise ValueError otherwise."""
    address = "127.0.0.1" if host == "localhost" else host
    try:
        is_loopback = ipaddress.IPv4Address(address).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise ValueError("the emulator only listens on IPv4 loopback (127.0.0.0/8 or localhost), not %r" % host)
    return address


class EmulatorServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that holds the shared state and tracks open connections."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, state, access_log, max_requests, on_limit, listener="main"):
        self.state = state
        self.listener = listener
        self.access_log = access_log
        self.scheme = "http"
        self._max_requests = max_requests
        self._on_limit = on_limit
        self._served = 0
        self._connections = set()
        self._lock = threading.Lock()
        super().__init__(address, EmulatorHandler)

    def server_bind(self):
        """Bind without the reverse DNS lookup that HTTPServer.server_bind does."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    @property
    def base_url(self):
        """Return ``scheme://host:port`` of this server."""
        return "%s://%s:%d" % (self.scheme, self.server_name, self.server_port)

    def track(self, connection):
        """Remember an open client connection."""
        with self._lock:
            self._connections.add(connection)

    def untrack(self, connection):
        """Forget a closed client connection."""
        with self._lock:
            self._connections.discard(connection)

    def close_connections(self):
        """Shut down every open client connection (used when stopping)."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def count_request(self):
        """Count a served request; ask to stop once the request limit is reached."""
        with self._lock:
            self._served += 1
            reached = bool(self._max_requests) and self._served >= self._max_requests
        if reached:
            self._on_limit()

    def handle_error(self, request, client_address):
        """Ignore clients that went away; report anything else."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class Emulator:
    """A running (or ready to run) emulator: ``url``, ``port``, ``ca_path``, ``state``, ``stop()``.

    With ``foreign_listener`` it also listens on a second port (``foreign_url``) with the same
    state, its requests logged with ``"listener": "foreign"``: a stand-in for a server that
    credentials must never reach (a leftover ``OS_AUTH_URL``, say).
    """

    def __init__(self, host="127.0.0.1", port=0, tls=False, cert_dir=None, bulk_jobs=0,
                 token_ttl=86400, max_requests=None, lifetime=None, log_stream=None, transition_seconds=1.0,
                 foreign_listener=False):
        self.host = loopback_address(host)
        self.state = EmulatorState(bulk_jobs=bulk_jobs, token_ttl=token_ttl, transition_seconds=transition_seconds)
        self._lifetime = lifetime
        self._stop_requested = threading.Event()
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._threads = []
        self._temp_dir = None
        self.access_log = AccessLog(log_stream)
        self.server = EmulatorServer((self.host, port), self.state, self.access_log, max_requests,
                                     self._stop_requested.set)
        self.port = self.server.server_address[1]
        self.servers = [self.server]
        if foreign_listener:
            self.servers.append(EmulatorServer((self.host, 0), self.state, self.access_log, max_requests,
                                               self._stop_requested.set, listener="foreign"))
        self.ca_path = None
        if tls:
            try:
                self._enable_tls(cert_dir)
            except Exception:
                for server in self.servers:
                    server.server_close()
                raise
        self.url = self.server.base_url
        self.foreign_url = self.servers[1].base_url if foreign_listener else None

    def _enable_tls(self, cert_dir):
        if cert_dir is None:
            self._temp_dir = tempfile.mkdtemp(prefix="modelarts-emulator-tls-")
            cert_dir = self._temp_dir
        self.ca_path, cert_path, key_path = tls_material.write_certificates(cert_dir, self.host)
        context = tls_material.server_context(cert_path, key_path)
        for server in self.servers:
            server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
            server.scheme = "https"

    def start(self):
        """Serve in daemon threads; stop after ``lifetime`` seconds or the request limit."""
        self._threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                          name="emulator-serve-" + server.listener, daemon=True)
                         for server in self.servers]
        self._threads.append(threading.Thread(target=self._watch, name="emulator-watchdog", daemon=True))
        for thread in self._threads:
            thread.start()
        return self

    def _watch(self):
        self._stop_requested.wait(self._lifetime)
        self.stop()

    def request_stop(self):
        """Ask the emulator to stop soon (safe from signal handlers and request threads)."""
        self._stop_requested.set()

    def stop(self):
        """Stop serving, close connections and the socket, remove temporary files."""
        with self._lock:
            if self._stopped.is_set():
                return
            self._stop_requested.set()
            for server in self.servers:
                if self._threads:
                    server.shutdown()
                server.close_connections()
                server.server_close()
            if self._temp_dir:
                shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._stopped.set()

    def wait(self, timeout=None):
        """Wait until the emulator has stopped; return True if it has."""
        return self._stopped.wait(timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start_emulator(**options):
    """Start an emulator in daemon threads and return it (see Emulator for options)."""
    return Emulator(**options).start()
