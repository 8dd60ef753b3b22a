# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connections the items of one loop share in the worker: which settings share, the bound, the process rule.

The request counts of real loops (both paths, through ansible-playbook) are asserted by the
modelarts_visualization_job_info integration target (tasks/loops.yml).
"""

from __future__ import annotations

from unittest import mock

import pytest

pytest.importorskip("requests")

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _options  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.module_utils._task import Task, execute  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.plugin_utils import _connection_pool  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.plugin_utils._connection_pool import ConnectionPool  # noqa: E402

PASSWORD = dict(username="demo-user", password="Demo-Passw0rd!", domain_name="demo-domain")
URL = "http://127.0.0.1:9"


def params(**values):
    result = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items())
    result.update(region="eu-de", iam_endpoint=URL, modelarts_endpoint=URL, **PASSWORD)
    result.update(values)
    return result


def settings(environ=None, **values):
    return _options.connection_settings(params(**values), {} if environ is None else environ)


class FakeConnection:
    def __init__(self, settings_):
        self.settings = settings_
        self.closed = False

    def close(self):
        self.closed = True


def test_the_same_settings_share_one_connection():
    pool = ConnectionPool()
    first = pool.connection(settings(), FakeConnection)
    assert pool.connection(settings(), FakeConnection) is first
    assert len(pool) == 1 and not first.closed


@pytest.mark.parametrize("values", [
    dict(password="Other-Passw0rd!"), dict(username="other-user"), dict(domain_name="other-domain"),
    dict(region="eu-nl"), dict(project_name="eu-de_other"), dict(project_id="5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00"),
    dict(iam_endpoint="http://127.0.0.1:10"), dict(modelarts_endpoint="http://127.0.0.1:10"),
    dict(validate_certs=False), dict(timeout=31), dict(retries=0), dict(cloud="opentelekomcloud"),
    dict(access_key="EMUAK0000000000000001", secret_key="emu-secret-key-0000000000000000000000000001"),
    dict(auth_token="MIIEMU-a-token-of-its-own"),
], ids=",".join)
def test_any_difference_in_the_settings_gives_another_connection(values):
    pool = ConnectionPool()
    first = pool.connection(settings(), FakeConnection)
    other = pool.connection(settings(**values), FakeConnection)
    assert other is not first and len(pool) == 2
    assert pool.connection(settings(), FakeConnection) is first


def test_the_task_environment_is_part_of_the_settings():
    pool = ConnectionPool()
    first = pool.connection(settings({"HTTPS_PROXY": "http://127.0.0.1:3128"}), FakeConnection)
    assert pool.connection(settings({"HTTPS_PROXY": "http://127.0.0.1:3129"}), FakeConnection) is not first
    assert pool.connection(settings({}), FakeConnection) is not first
    assert pool.connection(settings({"HTTPS_PROXY": "http://127.0.0.1:3128"}), FakeConnection) is first


def test_no_secret_is_kept_as_a_key():
    pool = ConnectionPool()
    pool.connection(settings(), FakeConnection)
    keys = repr(list(pool._connections))  # pylint: disable=protected-access
    assert PASSWORD["password"] not in keys and PASSWORD["username"] not in keys


def test_the_pool_is_bounded_and_closes_the_least_recently_used():
    pool = ConnectionPool(limit=2)
    first = pool.connection(settings(timeout=1), FakeConnection)
    second = pool.connection(settings(timeout=2), FakeConnection)
    assert pool.connection(settings(timeout=1), FakeConnection) is first  # now the most recently used
    third = pool.connection(settings(timeout=3), FakeConnection)
    assert len(pool) == 2 and second.closed and not first.closed and not third.closed
    assert pool.connection(settings(timeout=2), FakeConnection) is not second


def test_a_forked_process_never_uses_what_its_parent_kept():
    pool = ConnectionPool()
    first = pool.connection(settings(), FakeConnection)
    with mock.patch.object(_connection_pool.os, "getpid", return_value=-1):
        assert pool.connection(settings(), FakeConnection) is not first
    assert not first.closed  # the parent's session is the parent's to close


def test_only_a_worker_process_has_a_pool():
    # pytest's own process is not a multiprocessing child, like ansible-playbook's strategy process
    assert _connection_pool.worker_connections() is None
    with mock.patch.object(_connection_pool.multiprocessing, "parent_process", return_value=object()):
        assert _connection_pool.worker_connections() is _connection_pool._POOL  # pylint: disable=protected-access


def run_query(task):
    task.connect().get("/visualization-jobs/101")
    return {}


def test_loop_items_share_the_token_and_the_pooled_connection_stays_open(emulator):
    pool = ConnectionPool()
    values = params(iam_endpoint=emulator.url, modelarts_endpoint=emulator.url)
    tasks = [Task(dict(values), environ={}, connections=pool) for _item in range(3)]
    with mock.patch("ansible_collections.hwcloud.modelarts.plugins.module_utils._connection.Connection.close") as close:
        for task in tasks:
            assert execute(run_query, task) == {"changed": False}
    assert emulator.kinds() == ["iam_token", "details", "details", "details"]
    assert tasks[0].connection is tasks[2].connection and tasks[2].pooled
    assert not close.called  # execute() leaves the pooled connection open for the next item
    assert tasks[0].connection.token in tasks[2].secrets()  # the shared token is masked in every item


def test_an_unshared_connection_is_the_tasks_own_and_closed_at_its_end(emulator):
    pool = ConnectionPool()
    task = Task(params(iam_endpoint=emulator.url, modelarts_endpoint=emulator.url), environ={}, connections=pool)

    def authenticate(task_):
        task_.connect(shared=False).authenticate()
        return {}

    with mock.patch("ansible_collections.hwcloud.modelarts.plugins.module_utils._connection.Connection.close") as close:
        execute(authenticate, task)
    assert not task.pooled and len(pool) == 0 and close.called
