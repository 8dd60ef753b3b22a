# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RETURN says what the code returns: the failure keys of every module and the fields the info module adds."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _jobs, _task
from ansible_collections.hwcloud.modelarts.plugins.modules import (
    auth, modelarts_visualization_job, modelarts_visualization_job_info)

MODULES = [auth, modelarts_visualization_job, modelarts_visualization_job_info]


def _returns(module):
    return yaml.safe_load(module.RETURN)


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def test_every_failure_key_is_documented_as_returned_on_failure(module):
    returns = _returns(module)
    for key in _task.FAILURE_FIELDS:
        assert key in returns, "%s: RETURN does not document %s" % (module.__name__, key)
        assert returns[key]["returned"] == "on failure"
        assert "null" in " ".join(_as_list(returns[key]["description"]))


def test_a_failure_has_every_failure_key_even_without_a_request():
    result = _task.failure("the option region is wrong")
    assert set(_task.FAILURE_FIELDS) <= set(result)
    assert all(result[key] is None for key in _task.FAILURE_FIELDS)


def test_the_fields_the_module_adds_are_the_ones_return_names_as_added():
    returns = _returns(modelarts_visualization_job_info)["visualization_jobs"]
    raw = {"job_id": 1, "job_name": "tb", "status": 8}
    added = set(_jobs.normalize_job(raw)) - set(raw)
    text = " ".join(_as_list(returns["description"]))
    named = {field for field in returns["contains"] if "RV(visualization_jobs[].%s)" % field in text}
    assert named == added
    # and each added field is documented as always returned
    assert all(returns["contains"][field]["returned"] == "always" for field in added)


def _as_list(value):
    return value if isinstance(value, list) else [value]
