# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scenarios of the reliability suite: happy paths, faults and TLS, each one playbook.

A scenario says which emulator it needs, what to set up there (faults, clock, a token),
which tasks to run, which requests the emulator must see (kind and status, in order) and
what else to check in the outcome. ``run.py`` runs each scenario at the default
verbosity and at ``-vvvv`` and applies the same checks (plus the secret scan) to both.
"""

from __future__ import annotations

import json
import os

INFO = "hwcloud.modelarts.modelarts_visualization_job_info"
AUTH = "hwcloud.modelarts.auth"

# Seed data of the emulator (tests/emulator/seed.py).
USERNAME = "demo-user"
PASSWORD = "Demo-Passw0rd!"
DOMAIN = "demo-domain"
AK = "EMUAK0000000000000001"
SK = "emu-secret-key-0000000000000000000000000001"
TEMP_AK = "EMUTMPAK000000000001"
TEMP_SK = "emu-temp-secret-00000000000000000000000001"
SECURITY_TOKEN = "emu-security-token-000000000000000000000000000001"
EU_DE = "5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00"
CN_NORTH_4 = "0b2f6c0f9a9e4d7f8c6b5a4e3d2c1b0a"
EU_NL = "7d4c3b2a19f84e6d5c4b3a2918f7e6d5"
RUNNING_JOB = 101
UNKNOWN_JOB = 999999
BULK_JOBS = 250  # the http emulators are started with --bulk-jobs 250: three list pages of 100
# Wrong credentials (rejected by the emulator) with characters that URL encoding, JSON escaping and base64
# all change, so that the scan's encoded forms of these secrets differ from the literal one.
WRONG_SK = 'emu-wrong-secret/key+"0001"\\ &=?#%'
WRONG_PASSWORD = 'Wrong "Pässw0rd"/+\\ %&=?#'
UNUSED_OS_PASSWORD = "unused-OS-passw0rd/+="  # set in the environment while the task uses AK/SK; echoed by an error body

# Every value the suite must never find in any output or log (issued MIIEMU tokens are matched by pattern).
SECRETS = {
    "password": PASSWORD,
    "secret_key": SK,
    "temporary secret_key": TEMP_SK,
    "security_token": SECURITY_TOKEN,
    "wrong secret_key": WRONG_SK,
    "wrong password": WRONG_PASSWORD,
    "an unused OS_PASSWORD": UNUSED_OS_PASSWORD,
}

# The documented retry policy (docs/docsite/rst/guide_reliability.rst, "The retry policy"): after failed attempt
# n the module waits between d/2 and d seconds, d = min(8, 0.5 * 2 ** (n - 1)); Retry-After is waited exactly.
BASE_DELAY = 0.5
MAX_DELAY = 8.0

# The tolerances of the timing checks, stated and justified once in guide_reliability.rst ("How this is tested").
# A wait is measured on the emulator's clock, from the moment an answer was ready (or a request was received) to the
# moment the next attempt arrived, so it is the module's sleep plus its own work between the two requests.
TIMESTAMP_SLACK = 0.002   # the emulator logs times to the microsecond; two reads of its clock, rounded
GAP_TOLERANCE = 0.25      # the module's own work between an answer and its next attempt, on a loaded machine
TASK_TOLERANCE = 0.5      # how much the start-up of two module tasks of one playbook differs (wall-time checks only)


def backoff(attempt):
    """(shortest, longest) wait after failed attempt ``attempt`` (1-based), under equal jitter."""
    delay = min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1))
    return delay / 2, delay


def backoff_bounds(retries):
    """(shortest, longest) total backoff of ``retries`` retries."""
    waits = [backoff(attempt) for attempt in range(1, retries + 1)]
    return sum(low for low, _high in waits), sum(high for _low, high in waits)


class Gap:
    """The wait the module must make between two consecutive requests of a scenario, measured in the emulator's log.

    From the ``since`` time of the earlier request (``answered``: its answer was ready; ``received``: it arrived,
    for answers the module stopped waiting for) minus ``plus`` seconds (a read timeout), to the arrival of the next.
    """

    def __init__(self, low, high, since="answered", plus=0.0, what="backoff"):
        self.low, self.high, self.since, self.plus, self.what = low, high, since, plus, what

    def problem(self, earlier, later):
        """None, or what is wrong with the measured wait between the two request-log entries."""
        waited = later["received"] - earlier[self.since] - self.plus
        if self.low - TIMESTAMP_SLACK <= waited <= self.high + GAP_TOLERANCE:
            return None
        return ("%s of %.3f s between %s %s and the next request, expected %.3f to %.3f s (+%.2f s tolerance)"
                % (self.what, waited, earlier["kind"], earlier["status"], self.low, self.high, GAP_TOLERANCE))


def backoff_gaps(retries, first=1):
    """The Gaps of ``retries`` retries answered at once, from failed attempt ``first`` on."""
    return [Gap(*backoff(attempt)) for attempt in range(first, first + retries)]


class Task:
    """One task of a scenario's playbook; its result is registered as ``register``."""

    def __init__(self, name, args, module=INFO, register=None, no_log=False, dump=True):
        self.name = name
        self.args = args
        self.module = module
        self.register = register
        self.no_log = no_log
        self.dump = dump  # include the registered result in the final debug task (never for secrets by design)


REGISTERED_TASK = "registered results"


def playbook_tasks(tasks):
    """The playbook task list: each task registered with ignore_errors, then one debug of the registered results."""
    entries, dumped = [], []
    for index, task in enumerate(tasks):
        register = task.register or "result%d" % index
        entry = {"name": task.name, task.module: task.args, "register": register, "ignore_errors": True}
        if task.no_log:
            entry["no_log"] = True
        entries.append(entry)
        if task.dump:
            dumped.append(register)
    if dumped:
        entries.append({"name": REGISTERED_TASK, "ansible.builtin.debug": {"msg": "{{ [%s] }}" % ", ".join(dumped)}})
    return entries


class Context:
    """What a scenario's builders may use: the emulator, a free port, an issued token, the slack of timing bounds."""

    def __init__(self, emulator, free_port, slack, workdir, other_ca_bundle=None):
        self.emulator = emulator
        self.other_ca_bundle = other_ca_bundle  # a CA bundle that did not sign the emulator's certificate
        self.url = emulator.url
        self.ca_path = emulator.ca_path
        self.free_port = free_port
        self.slack = slack
        self.workdir = workdir
        self.token = None

    def secrets(self):
        """Secrets of this pass beyond the fixed ones (the auth_token handed to the module)."""
        return {"auth_token": self.token} if self.token else {}


class Check:
    """Accumulates the problems found in one playbook run."""

    def __init__(self, run):
        self.run = run
        self.problems = []
        self.waits = []  # the measured waits between requests (seconds), when the scenario gives gaps

    def fail(self, message):
        """Record a problem."""
        self.problems.append(message)

    def that(self, condition, message):
        """Record ``message`` unless ``condition`` holds."""
        if not condition:
            self.fail(message)
        return condition

    def record(self, name):
        """The callback's record of a task, or None (recorded as a problem)."""
        record = self.run.task(name)
        if record is None:
            self.fail("task %r has no result" % name)
        return record

    def ok(self, name):
        """The result of a task that must have succeeded (an empty dict when it did not)."""
        record = self.record(name)
        if record is None:
            return {}
        result = record["result"]
        if record["outcome"] != "ok":
            self.fail("task %r %s: %s" % (name, record["outcome"], str(result.get("msg"))[:300]))
        elif result.get("changed"):
            self.fail("task %r reported changed" % name)
        return result

    def failed(self, name, contains=(), status_code=None, error_code=None, absent=()):
        """The result of a task that must have failed with a clean message; returns the result."""
        record = self.record(name)
        if record is None:
            return {}
        result = record["result"]
        msg = str(result.get("msg", ""))
        if record["outcome"] != "failed":
            self.fail("task %r should fail but was %s" % (name, record["outcome"]))
            return result
        for text in contains:
            self.that(text in msg, "task %r: %r not in msg %r" % (name, text, msg[:400]))
        for text in ("Traceback",) + tuple(absent):
            self.that(text not in msg, "task %r: %r in msg" % (name, text))
        self.that(result.get("status_code") == status_code,
                  "task %r: status_code %r, expected %r" % (name, result.get("status_code"), status_code))
        self.that(result.get("error_code") == error_code,
                  "task %r: error_code %r, expected %r" % (name, result.get("error_code"), error_code))
        # The request id of the answer that failed the task: the X-Request-Id the emulator sent with the last answer
        # of this run (None when no answer came: refused, timed out, TLS).
        answered = [entry for entry in self.run.requests or [] if entry["status"] is not None]
        expected_id = answered[-1]["request_id"] if status_code is not None and answered else None
        self.that("request_id" in result and result["request_id"] == expected_id,
                  "task %r: request_id %r, expected %r (the X-Request-Id of the last answer)"
                  % (name, result.get("request_id", "<absent>"), expected_id))
        return result

    def duration(self, name, low=None, high=None):
        """The task's duration (seconds), checked against bounds."""
        record = self.run.task(name)
        if record is None or record.get("duration") is None:
            self.fail("task %r has no duration" % name)
            return 0.0
        seconds = record["duration"]
        if low is not None:
            self.that(seconds >= low, "task %r took %.2f s, less than %.2f s" % (name, seconds, low))
        if high is not None:
            self.that(seconds <= high, "task %r took %.2f s, more than %.2f s" % (name, seconds, high))
        return seconds


class Scenario:
    """One playbook run against one emulator, with its setup and expectations."""

    def __init__(self, name, tasks, requests, check=None, emulator="http", faults=None, clock=None, token=False,
                 env=None, settle=2.0, max_wait=0.0, timed=None, gaps=None):
        self.name = name
        self.tasks = tasks              # ctx -> [Task]
        self.requests = requests        # ctx -> [(kind, status)], in order
        self.check = check              # (Check, ctx) -> None
        self.emulator = emulator        # "http" or "tls"
        self.faults = faults            # ctx -> [fault spec]
        self.clock = clock              # emulator clock offset in seconds
        self.token = token              # issue an eu-de token before the run (ctx.token)
        self.env = env                  # ctx -> extra environment of ansible-playbook
        self.settle = settle            # how long to wait for the request log to reach its expected size
        self.max_wait = max_wait        # the longest the policy lets a task wait (backoffs, Retry-After, timeouts)
        self.cost = 1.0 + max_wait      # to schedule long scenarios first
        self.timed = timed              # name of the task whose duration the result line shows
        self.gaps = gaps                # ctx -> [Gap or None], one per pair of consecutive requests


# --- argument sets -------------------------------------------------------------------------------------------


def aksk(ctx, **extra):
    """Permanent AK/SK credentials with the project id: one request per query."""
    args = {"access_key": AK, "secret_key": SK, "project_id": EU_DE, "modelarts_endpoint": ctx.url}
    args.update(extra)
    return args


def password(ctx, **extra):
    """Password credentials scoped to the eu-de project by the region name."""
    args = {"username": USERNAME, "password": PASSWORD, "domain_name": DOMAIN, "region": "eu-de",
            "iam_endpoint": ctx.url, "modelarts_endpoint": ctx.url}
    args.update(extra)
    return args


def details(status=200, kind="details"):
    """One expected request."""
    return (kind, status)


def one_job(name="read job 101", **extra):
    """Builder of a single task reading job 101 with AK/SK (``extra`` overrides arguments)."""
    return lambda ctx: [Task(name, aksk(ctx, job_id=RUNNING_JOB, **extra))]


def expect_job(check, name, job_id=RUNNING_JOB):
    """The task succeeded and returned that job."""
    result = check.ok(name)
    job = result.get("visualization_job") or {}
    check.that(job.get("job_id") == job_id, "task %r returned job %r, expected %r" % (name, job.get("job_id"), job_id))
    check.that(len(result.get("visualization_jobs") or []) == 1, "task %r: visualization_jobs should hold one job" % name)
    return result


def status_fault(status, times, kind="details", headers=None, **extra):
    """A fault answering ``status`` ``times`` times (-1: always)."""
    fault = {"kind": kind, "action": "status", "status": status, "times": times}
    if headers:
        fault["headers"] = headers
    fault.update(extra)
    return fault


# --- happy paths ---------------------------------------------------------------------------------------------


def _happy():
    def list_all(check, _ctx):
        result = check.ok("list every job")
        jobs = result.get("visualization_jobs") or []
        check.that(len(jobs) == BULK_JOBS, "listed %d jobs, expected %d" % (len(jobs), BULK_JOBS))
        check.that(len({job.get("job_id") for job in jobs}) == len(jobs), "the list holds duplicate jobs")
        check.that("visualization_job" not in result, "a list query returned visualization_job")

    def not_found(check, _ctx):
        result = check.ok("read an unknown job")
        check.that(result.get("visualization_jobs") == [], "visualization_jobs is %r, expected []"
                   % (result.get("visualization_jobs"),))
        check.that("visualization_job" in result and result["visualization_job"] is None,
                   "visualization_job is %r, expected null" % (result.get("visualization_job", "<absent>"),))

    def auth_then_token(ctx):
        return [
            Task("authenticate", password(ctx), module=AUTH, register="auth", no_log=True, dump=False),
            Task("read job 101 with the token", {
                "auth_token": "{{ auth.auth_token }}", "project_id": "{{ auth.project_id }}",
                "modelarts_endpoint": "{{ auth.modelarts_endpoint }}", "job_id": RUNNING_JOB}),
        ]

    def auth_then_token_check(check, _ctx):
        record = check.record("authenticate")
        if record is not None:
            check.that(record["outcome"] == "ok", "the auth task %s" % record["outcome"])
            check.that("censored" in record["result"], "the no_log auth result was not censored")
        expect_job(check, "read job 101 with the token")

    return [
        Scenario("happy/aksk_details", one_job(), lambda ctx: [details()],
                 lambda check, ctx: expect_job(check, "read job 101"), timed="read job 101"),
        Scenario("happy/aksk_project_lookup",
                 lambda ctx: [Task("read job 101", aksk(ctx, project_id=None, region="eu-de", iam_endpoint=ctx.url,
                                                        job_id=RUNNING_JOB))],
                 lambda ctx: [("iam_projects", 200), details()],
                 lambda check, ctx: expect_job(check, "read job 101"), timed="read job 101"),
        Scenario("happy/temporary_aksk",
                 lambda ctx: [Task("read job 101", aksk(ctx, access_key=TEMP_AK, secret_key=TEMP_SK,
                                                        security_token=SECURITY_TOKEN, job_id=RUNNING_JOB))],
                 lambda ctx: [details()],
                 lambda check, ctx: expect_job(check, "read job 101"), timed="read job 101"),
        Scenario("happy/password",
                 lambda ctx: [Task("read job 101", password(ctx, job_id=RUNNING_JOB))],
                 lambda ctx: [("iam_token", 201), details()],
                 lambda check, ctx: expect_job(check, "read job 101"), timed="read job 101"),
        Scenario("happy/token_inspected",
                 lambda ctx: [Task("read job 101", {"auth_token": ctx.token, "region": "eu-de", "iam_endpoint": ctx.url,
                                                    "modelarts_endpoint": ctx.url, "job_id": RUNNING_JOB})],
                 lambda ctx: [("iam_token_check", 200), details()],
                 lambda check, ctx: expect_job(check, "read job 101"), token=True, timed="read job 101"),
        Scenario("happy/auth_module_then_token", auth_then_token, lambda ctx: [("iam_token", 201), details()],
                 auth_then_token_check, timed="read job 101 with the token"),
        Scenario("happy/list_all_pages",
                 lambda ctx: [Task("list every job", aksk(ctx, project_id=EU_NL))],
                 lambda ctx: [("list", 200)] * 3, list_all, timed="list every job"),
        Scenario("happy/job_not_found_404",
                 lambda ctx: [Task("read an unknown job", aksk(ctx, job_id=UNKNOWN_JOB))],
                 lambda ctx: [details(404)], not_found, timed="read an unknown job"),
    ]


# --- faults --------------------------------------------------------------------------------------------------


def _retried_twice(status):
    return Scenario("faults/%d_twice_then_ok" % status, one_job(), lambda ctx: [details(status)] * 2 + [details()],
                    lambda check, ctx: expect_job(check, "read job 101"), faults=lambda ctx: [status_fault(status, 2)],
                    max_wait=backoff_bounds(2)[1], timed="read job 101", gaps=lambda ctx: backoff_gaps(2))


def _faults():  # pylint: disable=too-many-locals
    scenarios = []

    # 429 with Retry-After: 1 (then 200): the module waits exactly 1 s instead of its backoff.
    scenarios.append(Scenario(
        "faults/429_retry_after_1s", one_job(), lambda ctx: [details(429), details()],
        lambda check, ctx: expect_job(check, "read job 101"),
        faults=lambda ctx: [status_fault(429, 1, headers={"Retry-After": "1"})], max_wait=1.0, timed="read job 101",
        gaps=lambda ctx: [Gap(1.0, 1.0, what="Retry-After wait")]))

    scenarios += [_retried_twice(status) for status in (500, 502, 503, 504)]

    # Four retries: every step of the documented schedule (0.25-0.5, 0.5-1, 1-2, 2-4 s), so that a wait of the
    # wrong length at any step, or a doubled base delay, is found.
    scenarios.append(Scenario(
        "faults/503_backoff_schedule_4_retries", one_job(retries=4), lambda ctx: [details(503)] * 4 + [details()],
        lambda check, ctx: expect_job(check, "read job 101"), faults=lambda ctx: [status_fault(503, 4)],
        max_wait=backoff_bounds(4)[1], timed="read job 101", gaps=lambda ctx: backoff_gaps(4)))

    low2, high2 = backoff_bounds(2)

    def exhausted(check, ctx):
        check.failed("read job 101", contains=("HTTP 503", "failed after 3 attempts", "Internal error."),
                     status_code=503, error_code="ModelArts.0010")

    scenarios.append(Scenario("faults/503_always_retries_2", one_job(retries=2), lambda ctx: [details(503)] * 3, exhausted,
                              faults=lambda ctx: [status_fault(503, -1)], max_wait=high2, timed="read job 101",
                              gaps=lambda ctx: backoff_gaps(2)))

    def too_long(check, ctx):
        check.failed("read job 101", contains=("HTTP 429", "asked to retry after 120 seconds, longer than this module waits"),
                     status_code=429, error_code="APIGW.0308")
        check.duration("read job 101", None, ctx.slack)  # at once: not the 120 s asked for, nor 60

    scenarios.append(Scenario("faults/429_retry_after_too_long", one_job(), lambda ctx: [details(429)], too_long,
                              faults=lambda ctx: [status_fault(429, -1, headers={"Retry-After": "120"})],
                              timed="read job 101"))

    # Connection refused: nothing listens on the port, so no server logs the attempts; 4 attempts, each refused at
    # once. The backoffs are measured as the task's wall time minus that of a task that made one request, after a
    # warm-up task (the first task of a play also builds the module payload).
    low3, high3 = backoff_bounds(3)

    def refused(check, ctx):
        endpoint = "127.0.0.1:%d" % ctx.free_port
        for name in ("warm-up", "baseline"):
            expect_job(check, name)
        check.failed("read job 101", contains=("could not connect to %s: connection refused" % endpoint,
                                               "failed after 4 attempts"))
        waited = check.duration("read job 101") - check.duration("baseline")
        check.that(low3 - TASK_TOLERANCE <= waited <= high3 + TASK_TOLERANCE,
                   "the refused task took %.2f s more than the baseline, expected %.2f to %.2f s (+-%.2f s)"
                   % (waited, low3, high3, TASK_TOLERANCE))

    scenarios.append(Scenario(
        "faults/connection_refused",
        lambda ctx: [Task(name, aksk(ctx, job_id=RUNNING_JOB)) for name in ("warm-up", "baseline")] + [
            Task("read job 101", aksk(ctx, modelarts_endpoint="http://127.0.0.1:%d" % ctx.free_port,
                                      job_id=RUNNING_JOB, timeout=5, retries=3))],
        lambda ctx: [details(), details()], refused, max_wait=high3, timed="read job 101"))

    # Read timeout: every answer is 2 s late, the module waits 1 s per attempt, 2 attempts. The emulator answers
    # the first attempt after the module gave up, so the wait is measured from its arrival, minus the 1 s timeout.
    low1, high1 = backoff_bounds(1)

    def read_timeout(check, ctx):
        check.failed("read job 101", contains=("no answer from 127.0.0.1:%d within 1 s (read timeout)"
                                               % ctx.emulator.port, "failed after 2 attempts"))

    scenarios.append(Scenario(
        "faults/read_timeout", one_job(timeout=1, retries=1), lambda ctx: [details()] * 2, read_timeout,
        faults=lambda ctx: [{"kind": "details", "action": "slow", "delay": 2.0, "times": -1}],
        settle=4.0, max_wait=2 * 1 + high1, timed="read job 101",
        gaps=lambda ctx: [Gap(*backoff(1), since="received", plus=1.0, what="timeout + backoff")]))

    scenarios.append(Scenario("faults/connection_dropped_once", one_job(), lambda ctx: [details(None), details()],
                              lambda check, ctx: expect_job(check, "read job 101"),
                              faults=lambda ctx: [{"kind": "details", "action": "drop", "times": 1}], max_wait=high1,
                              timed="read job 101", gaps=lambda ctx: backoff_gaps(1)))

    def html(check, ctx):
        check.failed("read job 101", contains=("HTTP 502", "failed after 2 attempts",
                                               "the server answered with an HTML page instead of JSON: 502 Bad Gateway"),
                     status_code=502, absent=("<html", "<center>"))

    scenarios.append(Scenario("faults/html_502_always", one_job(retries=1), lambda ctx: [details(502)] * 2, html,
                              faults=lambda ctx: [{"kind": "details", "action": "html", "status": 502, "times": -1}],
                              max_wait=high1, timed="read job 101", gaps=lambda ctx: backoff_gaps(1)))

    def truncated(check, ctx):
        result = check.failed("read job 101", contains=("HTTP 200", "the server answered with a body that is not valid JSON"),
                              status_code=200)
        msg = str(result.get("msg", ""))
        check.that(': {"job_id": 101, ' in msg, "the message has no excerpt of the body's start: %r" % msg[-200:])
        check.that("failed after" not in msg, "a truncated body was retried")

    scenarios.append(Scenario("faults/truncated_json_200", one_job(), lambda ctx: [details()], truncated,
                              faults=lambda ctx: [{"kind": "details", "action": "truncated_json", "times": -1}],
                              timed="read job 101"))

    def not_success(check, ctx):
        check.failed("read job 101", contains=("HTTP 200 ModelArts.0104: Parameter error.",
                                               "Hint: a request parameter was rejected"),
                     status_code=200, error_code="ModelArts.0104")

    scenarios.append(Scenario("faults/is_success_false_200", one_job(), lambda ctx: [details()], not_success,
                              faults=lambda ctx: [{"kind": "details", "action": "is_success_false", "times": -1}],
                              timed="read job 101"))

    expired_once = [("iam_token", 201), details(401), ("iam_token", 201), details()]

    scenarios.append(Scenario(
        "faults/token_expires_mid_run",
        lambda ctx: [Task("read job 101", password(ctx, job_id=RUNNING_JOB))],
        lambda ctx: expired_once, lambda check, ctx: expect_job(check, "read job 101"),
        faults=lambda ctx: [{"kind": "details", "action": "expire_token", "times": 1}], timed="read job 101"))

    def expired_twice(check, ctx):
        check.failed("read job 101", contains=("HTTP 401 ModelArts.0202", "Hint: the token has expired"),
                     status_code=401, error_code="ModelArts.0202")

    scenarios.append(Scenario(
        "faults/token_expires_twice",
        lambda ctx: [Task("read job 101", password(ctx, job_id=RUNNING_JOB))],
        lambda ctx: [("iam_token", 201), details(401), ("iam_token", 201), details(401)], expired_twice,
        faults=lambda ctx: [{"kind": "details", "action": "expire_token", "times": 2}], timed="read job 101"))

    # The token (given through HWCLOUD_AUTH_TOKEN) is scoped to eu-de; the project id is cn-north-4's.
    def mismatch(check, ctx):
        check.failed("read job 101", contains=("HTTP 403 ModelArts.0210", "Hint: check project_id"),
                     status_code=403, error_code="ModelArts.0210")

    scenarios.append(Scenario(
        "faults/project_id_not_of_token_403",
        lambda ctx: [Task("read job 101", {"project_id": CN_NORTH_4, "modelarts_endpoint": ctx.url, "job_id": RUNNING_JOB})],
        lambda ctx: [details(403)], mismatch, token=True, env=lambda ctx: {"HWCLOUD_AUTH_TOKEN": ctx.token},
        timed="read job 101"))

    def skew(check, ctx):
        check.failed("read job 101", contains=("HTTP 401 APIGW.0303", "check the clock of the host running the module"),
                     status_code=401, error_code="APIGW.0303")

    scenarios.append(Scenario("faults/clock_skew_aksk", one_job(), lambda ctx: [details(401)], skew, clock=3600,
                              timed="read job 101"))

    def wrong_sk(check, ctx):
        check.failed("read job 101", contains=("HTTP 401 APIGW.0301", "Hint: check access_key and secret_key"),
                     status_code=401, error_code="APIGW.0301")

    scenarios.append(Scenario("faults/wrong_secret_key", one_job(secret_key=WRONG_SK), lambda ctx: [details(401)], wrong_sk,
                              timed="read job 101"))

    def wrong_password(check, ctx):
        # Keystone's error.code is the HTTP status, not an error code, so error_code stays null.
        check.failed("read job 101", contains=("HTTP 401: authentication failed: The username or password is wrong.",), status_code=401,
                     error_code=None)

    scenarios.append(Scenario(
        "faults/wrong_password",
        lambda ctx: [Task("read job 101", password(ctx, password=WRONG_PASSWORD, job_id=RUNNING_JOB))],
        lambda ctx: [("iam_token", 401)], wrong_password, timed="read job 101"))

    def page_two(check, ctx):
        result = check.failed("list every job", contains=("HTTP 500", "failed after 2 attempts", "page=2"),
                              status_code=500, error_code="ModelArts.0010")
        check.that("visualization_jobs" not in result, "a failed list returned a partial visualization_jobs")

    scenarios.append(Scenario(
        "faults/list_page_2_fails",
        lambda ctx: [Task("list every job", aksk(ctx, project_id=EU_NL, retries=1))],
        lambda ctx: [("list", 200), ("list", 500), ("list", 500)], page_two,
        faults=lambda ctx: [status_fault(500, -1, kind="list", page=2)], max_wait=high1, timed="list every job",
        gaps=lambda ctx: [None] + backoff_gaps(1)))

    scenarios.append(Scenario(
        "faults/iam_token_503_once",
        lambda ctx: [Task("read job 101", password(ctx, job_id=RUNNING_JOB))],
        lambda ctx: [("iam_token", 503), ("iam_token", 201), details()],
        lambda check, ctx: expect_job(check, "read job 101"),
        faults=lambda ctx: [status_fault(503, 1, kind="iam_token")], max_wait=backoff_bounds(1)[1], timed="read job 101",
        gaps=lambda ctx: backoff_gaps(1) + [None]))

    return scenarios


# --- credentials from the environment -------------------------------------------------------------------------
#
# Each family of variables is set completely (credentials, scope and endpoints of that family only) and the tasks
# name no connection option, so the secrets reach the module only through the environment. A first task reads a
# job; a second meets a ModelArts failure, so that the secrets are scanned on the success and on the failure path.


def _huawei_endpoints(ctx):
    return {"HWCLOUD_REGION": "eu-de", "HWCLOUD_IAM_ENDPOINT": ctx.url, "HWCLOUD_MODELARTS_ENDPOINT": ctx.url}


def _clouds_yaml(ctx):
    """Write a single-entry clouds.yaml (JSON is YAML) for this emulator; return the variable that names it."""
    path = os.path.join(ctx.workdir, "clouds-%d.yaml" % ctx.emulator.port)
    entry = {"auth": {"auth_url": ctx.url + "/v3", "username": USERNAME, "password": PASSWORD, "project_name": "eu-de",
                      "domain_name": DOMAIN}, "region_name": "eu-de", "verify": True,
             "modelarts_endpoint_override": ctx.url}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"clouds": {"devstack": entry}}, handle)
    return {"OS_CLIENT_CONFIG_FILE": path}


ENVIRONMENT_FAMILIES = (
    # name, ctx -> variables, the IAM requests each task makes first
    ("hwcloud_password", lambda ctx: dict(_huawei_endpoints(ctx), HWCLOUD_USERNAME=USERNAME, HWCLOUD_PASSWORD=PASSWORD,
                                          HWCLOUD_DOMAIN_NAME=DOMAIN, HWCLOUD_PROJECT_NAME="eu-de"),
     [("iam_token", 201)]),
    ("hwcloud_secret_key", lambda ctx: dict(_huawei_endpoints(ctx), HWCLOUD_ACCESS_KEY=AK, HWCLOUD_SECRET_KEY=SK,
                                            HWCLOUD_PROJECT_ID=EU_DE), []),
    ("hwcloud_security_token", lambda ctx: dict(_huawei_endpoints(ctx), HWCLOUD_ACCESS_KEY=TEMP_AK,
                                                HWCLOUD_SECRET_KEY=TEMP_SK, HWCLOUD_SECURITY_TOKEN=SECURITY_TOKEN,
                                                HWCLOUD_PROJECT_ID=EU_DE), []),
    # Huawei's SDK names for the credentials; the endpoints are the collection's HWCLOUD_* names of the same family
    ("huaweicloud_sdk_sk", lambda ctx: dict(_huawei_endpoints(ctx), HUAWEICLOUD_SDK_AK=AK, HUAWEICLOUD_SDK_SK=SK,
                                            HUAWEICLOUD_SDK_PROJECT_ID=EU_DE), []),
    # OpenStack's names, with the family's own ModelArts endpoint (OS_MODELARTS_ENDPOINT_OVERRIDE)
    ("os_password", lambda ctx: _openstack(ctx, PASSWORD), [("iam_token", 201)]),
    # a clouds.yaml profile, as AWX's OpenStack credential writes it: one entry, only OS_CLIENT_CONFIG_FILE set
    ("clouds_yaml_password", _clouds_yaml, [("iam_token", 201)]),
)


def _openstack(ctx, password_value):
    return {"OS_USERNAME": USERNAME, "OS_PASSWORD": password_value, "OS_USER_DOMAIN_NAME": DOMAIN,
            "OS_AUTH_URL": ctx.url + "/v3", "OS_REGION_NAME": "eu-de", "OS_PROJECT_NAME": "eu-de",
            "OS_MODELARTS_ENDPOINT_OVERRIDE": ctx.url}


def _environment():
    def family_check(check, _ctx):
        expect_job(check, "read job 101")
        check.failed("read job 101 while ModelArts fails", contains=("HTTP 500 ModelArts.0010: Internal error.",),
                     status_code=500, error_code="ModelArts.0010", absent=("failed after",))

    def family(name, variables, iam):
        return Scenario(
            "environment/" + name,
            lambda ctx: [Task("read job 101", {"job_id": RUNNING_JOB}),
                         Task("read job 101 while ModelArts fails", {"job_id": RUNNING_JOB, "retries": 0})],
            lambda ctx: iam + [details()] + iam + [details(500)], family_check,
            faults=lambda ctx: [status_fault(500, -1, after=1)], env=variables, timed="read job 101")

    def wrong_password(check, _ctx):
        check.failed("read job 101", contains=("HTTP 401: authentication failed: The username or password is wrong.",),
                     status_code=401, error_code=None)

    def echoed(check, _ctx):
        check.failed("read job 101", contains=("HTTP 500 ModelArts.0010: the backend says ********",),
                     status_code=500, error_code="ModelArts.0010")

    return [family(*entry) for entry in ENVIRONMENT_FAMILIES] + [
        # OS_PASSWORD is not in use (the task has AK/SK), but an error body that echoes it must not show it.
        Scenario("environment/unused_os_password_echoed", one_job(retries=0), lambda ctx: [details(500)], echoed,
                 faults=lambda ctx: [status_fault(500, -1, body={"error_code": "ModelArts.0010",
                                                                 "error_message": "the backend says " + UNUSED_OS_PASSWORD})],
                 env=lambda ctx: {"OS_PASSWORD": UNUSED_OS_PASSWORD}, timed="read job 101"),
        Scenario("environment/os_password_wrong", lambda ctx: [Task("read job 101", {"job_id": RUNNING_JOB})],
                 lambda ctx: [("iam_token", 401)], wrong_password, env=lambda ctx: _openstack(ctx, WRONG_PASSWORD),
                 timed="read job 101"),
    ]


# --- TLS -----------------------------------------------------------------------------------------------------


def _tls():
    def untrusted(check, ctx):
        check.failed("read job 101", contains=("TLS error talking to 127.0.0.1:%d: the server certificate was not trusted"
                                               % ctx.emulator.port, "Set ca_path"),
                     absent=("failed after",))

    def other_bundle_env(ctx):
        return {"REQUESTS_CA_BUNDLE": ctx.other_ca_bundle}

    return [
        Scenario("tls/untrusted_by_default", one_job(), lambda ctx: [], untrusted, emulator="tls", timed="read job 101"),
        # requests lets REQUESTS_CA_BUNDLE replace a Session's verify setting; ca_path must still win.
        Scenario("tls/ca_path_wins_over_requests_ca_bundle",
                 lambda ctx: [Task("read job 101", aksk(ctx, job_id=RUNNING_JOB, ca_path=ctx.ca_path))],
                 lambda ctx: [details()], lambda check, ctx: expect_job(check, "read job 101"), emulator="tls",
                 env=other_bundle_env, timed="read job 101"),
        Scenario("tls/untrusted_with_other_requests_ca_bundle", one_job(), lambda ctx: [], untrusted, emulator="tls",
                 env=other_bundle_env, timed="read job 101"),
        Scenario("tls/requests_ca_bundle_env", one_job(), lambda ctx: [details()],
                 lambda check, ctx: expect_job(check, "read job 101"), emulator="tls",
                 env=lambda ctx: {"REQUESTS_CA_BUNDLE": ctx.ca_path}, timed="read job 101"),
        Scenario("tls/ca_path", lambda ctx: [Task("read job 101", aksk(ctx, job_id=RUNNING_JOB, ca_path=ctx.ca_path))],
                 lambda ctx: [details()], lambda check, ctx: expect_job(check, "read job 101"), emulator="tls",
                 timed="read job 101"),
        Scenario("tls/validate_certs_false", one_job(validate_certs=False), lambda ctx: [details()],
                 lambda check, ctx: expect_job(check, "read job 101"), emulator="tls", timed="read job 101"),
    ]


def all_scenarios():
    """Every scenario, in report order."""
    return _happy() + _faults() + _environment() + _tls()
