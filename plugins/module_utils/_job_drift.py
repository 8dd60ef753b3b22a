# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The create-only options of a job that the job as read shows otherwise (train_url aside, see ``_job_execution``).

ModelArts updates only a job's description. ``job_type``, ``flavor`` and ``auto_stop_hours`` (the
``schedule``) are sent with the create and can never be changed, so an existing job that shows
another value is left as it is, with a warning. An option is compared only when the job's details
show it: the API documentation returns neither ``job_type`` nor ``flavor``, and ``schedule`` only in
some samples (camelCase ``timeUnit``), so a job that does not show one is not compared on it.
"""

from __future__ import annotations

NOT_SHOWN = object()


def _job_type(job):
    value = job.get("job_type")
    return value if isinstance(value, str) and value else NOT_SHOWN


def _flavor(job):
    flavor = job.get("flavor")
    code = flavor.get("code") if isinstance(flavor, dict) else None
    return code if isinstance(code, str) and code else NOT_SHOWN


def _auto_stop_hours(job):
    """The hours of the job's stop schedule; None for a job that shows an empty schedule (no auto-stop)."""
    if "schedule" not in job:
        return NOT_SHOWN
    schedule = job["schedule"]
    if schedule in (None, [], {}):
        return None
    entries = schedule if isinstance(schedule, list) else [schedule]
    stops = [entry for entry in entries if isinstance(entry, dict) and entry.get("type") == "stop"
             and str(entry.get("time_unit", entry.get("timeUnit"))).upper() == "HOURS"]
    duration = stops[0].get("duration") if len(stops) == 1 else None
    return duration if isinstance(duration, int) and not isinstance(duration, bool) else NOT_SHOWN


_SHOWN = (("job_type", _job_type), ("flavor", _flavor), ("auto_stop_hours", _auto_stop_hours))


def create_only_drift(spec, job):
    """``[(option, what the job shows), ...]`` for each create-only option ``spec`` gives that ``job`` shows otherwise."""
    drift = []
    for option, shown_by in _SHOWN:
        asked, shown = getattr(spec, option), shown_by(job)
        if asked is not None and shown is not NOT_SHOWN and shown != asked:
            drift.append((option, "none (no auto-stop)" if shown is None else shown))
    return drift
