# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write requests, and what a failed write means (outcome)."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _job_writes
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._job_writes import MAYBE, NOT_CARRIED_OUT, REFUSED


@pytest.mark.parametrize("error, expected", [
    (ModelArtsError("no answer (read timeout)", retryable=True), MAYBE),
    (ModelArtsError("closed the connection without an answer", retryable=True), MAYBE),
    (ModelArtsError("connection refused", retryable=True, sent=False), NOT_CARRIED_OUT),
    (ModelArtsError("tls", retryable=False, sent=False), NOT_CARRIED_OUT),
    (ModelArtsError("500", status_code=500), MAYBE),
    (ModelArtsError("502 gateway", status_code=502), MAYBE),
    (ModelArtsError("504 gateway", status_code=504), MAYBE),
    (ModelArtsError("unreadable 200", status_code=200), MAYBE),
    (ModelArtsError("refused", status_code=400, error_code="ModelArts.0105"), REFUSED),
    (ModelArtsError("bad parameter", status_code=400, error_code="ModelArts.0104"), NOT_CARRIED_OUT),
    (ModelArtsError("throttled", status_code=429, retryable=True), NOT_CARRIED_OUT),
    (ModelArtsError("auth", status_code=401), NOT_CARRIED_OUT),
    (ModelArtsError("redirect", status_code=302), NOT_CARRIED_OUT),
])
def test_outcome(error, expected):
    assert _job_writes.outcome(error) == expected


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
    assert _job_writes.outcome(raised.value) == MAYBE


def test_deleting_a_job_that_is_gone_is_done():
    _job_writes.delete_job(RecordingConnection(error=ModelArtsError("gone", status_code=404, error_code="ModelArts.0015")), 5)
    with pytest.raises(ModelArtsError):
        _job_writes.delete_job(RecordingConnection(error=ModelArtsError("gw", status_code=404, error_code="APIGW.0101")), 5)
