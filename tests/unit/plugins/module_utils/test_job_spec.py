# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of the lifecycle module: checks before any request, the create body and the would-be job."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _job_spec
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ConfigError


def test_create_body_holds_only_documented_fields():
    assert _job_spec.create_body("tb-a", "/b/a/") == {"job_name": "tb-a", "train_url": "/b/a/"}
    assert _job_spec.create_body("tb-a", "/b/a/", "", "mindinsight", "cpu", 0) == {
        "job_name": "tb-a", "train_url": "/b/a/", "job_desc": "", "job_type": "mindinsight", "flavor": {"code": "cpu"},
        "schedule": [{"type": "stop", "time_unit": "HOURS", "duration": 0}]}


@pytest.mark.parametrize("name", ["a", "tb-resnet_50", "x" * 20])
def test_valid_names(name):
    _job_spec.check_name(name)


@pytest.mark.parametrize("name", ["", "x" * 21, "tb resnet", "tb.resnet", "tb/x", "ü"])
def test_invalid_names(name):
    with pytest.raises(ConfigError, match="name must be 1 to 20"):
        _job_spec.check_name(name)


def test_description_length():
    _job_spec.check_description("d" * 256)
    with pytest.raises(ConfigError, match="at most 256"):
        _job_spec.check_description("d" * 257)


@pytest.mark.parametrize("params, text", [
    ({}, "one of name or job_id"),
    ({"name": "ok", "job_id": 0}, "job_id must be 1"),
    ({"name": "ok", "train_url": " "}, "train_url must not be empty"),
    ({"name": "ok", "flavor": ""}, "flavor must not be empty"),
    ({"name": "ok", "auto_stop_hours": -1}, "auto_stop_hours must be between 0 and 24"),
    ({"name": "ok", "auto_stop_hours": 25}, "auto_stop_hours must be between 0 and 24"),
    ({"name": "ok", "wait_timeout": 0}, "wait_timeout must be 1"),
])
def test_bad_options(params, text):
    with pytest.raises(ConfigError, match=text):
        _job_spec.JobSpec(params)


def test_the_would_be_job_knows_only_the_given_fields():
    spec = _job_spec.JobSpec({"name": "tb-a", "train_url": "/b/a/", "job_type": "mindinsight"})
    assert spec.would_be_job() == {"job_id": None, "job_name": "tb-a", "job_desc": "", "train_url": "/b/a/",
                                   "job_type": "mindinsight"}
    assert "job_type" not in _job_spec.JobSpec({"name": "tb-a"}).would_be_job()
