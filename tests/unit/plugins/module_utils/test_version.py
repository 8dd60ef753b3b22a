# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The version sent in the User-Agent is the version in galaxy.yml."""

from __future__ import annotations

import os

import yaml

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _version

GALAXY_YML = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml")


def test_version_matches_galaxy_yml():
    with open(GALAXY_YML, encoding="utf-8") as handle:
        galaxy = yaml.safe_load(handle)
    assert (galaxy["namespace"] + "." + galaxy["name"], galaxy["version"]) == (_version.COLLECTION_NAME, _version.COLLECTION_VERSION)
