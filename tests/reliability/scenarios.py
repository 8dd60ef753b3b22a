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

from harness import access_log_times

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
WRONG_SK = "emu-wrong-secret-key-000000000000000000000001"
WRONG_PASSWORD = "Wrong-Passw0rd!"

# Every value the suite must never find in any output or log (issued MIIEMU tokens are matched by pattern).
SECRETS = {
    "password": PASSWORD,
    "secret_key": SK,
    "temporary secret_key": TEMP_SK,
    "security_token": SECURITY_TOKEN,
    "wrong secret_key": WRONG_SK,
    "wrong password": WRONG_PASSWORD,
}

# The documented retry policy (plugins/module_utils/_retry.py): 0.5 s doubling, capped at 8 s, equal jitter.
BASE_DELAY = 0.5
MAX_DELAY = 8.0


def backoff_bounds(retries):
    """(shortest, longest) total backoff of ``retries`` retries under equal jitter."""
    delays = [min(MAX_DELAY, BASE_DELAY * 2 ** index) for index in range(retries)]
    return sum(delay / 2 for delay in delays), sum(delays)


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
        self.that("request_id" in result, "task %r: no request_id field in the failure" % name)
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
                 env=None, settle=2.0, max_wait=0.0, timed=None):
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
    low, high = backoff_bounds(2)

    def check(check, ctx):
        expect_job(check, "read job 101")
        check.duration("read job 101", low, high + ctx.slack)

    return Scenario("faults/%d_twice_then_ok" % status, one_job(), lambda ctx: [details(status)] * 2 + [details()], check,
                    faults=lambda ctx: [status_fault(status, 2)], max_wait=high, timed="read job 101")


def _faults():  # pylint: disable=too-many-locals
    scenarios = []

    # 429 with Retry-After: 1 once, then 200. The fault lets two requests pass: a warm-up task (the first task of a
    # play also builds the module payload) and the no-fault baseline; the third task meets the 429 and waits.
    def retry_after(check, ctx):
        for name in ("warm-up", "baseline", "after a 429"):
            expect_job(check, name)
        baseline = check.duration("baseline")
        waited = check.duration("after a 429", 1.0, 1.0 + baseline + ctx.slack)
        # Module start-up varies by up to half a second between tasks on a loaded machine, so the wall-time comparison
        # only shows that the wait happened; the access log below measures it exactly.
        check.that(waited - baseline >= 0.5, "the 429 task took only %.2f s more than the baseline" % (waited - baseline))
        times = access_log_gaps(ctx.emulator, check, "details")
        if len(times) == 4:
            check.that(times[2][1] == "429", "the access log shows %s as the third answer" % times[2][1])
            gap = times[3][0] - times[2][0]
            check.that(gap >= 0.95, "only %.3f s between the 429 answer and the retry in the access log" % gap)

    scenarios.append(Scenario(
        "faults/429_retry_after_1s",
        lambda ctx: [Task(name, aksk(ctx, job_id=RUNNING_JOB)) for name in ("warm-up", "baseline", "after a 429")],
        lambda ctx: [details(), details(), details(429), details()], retry_after,
        faults=lambda ctx: [status_fault(429, 1, after=2, headers={"Retry-After": "1"})], max_wait=1.0, timed="after a 429"))

    scenarios += [_retried_twice(status) for status in (500, 502, 503, 504)]

    low2, high2 = backoff_bounds(2)

    def exhausted(check, ctx):
        check.failed("read job 101", contains=("HTTP 503", "failed after 3 attempts", "Internal error."),
                     status_code=503, error_code="ModelArts.0010")
        check.duration("read job 101", low2, high2 + ctx.slack)

    scenarios.append(Scenario("faults/503_always_retries_2", one_job(retries=2), lambda ctx: [details(503)] * 3, exhausted,
                              faults=lambda ctx: [status_fault(503, -1)], max_wait=high2, timed="read job 101"))

    def too_long(check, ctx):
        check.failed("read job 101", contains=("HTTP 429", "asked to retry after 120 seconds, longer than this module waits"),
                     status_code=429, error_code="APIGW.0308")
        check.duration("read job 101", None, ctx.slack)

    scenarios.append(Scenario("faults/429_retry_after_too_long", one_job(), lambda ctx: [details(429)], too_long,
                              faults=lambda ctx: [status_fault(429, -1, headers={"Retry-After": "120"})],
                              timed="read job 101"))

    # Connection refused: nothing listens on the port; 3 attempts, each refused at once.
    def refused(check, ctx):
        endpoint = "127.0.0.1:%d" % ctx.free_port
        check.failed("read job 101", contains=("could not connect to %s: connection refused" % endpoint,
                                               "failed after 3 attempts"))
        timeout, attempts = 5, 3
        check.duration("read job 101", low2, timeout * attempts + high2)
        check.duration("read job 101", None, high2 + ctx.slack)  # refusals are immediate: no timeout is waited for

    scenarios.append(Scenario(
        "faults/connection_refused",
        lambda ctx: [Task("read job 101", aksk(ctx, modelarts_endpoint="http://127.0.0.1:%d" % ctx.free_port,
                                               job_id=RUNNING_JOB, timeout=5, retries=2))],
        lambda ctx: [], refused, max_wait=high2, timed="read job 101"))

    # Read timeout: every answer is 2 s late, the module waits 1 s per attempt, 2 attempts.
    low1, high1 = backoff_bounds(1)

    def read_timeout(check, ctx):
        check.failed("read job 101", contains=("no answer from 127.0.0.1:%d within 1 s (read timeout)"
                                               % ctx.emulator.port, "failed after 2 attempts"))
        check.duration("read job 101", 2 * 1 + low1, 2 * 1 + high1 + ctx.slack)

    scenarios.append(Scenario(
        "faults/read_timeout", one_job(timeout=1, retries=1), lambda ctx: [details()] * 2, read_timeout,
        faults=lambda ctx: [{"kind": "details", "action": "slow", "delay": 2.0, "times": -1}],
        settle=4.0, max_wait=2 * 1 + high1, timed="read job 101"))

    def dropped(check, ctx):
        expect_job(check, "read job 101")
        check.duration("read job 101", low1, high1 + ctx.slack)

    scenarios.append(Scenario("faults/connection_dropped_once", one_job(), lambda ctx: [details(None), details()], dropped,
                              faults=lambda ctx: [{"kind": "details", "action": "drop", "times": 1}], max_wait=high1,
                              timed="read job 101"))

    def html(check, ctx):
        check.failed("read job 101", contains=("HTTP 502", "failed after 2 attempts",
                                               "the server answered with an HTML page instead of JSON: 502 Bad Gateway"),
                     status_code=502, absent=("<html", "<center>"))

    scenarios.append(Scenario("faults/html_502_always", one_job(retries=1), lambda ctx: [details(502)] * 2, html,
                              faults=lambda ctx: [{"kind": "details", "action": "html", "status": 502, "times": -1}],
                              max_wait=high1, timed="read job 101"))

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
        faults=lambda ctx: [status_fault(500, -1, kind="list", page=2)], max_wait=high1, timed="list every job"))

    scenarios.append(Scenario(
        "faults/iam_token_503_once",
        lambda ctx: [Task("read job 101", password(ctx, job_id=RUNNING_JOB))],
        lambda ctx: [("iam_token", 503), ("iam_token", 201), details()],
        lambda check, ctx: expect_job(check, "read job 101"),
        faults=lambda ctx: [status_fault(503, 1, kind="iam_token")], max_wait=backoff_bounds(1)[1], timed="read job 101"))

    return scenarios


def access_log_gaps(_emulator, check, kind, expected=4):
    """(time, status) of the access-log lines of ``kind`` written during this run (see run.py)."""
    times = access_log_times(check.run.access_log, kind)
    check.that(len(times) == expected, "the access log shows %d %s requests, expected %d" % (len(times), kind, expected))
    return times


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
    return _happy() + _faults() + _tls()
