# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator fixtures of the plugin tests, for the event source's tests."""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.tests.unit.plugins.conftest import emulator, emulator_server  # noqa: F401 pylint: disable=unused-import
