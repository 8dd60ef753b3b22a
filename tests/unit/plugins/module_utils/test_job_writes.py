# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write bodies, input checks and the classification of failed writes."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _job_writes
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ConfigError, ModelArtsError


def test_create_body_holds_only_documented_fields():
    assert _job_writes.create_body("tb-a", "/b/a/") == {"job_name": "tb-a", "train_url": "/b/a/"}
    assert _job_writes.create_body("tb-a", "/b/a/", "", "mindinsight", "cpu", 0) == {
        "job_name": "tb-a", "train_url": "/b/a/", "job_desc": "", "job_type": "mindinsight", "flavor": {"code": "cpu"},
        "schedule": [{"type": "stop", "time_unit": "HOURS", "duration": 0}]}


@pytest.mark.parametrize("name", ["a", "tb-resnet_50", "x" * 20])
def test_valid_names(name):
    _job_writes.check_name(name)


@pytest.mark.parametrize("name", ["", "x" * 21, "tb resnet", "tb.resnet", "tb/x", "ü"])
def test_invalid_names(name):
    with pytest.raises(ConfigError, match="name must be 1 to 20"):
        _job_writes.check_name(name)


def test_description_length():
    _job_writes.check_description("d" * 256)
    with pytest.raises(ConfigError, match="at most 256"):
        _job_writes.check_description("d" * 257)


@pytest.mark.parametrize("error, happened", [
    (ModelArtsError("read timeout", retryable=True), True),
    (ModelArtsError("tls", retryable=False), False),
    (ModelArtsError("5xx", status_code=500), True),
    (ModelArtsError("502", status_code=502), True),
    (ModelArtsError("unreadable 200", status_code=200), True),
    (ModelArtsError("refused", status_code=400, error_code="ModelArts.0105"), False),
    (ModelArtsError("auth", status_code=401), False),
    (ModelArtsError("redirect", status_code=302), False),
])
def test_may_have_happened(error, happened):
    assert _job_writes.may_have_happened(error) is happened


def test_refusal_and_gone():
    assert _job_writes.is_refusal(ModelArtsError("x", status_code=400, error_code="ModelArts.0105"))
    assert _job_writes.is_gone(ModelArtsError("x", status_code=404, error_code="ModelArts.0015"))
    assert not _job_writes.is_gone(ModelArtsError("x", status_code=404, error_code="APIGW.0101"))


class RecordingConnection:
    """Records requests; answers with the given value or raises the given error."""

    def __init__(self, answer=None, error=None):
        self.calls = []
        self.answer = answer if answer is not None else {"is_success": True}
        self.error = error

    def request(self, method, path, query=(), json_body=None):
        self.calls.append((method, path, json_body))
        if self.error:
            raise self.error
        return self.answer


def test_write_requests():
    connection = RecordingConnection(answer={"is_success": True, "job_id": "10", "status": "1"})
    assert _job_writes.create_job(connection, {"job_name": "a", "train_url": "/b/"}) == 10
    _job_writes.update_description(connection, 10, "")
    _job_writes.stop_job(connection, 10)
    _job_writes.restart_job(connection, 10)
    _job_writes.delete_job(connection, 10)
    assert connection.calls == [
        ("POST", "/visualization-jobs", {"job_name": "a", "train_url": "/b/"}),
        ("PUT", "/visualization-jobs/10", {"job_desc": ""}),
        ("POST", "/visualization-jobs/10/stop", None),
        ("POST", "/visualization-jobs/10/restart", None),
        ("DELETE", "/visualization-jobs/10", None),
    ]


def test_a_create_answer_without_job_id_may_have_created_a_job():
    with pytest.raises(ModelArtsError) as raised:
        _job_writes.create_job(RecordingConnection(answer={"is_success": True}), {})
    assert _job_writes.may_have_happened(raised.value)


def test_deleting_a_job_that_is_gone_is_done():
    _job_writes.delete_job(RecordingConnection(error=ModelArtsError("gone", status_code=404, error_code="ModelArts.0015")), 5)
    with pytest.raises(ModelArtsError):
        _job_writes.delete_job(RecordingConnection(error=ModelArtsError("gw", status_code=404, error_code="APIGW.0101")), 5)


def test_a_read_timeout_may_still_happen_but_a_refused_connection_not():
    requests = pytest.importorskip("requests")
    from ansible_collections.hwcloud.modelarts.plugins.module_utils import _transport  # pylint: disable=import-outside-toplevel

    def error(exc):
        return ModelArtsError(_transport.describe_transport_error(exc, "https://x.example/v1", 5), retryable=True)

    assert _job_writes.may_still_happen(error(requests.exceptions.ReadTimeout("Read timed out.")))
    assert not _job_writes.may_still_happen(error(requests.exceptions.ConnectionError("Connection refused")))
    assert not _job_writes.may_still_happen(ModelArtsError("x", status_code=500))
