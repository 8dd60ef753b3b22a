# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which create-only options a job as read shows otherwise: compared only when the job shows them."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._job_drift import create_only_drift
from ansible_collections.hwcloud.modelarts.plugins.module_utils._job_spec import JobSpec


def spec(**options):
    return JobSpec(dict(dict(name="tb-x"), **options))


@pytest.mark.parametrize("job, expected", [
    ({"schedule": [{"type": "stop", "timeUnit": "HOURS", "duration": 4}]}, [("auto_stop_hours", 4)]),
    ({"schedule": {"type": "stop", "time_unit": "HOURS", "duration": 5}}, [("auto_stop_hours", 5)]),
    ({"schedule": [{"type": "stop", "time_unit": "HOURS", "duration": 2}]}, []),
    ({"schedule": None}, [("auto_stop_hours", "none (no auto-stop)")]),
    ({"schedule": []}, [("auto_stop_hours", "none (no auto-stop)")]),
    ({}, []),
    ({"schedule": [{"type": "stop", "timeUnit": "MINUTES", "duration": 4}]}, []),
    ({"schedule": [{"type": "stop", "timeUnit": "HOURS", "duration": True}]}, []),
    ({"schedule": "4h"}, []),
], ids=["list camelCase", "object snake_case", "same hours", "null", "empty", "not shown", "other unit",
        "not an int", "not a schedule"])
def test_the_schedule_is_read_in_each_shape_and_compared_only_when_shown(job, expected):
    assert create_only_drift(spec(auto_stop_hours=2), job) == expected


@pytest.mark.parametrize("job, expected", [
    ({"job_type": "mindinsight", "flavor": {"code": "a"}}, [("job_type", "mindinsight"), ("flavor", "a")]),
    ({"job_type": "tensorboard", "flavor": {"code": "b"}}, []),
    ({"job_type": None, "flavor": "b"}, []),
], ids=["both differ", "both same", "not shown"])
def test_job_type_and_flavor_are_compared_when_shown(job, expected):
    assert create_only_drift(spec(job_type="tensorboard", flavor="b"), job) == expected


def test_options_not_given_are_not_compared():
    assert create_only_drift(spec(), {"job_type": "mindinsight", "flavor": {"code": "a"}, "schedule": []}) == []
