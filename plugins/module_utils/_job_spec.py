# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a lifecycle task asks for: its options, checked before any request, and the create body they make."""

from __future__ import annotations

import re

from ._errors import ConfigError

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
MAX_DESCRIPTION_LENGTH = 256
MAX_AUTO_STOP_HOURS = 24
JOB_TYPES = ("tensorboard", "mindinsight")


def check_name(name):
    """Raise ConfigError unless ``name`` is a valid job name (1-20 letters, digits, ``_``, ``-``)."""
    if not NAME_PATTERN.match(name):
        raise ConfigError("name must be 1 to 20 characters of letters, digits, '_' and '-', got %r" % name)


def check_description(description):
    """Raise ConfigError when ``description`` is longer than the API accepts."""
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise ConfigError("description must be at most %d characters, got %d" % (MAX_DESCRIPTION_LENGTH, len(description)))


def create_body(name, train_url, description=None, job_type=None, flavor=None, auto_stop_hours=None):
    """The body of the create request (documented fields only; omitted options are not sent)."""
    body = {"job_name": name, "train_url": train_url}
    if description is not None:
        body["job_desc"] = description
    if job_type is not None:
        body["job_type"] = job_type
    if flavor is not None:
        body["flavor"] = {"code": flavor}
    if auto_stop_hours is not None:
        # The shape of the API reference's sample (its table says Object; the sample sends a list).
        body["schedule"] = [{"type": "stop", "time_unit": "HOURS", "duration": auto_stop_hours}]
    return body


class JobSpec:
    """The validated options of the lifecycle module."""

    def __init__(self, params):
        self.name = params.get("name")
        self.job_id = params.get("job_id")
        self.state = params.get("state") or "present"
        self.description = params.get("description")
        self.train_url = params.get("train_url")
        self.job_type = params.get("job_type")
        self.flavor = params.get("flavor")
        self.auto_stop_hours = params.get("auto_stop_hours")
        self.wait = params.get("wait", True)
        self.wait_timeout = params.get("wait_timeout", 600)
        self._check()

    def _check(self):
        if self.name is None and self.job_id is None:
            raise ConfigError("one of name or job_id is required")
        if self.name is not None:
            check_name(self.name)
        if self.job_id is not None and self.job_id < 1:
            raise ConfigError("job_id must be 1 or greater, got %d" % self.job_id)
        if self.description is not None:
            check_description(self.description)
        if self.train_url is not None and not self.train_url.strip():
            raise ConfigError("train_url must not be empty")
        if self.flavor is not None and not self.flavor.strip():
            raise ConfigError("flavor must not be empty")
        if self.auto_stop_hours is not None and not 0 <= self.auto_stop_hours <= MAX_AUTO_STOP_HOURS:
            raise ConfigError("auto_stop_hours must be between 0 and %d, got %d" % (MAX_AUTO_STOP_HOURS, self.auto_stop_hours))
        if self.wait_timeout < 1:
            raise ConfigError("wait_timeout must be 1 or greater, got %d" % self.wait_timeout)

    def create_body(self):
        """The body of the create request."""
        return create_body(self.name, self.train_url, self.description, self.job_type, self.flavor, self.auto_stop_hours)

    def would_be_job(self):
        """The job a create makes, as far as it is known before it exists (check mode): no id, URL or times."""
        job = {"job_id": None, "job_name": self.name, "job_desc": self.description or "", "train_url": self.train_url}
        if self.job_type is not None:
            job["job_type"] = self.job_type
        return job
