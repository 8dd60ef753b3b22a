# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The job model: status table, phases, normalization."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _jobs
from ansible_collections.hwcloud.modelarts.plugins.modules import modelarts_visualization_job_info

# The expectations come from outside the code under test: the status table of the ModelArts API
# reference, copied once into job_statuses.md (the file names its source), and the phase of each
# status as the module documentation states it to users (written out here, and checked against
# the documentation's note below so that the two cannot drift apart).
STATUS_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "job_statuses.md")
DOCUMENTED_PHASES = {
    "pending": ["init", "image_creating", "submit_trying", "waiting", "check_init"],
    "running": ["running", "killing", "scaling", "check_running"],
    "succeeded": ["completed", "check_running_completed"],
    "failed": ["image_failed", "submit_failed", "delete_failed", "failed", "lost", "submit_model_failed",
               "deploy_service_failed", "check_failed", "mount_failed"],
    "canceled": ["killed", "canceled"],
    "unknown": ["unknown"],
}


def _documented_statuses():
    """(code, official name, description) rows of job_statuses.md."""
    rows = []
    with open(STATUS_TABLE, encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"^\| (\d+) \| (\w+) \| (.+) \|$", line.strip())
            if match:
                rows.append((int(match.group(1)), match.group(2), match.group(3)))
    return rows


STATUS_ROWS = _documented_statuses()


def test_the_status_table_is_complete():
    assert [code for code, _name, _description in STATUS_ROWS] == list(range(23))


def _short(name):
    return name[len("JOBSTAT_"):].lower() if name.startswith("JOBSTAT_") else name.lower()


@pytest.mark.parametrize("code, name, description", STATUS_ROWS)
def test_each_documented_status(code, name, description):
    phase = [phase for phase, names in DOCUMENTED_PHASES.items() if _short(name) in names]
    assert len(phase) == 1, "the documentation gives %s %d phase(s)" % (name, len(phase))
    job = _jobs.normalize_job({"status": code})
    assert (job["status_name"], job["status_description"], job["phase"]) == (_short(name), description, phase[0])
    assert _jobs.parse_status(name) == _jobs.parse_status(_short(name)) == _jobs.parse_status(str(code)) == code


@pytest.mark.parametrize("code", [-1, 23, 42, 1000])
def test_codes_outside_the_table_are_unknown(code):
    job = _jobs.normalize_job({"status": code})
    assert (job["status_name"], job["phase"]) == ("unknown", "unknown")


def test_the_module_documentation_states_these_phases():
    notes = yaml.safe_load(modelarts_visualization_job_info.DOCUMENTATION)["notes"]
    note = [text for text in notes if "RV(visualization_jobs[].phase)" in text][0]
    stated = {}
    for phase, names in re.findall(r"V\((\w+)\): ([^.]+)\.", note):
        names = re.sub(r" \([^)]*\)", "", names)
        stated[phase] = ["unknown"] if phase == "unknown" else names.split(", ")
    assert stated == DOCUMENTED_PHASES


@pytest.mark.parametrize("value, code", [
    ("running", 8), ("RUNNING", 8), ("JOBSTAT_RUNNING", 8), ("jobstat_running", 8), ("8", 8), (8, 8),
    ("image_creating", 2), ("check_running_completed", 20), ("mount_failed", 22), ("42", 42), (" completed ", 10),
])
def test_parse_status(value, code):
    assert _jobs.parse_status(value) == code


@pytest.mark.parametrize("value", ["runing", "JOBSTAT_", "", "-1", "8.5", "JOBSTAT_MOUNT_FAILED_X"])
def test_parse_status_rejects_unknown_names(value):
    with pytest.raises(ValueError):
        _jobs.parse_status(value)


def test_normalize_keeps_unknown_fields_and_drops_transport_fields():
    job = _jobs.normalize_job({"job_id": 197, "job_name": "apiTest-11", "status": 7, "create_time": 1565149736000,
                               "duration": 33000, "is_success": True, "error_code": None, "error_msg": None,
                               "future_field": {"a": 1}, "remaining_duration": None})
    assert job["future_field"] == {"a": 1}
    assert "is_success" not in job and "error_code" not in job and "error_msg" not in job
    assert job["remaining_duration"] is None
    assert job["status_name"] == "waiting"
    assert job["status_description"] == "The job is queuing."
    assert job["phase"] == "pending"
    assert job["create_time_iso"] == "2019-08-07T03:48:56Z"
    assert job["duration_seconds"] == 33


def test_normalize_turns_numeric_strings_into_numbers():
    job = _jobs.normalize_job({"job_id": "10", "status": "1", "create_time": "1524189990635", "duration": "1500",
                               "job_name": "007", "remaining_duration": "0.5"})
    assert (job["job_id"], job["status"], job["create_time"], job["duration"]) == (10, 1, 1524189990635, 1500)
    assert job["remaining_duration"] == 0.5
    assert job["job_name"] == "007"
    assert job["phase"] == "pending"
    assert job["duration_seconds"] == 1


@pytest.mark.parametrize("status, name, phase", [
    (8, "running", "running"), (9, "killing", "running"), (10, "completed", "succeeded"), (11, "failed", "failed"),
    (12, "killed", "canceled"), (13, "canceled", "canceled"), (0, "unknown", "unknown"), (42, "unknown", "unknown"),
    ("garbage", "unknown", "unknown"), (None, "unknown", "unknown"), (True, "unknown", "unknown"),
])
def test_status_name_and_phase(status, name, phase):
    job = _jobs.normalize_job({"status": status})
    assert (job["status_name"], job["phase"]) == (name, phase)


def test_unknown_code_description_says_so():
    assert "42" in _jobs.normalize_job({"status": 42})["status_description"]


@pytest.mark.parametrize("epoch, iso", [
    (1565149736000, "2019-08-07T03:48:56Z"), (1565149736, "2019-08-07T03:48:56Z"), (None, None), ("x", None), (-5, None),
])
def test_create_time_iso(epoch, iso):
    assert _jobs.iso_time(epoch) == iso


def test_missing_fields_give_nulls():
    job = _jobs.normalize_job({"job_id": 1})
    assert job["create_time_iso"] is None and job["duration_seconds"] is None
