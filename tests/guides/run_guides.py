# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every playbook of the guides and every EXAMPLES block against the bundled emulator (see README.md).

Usage: python tests/guides/run_guides.py --workdir DIR [--list]
Needs ansible-core, PyYAML and jinja2 (the .venv/core2.21 venv) and an ANSIBLE_COLLECTIONS_PATH in which
hwcloud.modelarts is found. ``--list`` prints how each block is classified and runs nothing.
"""

from __future__ import annotations

import argparse
import ast
import copy
import glob
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
sys.path.insert(0, os.path.join(ROOT, "tests", "reliability"))
sys.path.insert(0, os.path.join(ROOT, "tests", "awx"))
# pylint: disable=wrong-import-position,import-error
from check_awx import load_yaml, render_injectors  # noqa: E402  # AWX's injection of the credential type
from process import EmulatorProcess  # noqa: E402
from secret_scan import SecretScanner  # noqa: E402
import seed  # noqa: E402

WRITE_KINDS = ("create", "update", "delete", "stop", "restart")
DAY = 86400
# Options that make a task leave the environment's endpoints unused (the source rule in the modules' notes):
# such a block names a real cloud, and reaches the emulator only with the endpoints laid over it.
ENDPOINTS_OFF = ("cloud", "region", "auth_token", "access_key", "secret_key", "username", "password")

# YAML blocks that are not playbooks or tasks: (what it is, and how this run checks it). The first line of the block
# names it. A YAML block that is none of these, nor a playbook, a task list or a rulebook, fails the run.
NOT_PLAYBOOKS = {
    ("guide_authentication.rst", "clouds:"):
        ("a clouds.yaml file", ("runs", "a task reads its profile otc from it, as OS_CLIENT_CONFIG_FILE")),
    ("guide_event_driven.rst", "modelarts:"):
        ("an event payload", ("elsewhere", "its keys are asserted by the event source's unit tests")),
    ("guide_execution_environment.rst", "version: 3   # ignored by ansible-builder here, but the EE s"):
        ("the collection's EE dependencies", ("equals", "meta/execution-environment.yml")),
    ("guide_execution_environment.rst", "---"):
        ("an execution-environment definition", ("ansible-builder", "ansible-builder create accepts it")),
    ("guide_execution_environment.rst", "dependencies:"):
        ("the tarball entries of an execution-environment definition",
         ("elsewhere", "the execution-environment gate makes this variant of the shipped definition and builds its context")),
}
# Tasks that need an earlier block's result: they run after that block, in the same play.
AFTER = {
    ("guide_troubleshooting.rst", "Fail with a clear message when the job is gone"):
        ("guide_troubleshooting.rst", "Read a job, but do not stop the play on an expired token"),
}
# Tasks that run with a collection this project does not install: not run, each with the reason.
NOT_RUN = {
    ("guide_awx.rst", "Create the ModelArts credential type"):
        "needs an AWX controller; the credential type it creates is run by the awx-runner gate",
}
# Variables the blocks leave to the reader, given the emulator's values.
EXTRA_VARS = {"job_id": 101, "hw_user": seed.USER_NAME, "hw_password": seed.USER_PASSWORD,
              "hw_account": seed.DOMAIN_NAME, "otc_user": seed.USER_NAME, "otc_password": seed.USER_PASSWORD,
              "otc_account": seed.DOMAIN_NAME}
README = os.path.join(ROOT, "README.md")
INFO = "hwcloud.modelarts.modelarts_visualization_job_info"
# What the fail-fast check gives a waiting example instead of its job: one the emulator does not have, and a seeded
# job in the failed phase (104 tb-failed-run, status 11), by id or by name as the example reads it.
MISSING_JOB = {"job_id": 999999, "name": "no-such-job"}
FAILED_JOB = {"job_id": 104, "name": "tb-failed-run"}
# README.md's "Try it locally": the fenced blocks after a comment that starts with this (the exports make emulator
# prints, then the commands of the second terminal)
TRY_IT_MARKER = "<!-- try-it-locally:"


class GuideError(Exception):
    """A block did not run as its text says."""


class Block:
    """One YAML block of a guide or of a plugin's EXAMPLES."""

    def __init__(self, origin, line, text):
        self.origin, self.line, self.text = origin, line, text
        self.data = yaml.safe_load(text)
        self.first = next(item for item in text.splitlines() if item.strip()).strip()[:60]

    @property
    def label(self):
        return "%s:%d" % (self.origin, self.line)

    @property
    def first_task_name(self):
        first = self.data[0] if isinstance(self.data, list) and self.data else {}
        return first.get("name") if isinstance(first, dict) else None

    @property
    def kind(self):
        """playbook, tasks, rulebook, not-run, not-a-playbook or unclassified."""
        key = (self.origin, self.first)
        if key in NOT_PLAYBOOKS:
            return "not-a-playbook"
        if not isinstance(self.data, list) or not all(isinstance(item, dict) for item in self.data):
            return "unclassified"
        if (self.origin, self.first_task_name) in NOT_RUN:
            return "not-run"
        if all("sources" in item for item in self.data):
            return "rulebook"
        if all("hosts" in item for item in self.data):
            return "playbook"
        if not any("hosts" in item for item in self.data):
            return "tasks"
        return "unclassified"

    @property
    def reason(self):
        if (self.origin, self.first) in NOT_PLAYBOOKS:
            what, (how, detail) = NOT_PLAYBOOKS[(self.origin, self.first)]
            return "%s: %s %s" % (what, how, detail)
        if self.kind == "rulebook":
            return "run by the eda-rulebooks gate (tests/eda/run_rulebooks.py, check_source_examples)"
        return NOT_RUN.get((self.origin, self.first_task_name), "")


def rst_blocks(path):
    """The YAML code blocks of one guide, as Blocks (other languages are not playbooks)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks = []
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*)\.\. code-block::\s*(\S+)", line)
        if not match or match.group(2) not in ("yaml", "yaml+jinja"):
            continue
        indent, body = len(match.group(1)), []
        for following in lines[index + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        text = "\n".join(body)
        common = min(len(item) - len(item.lstrip()) for item in body if item.strip())
        blocks.append(Block(os.path.basename(path), index + 1, "\n".join(item[common:] for item in text.split("\n"))))
    return blocks


def examples_block(path):
    """The EXAMPLES of one plugin file as a Block, or None when it has none."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "EXAMPLES":
            return Block(os.path.relpath(path, ROOT), node.lineno, node.value.value)
    return None


def markdown_fences(path):
    """Every fenced block of a Markdown file: (line of the fence, its language, its text, the line before it)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    fences, index = [], 0
    while index < len(lines):
        match = re.match(r"^```(\S*)\s*$", lines[index])
        if match and match.group(1):
            end = lines.index("```", index + 1)
            fences.append((index + 1, match.group(1), "\n".join(lines[index + 1:end]), lines[index - 1] if index else ""))
            index = end
        index += 1
    return fences


def readme_blocks():
    """The YAML blocks of README.md (its Quick start), as Blocks."""
    return [Block("README.md", line, text) for line, language, text, _before in markdown_fences(README)
            if language == "yaml"]


def every_block():
    """Every YAML block of README.md and docs/docsite/rst and every EXAMPLES block of the plugins, in a fixed order."""
    blocks = readme_blocks()
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "docsite", "rst", "*.rst"))):
        blocks += rst_blocks(path)
    plugins = glob.glob(os.path.join(ROOT, "plugins", "*", "*.py"))
    plugins += glob.glob(os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "*.py"))
    blocks += [block for block in map(examples_block, sorted(plugins)) if block is not None]
    return blocks


def _mappings_of(task):
    """The argument dicts of a task (or of each task of a block) that reach a hwcloud.modelarts module."""
    for key, value in task.items():
        if key.startswith("hwcloud.modelarts.") and isinstance(value, dict):
            yield value
        if key == "module_defaults" and isinstance(value, dict):
            yield from (defaults for defaults in value.values() if isinstance(defaults, dict))
        if key in ("block", "rescue", "always", "tasks") and isinstance(value, list):
            for inner in value:
                yield from _mappings_of(inner)


def leaves_environment_endpoints(tasks):
    """True when a task names a cloud, region or credentials without an endpoint of its own."""
    return any(any(key in mapping for key in ENDPOINTS_OFF) and "modelarts_endpoint" not in mapping
               for task in tasks for mapping in _mappings_of(task))


def plays_of(block, blocks, emulator_url):
    """The plays that run ``block``: its own, or its tasks in one play; with the emulator's endpoints laid over
    the plays (as play-level module_defaults under the block's own) when a task turns the environment's off."""
    if block.kind == "playbook":
        plays = [dict(play) for play in block.data]
    else:
        tasks = list(block.data)
        before = AFTER.get((block.origin, block.first_task_name))
        if before:
            tasks = [task for other in blocks if (other.origin, other.first_task_name) == before
                     for task in other.data] + tasks
        plays = [{"name": "Run %s" % block.label, "hosts": "localhost", "connection": "local",
                  "gather_facts": False, "tasks": tasks}]
    for play in plays:
        if leaves_environment_endpoints([play]):  # the play, its module_defaults and its tasks
            play.setdefault("module_defaults", {}).setdefault("group/hwcloud.modelarts.modelarts", {})
            _lay_endpoints_over(play, emulator_url)
    return plays


def _lay_endpoints_over(node, url):
    """Add the emulator's endpoints to every module_defaults group of ``node`` and of the blocks in it (an inner
    module_defaults replaces an outer one for the same group, so each needs them)."""
    defaults = node.get("module_defaults")
    if isinstance(defaults, dict) and isinstance(defaults.get("group/hwcloud.modelarts.modelarts"), dict):
        for option in ("iam_endpoint", "modelarts_endpoint"):
            defaults["group/hwcloud.modelarts.modelarts"].setdefault(option, url)
    for key in ("tasks", "block", "rescue", "always"):
        for inner in node.get(key) or []:
            if isinstance(inner, dict):
                _lay_endpoints_over(inner, url)


def awx_environment(emulator_url, workdir):
    """The job environment of AWX for the collection's credential type, filled in as guide_awx.rst says: a region
    and one set of credentials (plus the emulator's endpoints), every other field blank."""
    credential = {"region": "eu-de", "access_key": seed.PERMANENT_AK, "secret_key": seed.PERMANENT_SK,
                  "iam_endpoint": emulator_url, "modelarts_endpoint": emulator_url}
    inputs, injectors = load_yaml("credential_type_inputs.yml"), load_yaml("credential_type_injectors.yml")
    os.makedirs(os.path.join(workdir, "env"), exist_ok=True)  # where AWX writes the credential's files
    return render_injectors(inputs, injectors, credential, workdir)


class Runner:
    """ansible-playbook against one emulator, in the AWX-style environment; checks each run's writes."""

    def __init__(self, workdir, emulator):
        self.workdir, self.emulator = workdir, emulator
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("HWCLOUD_", "OS_", "HUAWEICLOUD_SDK_"))}
        self.env.update(awx_environment(emulator.url, workdir))
        self.env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
                        MY_AK=seed.PERMANENT_AK, MY_SK=seed.PERMANENT_SK)
        self.scanner = SecretScanner({"secret_key": seed.PERMANENT_SK, "password": seed.USER_PASSWORD})
        self.runs = 0
        self.requests = []  # what the emulator saw during the last run
        self.returncode = None  # the exit code of the last run

    def playbook(self, name, plays=None, text=None, args=(), env=None, expect_rc=0):
        """Run a playbook (``plays`` dumped, or ``text`` as written); return (output, writes it sent). ``expect_rc``
        None accepts any exit code (``self.returncode`` has it)."""
        path = os.path.join(self.workdir, re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".yml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text if text is not None else yaml.safe_dump(plays, sort_keys=False, width=1000))
        self.emulator.admin("POST", "requests/take")
        started = time.monotonic()
        command = [_tool("ansible-playbook"), path, "-e", json.dumps(EXTRA_VARS)] + list(args)
        completed = subprocess.run(command, env=dict(self.env, **(env or {})), cwd=self.workdir, text=True,
                                   capture_output=True, stdin=subprocess.DEVNULL, timeout=600, check=False)
        output = completed.stdout + completed.stderr
        self.runs += 1
        self.returncode = completed.returncode
        self._keep(name, args, output)
        self.requests = self.emulator.admin("POST", "requests/take")["requests"]
        writes = [entry["kind"] for entry in self.requests if entry["kind"] in WRITE_KINDS]
        took = time.monotonic() - started
        print("  %-58s rc=%d %5.1fs writes=%s" % (name + " " + " ".join(args), completed.returncode, took,
                                                  writes or "none"), flush=True)
        if expect_rc is not None and completed.returncode != expect_rc:
            raise GuideError("%s: ansible-playbook %s exited %d, expected %d:\n%s"
                             % (name, " ".join(args), completed.returncode, expect_rc, output[-3000:]))
        problems = self.scanner.scan({name: output})
        if problems:
            raise GuideError("%s: secrets in the output: %s" % (name, "; ".join(problems)))
        if "--check" in args and writes:
            raise GuideError("%s: check mode sent writes %s" % (name, writes))
        return output, writes

    def _keep(self, name, args, output):
        """Keep the output of each run in <workdir>/output, where the guides gate scans it for warnings."""
        folder = os.path.join(self.workdir, "output")
        os.makedirs(folder, exist_ok=True)
        label = re.sub(r"[^A-Za-z0-9_.-]", "_", " ".join([name] + list(args)))
        with open(os.path.join(folder, "%03d-%s.out" % (self.runs, label)), "w", encoding="utf-8") as handle:
            handle.write(output)

    def jobs(self, name=None):
        """The emulator's eu-de jobs (optionally of one name), as the details API shows them."""
        jobs = self.emulator.admin("GET", "jobs")["jobs"].get(seed.EU_DE, [])
        return [job for job in jobs if name is None or job["job_name"] == name]

    def reset(self):
        self.emulator.admin("POST", "reset", {"jobs": True, "tokens": True})


def run_block(runner, block, blocks):
    """A block in check mode, then as written: both must pass, and check mode must send no write."""
    runner.reset()
    if block.kind == "playbook" and not leaves_environment_endpoints(block.data):
        runner.playbook(block.label, text=block.text, args=["--check", "--diff"])
        runner.playbook(block.label, text=block.text)
    else:
        plays = plays_of(block, blocks, runner.emulator.url)
        runner.playbook(block.label, plays, args=["--check", "--diff"])
        runner.playbook(block.label, plays)


def _within(part, whole):
    """True when every key of ``part`` is in ``whole`` with the same value (lists compared whole)."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(key in whole and _within(value, whole[key]) for key, value in part.items())
    return part == whole


def check_not_playbooks(runner, blocks):
    """The YAML blocks that are not playbooks, checked as NOT_PLAYBOOKS says."""
    for block in (item for item in blocks if item.kind == "not-a-playbook"):
        _what, (how, detail) = NOT_PLAYBOOKS[(block.origin, block.first)]
        if how in ("equals", "within"):
            with open(os.path.join(ROOT, detail), encoding="utf-8") as handle:
                whole = yaml.safe_load(handle)
            if not (block.data == whole if how == "equals" else _within(block.data, whole)):
                raise GuideError("%s does not show what %s holds" % (block.label, detail))
        elif how == "ansible-builder":
            path = os.path.join(runner.workdir, "execution-environment.yml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(block.text)
            subprocess.run([_tool("ansible-builder"), "create", "-f", path, "-c", os.path.join(runner.workdir, "ee"), "-v", "1"],
                           env=runner.env, capture_output=True, text=True, check=True, timeout=120)
        elif how == "runs":
            check_clouds_yaml(runner, block)
        print("ok   %-58s %s %s" % (block.label, how, detail))


def check_clouds_yaml(runner, block):
    """guide_authentication.rst's clouds.yaml, with the emulator's URL for IAM and the emulator's user: the profile
    it names reaches the emulator with its own credentials (and no HWCLOUD_* variable)."""
    clouds = block.data
    profile = clouds["clouds"]["otc"]
    profile["auth"]["auth_url"] = runner.emulator.url + "/v3"
    profile["auth"].update(username=seed.USER_NAME, password=seed.USER_PASSWORD, user_domain_name=seed.DOMAIN_NAME)
    profile["auth"].pop("project_id", None)
    profile["modelarts_endpoint_override"] = runner.emulator.url
    path = os.path.join(runner.workdir, "clouds.yaml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(clouds, handle)
    env = {key: "" for key in runner.env if key.startswith("HWCLOUD_")}
    env["OS_CLIENT_CONFIG_FILE"] = path
    play = {"name": "clouds.yaml", "hosts": "localhost", "connection": "local", "gather_facts": False,
            "tasks": [{"name": "Read a job with the profile", "register": "job",
                       "hwcloud.modelarts.modelarts_visualization_job_info": {"cloud_profile": "otc", "job_id": 101}},
                      {"name": "It is the seeded job", "ansible.builtin.assert": {"that": ["job.visualization_job.job_id == 101"]}}]}
    runner.reset()
    runner.playbook("clouds.yaml profile", [play], env=env)


def check_option_error_keeps_the_troubleshooting_condition(runner, blocks):
    """The failed_when of guide_troubleshooting.rst on an option error: the task fails with the option's message,
    not with a templating error about a missing error_code."""
    block = next(item for item in blocks if item.origin == "guide_troubleshooting.rst" and "failed_when" in item.text)
    output, _writes = runner.playbook("troubleshooting-option-error", plays_of(block, blocks, runner.emulator.url),
                                      env={"HWCLOUD_TIMEOUT": "soon"}, expect_rc=2)
    if "argument 'timeout'" not in output or '"error_code": null' not in output or "has no attribute" in output:
        raise GuideError("the troubleshooting condition on an option error gave:\n%s" % output[-2000:])
    print("ok   the troubleshooting condition holds on an option error (the task fails naming the option, error_code null)")


def check_token_reuse_from_awx(runner, blocks):
    """guide_authentication.rst's token reuse, as written, with AWX's variables: one IAM call for the play."""
    block = next(item for item in blocks if item.origin == "guide_authentication.rst"
                 and item.first_task_name == "Authenticate once" and "module_defaults" in item.text)
    if leaves_environment_endpoints(block.data):
        raise GuideError("the token-reuse example names a cloud, region or credentials in a task: with an AWX "
                         "credential's endpoints it would ask the default endpoint of that region for its token")
    runner.reset()
    runner.playbook("token-reuse-from-awx", plays_of(block, blocks, runner.emulator.url))
    print("ok   the token-reuse example runs as written from AWX's variables, without endpoints laid over it")


def simulate_ten_days(runner, blocks, days=10):
    """guide_tensorboard_jobs.rst's playbook, one morning and one evening a day for ``days`` days (the emulator's
    calendar moved so that the last day is today), the daily job failing on day 2 and the clean-up on the last day.
    """
    block = next(item for item in blocks if item.origin == "guide_tensorboard_jobs.rst" and item.kind == "playbook")
    daily = block.data[0]["vars"]["tensorboard_name"]
    runner.reset()
    old = runner.emulator.admin("POST", "jobs", {"jobs": [
        {"job_name": "tb-adhoc-old", "status": 13, "create_time": _ms_ago(days - 1)},
        {"job_name": "tb-adhoc-new", "status": 12, "create_time": _ms_ago(3)}]})["job_ids"]
    job_id = None
    for day in range(1, days + 1):
        runner.emulator.set_calendar(-(days - day) * DAY)
        expected = ["restart"]
        if day == 1:
            expected = ["create"]
        elif day == 2:
            runner.emulator.admin("POST", "jobs/status", {"job_id": job_id, "status": 11})  # it failed overnight
            expected = ["delete", "create"]
        if day in (1, 2, 3):
            runner.playbook("day %d morning" % day, text=block.text, args=["--tags", "start", "--check"])
        _output, writes = runner.playbook("day %d morning" % day, text=block.text, args=["--tags", "start"])
        jobs = runner.jobs(daily)
        if writes != expected or len(jobs) != 1 or int(jobs[0]["status"]) != 8:
            raise GuideError("day %d morning: writes %s (expected %s), jobs %s" % (day, writes, expected, jobs))
        if day == 2 and int(jobs[0]["job_id"]) == job_id:
            raise GuideError("day 2: the failed job %s was not replaced" % job_id)
        job_id = int(jobs[0]["job_id"])
        _output, writes = runner.playbook("day %d evening" % day, text=block.text, args=["--tags", "evening"])
        if writes != ["stop"] or int(runner.jobs(daily)[0]["status"]) != 13:
            raise GuideError("day %d evening: writes %s, job %s" % (day, writes, runner.jobs(daily)))
    cutoff = (time.time() - 7 * DAY) * 1000
    doomed = sorted(int(job["job_id"]) for job in runner.jobs() if int(job["status"]) in (12, 13)
                    and int(job["create_time"]) < cutoff and job["job_name"] != daily)
    runner.playbook("last day cleanup", text=block.text, args=["--tags", "cleanup", "--check"])
    _output, writes = runner.playbook("last day cleanup", text=block.text, args=["--tags", "cleanup"])
    left = {int(job["job_id"]) for job in runner.jobs()}
    if set(doomed) & left or old[0] not in doomed or old[1] in doomed or job_id not in left or writes != ["delete"] * len(doomed):
        raise GuideError("cleanup: it should delete exactly %s and keep the daily job %s; it sent %s and left %s"
                         % (doomed, job_id, writes, sorted(left)))
    print("ok   %d days: the daily job ran every morning (replaced once after it failed), stopped every evening, "
          "and outlived the clean-up, which deleted exactly the %d old stopped jobs %s" % (days, len(doomed), doomed))


def _waits(tasks):
    """(task list, index) of every task that waits (``until:``) on the info module, in blocks too."""
    for index, task in enumerate(tasks):
        if "until" in task and INFO in task:
            yield tasks, index
        for key in ("block", "rescue", "always"):
            if isinstance(task.get(key), list):
                yield from _waits(task[key])


def _failure_message(task):
    """The message a task after a wait fails with: an assert's fail_msg or a fail's msg (None for any other)."""
    for module, key in (("ansible.builtin.assert", "fail_msg"), ("ansible.builtin.fail", "msg")):
        if isinstance(task.get(module), dict) and task[module].get(key):
            return task.get("name", module), task[module][key]
    return None


def check_waits_fail_fast(runner, blocks):
    """Every example that waits with until: on the info module, run with a job that does not exist and with a job
    in the failed phase: the wait must end on its first read (no retry) and the task after it, an assert or a fail,
    must fail the play with its message. The wait's delay is set to 0 so that a wait that spins shows in its retries
    (counted from ansible-playbook's "FAILED - RETRYING" lines), not in the time it takes."""
    waiting = [block for block in blocks if block.kind in ("playbook", "tasks") and "until:" in block.text]
    if not waiting:
        raise GuideError("no example waits with until: on the info module; the fail-fast check has nothing to run")
    for block in waiting:
        for case, job in (("missing job", MISSING_JOB), ("failed job", FAILED_JOB)):
            plays = copy.deepcopy(plays_of(block, blocks, runner.emulator.url))
            expected = []
            for tasks, index in (found for play in plays for found in _waits(play["tasks"])):
                arguments = tasks[index][INFO]
                key = "job_id" if "job_id" in arguments else "name"
                arguments[key] = job[key]
                tasks[index]["delay"] = 0
                expected.append(_failure_message(tasks[index + 1]) if index + 1 < len(tasks) else None)
            runner.reset()
            output, _writes = runner.playbook("%s %s" % (block.label, case), plays, expect_rc=None)
            retries = output.count("FAILED - RETRYING")
            if expected[0] is None:
                raise GuideError("%s with a %s: exit code %d after %d retries (want 0), and the wait is not followed by"
                                 " an ansible.builtin.assert with fail_msg or an ansible.builtin.fail with msg"
                                 % (block.label, case, runner.returncode, retries))
            name, message = expected[0]
            static = message.split("{{")[0].strip()
            section = output.partition("TASK [%s]" % name)[2].split("\nTASK [")[0].split("\nPLAY RECAP")[0]
            failed_there = re.search(r"^fatal: .*%s" % re.escape(static), section, re.M)
            if retries or runner.returncode != 2 or not failed_there or len(static) < 10:
                raise GuideError("%s with a %s: exit code %d (want 2) after %d retries (want 0); the play must fail at"
                                 " %r with its message %r (a static part of 10 characters or more):\n%s"
                                 % (block.label, case, runner.returncode, retries, name, static, output[-3000:]))
            print("ok   %-58s %s: the wait ended on its first read, then %r failed: %s"
                  % (block.label, case, name, static))


def try_it_locally_blocks():
    """README.md's "Try it locally": (the export lines make emulator prints, the second terminal's commands). The
    third marked block, the event source's commands, is run by the eda-rulebooks gate."""
    marked = [(line, text) for line, _language, text, before in markdown_fences(README)
              if before.startswith(TRY_IT_MARKER)]
    if len(marked) != 3:
        raise GuideError("README.md must have three fenced blocks after %r (the exports, the commands, the event"
                         " source); found %s" % (TRY_IT_MARKER, [line for line, _text in marked]))
    return marked[0][1], marked[1][1]


class MakeEmulator:
    """``make emulator`` as the README runs it, with EMULATOR_PORT=0 (a free port) and in its own process group
    (Ctrl-C reaches make and the emulator, as in a terminal); its output read line by line."""

    def __init__(self, workdir):
        os.makedirs(workdir, exist_ok=True)
        self.stderr = open(os.path.join(workdir, "make-emulator.err"), "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(["make", "--no-print-directory", "emulator", "EMULATOR_PORT=0"], cwd=ROOT,  # pylint: disable=consider-using-with
                                        stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL,
                                        text=True, start_new_session=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def banner(self, bound=60):
        """The lines printed up to the seeded job's line; fails when make exits or prints none within ``bound``
        seconds (a bound on a failure, not a condition of success)."""
        deadline = time.monotonic() + bound
        while not any(line.startswith("# a running job") for line in self.lines):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise GuideError("make emulator printed no export lines:\n%s" % "\n".join(self.lines))
            time.sleep(0.1)
        return list(self.lines)

    def stop(self):
        """Ctrl-C to its process group (make and the emulator, which both were started here), then wait."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.stderr.close()


def _emulator_admin(url, path):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url + "/__emulator__/" + path, timeout=30) as answer:
        return json.loads(answer.read().decode("utf-8"))


def check_try_it_locally(runner, _blocks):
    """README.md's "Try it locally" as a user follows it: make emulator (with a free port); its export lines must
    be the README's (its port aside); then the second terminal's commands, as written, with only those variables
    (no other HWCLOUD_*, OS_* or HUAWEICLOUD_SDK_*), the tarball installed into a collections path of its own:
    every command must succeed, every module must run, and the emulator must see exactly one create, stop and
    delete."""
    shown, commands = try_it_locally_blocks()
    work = os.path.join(runner.workdir, "try-it")
    for sub in ("home", "tmp", "collections"):
        os.makedirs(os.path.join(work, sub), exist_ok=True)
    emulator = MakeEmulator(work)
    try:
        printed = emulator.banner()
        url = next(line.split()[-1] for line in printed if line.startswith("emulator listening on "))
        first = next(index for index, line in enumerate(printed) if line.startswith("export "))
        if "\n".join(printed[first:]).strip() != shown.replace("http://127.0.0.1:8780", url).strip():
            raise GuideError("make emulator printed\n%s\nbut README.md shows\n%s" % ("\n".join(printed[first:]), shown))
        env = {key: value for key, value in os.environ.items() if not key.startswith(("HWCLOUD_", "OS_", "HUAWEICLOUD_SDK_"))}
        env.update(line[len("export "):].split("=", 1) for line in printed if line.startswith("export "))
        env.update(HOME=os.path.join(work, "home"), TMPDIR=os.path.join(work, "tmp"), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_COLLECTIONS_PATH=os.path.join(work, "collections"))
        completed = subprocess.run(["bash", "-e", "-c", commands], cwd=ROOT, env=env, text=True, capture_output=True,
                                   stdin=subprocess.DEVNULL, timeout=600, check=False)
        output = completed.stdout + completed.stderr
        kinds = [entry["kind"] for entry in _emulator_admin(url, "requests")["requests"]]
    finally:
        emulator.stop()
    adhoc = len(re.findall(r"^ansible localhost ", commands, re.M))
    answered = len(re.findall(r"^localhost \| (SUCCESS|CHANGED) =>", output, re.M))
    problems = runner.scanner.scan({"try it locally": output})
    installed = os.path.join(work, "collections", "ansible_collections", "hwcloud", "modelarts", "MANIFEST.json")
    checks = [
        (completed.returncode == 0, "the commands exited %d" % completed.returncode),
        (os.path.isfile(installed), "the tarball was not installed into the collections path"),
        (answered == adhoc, "%d of %d ad-hoc commands succeeded" % (answered, adhoc)),
        ('"job_name": "tb-resnet50"' in output and '"project_id": "%s"' % seed.EU_DE in output,
         "the job or the project id was not read"),
        ([kind for kind in kinds if kind in WRITE_KINDS] == ["create", "stop", "delete"],
         "the emulator saw the writes %s, not one create, stop and delete" % [k for k in kinds if k in WRITE_KINDS]),
        ({"iam_projects", "details", "list"} <= set(kinds), "not every kind of read: %s" % sorted(set(kinds))),
        (not problems, "; ".join(problems)),
    ]
    failed = [what for ok, what in checks if not ok]
    if failed:
        raise GuideError("Try it locally: %s\n%s" % ("; ".join(failed), output[-4000:]))
    print("ok   README.md's Try it locally: make emulator printed the README's exports; %d ad-hoc commands ran every"
          " module from the installed tarball; writes %s"
          % (adhoc, [kind for kind in kinds if kind in WRITE_KINDS]))


def run_every_block(runner, blocks):
    """Every playbook and task block in check mode and as written."""
    ran = [block for block in blocks if block.kind in ("playbook", "tasks")]
    for block in ran:
        run_block(runner, block, blocks)
    print("ok   %d blocks ran in check mode and as written; check mode sent no write" % len(ran))


def _tool(name):
    """A command of this Python's venv (where ansible-core is), else of PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.path.exists(beside) else name


def _ms_ago(days):
    return int((time.time() - days * DAY) * 1000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--only", action="append", choices=sorted(CHECKS), help="run only this check (repeatable)")
    args = parser.parse_args()
    blocks = every_block()
    for block in blocks:
        print("%-16s %-58s %s" % (block.kind, block.label, block.reason))
    unclassified = [block.label for block in blocks if block.kind == "unclassified"]
    if unclassified:
        raise GuideError("YAML blocks that are neither playbooks, tasks nor listed in NOT_PLAYBOOKS: %s" % unclassified)
    if args.list:
        return
    os.makedirs(args.workdir, exist_ok=True)
    with EmulatorProcess(os.path.join(args.workdir, "emulator"), lifetime=1500,
                         extra_args=("--transition-seconds", "0.2", "--max-requests", "20000")) as emulator:
        runner = Runner(args.workdir, emulator)
        for name in args.only or list(CHECKS):
            CHECKS[name](runner, blocks)
    print("guides: all checks passed (%d ansible-playbook runs)" % runner.runs)


CHECKS = {"blocks": run_every_block, "not-playbooks": check_not_playbooks,
          "option-error": check_option_error_keeps_the_troubleshooting_condition,
          "token-reuse": check_token_reuse_from_awx, "ten-days": simulate_ten_days,
          "fail-fast": check_waits_fail_fast, "try-it-locally": check_try_it_locally}


if __name__ == "__main__":
    try:
        main()
    except GuideError as exc:
        print("FAIL %s" % exc)
        sys.exit(1)
