# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator fixtures of the plugin tests, for the event source's tests."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.tests.unit.plugins.conftest import EmulatorClient, emulator_server  # noqa: F401 pylint: disable=unused-import


@pytest.fixture
def emulator(emulator_server):  # pylint: disable=redefined-outer-name
    """The http emulator, reset before the test with its seed jobs restored: the source's tests create, change and
    delete jobs, and each expects the seeded ones (whatever ran before it)."""
    client = EmulatorClient(emulator_server)
    client.admin("POST", "reset", {"tokens": True, "jobs": True})
    return client
