# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source hwcloud.modelarts.visualization_jobs, loaded from its file as ansible-rulebook loads it,
driven by asyncio against the in-process emulator with a short interval."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import threading
import urllib.error
import urllib.request
from datetime import datetime, timezone

import pytest

pytest.importorskip("requests")

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _connection, _transport  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModelArtsError  # noqa: E402 pylint: disable=wrong-import-position

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


def source_requests(emulator):
    """The list requests the source made (not the tests' own requests without credentials)."""
    return [entry for entry in list_requests(emulator) if entry["auth"] != "none"]


async def stop(task, emulator=None):
    """Cancel the source: its own cancellation must come back out of main(), and no poll may follow it."""
    before = len(source_requests(emulator)) if emulator is not None else 0
    task.cancel()
    await ended(task, emulator, before)


async def ended(task, emulator, before):
    """Wait for a cancelled source to end, without cancelling it again; ``before``: its list requests when it was
    cancelled. Bounded without a timer deciding the outcome: the source ends, or (one that swallowed the
    cancellation) it polls again and fails here, or ``until`` gives up; the verdict never comes from waiting alone.
    """
    # a poll in flight is logged when it is answered: a second request means the source polls on
    await until(lambda: task.done() or (emulator is not None and len(source_requests(emulator)) >= before + 2))
    assert task.done(), "the source polled again after its cancellation"
    assert task.cancelled(), "main() did not pass the cancellation on: %r" % (task.exception(),)


SCENARIO_BOUND = 30


def run(scenario, bound=SCENARIO_BOUND):
    """Run an async scenario in its own thread and event loop; fail, never hang, when it has not ended within
    ``bound`` seconds (a source that swallows its cancellation keeps asyncio.run from ever ending, and a failure
    inside the scenario would then be lost in that hang: it is reported here)."""
    outcome, failures = [], []

    async def recorded():
        try:
            await scenario()
        except BaseException as error:
            failures.append(error)
            raise

    def target():
        try:
            asyncio.run(recorded())
            outcome.append(None)
        except BaseException as error:  # pylint: disable=broad-except  # re-raised in the test's thread
            outcome.append(error)

    thread = threading.Thread(target=target, name="scenario", daemon=True)
    thread.start()
    thread.join(bound)
    if thread.is_alive():
        pytest.fail("the scenario did not end within %ds (a cancellation swallowed?); it failed with: %r" % (bound, failures))
    if outcome[0] is not None:
        raise outcome[0]


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
        await stop(task, emulator)
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
                  max_consecutive_failures=10, max_backoff=600)
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
        await stop(task, emulator)
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
            await stop(task, emulator)
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
        await stop(task, emulator)
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
    (dict(max_backoff=0), "max_backoff must be greater than 0"),
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
        await stop(task, emulator)
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


def hold_the_next_poll(emulator):
    """The next list request waits in the emulator until release_the_poll() (at most 20 s)."""
    emulator.faults({"kind": "list", "action": "barrier", "count": 2, "delay": 20})


async def release_the_poll(emulator):
    """The barrier's second arrival: a list request without credentials (answered 401), which lets the held
    poll go on."""
    def request():
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(emulator.url + "/v1/%s/visualization-jobs" % EU_DE, timeout=10)  # nosec B310
    await asyncio.to_thread(request)


class CloseSpy:
    """Records each Connection.close(): the source's list requests answered by then and the poll threads alive."""

    def __init__(self, monkeypatch, emulator):
        self.calls = []
        real = _connection.Connection.close

        def close(connection):
            self.calls.append(dict(answered=len(source_requests(emulator)), pollers=poll_threads()))
            real(connection)
        monkeypatch.setattr(_connection.Connection, "close", close)


def poll_threads():
    return [thread.name for thread in threading.enumerate() if thread.name.startswith(source.Poller.THREAD_NAME)]


def test_cancellation_during_the_wait_is_passed_on_at_once(emulator, monkeypatch):
    spy = CloseSpy(monkeypatch, emulator)

    async def scenario():
        task = asyncio.create_task(source.main(ListQueue(), args_for(emulator, interval=30)))
        await polls(emulator, 1)
        await asyncio.sleep(0.05)  # the first poll's events are out: the source waits for the next poll
        await stop(task, emulator)
        assert len(list_requests(emulator)) == 1 and len(spy.calls) == 1 and poll_threads() == []
    run(scenario)


def test_cancellation_during_a_later_poll_is_passed_on_and_leaves_no_thread_or_session(emulator, monkeypatch):
    spy = CloseSpy(monkeypatch, emulator)

    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator)))
        await polls(emulator, 2)  # a later poll, not the first, is cancelled
        hold_the_next_poll(emulator)
        await until(lambda: emulator.admin("GET", "faults")["faults"][0]["applied"] == 1)
        count = len(source_requests(emulator))
        task.cancel()
        for _step in range(5):
            await asyncio.sleep(0)  # the loop is free while the poll waits in its thread
        assert not task.done() and spy.calls == []  # main() waits for the poll's thread before it closes
        await release_the_poll(emulator)
        await ended(task, emulator, count)  # cancelled once: it must end by itself
        # main() ended after the held request's thread and the session were done with, and no poll came after it
        assert len(source_requests(emulator)) == count + 1
        assert spy.calls == [dict(answered=count + 1, pollers=spy.calls[0]["pollers"])] and poll_threads() == []
        assert queue.events == []
    run(scenario)


def test_a_second_cancellation_ends_the_wait_and_the_thread_closes_the_session(emulator, monkeypatch):
    spy = CloseSpy(monkeypatch, emulator)

    async def scenario():
        task = asyncio.create_task(source.main(ListQueue(), args_for(emulator)))
        await polls(emulator, 1)
        hold_the_next_poll(emulator)
        await until(lambda: emulator.admin("GET", "faults")["faults"][0]["applied"] == 1)
        count = len(source_requests(emulator))
        task.cancel()
        for _step in range(5):
            await asyncio.sleep(0)  # main() now waits for the poll's thread in Poller.close()
        assert not task.done()
        await stop(task, emulator)  # cancelled again: passed on without waiting for the request
        assert spy.calls == [] and len(source_requests(emulator)) == count
        await release_the_poll(emulator)
        await until(lambda: spy.calls and not poll_threads())  # the poll's thread closes the session when it ends
        assert spy.calls[0]["answered"] == count + 1 and len(source_requests(emulator)) == count + 1
    run(scenario)


# -- an empty first list, restarts, the statuses filter with long_running ----------------------------------------


def test_an_empty_first_list_is_the_baseline_so_a_later_job_is_created(emulator):
    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator, name="tb-not-yet", events=ALL)))
        await polls(emulator, 2)
        added = emulator.admin("POST", "jobs", {"jobs": [{"job_name": "tb-not-yet", "status": 1}]})["job_ids"][0]
        await polls(emulator, 3)  # the second of them saw the job, and its events are out before the third
        await stop(task, emulator)
        assert queue.kinds() == [("created", added)]
    run(scenario)


def test_a_reported_duration_of_0_is_the_running_time():
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    restarted = dict(_job(1, 8), duration=0, duration_seconds=0, create_time=int((now.timestamp() - 36000) * 1000))
    assert source.running_hours(restarted, now) == 0.0  # created 10 hours ago, restarted now
    assert source.running_hours(dict(restarted, duration_seconds=None), now) == 10.0
    watcher = _watcher(events=["long_running"], long_running_hours=1)
    assert watcher.changes({1: restarted}, now) == []


def test_long_running_respects_the_statuses_filter():
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    two_hours = 2 * 3600 * 1000
    jobs = {1: _job(1, 8, two_hours), 2: _job(2, 8, two_hours)}
    assert _watcher(events=["long_running"], long_running_hours=1, statuses=[11]).changes(jobs, now) == []
    events = _watcher(events=["long_running"], long_running_hours=1, statuses=[8]).changes(jobs, now)
    assert [(event["modelarts"]["type"], event["modelarts"]["job"]["job_id"]) for event in events] == [
        ("long_running", 1), ("long_running", 2)]


def test_long_running_with_statuses_against_the_emulator(emulator):
    async def scenario():
        running, failed = ListQueue(), ListQueue()
        tasks = [asyncio.create_task(source.main(running, args_for(emulator, statuses=["running"], long_running_hours=1))),
                 asyncio.create_task(source.main(failed, args_for(emulator, statuses=["failed"], long_running_hours=1)))]
        await until(lambda: running.events)
        await polls(emulator, 6)
        for task in tasks:
            await stop(task, emulator)
        assert running.kinds() == [("long_running", 101)] and failed.kinds() == []
    run(scenario)


# -- incomplete lists ----------------------------------------------------------------------------------------


def warnings_of(caplog):
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


def test_a_list_short_of_its_total_is_a_failed_poll(emulator, caplog):
    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator)))
        await polls(emulator, 2)
        emulator.faults({"kind": "list", "page": 1, "action": "short_list"})  # job 114 missing, total 14
        await until(lambda: emulator.admin("GET", "faults")["faults"][0]["applied"] == 1)
        emulator.admin("POST", "jobs/status", {"job_id": 102, "status": 11})
        await until(lambda: queue.events)
        await polls(emulator, 3)
        await stop(task, emulator)
        # nothing deleted, nothing created again: compared with the last complete list, only the change
        assert queue.kinds() == [("status_changed", 102)]
    with caplog.at_level(logging.WARNING):
        run(scenario)
    assert [text for text in warnings_of(caplog) if "poll failed (1 in a row)" in text
            and "ended after 13 jobs although ModelArts reported job_total_count 14" in text
            and "the poll counts as failed" in text]


def test_short_lists_count_as_failed_polls(emulator):
    async def scenario():
        task = asyncio.create_task(source.main(ListQueue(), args_for(emulator, max_consecutive_failures=2)))
        await polls(emulator, 1)
        emulator.faults({"kind": "list", "page": 1, "action": "short_list", "times": -1})
        with pytest.raises(RuntimeError, match="2 polls failed in a row, the last: the job list ended after 13 jobs"):
            await task
    run(scenario)


def test_a_short_first_list_is_a_failed_poll_and_the_next_complete_one_the_baseline(emulator):
    emulator.faults({"kind": "list", "page": 1, "action": "short_list"})

    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator, events=ALL)))
        await until(lambda: queue.events)
        await polls(emulator, 2)
        await stop(task, emulator)
        assert queue.kinds() == [("initial", job_id) for job_id in SEEDED]
    run(scenario)


def test_pages_that_disagree_on_the_total_are_a_failed_poll(emulator, caplog):
    emulator.admin("POST", "page-cap", {"max_per_page": 5})
    page_2 = emulator.admin("GET", "jobs")["jobs"][EU_DE][5:10]  # the jobs page 2 has, with another total

    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator, events=ALL)))
        await until(lambda: len(queue.events) == len(SEEDED))
        emulator.faults({"kind": "list", "page": 2, "action": "status", "status": 200,
                         "body": {"is_success": True, "job_total_count": 15, "jobs": page_2}})
        await until(lambda: emulator.admin("GET", "faults")["faults"][0]["applied"] == 1)
        await polls(emulator, 6)
        await stop(task, emulator)
        assert queue.kinds() == [("initial", job_id) for job_id in SEEDED]
    with caplog.at_level(logging.WARNING):
        run(scenario)
    assert [text for text in warnings_of(caplog) if "poll failed (1 in a row)" in text
            and "page 2 reported job_total_count 15, page 1 14" in text]


# -- backoff -------------------------------------------------------------------------------------------------


def test_the_wait_doubles_after_each_failed_poll_up_to_max_backoff():
    config = _watcher().config  # interval 1, max_backoff 600

    def low(least, _most):
        return least

    def high(_least, most):
        return most
    assert [source.poll_wait(config, failures, low) for failures in range(12)] == [
        1, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert [source.poll_wait(config, failures, high) for failures in range(12)] == [
        1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600]
    assert source.poll_wait(config, 10 ** 6, high) == 600  # no overflow when max_consecutive_failures is 0
    small = _watcher(interval=60, max_backoff=90).config
    assert [source.poll_wait(small, failures, low) for failures in range(4)] == [60, 60, 60, 60]
    jitter = []
    source.poll_wait(config, 3, lambda a, b: jitter.append((a, b)) or a)
    assert jitter == [(4.0, 8.0)]


class VirtualClock:
    """Time that passes only when the source sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    async def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class OutagePoller:
    """A poller whose API is down from ``start`` to ``end`` (virtual seconds); job 1 fails during the outage."""

    class Connection:
        project_id = EU_DE
        settings = type("Settings", (), {"region": "eu-de"})

    def __init__(self, clock, start, end):
        self.clock, self.start, self.end = clock, start, end
        self.connection = self.Connection()
        self.polls = []

    async def poll(self):
        self.polls.append(self.clock.now)
        if self.start <= self.clock.now < self.end:
            raise ModelArtsError("GET https://modelarts/v1/x failed: HTTP 503", status_code=503)
        return {1: _job(1, 11 if self.clock.now >= self.start else 8)}


class StopOnEvent(ListQueue):
    class Done(Exception):
        pass

    async def put(self, event):
        await super().put(event)
        raise self.Done()


@pytest.mark.parametrize("jitter", ["low", "high"])
def test_a_10_minute_outage_does_not_end_an_activation_with_the_defaults(jitter):
    config = source._validate(dict(AKSK, modelarts_endpoint="http://127.0.0.1:9"))  # pylint: disable=protected-access
    assert (config.interval, config.max_backoff, config.max_consecutive_failures) == (60, 600, 10)
    clock = VirtualClock()
    poller = OutagePoller(clock, 60, 660)  # down from the second poll on, for 10 minutes
    queue = StopOnEvent()

    def uniform(least, most):
        return least if jitter == "low" else most

    async def scenario():
        with pytest.raises(StopOnEvent.Done):
            await source.run(queue, config, poller, sleep=clock.sleep, uniform=uniform)
    run(scenario)
    assert queue.kinds() == [("status_changed", 1)]  # the first good poll after the outage reports the change
    if jitter == "low":
        assert clock.sleeps == [60, 60, 120, 240, 300] and poller.polls == [0, 60, 120, 240, 480, 780]
    else:
        assert clock.sleeps == [60, 120, 240, 480] and poller.polls == [0, 60, 180, 420, 900]


def test_the_defaults_survive_any_outage_shorter_than_37_minutes():
    """What DOCUMENTATION says: with the shortest waits, the tenth failed poll in a row comes 2,220 s after the first."""
    config = source._validate(dict(AKSK, modelarts_endpoint="http://127.0.0.1:9"))  # pylint: disable=protected-access
    clock = VirtualClock()
    poller = OutagePoller(clock, 60, float("inf"))

    async def scenario():
        with pytest.raises(RuntimeError, match="10 polls failed in a row"):
            await source.run(ListQueue(), config, poller, sleep=clock.sleep, uniform=lambda a, b: a)
    run(scenario)
    assert poller.polls[-1] - poller.polls[1] == 2220 and len(poller.polls) == 11


def test_the_documented_options_are_the_argument_spec():
    import yaml  # pylint: disable=import-outside-toplevel
    options = yaml.safe_load(source.DOCUMENTATION)["options"]
    assert sorted(options) == sorted(source.SOURCE_SPEC)
    for name, spec in source.SOURCE_SPEC.items():
        assert options[name].get("default") == spec.get("default"), name
        assert options[name]["type"] == spec.get("type", "str"), name
    assert options["max_backoff"]["version_added"] == "1.1.0"


def test_events_carry_the_project_id_found_by_the_first_poll(emulator):
    args = dict(args_for(emulator, events=["initial"], iam_endpoint=emulator.url))
    del args["project_id"]  # looked up by the region's name, with the first request

    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args))
        await until(lambda: len(queue.events) == len(SEEDED))
        await stop(task, emulator)
        assert {(event["project_id"], event["region"]) for event in queue.of()} == {(EU_DE, "eu-de")}
    run(scenario)


def test_environment_variables_the_rule_leaves_unused_are_logged_once_by_name(emulator, caplog, monkeypatch):
    # The source's arguments give credentials and the ModelArts endpoint: the environment's security token and
    # OS_CLOUD are not used (named), its ModelArts endpoint is overridden by the argument (not named).
    monkeypatch.setenv("HWCLOUD_SECURITY_TOKEN", "env-security-token-0001")
    monkeypatch.setenv("OS_CLOUD", "env-profile-0001")
    monkeypatch.setenv("HWCLOUD_MODELARTS_ENDPOINT", "https://elsewhere-0001.example.com")

    async def scenario():
        queue = ListQueue()
        task = asyncio.create_task(source.main(queue, args_for(emulator, events=["initial"])))
        await polls(emulator, 3)
        await stop(task, emulator)
        assert sorted(event["job"]["job_id"] for event in queue.of("initial")) == SEEDED  # otherwise unchanged
    with caplog.at_level(logging.DEBUG):
        run(scenario)
    assert warnings_of(caplog) == [
        "hwcloud.modelarts.visualization_jobs: HWCLOUD_SECURITY_TOKEN and OS_CLOUD are set in the environment but not"
        " used: the credentials come from the task, and credentials are never combined from two sources"]
    texts = [record.getMessage() for record in caplog.records]
    for value in ("env-security-token-0001", "env-profile-0001", "elsewhere-0001"):
        assert not [text for text in texts if value in text]
