# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Machinery of the reliability suite: emulator processes and ansible-playbook runs (the secret scan: secret_scan.py).

Every path is computed from this file's location; every process started here is
stopped by its process id.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
CALLBACK_DIR = os.path.join(HERE, "callback_plugins")
CALLBACK_NAME = "reliability_json"
JSON_MARKER = "RELIABILITY_JSON "

sys.path.insert(0, os.path.join(REPO_ROOT, "tests", "emulator"))
from process import EmulatorError, EmulatorProcess  # noqa: E402  # pylint: disable=wrong-import-position,import-error

# Environment variables that would change what the module or ansible-playbook does.
_SCRUBBED_PREFIXES = ("ANSIBLE_", "HWCLOUD_", "OS_", "HUAWEICLOUD_")
_SCRUBBED_NAMES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                   "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "PYTHONPATH")


class HarnessError(Exception):
    """The suite's own machinery failed (not a scenario): emulator start, admin call, playbook launch."""


def free_port():
    """A loopback TCP port that nothing listens on (bound once, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Emulator(EmulatorProcess):
    """One emulator process in ``<workdir>/<name>`` (see tests/emulator/process.py); errors are HarnessError."""

    def __init__(self, workdir, name, python=None, tls=False, bulk_jobs=0, lifetime=600.0):
        super().__init__(os.path.join(workdir, name), python=python, tls=tls, bulk_jobs=bulk_jobs, lifetime=lifetime)
        self.name = name
        self.dir = self.workdir

    def launch(self):
        """Start the process (without waiting for it to listen)."""
        try:
            return super().launch()
        except EmulatorError as error:
            raise HarnessError("emulator %s: %s" % (self.name, error)) from None

    def wait_ready(self, timeout=30.0):
        """Wait for the port file, then check the admin API answers."""
        try:
            return super().wait_ready(timeout)
        except EmulatorError as error:
            raise HarnessError("emulator %s: %s" % (self.name, error)) from None

    def admin(self, method, action, payload=None):
        """Call the admin API; raise HarnessError unless it answers 200."""
        try:
            return super().admin(method, action, payload)
        except EmulatorError as error:
            raise HarnessError("emulator %s: %s" % (self.name, error)) from None

    def _call(self, method, path, payload=None):
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data is not None else {})
        try:
            with self.opener.open(request, timeout=10) as answer:
                return answer.status, dict(answer.headers), json.loads(answer.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read().decode("utf-8") or "{}")
        except (OSError, ValueError) as error:  # URLError is an OSError
            raise HarnessError("emulator %s: %s %s failed: %s" % (self.name, method, path, error)) from None

    def issue_token(self, username, password, domain_name, project_name):
        """Obtain a project-scoped token from the emulator's IAM, as a user would have one."""
        payload = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": username, "password": password, "domain": {"name": domain_name}}}},
            "scope": {"project": {"name": project_name}}}}
        status, headers, _body = self._call("POST", "/v3/auth/tokens?nocatalog=true", payload)
        token = {name.lower(): value for name, value in headers.items()}.get("x-subject-token")
        if status != 201 or not token:
            raise HarnessError("emulator %s did not issue a token (HTTP %s)" % (self.name, status))
        return token

    def settled_requests(self, expected, deadline=2.0, settle=0.05):
        """The request log once it has stopped changing for ``settle`` seconds.

        The emulator records a request just after answering it, so the log is read
        until it has been stable for a moment, and (up to ``deadline`` seconds) until
        it holds at least ``expected`` entries (slow faults log when their delay ends).
        """
        end = time.monotonic() + deadline
        entries = None
        stable_since = None
        while True:
            current = self.admin("GET", "requests")["requests"]
            now = time.monotonic()
            if entries is None or len(current) != len(entries):
                entries, stable_since = current, now
            elif now - stable_since >= settle and (len(entries) >= expected or now >= end):
                return entries
            time.sleep(0.01)

    def log_size(self):
        """The current size of the access log (to read what a scenario added)."""
        try:
            return os.path.getsize(self.log_file)
        except OSError:
            return 0

    def log_since(self, offset):
        """The access log lines written since ``offset``."""
        try:
            with open(self.log_file, "rb") as handle:
                handle.seek(offset)
                return handle.read().decode("utf-8", errors="replace")
        except OSError:
            return ""


class PlaybookRun:
    """What one ansible-playbook run produced."""

    def __init__(self, verbosity, rc, stdout, stderr, elapsed):
        self.verbosity = verbosity
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.elapsed = elapsed
        self.tasks = None
        self.parse_error = None
        for line in stdout.splitlines():
            if line.startswith(JSON_MARKER):
                try:
                    self.tasks = json.loads(line[len(JSON_MARKER):])["tasks"]
                except (ValueError, KeyError) as error:
                    self.parse_error = "the JSON line of the callback is unreadable: %s" % error
        if self.tasks is None and self.parse_error is None:
            self.parse_error = "the callback printed no JSON line (rc=%s)" % rc

    @property
    def label(self):
        """``-vvvv`` or ``default``."""
        return "-" + "v" * self.verbosity if self.verbosity else "default"

    def task(self, name):
        """The record of the task called ``name`` (the callback's JSON), or None."""
        for record in self.tasks or []:
            if record["name"] == name:
                return record
        return None


class Ansible:
    """Runs generated playbooks with one virtualenv's ansible-playbook against the collection in this tree."""

    def __init__(self, venv, workdir):
        self.venv = os.path.abspath(venv)
        self.python = os.path.join(self.venv, "bin", "python")
        self.playbook = os.path.join(self.venv, "bin", "ansible-playbook")
        for path in (self.python, self.playbook):
            if not os.access(path, os.X_OK):
                raise HarnessError("%s is not an executable (is %s a virtualenv with ansible-core?)" % (path, venv))
        self.dir = workdir
        os.makedirs(self.dir, exist_ok=True)
        namespace_dir = os.path.join(self.dir, "collections", "ansible_collections", "hwcloud")
        os.makedirs(namespace_dir, exist_ok=True)
        link = os.path.join(namespace_dir, "modelarts")
        if not os.path.islink(link):
            os.symlink(REPO_ROOT, link)
        self.inventory = os.path.join(self.dir, "inventory")
        with open(self.inventory, "w") as handle:
            handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % self.python)
        self.config = os.path.join(self.dir, "ansible.cfg")
        with open(self.config, "w") as handle:
            handle.write("[defaults]\n")
        self.version = self._probe()
        self.certifi_bundle = self.version.pop("certifi")
        self._counter = 0
        self._running = set()
        self._closed = False
        self._lock = threading.Lock()

    def _probe(self):
        code = ("import sys, certifi; from ansible.release import __version__ as v;"
                " print(v, sys.version.split()[0], certifi.where())")
        out = subprocess.run([self.python, "-c", code], capture_output=True, text=True, check=False, timeout=60)
        if out.returncode != 0:
            raise HarnessError("cannot import ansible and certifi with %s: %s" % (self.python, out.stderr.strip()[-300:]))
        core, python, certifi = out.stdout.split()
        return {"core": core, "python": python, "certifi": certifi}

    def close(self):
        """Start no more playbooks, and kill the process groups of those still running (on interruption)."""
        with self._lock:
            self._closed = True
            running = list(self._running)
        for process in running:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def environment(self, extra=None):
        """The environment of ansible-playbook: scrubbed of cloud, proxy and Ansible settings."""
        env = {name: value for name, value in os.environ.items()
               if not name.startswith(_SCRUBBED_PREFIXES) and name not in _SCRUBBED_NAMES}
        env.update({
            "ANSIBLE_CONFIG": self.config,
            "ANSIBLE_COLLECTIONS_PATH": os.path.join(self.dir, "collections"),
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
            "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_DIR,
            "ANSIBLE_STDOUT_CALLBACK": CALLBACK_NAME,
            "ANSIBLE_HOME": os.path.join(self.dir, "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": os.path.join(self.dir, "ansible-tmp"),
            "ANSIBLE_REMOTE_TEMP": os.path.join(self.dir, "ansible-remote-tmp"),
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            # The invocation (the module arguments) in every result, as ansible-core before 2.21 always adds it:
            # the secret scan then proves that no_log masks each secret option.
            "ANSIBLE_INJECT_INVOCATION": "true",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            "LC_ALL": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        env.update(extra or {})
        return env

    def run(self, name, tasks, verbosity=0, env=None, timeout=240):
        """Write a one-play playbook of ``tasks`` (dicts, see scenarios.playbook_tasks) and run it."""
        self._counter += 1
        path = os.path.join(self.dir, "%03d-%s-%s.yml" % (self._counter, re.sub(r"[^a-z0-9]+", "_", name.lower()),
                                                          "v%d" % verbosity))
        play = [{"name": name, "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
        with open(path, "w") as handle:
            json.dump(play, handle, indent=1)  # JSON is YAML
        command = [self.playbook, "-i", self.inventory, path]
        if verbosity:
            command.append("-" + "v" * verbosity)
        started = time.monotonic()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=self.environment(env), cwd=self.dir, start_new_session=True)
        with self._lock:
            self._running.add(process)
            if self._closed:
                os.killpg(process.pid, signal.SIGKILL)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            stderr += b"\n[reliability suite: ansible-playbook killed after %d s]\n" % timeout
        finally:
            with self._lock:
                self._running.discard(process)
        elapsed = time.monotonic() - started
        return PlaybookRun(verbosity, process.returncode, stdout.decode("utf-8", errors="replace"),
                           stderr.decode("utf-8", errors="replace"), elapsed)
