# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: the cost of a query with hwcloud.modelarts, against the bundled emulator.

Run it through ``tools/bench.sh`` (``make bench``), which picks the Ansible venv and
installs the Huawei Cloud SDK for the comparison; see bench/README.md for what is
measured and how. Directly::

    python bench/run.py [--small] [--sdk-python PATH] [--runs R] [--queries N] ...

``python`` is the interpreter of an Ansible venv (ansible-playbook is taken from its
bin folder). Prints one table and writes the numbers as JSON to bench/results/.
Exit status: 0, or 1 when a request count differs from what is expected (always
checked) or, with --strict, when a timing target is missed (never in --small).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import yaml

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
EMULATOR = os.path.join(REPO_ROOT, "tests", "emulator", "emulator.py")
sys.path.insert(0, os.path.dirname(EMULATOR))
from process import EmulatorError, EmulatorProcess  # noqa: E402  # pylint: disable=wrong-import-position,import-error
PLAYBOOK_DIR = os.path.join(BENCH_DIR, "playbooks")
CALLBACK_DIR = os.path.join(BENCH_DIR, "callback_plugins")
SDK_SCRIPT = os.path.join(BENCH_DIR, "sdk_query.py")
RESULTS_DIR = os.path.join(BENCH_DIR, "results")
MODULE = "ansible_collections.hwcloud.modelarts.plugins.modules.modelarts_visualization_job_info"
LIFECYCLE_MODULE = "ansible_collections.hwcloud.modelarts.plugins.modules.modelarts_visualization_job"
QUERY_TASK = "Query a job"
PAGE_SIZE = 100  # the module's page size (plugins/module_utils/_visualization_jobs.py)

# Targets of the issues "Measure and minimise the cost of a query" and "Queries ten times cheaper".
TARGET_TASK_VS_URI = 1.10           # the module path's query task
TARGET_IN_PROCESS_VS_URI = 0.20     # the in-process query task, and a playbook of queries per task over its setup
TARGET_PROCESS_VS_SDK = 0.60
TARGET_PROCESS_VS_FLOOR = 2.50
TARGET_LIST_SECONDS = 2.0
TARGET_LIST_MB = 100.0
PLAYBOOK_QUERIES = 20               # part f: a playbook of this many queries by job_id

# name -> (template, label, {request kind: count as a function of N queries}, in-process)
PLAYBOOKS = {
    "inproc_aksk": ("module_aksk.yml", "in-process, AK/SK + project_id", lambda n: {"details": n}, True),
    "inproc_password": ("module_password.yml", "in-process, password", lambda n: {"iam_token": n, "details": n}, True),
    "inproc_token": ("module_token.yml", "in-process, auth once + auth_token", lambda n: {"iam_token": 1, "details": n}, True),
    "module_aksk": ("module_aksk.yml", "module path, AK/SK + project_id", lambda n: {"details": n}, False),
    "module_password": ("module_password.yml", "module path, password", lambda n: {"iam_token": n, "details": n}, False),
    "module_token": ("module_token.yml", "module path, auth once + auth_token", lambda n: {"iam_token": 1, "details": n},
                     False),
    "uri": ("uri.yml", "ansible.builtin.uri GET, X-Auth-Token", lambda n: {"iam_token": 1, "details": n}, None),
}
EXPECTED_TEXT = {"aksk": "1 req/query", "password": "2 req/query", "token": "N+1 req", "uri": "N+1 req"}
SETUP_TASK = {"inproc_token": "Authenticate once", "module_token": "Authenticate once", "uri": "Issue a token"}
# Part g: one loop task of N items, per auth method and path. name -> (template, label, {kind: count for N items}).
LOOP_TASK = "Query jobs in a loop"
LOOP_ITEMS = 20
LOOPS = {
    "loop_inproc_password": ("loop_password.yml", "worker, password", lambda n: {"iam_token": 1, "details": n}),
    "loop_inproc_aksk": ("loop_aksk.yml", "worker, AK/SK, project looked up", lambda n: {"iam_projects": 1, "details": n}),
    "loop_inproc_token": ("loop_token.yml", "worker, auth once + auth_token", lambda n: {"iam_token": 1, "details": n}),
    "loop_module_password": ("loop_password.yml", "module path, password", lambda n: {"iam_token": n, "details": n}),
    "loop_module_aksk": ("loop_aksk.yml", "module path, AK/SK, project looked up",
                         lambda n: {"iam_projects": n, "details": n}),
    "loop_module_token": ("loop_token.yml", "module path, auth once + auth_token", lambda n: {"iam_token": 1, "details": n}),
}
PLUGIN_IMPORT = ("import ansible.plugins.action, time; started = time.perf_counter(); "
                 "import ansible_collections.hwcloud.modelarts.plugins.action.modelarts_visualization_job_info; "
                 "print(time.perf_counter() - started)")


def expected_text(name):
    """The request count a variant must make, in words."""
    return EXPECTED_TEXT[name.split("_")[-1]]


class BenchError(Exception):
    """A failure that stops the benchmark (not a missed target)."""


def load_seed():
    """The emulator's seed module (credentials, project ids, job ids), loaded from its file."""
    spec = importlib.util.spec_from_file_location("hwcloud_emulator_seed", os.path.join(os.path.dirname(EMULATOR), "seed.py"))
    seed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(seed)
    return seed


def documented_max_polls(seconds):
    """The most polls a wait of ``seconds`` may make under the documented schedule.

    The module documents its polls as: the first at once, then after 0.5, 1, 2, 4, 8 and then every
    10 seconds. This is computed here from that text, not from plugins/module_utils/_wait.py, so that
    a schedule that polls more often than documented fails the benchmark.
    """
    polls, slept, interval = 1, 0.0, 0.5
    while slept + interval <= seconds:
        slept += interval
        polls += 1
        interval = min(10.0, interval * 2)
    return polls


def median(values):
    """The median, or None for no values."""
    return statistics.median(values) if values else None


def quartiles(values):
    """(first quartile, third quartile) of at least two values, else (None, None)."""
    if len(values) < 2:
        return None, None
    cuts = statistics.quantiles(values, n=4, method="inclusive")
    return cuts[0], cuts[2]


def clean_environment():
    """os.environ without variables that would change what Ansible, the module or the SDK do."""
    prefixes = ("ANSIBLE_", "HWCLOUD_", "HUAWEICLOUD_", "OS_", "PYTHON", "HC_")
    return {name: value for name, value in os.environ.items() if not name.startswith(prefixes)}


def run_measured(argv, env, cwd, stdout_path, stderr_path, timeout):
    """Run argv; return (wall seconds, exit code, peak RSS in bytes) of that child alone (os.wait4)."""
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.perf_counter()
        with subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL) as proc:
            watchdog = threading.Timer(timeout, proc.kill)
            watchdog.start()
            try:
                _pid, status, usage = os.wait4(proc.pid, 0)  # blocks: no polling next to the measured child
            finally:
                watchdog.cancel()
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
    if elapsed >= timeout:
        raise BenchError("killed after %ss: %s" % (timeout, " ".join(argv[:4])))
    return elapsed, proc.returncode, usage.ru_maxrss * 1024


def tail(path, lines=25):
    """The last lines of a text file."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return ""


def count_kinds(entries):
    """{kind: count} of request log entries."""
    kinds = {}
    for entry in entries:
        kinds[entry["kind"]] = kinds.get(entry["kind"], 0) + 1
    return kinds


def bad_statuses(entries):
    """Entries that were not answered 200/201."""
    return [entry for entry in entries if entry.get("status") not in (200, 201)]


class Bench:
    """Runs every measurement and collects the results."""

    def __init__(self, args):
        self.args = args
        self.python = sys.executable
        self.seed = load_seed()
        self.workdir = tempfile.mkdtemp(prefix="hwcloud-modelarts-bench-")
        self.emulator = EmulatorProcess(os.path.join(self.workdir, "emulator"), self.python, bulk_jobs=args.bulk_jobs,
                                        lifetime=args.lifetime, extra_args=("--max-requests", "1000000"), env=clean_environment())
        self.job_ids = sorted(int(job["job_id"]) for job in self.seed.seed_jobs(0)[self.seed.EU_DE])
        self.results = {"checks": []}
        self.sequence = 0

    # -- helpers --------------------------------------------------------------

    def path(self, name):
        """A path in the work folder, numbered so that no run overwrites another."""
        self.sequence += 1
        return os.path.join(self.workdir, "%04d-%s" % (self.sequence, name))

    def check(self, name, ok, measured, expected, kind):
        """Record one check; kind is "count" (always asserted) or "time"/"memory" (asserted only with --strict)."""
        self.results["checks"].append({"name": name, "ok": bool(ok), "measured": measured, "expected": expected, "kind": kind})
        return ok

    def collections_dir(self):
        """<work>/colls/ansible_collections/hwcloud/modelarts -> the repository root."""
        base = os.path.join(self.workdir, "colls")
        os.makedirs(os.path.join(base, "ansible_collections", "hwcloud"), exist_ok=True)
        link = os.path.join(base, "ansible_collections", "hwcloud", "modelarts")
        if not os.path.islink(link):
            os.symlink(REPO_ROOT, link)
        return base

    def ansible_env(self, timer_file):
        """Environment of an ansible-playbook run."""
        env = clean_environment()
        env.update({
            "ANSIBLE_CONFIG": os.path.join(self.workdir, "ansible.cfg"),
            "ANSIBLE_HOME": os.path.join(self.workdir, "ansible-home"),
            "ANSIBLE_COLLECTIONS_PATH": self.collections_dir(),
            "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_DIR,
            "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "BENCH_TIMER_FILE": timer_file,
            "PYTHONPYCACHEPREFIX": os.path.join(self.workdir, "pycache"),
        })
        return env

    def process_env(self):
        """Environment of the single-process measurements: full bytecode caches after the warm-up.

        Every case (module, SDK, floor) writes and reads its .pyc files under one private prefix,
        so none compiles source on a timed run and nothing is written into the repository.
        """
        env = clean_environment()
        env["PYTHONPYCACHEPREFIX"] = os.path.join(self.workdir, "pycache")
        env["HOME"] = os.path.join(self.workdir, "home")  # the SDK writes ~/.huaweicloud/application_id
        return env

    def job_id(self, index):
        """The job id of the index-th query (cycling through the seeded eu-de jobs)."""
        return self.job_ids[index % len(self.job_ids)]

    # -- setup ------------------------------------------------------------------

    def setup(self):
        """Start the emulator and write the files every playbook run shares."""
        os.makedirs(os.path.join(self.workdir, "home"), exist_ok=True)
        try:
            self.emulator.start(timeout=60)
        except EmulatorError as error:
            raise BenchError("the emulator did not start: %s\n%s" % (error, tail(self.emulator.output_file))) from None
        with open(os.path.join(self.workdir, "ansible.cfg"), "w", encoding="utf-8") as handle:
            handle.write("[defaults]\ninventory = %s\n" % os.path.join(self.workdir, "inventory.ini"))
        with open(os.path.join(self.workdir, "inventory.ini"), "w", encoding="utf-8") as handle:
            handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % self.python)
        seed = self.seed
        with open(os.path.join(self.workdir, "vars.json"), "w", encoding="utf-8") as handle:
            json.dump({
                "bench_url": self.emulator.url, "bench_project_id": seed.EU_DE,
                "bench_access_key": seed.PERMANENT_AK, "bench_secret_key": seed.PERMANENT_SK,
                "bench_username": seed.USER_NAME, "bench_password": seed.USER_PASSWORD,
                "bench_domain_name": seed.DOMAIN_NAME,
            }, handle)

    def load_template(self, name):
        """(play without tasks, setup tasks, query task) of a playbook template."""
        with open(os.path.join(PLAYBOOK_DIR, PLAYBOOKS[name][0]), encoding="utf-8") as handle:
            play = yaml.safe_load(handle)[0]
        tasks = play.pop("tasks")
        query = [task for task in tasks if task["name"] == QUERY_TASK]
        if len(query) != 1:
            raise BenchError("%s needs exactly one task named %r" % (PLAYBOOKS[name][0], QUERY_TASK))
        return play, [task for task in tasks if task["name"] != QUERY_TASK], query[0]

    def query_task(self, name, template, index, queries):
        """A copy of a query task, named "Query <variant> i/N", reading the index-th job, on the variant's path."""
        task = json.loads(json.dumps(template))
        task["name"] = "Query %s %d/%d" % (name, index + 1, queries)
        task["vars"]["bench_job_id"] = self.job_id(index)
        if PLAYBOOKS[name][3] is not None:
            task["vars"]["hwcloud_modelarts_in_process"] = PLAYBOOKS[name][3]
        return task

    def write_playbook(self, filename, plays):
        """Write plays to the work folder; return the path."""
        path = os.path.join(self.workdir, filename)
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(plays, handle, sort_keys=False)
        return path

    def single_playbook(self, name, queries):
        """The template of ``name`` with its query task repeated ``queries`` times."""
        play, setup, query = self.load_template(name)
        play["tasks"] = setup + [self.query_task(name, query, index, queries) for index in range(queries)]
        return self.write_playbook("%s-%d.yml" % (name, queries), [play])

    def interleaved_playbook(self, queries):
        """One play with every template's setup tasks, then query i of each variant in turn (order rotated per i)."""
        names = list(PLAYBOOKS)
        templates = {name: self.load_template(name) for name in names}
        tasks = []
        for name in names:  # the setup tasks of each template once (in-process and module path share them)
            tasks += [task for task in templates[name][1] if task not in tasks]
        for index in range(queries):
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                tasks.append(self.query_task(name, templates[name][2], index, queries))
        play = {"name": "Benchmark - the query tasks of every variant, interleaved", "hosts": "localhost",
                "gather_facts": False, "tasks": tasks}
        return self.write_playbook("interleaved-%d.yml" % queries, [play])

    # -- a: playbooks -----------------------------------------------------------------

    def run_playbook(self, label, playbook):
        """Run a playbook; return (callback timings, request log entries, wall seconds)."""
        timer_file = self.path(label + ".timer.json")
        stdout, stderr = self.path(label + ".out"), self.path(label + ".err")
        self.emulator.reset()
        argv = [os.path.join(os.path.dirname(self.python), "ansible-playbook"), playbook,
                "-e", "@" + os.path.join(self.workdir, "vars.json")]
        elapsed, code, _rss = run_measured(argv, self.ansible_env(timer_file), self.workdir, stdout, stderr, timeout=1800)
        entries = self.emulator.requests()
        if code != 0 or not os.path.exists(timer_file):
            raise BenchError("ansible-playbook %s failed (rc=%s):\n%s%s" % (label, code, tail(stdout), tail(stderr)))
        with open(timer_file, encoding="utf-8") as handle:
            tasks = json.load(handle)["tasks"]
        failed = [task["name"] for task in tasks if task.get("status") != "ok"]
        if failed:
            raise BenchError("tasks did not succeed in %s: %s" % (label, failed))
        return tasks, entries, elapsed

    @staticmethod
    def query_durations(tasks, name):
        """Durations of the query tasks of one variant, in playbook order."""
        prefix = "Query %s " % name
        return [task["duration"] for task in tasks if task["name"].startswith(prefix)]

    def count_requests(self):
        """Part c: each variant alone, N queries, the emulator's request log checked exactly."""
        queries = self.args.queries
        counts = {}
        for name in PLAYBOOKS:
            tasks, entries, elapsed = self.run_playbook(name, self.single_playbook(name, queries))
            expected = PLAYBOOKS[name][2](queries)
            kinds = count_kinds(entries)
            durations = self.query_durations(tasks, name)
            counts[name] = {"requests": len(entries), "kinds": kinds, "expected_kinds": expected,
                            "bad_status": len(bad_statuses(entries)), "playbook_wall": elapsed,
                            "median_query_task": median(durations)}
            self.check("a/c %s: %s" % (name, expected_text(name)),
                       kinds == expected and not bad_statuses(entries) and len(durations) == queries, kinds, expected, "count")
            self.progress("c: %-16s %d requests %s (%.1fs)" % (name, len(entries), kinds, elapsed))
        return counts

    @staticmethod
    def interleaved_requests(queries):
        """The requests of the interleaved playbook: each variant's queries, and each distinct setup task once.

        A variant's count for 0 queries is what its setup costs; variants whose setup task has the same
        name (in-process and module path) share that task in the interleaved play, so it counts once.
        """
        total = {"iam_token": 0, "details": 0}
        setups = {}
        for name, variant in PLAYBOOKS.items():
            for kind in total:
                total[kind] += variant[2](queries).get(kind, 0) - variant[2](0).get(kind, 0)
            setups.setdefault(SETUP_TASK.get(name, name), variant[2](0))
        for setup in setups.values():
            for kind in total:
                total[kind] += setup.get(kind, 0)
        return total

    def playbooks(self):
        """Parts a and c: request counts per variant, then the interleaved timing rounds."""
        names = list(PLAYBOOKS)
        queries = self.args.queries
        counts = self.count_requests()  # also the warm-up of the timing rounds
        playbook = self.interleaved_playbook(queries)
        expected_total = self.interleaved_requests(queries)
        rounds = []
        for round_index in range(self.args.runs):
            tasks, entries, elapsed = self.run_playbook("interleaved", playbook)
            kinds = count_kinds(entries)
            rounds.append({"tasks": tasks, "kinds": kinds, "wall": elapsed, "bad_status": len(bad_statuses(entries))})
            self.progress("a: round %d/%d, %d query tasks, %.1fs" % (round_index + 1, self.args.runs, queries * len(names), elapsed))
        self.check("a interleaved rounds: %s requests in all" % expected_total,
                   all(one["kinds"] == expected_total and not one["bad_status"] for one in rounds),
                   [one["kinds"] for one in rounds], expected_total, "count")
        summary = {}
        for name in names:
            per_round = [self.query_durations(one["tasks"], name) for one in rounds]
            if any(len(durations) != queries for durations in per_round):
                raise BenchError("the callback did not see %d query tasks of %s" % (queries, name))
            pooled = [value for durations in per_round for value in durations]
            setup = [task["duration"] for one in rounds for task in one["tasks"] if task["name"] == SETUP_TASK.get(name)]
            summary[name] = dict(counts[name], label=PLAYBOOKS[name][1], queries=queries, median_query_task=median(pooled),
                                 quartiles_query_task=quartiles(pooled), per_round_median=[median(d) for d in per_round],
                                 median_setup_task=median(setup), durations=per_round)
        uri = summary["uri"]["durations"]
        for name in names:
            summary[name]["ratio_to_uri"] = summary[name]["median_query_task"] / summary["uri"]["median_query_task"]
            # the same position in the same round: the neighbours in time of a uri task
            summary[name]["median_paired_ratio_to_uri"] = median(
                [mine / theirs for durations, reference in zip(summary[name]["durations"], uri)
                 for mine, theirs in zip(durations, reference)])
        for name in names:
            twin = "module_" + name.split("_", 1)[1] if name.startswith("inproc_") else None
            if twin:
                summary[name]["ratio_to_module_path"] = summary[name]["median_query_task"] / summary[twin]["median_query_task"]
        ratio = summary["module_aksk"]["ratio_to_uri"]
        self.check("a module_aksk task <= %.2f x uri GET task" % TARGET_TASK_VS_URI, ratio <= TARGET_TASK_VS_URI,
                   round(ratio, 3), TARGET_TASK_VS_URI, "time")
        ratio = summary["inproc_aksk"]["ratio_to_uri"]
        self.check("a inproc_aksk task <= %.2f x uri GET task" % TARGET_IN_PROCESS_VS_URI, ratio <= TARGET_IN_PROCESS_VS_URI,
                   round(ratio, 3), TARGET_IN_PROCESS_VS_URI, "time")
        self.results["playbooks"] = summary
        self.results["interleaved_rounds"] = [{key: one[key] for key in ("kinds", "wall", "bad_status")} for one in rounds]

    # -- f: whole playbooks, per task over their setup -----------------------------------

    def playbook_cost(self):
        """Part f: a playbook of PLAYBOOK_QUERIES queries, in-process / module path / uri, per task over its setup alone.

        The setup alone is the same playbook without its query tasks (for uri, the token task), so that
        (wall with queries - wall of the setup) / queries is what each query adds to a real playbook:
        its worker, its task and its result, and nothing ansible-playbook pays once per run.
        """
        queries = PLAYBOOK_QUERIES if not self.args.small else 3
        names = ("inproc_aksk", "module_aksk", "uri")
        playbooks = {}
        for name in names:
            play, setup, query = self.load_template(name)
            full = dict(play, tasks=setup + [self.query_task(name, query, index, queries) for index in range(queries)])
            empty = dict(play, tasks=setup)
            playbooks[name] = (self.write_playbook("f-%s-full.yml" % name, [full]),
                               self.write_playbook("f-%s-setup.yml" % name, [empty]))
        walls = {name: {"full": [], "setup": []} for name in names}
        for round_index in range(self.args.runs + 1):  # the first round is the warm-up
            for shift, name in enumerate(names[round_index % len(names):] + names[:round_index % len(names)]):
                for kind, playbook in (("full", playbooks[name][0]), ("setup", playbooks[name][1])):
                    _tasks, entries, elapsed = self.run_playbook("f-%s-%s" % (name, kind), playbook)
                    if round_index:
                        walls[name][kind].append(elapsed)
                    if kind == "full" and count_kinds(entries).get("details") != queries:
                        raise BenchError("part f: %s made %s" % (name, count_kinds(entries)))
            self.progress("f: round %d/%d" % (round_index, self.args.runs))
        summary = {}
        for name in names:
            full, setup = median(walls[name]["full"]), median(walls[name]["setup"])
            summary[name] = {"queries": queries, "median_full": full, "median_setup": setup,
                             "per_task": (full - setup) / queries, "walls": walls[name]}
        for name in names:
            summary[name]["ratio_to_uri"] = summary[name]["per_task"] / summary["uri"]["per_task"]
        ratio = summary["inproc_aksk"]["ratio_to_uri"]
        self.check("f in-process playbook of %d queries, per task over its setup, <= %.2f x uri" % (queries, TARGET_IN_PROCESS_VS_URI),
                   ratio <= TARGET_IN_PROCESS_VS_URI, round(ratio, 3), TARGET_IN_PROCESS_VS_URI, "time")
        imports = []
        for _run in range(max(3, self.args.runs)):
            result = subprocess.run([self.python, "-c", PLUGIN_IMPORT], capture_output=True, text=True, check=False,
                                    env=dict(self.process_env(), PYTHONPATH=self.collections_dir()))
            if result.returncode != 0:
                raise BenchError("importing the action plugin failed:\n%s" % result.stderr[-2000:])
            imports.append(float(result.stdout.strip().splitlines()[-1]))
        summary["plugin_import"] = {"median": median(imports), "runs": imports}
        self.results["playbook_cost"] = summary

    # -- g: loops ----------------------------------------------------------------------

    def loop_names(self):
        """The loops of part g: every one; with --small the module path's password loop only (the comparison)."""
        return [name for name in LOOPS if not self.args.small or "_module_" not in name or name.endswith("_password")]

    def loop_items(self, name):
        """How many items a loop of ``name`` has: --loop-items, and on the module path at most --queries with --small."""
        if self.args.small and "_module_" in name:
            return min(self.args.loop_items, self.args.queries)
        return self.args.loop_items

    def loop_playbook(self, name):
        """The loop template of ``name`` over its items (cycling through the seeded jobs), on its path."""
        with open(os.path.join(PLAYBOOK_DIR, LOOPS[name][0]), encoding="utf-8") as handle:
            play = yaml.safe_load(handle)[0]
        items = self.loop_items(name)
        play["vars"] = {"hwcloud_modelarts_in_process": "_inproc_" in name,
                        "bench_job_ids": [self.job_id(index) for index in range(items)]}
        return self.write_playbook("g-%s-%d.yml" % (name, items), [play])

    def loops(self):
        """Part g: one loop task per auth method and path; exact requests per run, loop task time per item."""
        names = self.loop_names()
        playbooks = {name: self.loop_playbook(name) for name in names}
        summary = {name: {"label": LOOPS[name][1], "items": self.loop_items(name), "per_item": [], "kinds": []} for name in names}
        for round_index in range(self.args.loop_runs):
            shift = round_index % len(names)
            for name in names[shift:] + names[:shift]:
                tasks, entries, _elapsed = self.run_playbook(name, playbooks[name])
                loop = [task for task in tasks if task["name"] == LOOP_TASK]
                summary[name]["per_item"].append(loop[0]["duration"] / summary[name]["items"])
                summary[name]["kinds"].append(count_kinds(entries))
                summary[name]["requests"] = len(entries)
                summary[name]["bad_status"] = len(bad_statuses(entries))
            self.progress("g: round %d/%d" % (round_index + 1, self.args.loop_runs))
        for name in names:
            expected = LOOPS[name][2](summary[name]["items"])
            total = sum(expected.values())
            self.check("g %s: %d requests for %d items" % (name, total, summary[name]["items"]),
                       all(kinds == expected for kinds in summary[name]["kinds"]) and not summary[name]["bad_status"],
                       summary[name]["kinds"], expected, "count")
            summary[name].update(expected_requests=total, median_per_item=median(summary[name]["per_item"]))
        self.results["loops"] = summary

    # -- b: single processes ---------------------------------------------------------

    def process_cases(self):
        """{case: (argv, env, expected requests per run, check of the output)}."""
        seed = self.seed
        env = self.process_env()
        module_env = dict(env, PYTHONPATH=self.collections_dir())
        args_file = os.path.join(self.workdir, "module-args.json")
        job_id = self.job_id(0)
        with open(args_file, "w", encoding="utf-8") as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": {
                "modelarts_endpoint": self.emulator.url, "project_id": seed.EU_DE,
                "access_key": seed.PERMANENT_AK, "secret_key": seed.PERMANENT_SK, "job_id": job_id}}, handle)

        def module_ok(out):
            return (json.loads(out).get("visualization_job") or {}).get("job_id") == job_id

        def sdk_ok(out):
            return (json.loads(out).get("job") or {}).get("job_id") == job_id

        cases = {
            "module": ([self.python, "-m", MODULE, args_file], module_env, 1, module_ok),
            "floor": ([self.python, "-c", "import ansible.module_utils.basic"], env, 0, None),
        }
        if self.args.sdk_python:
            sdk_env = dict(env, HUAWEICLOUD_SDK_AK=seed.PERMANENT_AK, HUAWEICLOUD_SDK_SK=seed.PERMANENT_SK)
            cases["sdk"] = ([self.args.sdk_python, SDK_SCRIPT, self.emulator.url, seed.EU_DE, str(job_id)], sdk_env, 1, sdk_ok)
        return cases

    def run_case(self, name, case):
        """One run of a process case, with its request count checked."""
        argv, env, expected_requests, output_ok = case
        stdout, stderr = self.path(name + ".out"), self.path(name + ".err")
        self.emulator.reset()
        elapsed, code, rss = run_measured(argv, env, self.workdir, stdout, stderr, timeout=120)
        entries = self.emulator.requests()
        with open(stdout, encoding="utf-8", errors="replace") as handle:
            out = handle.read()
        if code != 0 or (output_ok and not output_ok(out)):
            raise BenchError("%s failed (rc=%s):\n%s\n%s" % (name, code, out[-2000:], tail(stderr)))
        return elapsed, len(entries) if not bad_statuses(entries) else -1, rss

    def processes(self):
        """Part b (and c): module process vs SDK script vs the import floor, interleaved and rotated."""
        cases = self.process_cases()
        names = list(cases)
        for name in names:  # warm-up: writes the bytecode caches, fills the page cache
            for _index in range(self.args.process_warmup):
                self.run_case(name, cases[name])
        times = {name: [] for name in names}
        counts = {name: [] for name in names}
        peaks = {name: [] for name in names}
        for index in range(self.args.process_runs):
            order = names[index % len(names):] + names[:index % len(names)]
            for name in order:
                elapsed, requests, rss = self.run_case(name, cases[name])
                times[name].append(elapsed)
                counts[name].append(requests)
                peaks[name].append(rss)
        self.progress("b: %d runs of %s" % (self.args.process_runs, ", ".join(names)))
        summary = {}
        for name in names:
            summary[name] = {"median": median(times[name]), "quartiles": quartiles(times[name]), "times": times[name],
                             "requests_per_run": counts[name], "expected_requests_per_run": cases[name][2],
                             "median_peak_rss_mb": median(peaks[name]) / 1e6}
            if cases[name][2]:
                self.check("b/c %s process: %d request per run" % (name, cases[name][2]),
                           all(count == cases[name][2] for count in counts[name]), counts[name], cases[name][2], "count")
        module = summary["module"]["median"]
        for other in ("floor", "sdk"):
            if other in summary:  # run index i of both is in the same round, close in time
                summary["module"]["median_paired_ratio_to_" + other] = median(
                    [mine / theirs for mine, theirs in zip(times["module"], times[other])])
        summary["module"]["ratio_to_floor"] = module / summary["floor"]["median"]
        self.check("b module process <= %.2f x floor" % TARGET_PROCESS_VS_FLOOR,
                   summary["module"]["ratio_to_floor"] <= TARGET_PROCESS_VS_FLOOR,
                   round(summary["module"]["ratio_to_floor"], 3), TARGET_PROCESS_VS_FLOOR, "time")
        if "sdk" in summary:
            summary["module"]["ratio_to_sdk"] = module / summary["sdk"]["median"]
            self.check("b module process <= %.2f x SDK script" % TARGET_PROCESS_VS_SDK,
                       summary["module"]["ratio_to_sdk"] <= TARGET_PROCESS_VS_SDK,
                       round(summary["module"]["ratio_to_sdk"], 3), TARGET_PROCESS_VS_SDK, "time")
        self.results["processes"] = summary

    # -- d: listing the bulk project --------------------------------------------------

    def listing(self):
        """Part d: the module lists every job of the bulk project (eu-nl)."""
        seed = self.seed
        args_file = os.path.join(self.workdir, "list-args.json")
        with open(args_file, "w", encoding="utf-8") as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": {
                "modelarts_endpoint": self.emulator.url, "project_id": seed.EU_NL,
                "access_key": seed.PERMANENT_AK, "secret_key": seed.PERMANENT_SK}}, handle)
        env = dict(self.process_env(), PYTHONPATH=self.collections_dir())
        argv = [self.python, "-m", MODULE, args_file]
        bulk = self.args.bulk_jobs
        expected_pages = max(1, math.ceil(bulk / PAGE_SIZE))
        runs = []
        for index in range(self.args.list_runs + 1):  # the first run is the warm-up
            stdout, stderr = self.path("list.out"), self.path("list.err")
            self.emulator.reset()
            elapsed, code, rss = run_measured(argv, env, self.workdir, stdout, stderr, timeout=300)
            entries = self.emulator.requests()
            with open(stdout, encoding="utf-8") as handle:
                try:
                    jobs = json.load(handle).get("visualization_jobs")
                except ValueError:
                    jobs = None
            if code != 0 or jobs is None:
                raise BenchError("listing failed (rc=%s):\n%s" % (code, tail(stderr)))
            if index:
                runs.append({"seconds": elapsed, "requests": len(entries), "bad_status": len(bad_statuses(entries)),
                             "kinds": count_kinds(entries), "jobs": len(jobs), "peak_rss_mb": rss / 1e6})
        self.progress("d: %d runs listing %d jobs" % (len(runs), bulk))
        summary = {
            "bulk_jobs": bulk, "expected_requests": expected_pages,
            "median_seconds": median([run["seconds"] for run in runs]),
            "max_peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
            "requests_per_run": [run["requests"] for run in runs], "runs": runs,
        }
        self.check("d list %d jobs: every job returned, exactly %d requests, all answered 200" % (bulk, expected_pages),
                   all(run["jobs"] == bulk and run["requests"] == expected_pages and not run["bad_status"]
                       and run["kinds"] == {"list": expected_pages} for run in runs),
                   summary["requests_per_run"], expected_pages, "count")
        self.check("d list module time < %.1f s" % TARGET_LIST_SECONDS, summary["median_seconds"] < TARGET_LIST_SECONDS,
                   round(summary["median_seconds"], 3), TARGET_LIST_SECONDS, "time")
        self.check("d list peak memory < %.0f MB" % TARGET_LIST_MB, summary["max_peak_rss_mb"] < TARGET_LIST_MB,
                   round(summary["max_peak_rss_mb"], 1), TARGET_LIST_MB, "memory")
        self.results["listing"] = summary

    # -- e: the lifecycle module ----------------------------------------------------------

    def lifecycle_run(self, label, module_args):
        """One process run of the lifecycle module; returns (wall seconds, {kind: count}, result)."""
        seed = self.seed
        args_file = self.path(label + "-args.json")
        with open(args_file, "w", encoding="utf-8") as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": dict({
                "modelarts_endpoint": self.emulator.url, "project_id": seed.EU_DE,
                "access_key": seed.PERMANENT_AK, "secret_key": seed.PERMANENT_SK}, **module_args)}, handle)
        stdout, stderr = self.path(label + ".out"), self.path(label + ".err")
        self.emulator.reset()
        env = dict(self.process_env(), PYTHONPATH=self.collections_dir())
        elapsed, code, _rss = run_measured([self.python, "-m", LIFECYCLE_MODULE, args_file], env, self.workdir,
                                           stdout, stderr, timeout=300)
        entries = self.emulator.requests()
        with open(stdout, encoding="utf-8", errors="replace") as handle:
            out = handle.read()
        try:
            result = json.loads(out)
        except ValueError:
            result = {}
        if code != 0 or bad_statuses(entries):
            raise BenchError("lifecycle %s failed (rc=%s):\n%s\n%s" % (label, code, out[-2000:], tail(stderr)))
        return elapsed, count_kinds(entries), result

    def lifecycle(self):
        """Part e: create-and-wait and an unchanged run of modelarts_visualization_job (AK/SK + project_id)."""
        creates, unchanged, by_id = [], [], []
        for index in range(self.args.lifecycle_runs + 1):  # the first round is the warm-up
            name = "bench-lc-%d" % index
            job = {"name": name, "train_url": "/emu-bucket/bench/%s/" % name, "state": "running"}
            elapsed, kinds, result = self.lifecycle_run("create-" + name, job)
            job_id = (result.get("visualization_job") or {}).get("job_id")
            # the lookup, the create, the name read again (a concurrent create?), then the polls
            ok = (result.get("changed") is True and kinds.get("list") == 2 and kinds.get("create") == 1
                  and set(kinds) <= {"list", "create", "details"}
                  and 1 <= kinds.get("details", 0) <= documented_max_polls(elapsed))
            create = {"seconds": elapsed, "kinds": kinds, "polls": kinds.get("details", 0),
                      "max_polls": documented_max_polls(elapsed), "ok": ok}
            elapsed, kinds, result = self.lifecycle_run("again-" + name, job)
            again = {"seconds": elapsed, "kinds": kinds, "ok": kinds == {"list": 1} and result.get("changed") is False}
            elapsed, kinds, result = self.lifecycle_run("by-id-" + name, dict(job, job_id=job_id))
            pinned = {"seconds": elapsed, "kinds": kinds, "ok": kinds == {"details": 1} and result.get("changed") is False}
            if index:
                creates.append(create)
                unchanged.append(again)
                by_id.append(pinned)
        self.progress("e: %d lifecycle rounds (create and wait, unchanged by name, unchanged by id)" % len(creates))
        summary = {
            "create": {"median_seconds": median([run["seconds"] for run in creates]), "runs": creates},
            "unchanged": {"median_seconds": median([run["seconds"] for run in unchanged]), "runs": unchanged},
            "unchanged_by_id": {"median_seconds": median([run["seconds"] for run in by_id]), "runs": by_id},
        }
        self.check("e create+wait: 1 list, 1 create, 1..max polls of the schedule",
                   all(run["ok"] for run in creates), [run["kinds"] for run in creates],
                   "list 1, create 1, details <= schedule", "count")
        self.check("e unchanged run: exactly 1 request (list by name)", all(run["ok"] for run in unchanged),
                   [run["kinds"] for run in unchanged], {"list": 1}, "count")
        self.check("e unchanged run with job_id: exactly 1 request (details)", all(run["ok"] for run in by_id),
                   [run["kinds"] for run in by_id], {"details": 1}, "count")
        self.results["lifecycle"] = summary

    # -- driver ---------------------------------------------------------------------

    def progress(self, text):
        """A progress line on stderr."""
        if not self.args.quiet:
            print("[bench %s] %s" % (time.strftime("%H:%M:%S"), text), file=sys.stderr, flush=True)

    def metadata(self):
        """What ran where."""
        ansible_version = subprocess.run([self.python, "-c", "import ansible.release as r; print(r.__version__)"],
                                         capture_output=True, text=True, check=False).stdout.strip()
        sdk_python = None
        if self.args.sdk_python:
            sdk_python = subprocess.run([self.args.sdk_python, "-c", "import platform; print(platform.python_version())"],
                                        capture_output=True, text=True, check=False).stdout.strip()
        return {
            "mode": "small" if self.args.small else "full",
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "python": platform.python_version(), "ansible_core": ansible_version, "sdk_python": sdk_python,
            "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(), "queries": self.args.queries, "runs": self.args.runs,
            "process_runs": self.args.process_runs, "list_runs": self.args.list_runs, "bulk_jobs": self.args.bulk_jobs,
            "loop_items": self.args.loop_items, "loop_runs": self.args.loop_runs,
            "git_commit": subprocess.run(["git", "-C", REPO_ROOT, "rev-parse", "--short", "HEAD"],
                                         capture_output=True, text=True, check=False).stdout.strip() or None,
        }

    def run(self):
        """Everything, in order; returns the results dict."""
        started = time.monotonic()
        self.results["meta"] = self.metadata()
        self.setup()
        self.progress("emulator at %s, work folder %s" % (self.emulator.url, self.workdir))
        self.processes()
        self.listing()
        self.lifecycle()
        self.playbooks()
        self.playbook_cost()
        self.loops()
        self.results["meta"]["loadavg_end"] = os.getloadavg()
        self.results["meta"]["seconds"] = time.monotonic() - started
        return self.results

    def close(self):
        """Stop the emulator, copy the outputs (with --outputs) and remove the work folder (unless --keep)."""
        self.emulator.stop()
        if self.args.outputs:
            self.copy_outputs(self.args.outputs)
        if self.args.keep:
            self.progress("kept the work folder %s" % self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def copy_outputs(self, folder):
        """Copy the stdout and stderr of every run (ansible-playbook, module, SDK) into ``folder``."""
        os.makedirs(folder, exist_ok=True)
        for name in sorted(os.listdir(self.workdir)):
            if name.endswith((".out", ".err")):
                shutil.copy(os.path.join(self.workdir, name), folder)


# -- report ------------------------------------------------------------------------------


def fmt_s(value):
    """Seconds with 3 decimals, or '-'."""
    return "-" if value is None else "%.3f s" % value


def verdict(checks, *prefixes):
    """PASS, or MISS (kinds missed), over the checks whose name starts with one of the prefixes."""
    selected = [check for check in checks if check["name"].startswith(prefixes)]
    if not selected:
        return ""
    missed = sorted(set(check["kind"] for check in selected if not check["ok"]))
    return "PASS" if not missed else "MISS (%s)" % ", ".join(missed)


def spread(pair):
    """'q1-q3' of a quartile pair, or ''."""
    return "" if pair[0] is None else "%.3f-%.3f" % tuple(pair)


def playbook_requests(name, summary):
    """The requests cell of a playbook row: what every run made, as total = formula."""
    total = str(summary["requests"])
    queries = summary["queries"]
    if expected_text(name) == "N+1 req":
        return "%s = N+1 (N=%d)" % (total, queries)
    return "%s = %s x N (N=%d)" % (total, expected_text(name)[0], queries)


def table_rows(results):
    """The rows of the report table."""
    checks = results["checks"]
    rows = []
    for name, summary in results.get("playbooks", {}).items():
        targets = {"module_aksk": TARGET_TASK_VS_URI, "inproc_aksk": TARGET_IN_PROCESS_VS_URI}
        if name in targets:
            target = "<= %.2f x uri; %s" % (targets[name], expected_text(name))
            result = verdict(checks, "a/c %s" % name, "a %s" % name)
        else:
            target = expected_text(name)
            result = verdict(checks, "a/c %s" % name)
        ratio = "%.2f x uri" % summary["ratio_to_uri"]
        if "ratio_to_module_path" in summary:
            ratio += "; %.2f x module path" % summary["ratio_to_module_path"]
        rows.append(["a", "task: " + summary["label"], fmt_s(summary["median_query_task"]),
                     spread(summary["quartiles_query_task"]), ratio, playbook_requests(name, summary), target, result])
        if summary["median_setup_task"] is not None:
            rows.append(["a", "  once before: %s task" % SETUP_TASK[name], fmt_s(summary["median_setup_task"]),
                         "", "", "", "", ""])
    cost = results.get("playbook_cost")
    if cost:
        for name, label in (("inproc_aksk", "in-process"), ("module_aksk", "module path"), ("uri", "ansible.builtin.uri")):
            summary = cost[name]
            rows.append(["f", "playbook of %d queries, %s: per task over its setup" % (summary["queries"], label),
                         fmt_s(summary["per_task"]), "", "%.2f x uri" % summary["ratio_to_uri"], "",
                         ("<= %.2f x uri" % TARGET_IN_PROCESS_VS_URI) if name == "inproc_aksk" else "",
                         verdict(checks, "f ") if name == "inproc_aksk" else ""])
        rows.append(["f", "  once per playbook: importing the action plugins (requests included)",
                     fmt_s(cost["plugin_import"]["median"]), "", "", "", "", ""])
    for name, summary in results.get("loops", {}).items():
        twin = name.replace("_inproc_", "_module_")
        ratio = ""
        if twin != name and twin in results["loops"]:
            ratio = "%.2f x module path" % (summary["median_per_item"] / results["loops"][twin]["median_per_item"])
        rows.append(["g", "loop of %d items, %s: per item" % (summary["items"], summary["label"]), fmt_s(summary["median_per_item"]),
                     "", ratio, "%d/run" % summary["requests"], "%d req" % summary["expected_requests"],
                     verdict(checks, "g %s:" % name)])
    processes = results.get("processes", {})
    labels = {"module": "process: module, AK/SK + project_id", "sdk": "process: Huawei Cloud SDK script, AK/SK",
              "floor": "process: import ansible.module_utils.basic"}
    for name in ("module", "sdk", "floor"):
        if name not in processes:
            if name == "sdk":
                rows.append(["b", labels[name], "skipped", "", "", "", "", "(no --sdk-python)"])
            continue
        summary = processes[name]
        expected = summary["expected_requests_per_run"]
        counts = sorted(set(summary["requests_per_run"]))
        requests = ("%s/run" % "/".join(str(count) for count in counts)) if expected else "-"
        ratio, target, result = "", ("%d req/run" % expected) if expected else "", verdict(checks, "b/c %s" % name)
        if name == "module":
            parts = ["%.2f x SDK" % summary["ratio_to_sdk"]] if "ratio_to_sdk" in summary else []
            ratio = "; ".join(parts + ["%.2f x floor" % summary["ratio_to_floor"]])
            target = "<= %.2f x SDK; <= %.2f x floor; 1 req" % (TARGET_PROCESS_VS_SDK, TARGET_PROCESS_VS_FLOOR)
            result = verdict(checks, "b/c module", "b module")
        rows.append(["b", labels[name], fmt_s(summary["median"]), spread(summary["quartiles"]), ratio, requests, target, result])
    listing = results.get("listing")
    if listing:
        rows.append(["d", "list %d jobs (eu-nl): module process" % listing["bulk_jobs"], fmt_s(listing["median_seconds"]), "",
                     "peak %.1f MB" % listing["max_peak_rss_mb"],
                     "/".join(str(count) for count in sorted(set(listing["requests_per_run"]))),
                     "%d req; < %.0f s; < %.0f MB" % (listing["expected_requests"], TARGET_LIST_SECONDS, TARGET_LIST_MB),
                     verdict(checks, "d ")])
    lifecycle = results.get("lifecycle")
    if lifecycle:
        create = lifecycle["create"]
        polls = "/".join(str(count) for count in sorted(set(run["polls"] for run in create["runs"])))
        allowed = "/".join(str(count) for count in sorted(set(run["max_polls"] for run in create["runs"])))
        rows.append(["e", "lifecycle process: create + wait until running", fmt_s(create["median_seconds"]), "", "",
                     "2 lists + 1 create + %s polls" % polls, "polls <= %s (schedule)" % allowed, verdict(checks, "e create")])
        for key, label, expected in (("unchanged", "lifecycle process: unchanged run, by name", "1 req (list)"),
                                     ("unchanged_by_id", "lifecycle process: unchanged run, job_id", "1 req (details)")):
            counts = "/".join(sorted(set(str(sum(run["kinds"].values())) for run in lifecycle[key]["runs"])))
            rows.append(["e", label, fmt_s(lifecycle[key]["median_seconds"]), "", "", "%s/run" % counts, expected,
                         verdict(checks, "e unchanged run: " if key == "unchanged" else "e unchanged run with")])
    return rows


def render_table(results):
    """The report table as text."""
    header = ["", "what (median over runs)", "median", "IQR (s)", "ratio / memory", "requests", "target", "result"]
    rows = [header] + table_rows(results)
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        lines.append(" | ".join(cell.ljust(widths[column]) for column, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("-+-".join("-" * width for width in widths))
    meta = results["meta"]
    lines.append("")
    lines.append("mode %s: ansible-core %s on Python %s, SDK on Python %s, %s CPUs, load %.2f -> %.2f, %.0f s in all"
                 % (meta["mode"], meta["ansible_core"], meta["python"], meta["sdk_python"] or "-", meta["cpus"],
                    meta["loadavg_start"][0], meta.get("loadavg_end", (0,))[0], meta.get("seconds", 0)))
    lines.append("a: N=%d query tasks of each variant, interleaved in one playbook, x %d runs (task start -> result, bench_timer"
                 " callback); requests: each variant alone. b: %d runs of each process after a warm-up. d: %d runs after a warm-up."
                 % (meta["queries"], meta["runs"], meta["process_runs"], meta["list_runs"]))
    if "lifecycle" in results:
        lines.append("e: modelarts_visualization_job as a process, AK/SK + project_id, %d rounds after a warm-up: create a new"
                     " job and wait until it runs (the emulator's 1 s status steps), then the same options again, and with"
                     " job_id; polls may not exceed what the poll schedule allows in the wall time" % len(results["lifecycle"]["create"]["runs"]))
    if "loops" in results:
        lines.append("g: one task looping over the items, %d runs of each playbook (order rotated); per item = the loop task's"
                     " duration (task start -> result) / items; requests of every run checked exactly" % meta["loop_runs"])
    for check in results["checks"]:
        if check["name"].startswith("a interleaved"):
            lines.append("c: every interleaved round made exactly %s: %s" % (check["expected"], "PASS" if check["ok"] else "MISS"))
    missed = [check for check in results["checks"] if not check["ok"]]
    for check in missed:
        lines.append("MISS %s: measured %s, expected %s" % (check["name"], check["measured"], check["expected"]))
    return "\n".join(lines)


def write_results(results, table, directory):
    """Write <mode>-<date>.json and latest-<mode>.json (+ .txt with the table); return the JSON path."""
    os.makedirs(directory, exist_ok=True)
    meta = results["meta"]
    stamp = meta["date"].replace("-", "").replace(":", "")
    path = os.path.join(directory, "%s-%s.json" % (meta["mode"], stamp))
    text = json.dumps(results, indent=1, sort_keys=True)
    for target in (path, os.path.join(directory, "latest-%s.json" % meta["mode"])):
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    with open(os.path.join(directory, "latest-%s.txt" % meta["mode"]), "w", encoding="utf-8") as handle:
        handle.write(table + "\n")
    return path


def parse_args(argv):
    """Command line options; --small changes the defaults."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--small", action="store_true", help="CI smoke run: few runs, 500 bulk jobs; counts asserted, timings never")
    parser.add_argument("--sdk-python", help="interpreter with huaweicloudsdkcore + huaweicloudsdkmodelarts (else the SDK is skipped)")
    parser.add_argument("--queries", type=int, help="query tasks per playbook (30; small 3)")
    parser.add_argument("--runs", type=int, help="timed runs of the interleaved playbook (5; small 1)")
    parser.add_argument("--process-runs", type=int, help="timed runs of each process (15; small 2)")
    parser.add_argument("--process-warmup", type=int, default=1, help="untimed runs of each process first (1)")
    parser.add_argument("--list-runs", type=int, help="timed runs of the listing (5; small 1)")
    parser.add_argument("--bulk-jobs", type=int, help="jobs generated in eu-nl (10000; small 500)")
    parser.add_argument("--lifecycle-runs", type=int, help="timed rounds of the lifecycle module (5; small 1)")
    parser.add_argument("--loop-items", type=int, default=LOOP_ITEMS,
                        help="items of each loop of part g (%d; with --small the module path's loop has at most --queries)" % LOOP_ITEMS)
    parser.add_argument("--loop-runs", type=int, help="timed runs of each loop of part g (3; small 1)")
    parser.add_argument("--strict", action="store_true", help="also exit 1 when a timing or memory target is missed")
    parser.add_argument("--results", default=RESULTS_DIR, help="folder of the JSON results (bench/results)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (playbooks, logs, outputs)")
    parser.add_argument("--outputs", metavar="DIR",
                        help="copy the output of every run into DIR (the benchmark gate scans it for warnings)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    defaults = {"queries": (30, 3), "runs": (5, 1), "process_runs": (15, 2), "list_runs": (5, 1), "bulk_jobs": (10000, 500),
                "lifecycle_runs": (5, 1), "loop_runs": (3, 1)}
    for name, (full, small) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, small if args.small else full)
    if args.small:
        args.strict = False
    if min(args.queries, args.runs, args.process_runs, args.list_runs, args.lifecycle_runs, args.loop_items,
           args.loop_runs) < 1 or args.bulk_jobs < 1:
        parser.error("--queries, --runs, --process-runs, --list-runs, --loop-items, --loop-runs and --bulk-jobs must be at least 1")
    if args.sdk_python:
        args.sdk_python = os.path.abspath(args.sdk_python)
    args.lifetime = 3600
    return args


def main(argv=None):
    """Run the benchmark; return the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    bench = Bench(args)
    try:
        results = bench.run()
    except (BenchError, EmulatorError) as error:
        print("benchmark failed: %s" % error, file=sys.stderr)
        return 2
    finally:
        bench.close()
    table = render_table(results)
    print(table)
    path = write_results(results, table, args.results)
    print("results: %s" % os.path.relpath(path, os.getcwd()))
    failed = [check for check in results["checks"] if not check["ok"] and (check["kind"] == "count" or args.strict)]
    if failed:
        print("FAILED: %d check(s) asserted by this mode did not hold" % len(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
