# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source hwcloud.modelarts.visualization_jobs: events as ModelArts visualization jobs change.

ansible-rulebook loads this file with ``runpy.run_path()`` (no collection loader) and runs
``main(queue, args)``. Every poll lists the jobs with the collection's own client, in a worker
thread, and compares the list with the previous one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

DOCUMENTATION = r"""
name: visualization_jobs
short_description: Events when ModelArts visualization jobs are created, change status, are deleted or run too long
version_added: 1.0.0
description:
  - Polls the ModelArts visualization jobs (managed TensorBoard and MindInsight) of one project every O(interval)
    seconds and puts an event on the rulebook's queue for each change it sees since the previous poll.
  - Each event holds one key, C(modelarts), with C(type) (V(initial), V(created), V(status_changed), V(deleted) or
    V(long_running)), C(job) (the job as M(hwcloud.modelarts.modelarts_visualization_job_info) returns it),
    C(previous) (C(status), C(status_name) and C(phase) before the change; null for V(initial) and V(created)),
    C(running_hours) (V(long_running) only), C(project_id), C(region) and C(observed_at) (UTC, ISO 8601).
  - The first poll is the baseline; it gives V(initial) events only when O(events) asks for them. After that, a new
    job id is V(created), a changed status V(status_changed), and a vanished id V(deleted), carrying the job as it
    was last seen. V(long_running) fires once per running spell (while the job stays in the running phase), when
    its running time passes O(long_running_hours); this is evaluated on every poll, the first included, so a
    restarted activation still reports jobs that are overdue.
  - Events of one poll come in job-id order, deletions last.
  - A change shorter than O(interval) can be missed, or read as one event (running, canceled and deleted between
    two polls reads as V(deleted)).
  - Takes the connection options of the modules, from the same sources (the source arguments, else one
    environment family, else clouds.yaml; never mixed). The arguments are validated with the modules' argument
    spec when the source starts, so a misspelt option stops the activation with a message naming the supported
    options. Environment variables that the source rule leaves unused are named, with the reason and never with
    their values, in one warning logged when the source starts. Arguments whose name starts with C(eda_) (added by ansible-rulebook) are ignored.
  - Bad configuration and a failing first poll (credentials, DNS, endpoint) stop the activation with a clear
    message. A later failed poll logs a warning (secrets masked), keeps the last list and emits nothing; after
    O(max_consecutive_failures) failed polls in a row the source stops with an error.
  - A list that ends short of its C(job_total_count), or whose pages report different totals (jobs came or went
    while it was paged), is a failed poll like any other, the first poll included (it does not stop the
    activation; the baseline is the first complete list). No job is reported V(deleted) or V(created) from it.
  - After a failed poll the source backs off. After N failed polls in a row it waits a random time between half
    and all of min(O(max_backoff), O(interval) x 2^N), and never less than O(interval); after a good poll, O(interval)
    again. With the defaults (O(interval=60), O(max_backoff=600), O(max_consecutive_failures=10)) the tenth failed
    poll in a row comes at least 2,220 seconds (37 minutes) after the first, so an API outage shorter than 37
    minutes never ends the activation.
  - When the activation stops (the source task is cancelled) during a poll, the source waits for that poll's
    thread to end (within the transport's O(timeout) and O(retries)), closes the HTTP session and passes the
    cancellation on; no thread or session is left behind. A second cancellation ends that wait at once; the
    session is then closed by the poll's thread when its request ends.
  - A poll costs one list request per 100 jobs (plus one IAM request whenever a password token is issued); the
    retries after HTTP 429 (honouring C(Retry-After)) and 5xx of the modules apply.
author:
  - hwcloud.modelarts maintainers (@hwcloud-ansible)
options:
  interval:
    description:
      - Seconds between polls (the end of one poll to the start of the next). Greater than 0; 60 or more in
        production.
    type: float
    default: 60
  name:
    description:
      - Only jobs with exactly this name (sent as the API's search, then matched exactly).
      - Cannot be combined with O(search_content).
    type: str
  search_content:
    description:
      - Only jobs whose name contains this text (the API's search, up to 100 characters).
    type: str
  statuses:
    description:
      - Only events whose job is in one of these statuses (its new status; for V(deleted), the last one seen).
        Each entry is a status name (V(failed), V(running)), the API's name (V(JOBSTAT_FAILED)) or a code (V(11)).
      - Every job is still listed and compared, so a job that changes into one of these statuses gives a
        V(status_changed) event, not a V(created) one.
    type: list
    elements: str
  events:
    description:
      - The event types to emit.
    type: list
    elements: str
    choices: [initial, created, status_changed, deleted, long_running]
    default: [created, status_changed, deleted, long_running]
  long_running_hours:
    description:
      - Emit V(long_running) once per running spell when a job has been running for more than this many hours
        (greater than 0). Not set, no V(long_running) events.
      - The running time is the job's C(duration) whenever the API reports one, V(0) included (a job restarted
        a moment ago has run for 0 seconds, however old it is); only when C(duration) is absent (or not a
        number) is it the time since C(create_time).
    type: float
  max_consecutive_failures:
    description:
      - After this many failed polls in a row (the first poll excepted, which fails at once unless its list was
        only incomplete), the source stops with an error, and so does the activation (AAP's restart policy may
        then restart it). V(0) never gives up.
      - The waits between failed polls grow (see O(max_backoff)), so this many failures take far longer than
        this many intervals.
    type: int
    default: 10
  max_backoff:
    description:
      - The longest wait, in seconds, between polls after failed polls (greater than 0). After N failed polls in
        a row the source waits a random time between half and all of min(O(max_backoff), O(interval) x 2^N),
        never less than O(interval).
      - A value of O(interval) or less keeps every wait at O(interval): no backoff.
    type: float
    default: 600
    version_added: 1.1.0
extends_documentation_fragment:
  - hwcloud.modelarts.auth
notes:
  - Needs C(requests) and C(ansible-core) in the decision environment, besides C(ansible-rulebook) and Java 17+.
  - Keeps its state in memory only; a restarted activation takes a new baseline, so changes while it was down are not
    reported (V(long_running) excepted, see above).
seealso:
  - module: hwcloud.modelarts.modelarts_visualization_job_info
  - module: hwcloud.modelarts.modelarts_visualization_job
"""

EXAMPLES = r"""
- name: Stop TensorBoards that run for more than 8 hours
  hosts: localhost
  sources:
    - name: ModelArts visualization jobs
      hwcloud.modelarts.visualization_jobs:
        region: eu-de
        interval: 300
        long_running_hours: 8
        events: [long_running]
  rules:
    - name: Stop a job that ran too long
      condition: event.modelarts.type == "long_running"
      action:
        run_module:
          name: hwcloud.modelarts.modelarts_visualization_job
          module_args:
            name: "{{ event.modelarts.job.job_name }}"
            job_id: "{{ event.modelarts.job.job_id }}"
            state: stopped

- name: Tell someone when a job fails
  hosts: localhost
  sources:
    - hwcloud.modelarts.visualization_jobs:
        cloud: opentelekomcloud
        region: eu-de
        statuses: [failed, lost]
        events: [status_changed]
  rules:
    - name: Report the failure
      condition: event.modelarts.job.phase == "failed"
      action:
        debug:
          msg: "{{ event.modelarts.job.job_name }} is {{ event.modelarts.job.status_name }}"
"""

# ansible-rulebook runs this file with runpy.run_path(): without a collection loader, the collection's
# module_utils import only with the directory holding ansible_collections/ on sys.path (first, so that this
# copy of the collection wins over another one). The path as loaded comes first: a collection linked into a
# collections path (ansible_collections/hwcloud/modelarts -> a checkout) has the layout only there.
_ROOT = next((parent.parent for path in (Path(os.path.abspath(__file__)), Path(__file__).resolve())
              for parent in path.parents if parent.name == "ansible_collections"), None)
if _ROOT is not None and str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

# pylint: disable=wrong-import-position
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator  # noqa: E402

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ConfigError, MissingLibrary, ModelArtsError  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.module_utils._task import Task, task_argument_spec  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.module_utils._visualization_jobs import find_jobs, job_query  # noqa: E402
from ansible_collections.hwcloud.modelarts.plugins.modules import modelarts_visualization_job_info as _info  # noqa: E402

LOGGER = logging.getLogger(__name__)

EVENT_TYPES = ("initial", "created", "status_changed", "deleted", "long_running")
DEFAULT_EVENTS = ["created", "status_changed", "deleted", "long_running"]

# The info module's own definitions of the options the source shares with it.
SOURCE_SPEC = dict(
    interval=dict(type="float", default=60),
    name=dict(_info.ARGUMENT_SPEC["name"], aliases=[]),
    search_content=_info.ARGUMENT_SPEC["search_content"],
    statuses=dict(type="list", elements="str"),
    events=dict(type="list", elements="str", choices=list(EVENT_TYPES), default=list(DEFAULT_EVENTS)),
    long_running_hours=dict(type="float"),
    max_consecutive_failures=dict(type="int", default=10),
    max_backoff=dict(type="float", default=600),
)
MUTUALLY_EXCLUSIVE = [pair for pair in _info.SPEC_OPTIONS["mutually_exclusive"] if set(pair) <= set(SOURCE_SPEC)]


class SourceConfig:
    """The validated arguments: the Task (connection options) and the source's own options."""

    def __init__(self, params, query):
        self.task = Task(params)
        self.interval = params["interval"]
        self.name = query["name"]
        self.search_content = query["search_content"]
        self.statuses = query["statuses"]
        self.events = frozenset(params["events"])
        self.long_running_hours = params["long_running_hours"]
        self.max_consecutive_failures = params["max_consecutive_failures"]
        self.max_backoff = params["max_backoff"]


def _validate(args):
    """The arguments checked with the modules' argument spec plus the source's options; ValueError names the problem."""
    given = dict((key, value) for key, value in (args or {}).items() if not str(key).startswith("eda_"))
    validator = ArgumentSpecValidator(task_argument_spec(SOURCE_SPEC), mutually_exclusive=MUTUALLY_EXCLUSIVE)
    result = validator.validate(given)
    if result.error_messages:
        raise ValueError("hwcloud.modelarts.visualization_jobs: invalid arguments: " + "; ".join(result.error_messages))
    params = result.validated_parameters
    if params["interval"] <= 0:
        raise ValueError("hwcloud.modelarts.visualization_jobs: interval must be greater than 0, got %s" % params["interval"])
    if params["long_running_hours"] is not None and params["long_running_hours"] <= 0:
        raise ValueError("hwcloud.modelarts.visualization_jobs: long_running_hours must be greater than 0, got %s"
                         % params["long_running_hours"])
    if params["max_backoff"] <= 0:
        raise ValueError("hwcloud.modelarts.visualization_jobs: max_backoff must be greater than 0, got %s" % params["max_backoff"])
    if params["max_consecutive_failures"] < 0:
        raise ValueError("hwcloud.modelarts.visualization_jobs: max_consecutive_failures must be 0 or greater, got %d"
                         % params["max_consecutive_failures"])
    try:
        query = job_query(dict(name=params["name"], search_content=params["search_content"], status=params["statuses"]))
    except ConfigError as error:
        raise ValueError("hwcloud.modelarts.visualization_jobs: %s" % str(error).replace("status:", "statuses:", 1)) from None
    return SourceConfig(params, query)


def _connect(config):
    """The one Connection of the run (validated settings; raises ValueError or ImportError, never a traceback).

    The warnings of the settings (environment variables the source rule leaves unused) are logged once, here.
    """
    try:
        return config.task.connect()
    except ConfigError as error:
        raise ValueError("hwcloud.modelarts.visualization_jobs: %s" % config.task.mask(str(error))) from None
    except MissingLibrary:
        raise ImportError("hwcloud.modelarts.visualization_jobs needs the Python library requests: add it to the"
                          " decision environment (pip install requests)") from None
    finally:
        for warning in config.task.warnings:
            LOGGER.warning("hwcloud.modelarts.visualization_jobs: %s", warning)


class IncompleteList(ModelArtsError):
    """A list that ended short of its job_total_count, or whose pages disagreed: the poll fails (no request did)."""

    def __str__(self):
        return self.message


def _refuse_incomplete_list(message):
    """The ``warn`` of find_jobs: a list that may miss jobs would report them deleted, so the poll fails instead."""
    raise IncompleteList(message + "; the poll counts as failed and the last complete list is kept")


def _poll(config, connection):
    """Every job the filters select, by job id (runs in a worker thread: the client is synchronous)."""
    jobs, _job = find_jobs(connection, name=config.name, search_content=None if config.name else config.search_content,
                           warn=_refuse_incomplete_list)
    return dict((job["job_id"], job) for job in jobs if isinstance(job.get("job_id"), int))


def _utc_now():
    return datetime.now(timezone.utc)


def running_hours(job, now):
    """How long a job has run, in hours: its duration whenever the API reports one (0 included: a job restarted
    a moment ago), else the time since create_time."""
    seconds = job.get("duration_seconds")
    if seconds is None:
        created = job.get("create_time")
        if not isinstance(created, (int, float)) or isinstance(created, bool) or created <= 0:
            return None
        created = created / 1000.0 if created >= 10 ** 11 else float(created)
        seconds = max(0.0, now.timestamp() - created)
    return round(seconds / 3600.0, 3)


def _previous(job):
    return dict(status=job.get("status"), status_name=job.get("status_name"), phase=job.get("phase"))


class Watcher:
    """The state between polls: the last snapshot and the jobs already reported long-running in this spell."""

    def __init__(self, config, project_id, region):
        self.config = config
        self.project_id = project_id
        self.region = region
        self.snapshot = None
        self.reported_long = set()

    def _event(self, kind, job, now, previous=None, hours=None):
        event = dict(type=kind, job=job, previous=previous, project_id=self.project_id, region=self.region,
                     observed_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"))
        if kind == "long_running":
            event["running_hours"] = hours
        return dict(modelarts=event)

    def _wanted(self, kind, job):
        return kind in self.config.events and (not self.config.statuses or job.get("status") in self.config.statuses)

    def _long_running(self, job, now):
        """The running hours when this poll starts a long_running report for the job, else None (once per spell)."""
        job_id = job["job_id"]
        if job.get("phase") != "running":
            self.reported_long.discard(job_id)
            return None
        if self.config.long_running_hours is None or job_id in self.reported_long:
            return None
        hours = running_hours(job, now)
        if hours is None or hours < self.config.long_running_hours:
            return None
        self.reported_long.add(job_id)
        return hours

    def changes(self, jobs, now):
        """The events between the last snapshot and ``jobs`` (job-id order, deletions last); updates the state."""
        events = []
        first = self.snapshot is None
        old = self.snapshot or {}
        for job_id in sorted(jobs):
            job, before = jobs[job_id], old.get(job_id)
            if first:
                candidates = [("initial", None)]
            elif before is None:
                candidates = [("created", None)]
            elif before.get("status") != job.get("status"):
                candidates = [("status_changed", _previous(before))]
            else:
                candidates = []
            for kind, previous in candidates:
                if self._wanted(kind, job):
                    events.append(self._event(kind, job, now, previous=previous))
            hours = self._long_running(job, now)
            if hours is not None and self._wanted("long_running", job):
                events.append(self._event("long_running", job, now, hours=hours))
        for job_id in sorted(set(old) - set(jobs)):
            self.reported_long.discard(job_id)
            if self._wanted("deleted", old[job_id]):
                events.append(self._event("deleted", old[job_id], now, previous=_previous(old[job_id])))
        self.snapshot = jobs
        return events


async def _put_all(queue, events):
    for event in events:
        await queue.put(event)
        await asyncio.sleep(0)


def _failure_text(config, error):
    """A one-line description of a failed poll, secrets masked."""
    text = str(error) if isinstance(error, ModelArtsError) else "%s: %s" % (type(error).__name__, error)
    return config.task.mask(text)


def poll_wait(config, failures, uniform=random.uniform):
    """Seconds before the next poll: ``interval`` after a good poll; after ``failures`` failed polls in a row, a
    random time (``uniform(low, high)``) between half and all of min(max_backoff, interval * 2 ** failures), and
    never less than ``interval``."""
    if not failures:
        return config.interval
    ceiling = min(config.max_backoff, config.interval * 2.0 ** min(failures, 64))
    return max(config.interval, uniform(ceiling / 2.0, ceiling))


def _forget(future):
    """Mark the outcome of a poll nobody waits for any more as seen (no "exception was never retrieved")."""
    if not future.cancelled():
        future.exception()


class Poller:
    """Runs each poll in its own worker thread, and closes the HTTP session only once no poll uses it.

    A cancelled ``await`` leaves the thread running until its request ends (bounded by the transport's timeout
    and retries): :meth:`close` waits for that end, then closes the session and lets the thread go.
    """

    THREAD_NAME = "hwcloud-modelarts-poll"

    def __init__(self, config, connection):
        self.config = config
        self.connection = connection
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.THREAD_NAME)
        self._running = None  # the concurrent.futures.Future of the last poll

    async def poll(self):
        """The jobs by id; the event loop stays free while the synchronous client works."""
        self._running = self._executor.submit(_poll, self.config, self.connection)
        return await asyncio.wrap_future(self._running)

    def _release(self, _future=None):
        """Close the session and end the (idle) worker thread."""
        self.connection.close()
        self._executor.shutdown(wait=_future is None)

    async def close(self):
        """Wait for a poll still in its thread, then close the session and end the thread.

        A cancellation during the wait is passed on at once; the poll's thread then closes the session itself
        when its request ends.
        """
        running = self._running
        if running is not None and not running.done():
            waiter = asyncio.wrap_future(running)
            waiter.add_done_callback(_forget)
            try:
                await asyncio.wait([waiter])
            except asyncio.CancelledError:
                running.add_done_callback(self._release)
                raise
        self._release()


async def run(queue, config, poller, sleep=asyncio.sleep, uniform=random.uniform):
    """Poll until cancelled, or until max_consecutive_failures polls in a row failed.

    The first poll is the baseline: any failure of it stops the start, except an incomplete list, which is a
    failed poll like a later one (the first complete list is then the baseline). ``sleep`` and ``uniform`` (the
    backoff's jitter) are asyncio.sleep and random.uniform, replaceable for tests.
    """
    watcher = None  # made after the first good poll: the project id may only be known once a request was made
    failures = 0
    polled = False
    while True:
        if polled:
            await sleep(poll_wait(config, failures, uniform))
        started = time.monotonic()
        try:
            jobs = await poller.poll()
        except Exception as error:  # pylint: disable=broad-except  # any failed poll: keep the snapshot, go on
            message = _failure_text(config, error)
            if not polled and not isinstance(error, IncompleteList):
                # the first poll tries the configuration, credentials and endpoint: its failure stops the start
                raise RuntimeError("hwcloud.modelarts.visualization_jobs: first poll failed: %s" % message) from None
            polled = True
            failures += 1
            LOGGER.warning("hwcloud.modelarts.visualization_jobs: poll failed (%d in a row): %s", failures, message)
            if config.max_consecutive_failures and failures >= config.max_consecutive_failures:
                raise RuntimeError("hwcloud.modelarts.visualization_jobs: %d polls failed in a row, the last: %s"
                                   % (failures, message)) from None
            continue
        polled = True
        failures = 0
        if watcher is None:
            watcher = Watcher(config, poller.connection.project_id, poller.connection.settings.region)
        LOGGER.debug("hwcloud.modelarts.visualization_jobs: polled %d jobs in %.2fs", len(jobs), time.monotonic() - started)
        await _put_all(queue, watcher.changes(jobs, _utc_now()))


async def main(queue, args):
    """The entry point ansible-rulebook calls: validate ``args``, then poll, putting events on ``queue``.

    Cancellation (the activation stops) is passed on once a poll still in its thread has ended and the HTTP
    session is closed (see :meth:`Poller.close`).
    """
    config = _validate(args)
    poller = Poller(config, _connect(config))
    try:
        await run(queue, config, poller)
    finally:
        await poller.close()


if __name__ == "__main__":

    class _PrintQueue:
        """Prints events instead of queueing them (``python visualization_jobs.py`` with HWCLOUD_* set)."""

        async def put(self, event):
            print(event)  # noqa: T201

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), {"interval": 10, "events": list(EVENT_TYPES), "long_running_hours": 1}))
