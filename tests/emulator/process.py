# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator (emulator.py) as a child process, and a client of its admin API.

Standard library only. Used by bench/run.py, tests/reliability/harness.py and
tests/awx/check_awx.py, which put this directory on ``sys.path``.
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

EMULATOR_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "emulator.py")


class EmulatorError(Exception):
    """The emulator process did not start, or its admin API failed."""


class EmulatorProcess:
    """One emulator process, started on a free loopback port, stopped by its process id.

    Everything it writes goes to ``workdir``: ``port``, ``pid``, ``access.log``,
    ``output.log`` (its stdout and stderr) and, with ``tls``, ``certs/ca.pem``.
    """

    admin_timeout = 30

    def __init__(self, workdir, python=sys.executable, tls=False, bulk_jobs=0, lifetime=600, extra_args=(), env=None):
        self.workdir = workdir
        self.python = python or sys.executable
        self.tls = tls
        self.bulk_jobs = bulk_jobs
        self.lifetime = lifetime
        self.extra_args = tuple(extra_args)
        self.env = env
        self.port_file = os.path.join(workdir, "port")
        self.pid_file = os.path.join(workdir, "pid")
        self.log_file = os.path.join(workdir, "access.log")
        self.output_file = os.path.join(workdir, "output.log")
        self.cert_dir = os.path.join(workdir, "certs")
        self.ca_path = os.path.join(self.cert_dir, "ca.pem") if tls else None
        self.process = None
        self.port = None
        self._opener = None

    def __enter__(self):
        if self.port is None:
            try:
                if self.process is None:
                    self.launch()
                self.wait_ready()
            except BaseException:
                self.stop()
                raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self):
        """``http(s)://127.0.0.1:PORT`` once it listens, else None."""
        if self.port is None:
            return None
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    @property
    def pid(self):
        """The process id of the child, or None before launch()."""
        return self.process.pid if self.process is not None else None

    def launch(self):
        """Start the process without waiting for it to listen (see wait_ready)."""
        if self.process is not None:
            raise EmulatorError("emulator in %s: already launched (pid %d)" % (self.workdir, self.process.pid))
        os.makedirs(self.workdir, exist_ok=True)
        if os.path.exists(self.port_file):
            os.remove(self.port_file)  # left by a killed run: it must not be taken for this one's
        command = [self.python, EMULATOR_SCRIPT, "--port", "0", "--port-file", self.port_file, "--pid-file", self.pid_file,
                   "--log-file", self.log_file, "--lifetime", str(self.lifetime)]
        if self.tls:
            command += ["--tls", "--cert-dir", self.cert_dir]
        if self.bulk_jobs:
            command += ["--bulk-jobs", str(self.bulk_jobs)]
        command += list(self.extra_args)
        try:
            with open(self.output_file, "wb") as output:
                self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output,  # pylint: disable=consider-using-with
                                                stderr=subprocess.STDOUT, cwd=self.workdir, env=self.env,
                                                start_new_session=True)
        except OSError as error:
            raise EmulatorError("emulator in %s: cannot start %s: %s" % (self.workdir, self.python, error)) from None
        return self

    def wait_ready(self, timeout=30):
        """Wait for the port file, then GET health; on failure stop the child and raise EmulatorError."""
        if self.process is None:
            raise EmulatorError("emulator in %s: wait_ready() before launch()" % self.workdir)
        deadline = time.monotonic() + timeout
        try:
            while self.port is None:
                if self.process.poll() is not None:
                    raise EmulatorError("emulator (pid %d) exited with status %s before listening; see %s"
                                        % (self.process.pid, self.process.returncode, self.output_file))
                if time.monotonic() > deadline:
                    raise EmulatorError("emulator (pid %d) did not listen within %s s; see %s"
                                        % (self.process.pid, timeout, self.output_file))
                try:
                    with open(self.port_file, encoding="ascii") as handle:
                        text = handle.read().strip()
                except OSError:
                    text = ""
                if text.isdigit():
                    self.port = int(text)
                else:
                    time.sleep(0.02)
            self.admin("GET", "health")
        except EmulatorError:
            self.stop()
            raise
        return self

    def start(self, timeout=30):
        """launch() and wait_ready()."""
        self.launch()
        return self.wait_ready(timeout)

    def stop(self, timeout=10):
        """Stop the child by its process id: SIGTERM, then SIGKILL after ``timeout`` seconds. Idempotent."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
        except ProcessLookupError:
            pass

    @property
    def opener(self):
        """A urllib opener for the emulator: no proxies; with tls, trusting only ``ca_path``."""
        if self._opener is None:
            handlers = [urllib.request.ProxyHandler({})]
            if self.tls:
                handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=self.ca_path)))
            self._opener = urllib.request.build_opener(*handlers)
        return self._opener

    def admin(self, method, action, payload=None):
        """Call ``/__emulator__/<action>``; return the decoded JSON answer, raise EmulatorError unless it is 200."""
        if self.port is None:
            raise EmulatorError("emulator in %s: admin %s %s before it listens" % (self.workdir, method, action))
        if payload is None and method == "POST":
            payload = {}
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        request = urllib.request.Request("%s/__emulator__/%s" % (self.url, action), data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data is not None else {})
        try:
            with self.opener.open(request, timeout=self.admin_timeout) as answer:
                return json.loads(answer.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", errors="replace")[:500]
            raise EmulatorError("emulator at %s: %s %s answered %s: %s" % (self.url, method, action, error.code, body)) from None
        except (OSError, ValueError) as error:  # URLError is an OSError
            raise EmulatorError("emulator at %s: %s %s failed: %s" % (self.url, method, action, error)) from None

    def reset(self, tokens=False):
        """Clear the request log, faults and clock offset (and, with ``tokens``, forget issued tokens)."""
        self.admin("POST", "reset", {"tokens": True} if tokens else {})

    def add_faults(self, faults):
        """Inject faults (see faults.py); nothing for an empty list."""
        if faults:
            self.admin("POST", "faults", {"faults": list(faults)})

    def set_clock(self, offset):
        """Shift the emulator's clock by ``offset`` seconds."""
        self.admin("POST", "clock", {"offset_seconds": offset})

    def set_calendar(self, offset):
        """Give jobs created from now on a ``create_time`` shifted by ``offset`` seconds (signatures and tokens
        keep the real time)."""
        self.admin("POST", "calendar", {"offset_seconds": offset})

    def requests(self):
        """The request log (a request is recorded before it is answered)."""
        return self.admin("GET", "requests")["requests"]
