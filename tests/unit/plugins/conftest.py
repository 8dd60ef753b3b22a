# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: the bundled emulator, in-process, reset before each test."""

from __future__ import annotations

import json
import os
import sys
import urllib.request

import pytest

EMULATOR_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "emulator")


class EmulatorClient:
    """The running emulator plus helpers for its admin API."""

    def __init__(self, server):
        self.server = server
        self.url = server.url

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + "/__emulator__/" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310 - loopback emulator
            return json.loads(response.read() or b"{}")

    def faults(self, *faults):
        self.admin("POST", "faults", {"faults": list(faults)})

    def requests(self):
        return self.admin("GET", "requests")["requests"]

    def kinds(self):
        return [entry["kind"] for entry in self.requests()]


def _start_emulator(**options):
    sys.path.insert(0, os.path.abspath(EMULATOR_DIR))
    try:
        from server import start_emulator  # pylint: disable=import-outside-toplevel,import-error
    finally:
        sys.path.pop(0)
    return start_emulator(**options)


@pytest.fixture(scope="session")
def emulator_server():
    """The emulator over http, with 250 jobs in project eu-nl for pagination."""
    server = _start_emulator(bulk_jobs=250)
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server):
    """The http emulator, reset (log, faults, tokens, clock) before the test."""
    client = EmulatorClient(emulator_server)
    client.admin("POST", "reset", {"tokens": True})
    return client


@pytest.fixture(scope="session")
def tls_emulator():
    """An emulator over https with a generated CA (``.ca_path``)."""
    server = _start_emulator(tls=True)
    yield server
    server.stop()
