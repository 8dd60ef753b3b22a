# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source hwcloud.modelarts.visualization_jobs, loaded from its file as ansible-rulebook loads it,
driven by asyncio against the in-process emulator with a short interval."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
from datetime import datetime, timezone

import pytest

pytest.importorskip("requests")

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _transport  # noqa: E402 pylint: disable=wrong-import-position

SOURCE = os.path.join(os.path.dirname(__file__), *([os.pardir] * 6), "extensions", "eda", "plugins", "event_source",
                      "visualization_jobs.py")
EU_DE = "5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00"
SECRET = "emu-secret-key-0000000000000000000000000001"
AKSK = dict(access_key="EMUAK0000000000000001", secret_key=SECRET, project_id=EU_DE, region="eu-de", retries=0, timeout=5)
ALL = ["initial", "created", "status_changed", "deleted", "long_running"]
SEEDED = [101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114]


def load_source():
    """The source as ansible-rulebook runs it: from its file, outside any package (runpy.run_path is refused by
    ansible-test's collection loader; spec_from_file_location + exec_module does the same)."""
    spec = importlib.util.spec_from_file_location("visualization_jobs_under_test", os.path.abspath(SOURCE))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


source = load_source()


class ListQueue:
    """The queue ansible-rulebook hands over, recording the events."""

    def __init__(self):
        self.events = []

    async def put(self, event):
        self.events.append(event)

    def of(self, kind=None, job_id=None):
        return [event["modelarts"] for event in self.events
                if (kind is None or event["modelarts"]["type"] == kind)
                and (job_id is None or event["modelarts"]["job"]["job_id"] == job_id)]

    def kinds(self):
        return [(event["modelarts"]["type"], event["modelarts"]["job"]["job_id"]) for event in self.events]


async def until(condition, timeout=5.0):
    """Wait (without blocking the loop) until condition() is true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def list_requests(emulator):
    return [entry for entry in emulator.requests() if entry["kind"] == "list"]


async def polls(emulator, count):
    """Wait until `count` more list requests were answered."""
    start = len(list_requests(emulator))
    await until(lambda: len(list_requests(emulator)) >= start + count)


def args_for(emulator, **extra):
    args = dict(AKSK, modelarts_endpoint=emulator.url, interval=0.05)
    args.update(extra)
    return args


async def stop(task):
    """Cancel the source; the cancellation must come back out of main()."""
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def run(scenario):
    asyncio.run(asyncio.wait_for(scenario(), 30))


def test_every_event_kind_from_a_running_source(emulator):
    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator, events=ALL, long_running_hours=1)))
        await until(lambda: len(queue.of("initial")) == len(SEEDED))
        assert [event["job"]["job_id"] for event in queue.of("initial")] == SEEDED
        added = emulator.admin("POST", "jobs", {"jobs": [{"job_name": "tb-new", "status": 1}]})["job_ids"][0]
        await until(lambda: queue.of("created"))
        emulator.admin("POST", "jobs/status", {"job_id": 102, "status": 11})
        await until(lambda: queue.of("status_changed"))
        emulator.admin("POST", "jobs/delete", {"job_id": 103})
        await until(lambda: queue.of("deleted"))
        await stop(task)
        first = queue.events[0]["modelarts"]
        assert first["type"] == "initial" and first["previous"] is None and first["project_id"] == EU_DE
        assert first["region"] == "eu-de" and datetime.strptime(first["observed_at"], "%Y-%m-%dT%H:%M:%SZ")
        assert [event["job"]["job_id"] for event in queue.of("long_running")] == [101]  # 2 hours; the others less
        assert queue.of("long_running")[0]["running_hours"] == 2.0
        created = queue.of("created")
        assert [(event["job"]["job_id"], event["job"]["status_name"], event["previous"]) for event in created] == [
            (added, "init", None)]
        changed = queue.of("status_changed")
        assert [(event["job"]["job_id"], event["job"]["phase"]) for event in changed] == [(102, "failed")]
        assert changed[0]["previous"] == {"status": 10, "status_name": "completed", "phase": "succeeded"}
        deleted = queue.of("deleted")
        assert [(event["job"]["job_id"], event["job"]["status"]) for event in deleted] == [(103, 7)]
        assert deleted[0]["previous"]["status_name"] == "waiting"
        # the job dict is the info module's item
        assert set(first["job"]) >= {"job_id", "job_name", "status", "status_name", "phase", "create_time_iso",
                                     "duration_seconds", "status_description"}
        assert set(queue.of()[0]) == {"type", "job", "previous", "project_id", "region", "observed_at"}
    run(scenario)


def _job(job_id, status, duration=0):
    from ansible_collections.hwcloud.modelarts.plugins.module_utils._jobs import normalize_job  # pylint: disable=import-outside-toplevel
    return normalize_job(dict(job_id=job_id, job_name="j%d" % job_id, status=status, duration=duration, create_time=0))


def _watcher(**options):
    params = dict(interval=1, name=None, search_content=None, statuses=None, events=ALL, long_running_hours=None,
                  max_consecutive_failures=10)
    params.update(options)
    config = source.SourceConfig(params, dict(name=None, search_content=None, statuses=params["statuses"]))
    return source.Watcher(config, EU_DE, "eu-de")


def test_events_of_one_poll_come_in_job_id_order_with_deletions_last():
    watcher = _watcher(events=["created", "status_changed", "deleted"])
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert watcher.changes({2: _job(2, 8), 5: _job(5, 8), 9: _job(9, 8)}, now) == []
    events = watcher.changes({3: _job(3, 1), 5: _job(5, 11), 7: _job(7, 1)}, now)
    assert [(event["modelarts"]["type"], event["modelarts"]["job"]["job_id"]) for event in events] == [
        ("created", 3), ("status_changed", 5), ("created", 7), ("deleted", 2), ("deleted", 9)]


def test_long_running_fires_once_per_running_spell_and_on_the_first_poll():
    watcher = _watcher(events=["long_running"], long_running_hours=1)
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    hours = 3600 * 1000
    kinds = []
    for status, duration in ((8, 2 * hours), (8, 3 * hours), (8, 4 * hours), (13, 4 * hours), (8, 2 * hours),
                             (8, 2 * hours), (8, hours // 2)):
        kinds.append(len(watcher.changes({1: _job(1, status, duration), 2: _job(2, 8, hours // 2)}, now)))
    # the first poll (baseline) fires; again only after the job left the running phase and came back
    assert kinds == [1, 0, 0, 0, 1, 0, 0]


def test_long_running_from_create_time_when_there_is_no_duration():
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    job = dict(_job(1, 8), duration_seconds=None, create_time=int((now.timestamp() - 5400) * 1000))
    assert source.running_hours(job, now) == 1.5


def test_long_running_once_per_spell_against_the_emulator(emulator):
    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator, long_running_hours=1)))
        await until(lambda: queue.of("long_running"))
        await polls(emulator, 5)
        assert queue.kinds() == [("long_running", 101)]
        emulator.admin("POST", "jobs/status", {"job_id": 101, "status": 13})
        await until(lambda: queue.of("status_changed"))
        emulator.admin("POST", "jobs/status", {"job_id": 101, "status": 8})
        await until(lambda: len(queue.of("long_running")) == 2)
        await polls(emulator, 5)
        await stop(task)
        assert queue.kinds() == [("long_running", 101), ("status_changed", 101), ("status_changed", 101),
                                 ("long_running", 101)]
    run(scenario)


def test_filters_and_initial(emulator):
    async def scenario():
        by_name, by_status = ListQueue(), ListQueue()
        tasks = [asyncio.create_task(source.main(by_name, args_for(emulator, name="tb-duplicate", events=["initial"]))),
                 asyncio.create_task(source.main(by_status, args_for(emulator, statuses=["failed", "13"],
                                                                     events=ALL)))]
        await until(lambda: by_name.events and by_status.events)
        emulator.admin("POST", "jobs/status", {"job_id": 102, "status": 11})  # into the filter: a change, not "created"
        emulator.admin("POST", "jobs/status", {"job_id": 104, "status": 10})  # out of it: no event
        await until(lambda: by_status.of("status_changed"))
        await polls(emulator, 4)
        for task in tasks:
            await stop(task)
        assert by_name.kinds() == [("initial", 113), ("initial", 114)]
        assert by_status.kinds() == [("initial", 104), ("initial", 105), ("status_changed", 102)]
        searches = [entry["query"] for entry in list_requests(emulator) if "tb-duplicate" in str(entry["query"])]
        assert searches  # the name goes to the API as its search
    run(scenario)


def test_no_initial_events_by_default_and_a_failed_poll_changes_nothing(emulator, caplog):
    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator)))
        await polls(emulator, 2)
        assert queue.events == []
        emulator.faults({"kind": "list", "action": "status", "status": 503, "times": 4})
        emulator.admin("POST", "jobs/delete", {"job_id": 103})
        await until(lambda: emulator.admin("GET", "faults")["faults"][0]["applied"] == 4)
        assert queue.events == []  # nothing while the polls fail
        await until(lambda: queue.events)
        await polls(emulator, 3)
        await stop(task)
        # compared with the last good list: only the deletion, no job "created" again
        assert queue.kinds() == [("deleted", 103)]
    with caplog.at_level(logging.WARNING):
        run(scenario)
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 4 and "poll failed (4 in a row)" in warnings[-1] and "HTTP 503" in warnings[-1]


def test_a_failing_first_poll_raises_at_once(emulator):
    emulator.faults({"kind": "list", "action": "status", "status": 403, "times": -1,
                     "body": {"error_code": "ModelArts.0210", "error_message": "Invalid project ID."}})

    async def scenario():
        with pytest.raises(RuntimeError, match=r"first poll failed: .*HTTP 403 ModelArts.0210"):
            await source.main(ListQueue(), args_for(emulator, max_consecutive_failures=0))
    run(scenario)
    assert len(list_requests(emulator)) == 1


def test_an_unreachable_endpoint_fails_the_first_poll():
    async def scenario():
        with pytest.raises(RuntimeError, match="first poll failed"):
            await source.main(ListQueue(), dict(AKSK, modelarts_endpoint="http://127.0.0.1:9", interval=0.05))
    run(scenario)


def test_it_gives_up_after_max_consecutive_failures(emulator):
    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator, max_consecutive_failures=3)))
        await polls(emulator, 1)
        emulator.faults({"kind": "list", "action": "status", "status": 500, "times": -1})
        with pytest.raises(RuntimeError, match="3 polls failed in a row, the last: .*HTTP 500"):
            await task
    run(scenario)


@pytest.mark.parametrize("args, message", [
    (dict(intervall=5), "invalid arguments: .*intervall.*Supported parameters include: .*interval"),
    (dict(events=["created", "stopped"]), "events.*stopped"),
    (dict(statuses=["runing"]), "statuses: unknown job status 'runing'"),
    (dict(interval=0), "interval must be greater than 0"),
    (dict(name="a", search_content="b"), "mutually exclusive: name|search_content"),
    (dict(access_key="EMUAK0000000000000001"), "access_key given without secret_key"),
])
def test_bad_arguments_fail_at_start_without_a_request(emulator, args, message):
    given = dict(modelarts_endpoint=emulator.url, region="eu-de", project_id=EU_DE, **args)
    if "access_key" not in args:
        given.update(AKSK)

    async def scenario():
        with pytest.raises(ValueError, match=message):
            await source.main(ListQueue(), given)
    run(scenario)
    assert emulator.requests() == []


def test_eda_keys_are_ignored(emulator):
    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator, events=["initial"], eda_feedback_queue=object(),
                                                               eda_anything="x")))
        await until(lambda: len(queue.events) == len(SEEDED))
        await stop(task)
    run(scenario)


def test_missing_requests_names_the_package(emulator, monkeypatch):
    monkeypatch.setattr(_transport, "REQUESTS_IMPORT_ERROR", "No module named 'requests'")

    async def scenario():
        with pytest.raises(ImportError, match="requests: add it to the decision environment"):
            await source.main(ListQueue(), args_for(emulator))
    run(scenario)
    assert emulator.requests() == []


def test_no_secret_in_any_log_record_or_error(emulator, caplog):
    echo = {"error_code": "ModelArts.0104", "error_message": "bad signature for " + SECRET}
    emulator.faults({"kind": "list", "after": 1, "action": "status", "status": 400, "body": echo, "times": -1})

    async def scenario():
        task = asyncio.create_task(source.main(ListQueue(), args_for(emulator, max_consecutive_failures=2)))
        with pytest.raises(RuntimeError) as error:
            await task
        return str(error.value)

    with caplog.at_level(logging.DEBUG):
        holder = []

        async def wrapped():
            holder.append(await scenario())
        run(wrapped)
    texts = [record.getMessage() for record in caplog.records] + holder
    assert any("bad signature for ********" in text for text in texts)
    assert not [text for text in texts if SECRET in text]


def test_cancellation_is_passed_on_during_a_poll_and_during_the_wait(emulator):
    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator, interval=30)))
        await polls(emulator, 1)
        await asyncio.sleep(0.05)
        await stop(task)  # cancelled while it waits for the next poll
        emulator.faults({"kind": "list", "action": "slow", "delay": 0.5})
        task = asyncio.create_task(source.main(queue, args_for(emulator)))
        await until(lambda: emulator.admin("GET", "faults")["faults"][0]["applied"] == 1)
        started = asyncio.get_running_loop().time()
        await stop(task)  # cancelled while a poll is in its thread: the loop is not blocked by it
        assert asyncio.get_running_loop().time() - started < 0.3
        count = len(list_requests(emulator))
        await asyncio.sleep(0.8)  # the slow request ends (and is logged then) within its 0.5 s
        ended = len(list_requests(emulator))
        await asyncio.sleep(0.3)
        assert ended == count + 1 == len(list_requests(emulator))  # and no poll after the cancellation
    run(scenario)
