# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection version, sent in the User-Agent (a unit test keeps it equal to galaxy.yml)."""

from __future__ import annotations

COLLECTION_NAME = "hwcloud.modelarts"
COLLECTION_VERSION = "1.0.0"
