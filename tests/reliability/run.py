# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reliability suite of hwcloud.modelarts: faults, bad input, TLS and secret exposure, through ansible-playbook.

    <venv>/bin/python tests/reliability/run.py [--python-venv VENV ...] [--filter NAME] [--jobs N]

Starts its own emulators (tests/emulator: plain HTTP, and HTTPS with a generated CA for
the tls/* scenarios), runs every scenario as a playbook with the real modules, once at the
default verbosity and once at -vvvv, and checks the outcome (error_code and the request id
of the last answer included), the exact requests the emulator saw (kind and status, in
order), the waits between them on the emulator's clock against the documented backoff
schedule, and that no secret, in any encoding (secret_scan.py), appears in stdout, stderr,
the registered results, the callback's JSON or the emulator's logs.
Prints one line per scenario, then "N passed, M failed"; exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import atexit
import fnmatch
import json
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# pylint: disable=wrong-import-position
import bad_inputs  # noqa: E402
import scenarios  # noqa: E402
import sweep  # noqa: E402
from harness import REPO_ROOT, Ansible, Emulator, HarnessError, JSON_MARKER, free_port  # noqa: E402
from secret_scan import SecretScanner  # noqa: E402
from scenarios import REGISTERED_TASK, Check, Context, Task, playbook_tasks  # noqa: E402

OUTPUT_DIR = os.path.join(REPO_ROOT, "tests", "output", "reliability")
VERBOSITIES = (0, 4)
BAD_INPUT_UNIT = "bad_input"
BAD_INPUTS_PER_PLAYBOOK = 25  # two playbooks, so that the longest unit does not set the suite's duration
SWEEP_UNIT = "sweep"
SWEEP_PER_PLAYBOOK = 80       # in-process cases per playbook (about 40 ms each)
SWEEP_MODULE_PATH_PER_PLAYBOOK = 35  # module-path cases per playbook (about 0.4 s each)


class BadInputUnit:
    """A playbook of bad-input cases."""

    def __init__(self, name, cases):
        self.name = name
        self.cases = cases
        self.cost = len(cases)


class SweepUnit:
    """A playbook of hostile-input sweep cases (sweep.py), run once, at the default verbosity."""

    def __init__(self, name, cases, cost):
        self.name = name
        self.cases = cases
        self.cost = cost


class Line:
    """One reported result."""

    def __init__(self, name, problems, details):
        self.name = name
        self.problems = problems
        self.details = details

    def text(self):
        """``PASS name (details)`` or ``FAIL name: why``."""
        if self.problems:
            return "FAIL %s: %s" % (self.name, "; ".join(self.problems))
        return "PASS %s (%s)" % (self.name, self.details)


class Suite:
    """Runs the units (scenarios and the bad-input playbook) on a pool of emulator slots."""

    def __init__(self, options, workdir):
        self.options = options
        self.workdir = workdir
        self.slots = queue.Queue()
        self.emulators = []
        self.lock = threading.Lock()
        self.lines = []
        self.scanner = SecretScanner(dict(scenarios.SECRETS, **dict(bad_inputs.SECRETS, **sweep.SECRETS)))
        self.failed_logs = []
        self.interrupted = threading.Event()

    # --- emulators -------------------------------------------------------------------------------------------

    def start_emulators(self):
        """One plain and one TLS emulator per worker, started in parallel."""
        for index in range(self.options.jobs):
            slot = {
                "http": Emulator(self.workdir, "emulator-%d-http" % index, bulk_jobs=scenarios.BULK_JOBS,
                                 lifetime=self.options.emulator_lifetime),
                "tls": Emulator(self.workdir, "emulator-%d-tls" % index, tls=True, lifetime=self.options.emulator_lifetime),
            }
            self.emulators += slot.values()
            self.slots.put(slot)
        for emulator in self.emulators:
            emulator.launch()
        for emulator in self.emulators:
            emulator.wait_ready()

    def scan_emulator_logs(self):
        """One Line: no secret in the complete access logs and outputs of every emulator."""
        sources, lines, problems = {}, 0, []
        for emulator in self.emulators:
            for name in ("access.log", "output.log"):
                try:
                    with open(os.path.join(emulator.dir, name), encoding="utf-8", errors="replace") as handle:
                        text = handle.read()
                except OSError as error:
                    problems.append("cannot read %s/%s: %s" % (emulator.name, name, error))
                    continue
                sources["%s/%s" % (emulator.name, name)] = text
                lines += text.count("\n")
        problems += self.scanner.scan(sources)
        line = Line("secrets/emulator_logs", problems, "%d lines in %d files" % (lines, len(sources)))
        self.lines.append(line)
        print(line.text(), flush=True)

    def stop_emulators(self):
        """Stop every emulator by its process id (idempotent)."""
        for emulator in self.emulators:
            emulator.stop()

    # --- one pass --------------------------------------------------------------------------------------------

    def _common_checks(self, check, expected, ctx):
        run = check.run
        if run.parse_error:
            check.fail(run.parse_error + self._tail(run))
        check.that(run.rc == 0, "ansible-playbook exited with %s%s" % (run.rc, self._tail(run)))
        seen = [(entry["kind"], entry["status"]) for entry in run.requests]
        check.that(seen == list(expected), "requests %s, expected %s" % (_show(seen), _show(expected)))
        registered = run.task(REGISTERED_TASK)
        json_line = "\n".join(line for line in run.stdout.splitlines() if line.startswith(JSON_MARKER))
        sources = {
            "stdout": run.stdout,
            "stderr": run.stderr,
            "the registered results": json.dumps(registered["result"].get("msg")) if registered else "",
            "the callback JSON": json_line,
            "the emulator access log": run.access_log,
        }
        structured = {
            "the registered results": registered["result"].get("msg") if registered else None,
            "the callback JSON": {record["name"]: record["result"] for record in run.tasks or []},
        }
        for problem in self.scanner.scan(sources, ctx.secrets(), structured):
            check.fail(problem)

    @staticmethod
    def _tail(run):
        text = (run.stderr.strip() or run.stdout.strip())[-400:]
        return " (output ends: %s)" % " ".join(text.split()) if text else ""

    def _scenario_pass(self, scenario, slot, ansible, verbosity):
        emulator = slot[scenario.emulator]
        ctx = Context(emulator, free_port(), self.options.slack, ansible.dir, ansible.certifi_bundle)
        emulator.reset(tokens=True)
        if scenario.token:
            ctx.token = emulator.issue_token(scenarios.USERNAME, scenarios.PASSWORD, scenarios.DOMAIN, "eu-de")
            emulator.reset()
        emulator.add_faults(scenario.faults(ctx) if scenario.faults else [])
        if scenario.clock:
            emulator.set_clock(scenario.clock)
        expected = scenario.requests(ctx)
        tasks = scenario.tasks(ctx)
        offset = emulator.log_size()
        run = ansible.run(scenario.name, playbook_tasks(tasks), verbosity, env=scenario.env(ctx) if scenario.env else None)
        run.requests = emulator.settled_requests(len(expected), scenario.settle)
        run.access_log = emulator.log_since(offset)
        check = Check(run)
        self._common_checks(check, expected, ctx)
        if scenario.gaps is not None and len(run.requests) == len(expected):
            check.waits = self._check_gaps(check, scenario.gaps(ctx))
        if run.tasks is not None:
            for task in tasks:  # a guard against hangs, not a timing check (those are the gaps, on the emulator's clock)
                check.duration(task.name, None, scenario.max_wait + ctx.slack)
            if scenario.check is not None:
                scenario.check(check, ctx)
        return check

    @staticmethod
    def _check_gaps(check, gaps):
        """Check the waits between consecutive requests against ``gaps``; return the measured waits (seconds)."""
        requests = check.run.requests
        if len(gaps) != len(requests) - 1:
            check.fail("the scenario gives %d gaps for %d requests" % (len(gaps), len(requests)))
            return []
        waits = []
        for gap, earlier, later in zip(gaps, requests, requests[1:]):
            if gap is not None:
                waits.append(later["received"] - earlier[gap.since] - gap.plus)
                problem = gap.problem(earlier, later)
                if problem:
                    check.fail(problem)
        return waits

    def run_scenario(self, scenario, slot, ansible, prefix):
        """Both passes of one scenario; one Line."""
        started = time.monotonic()
        problems, timings, count = [], [], 0
        for verbosity in VERBOSITIES:
            check = self._scenario_pass(scenario, slot, ansible, verbosity)
            run = check.run
            count = len(run.requests)
            problems += ["%s: %s" % (run.label, problem) for problem in check.problems]
            record = run.task(scenario.timed) if scenario.timed else None
            if record and record.get("duration") is not None:
                timings.append("%s task %.2fs" % (run.label, record["duration"]))
            if check.waits:
                timings.append("waits %s s" % "/".join("%.2f" % wait for wait in check.waits))
            if check.problems or self.options.save_output:
                self._save(prefix + scenario.name, run, bool(check.problems))
        details = "requests=%d, %s, %.1fs" % (count, ", ".join(timings), time.monotonic() - started)
        return [Line(prefix + scenario.name, problems, details)]

    def run_bad_inputs(self, unit, slot, ansible, prefix):
        """Bad-input cases in one playbook per pass; one Line per case plus one for the playbook."""
        cases = unit.cases
        started = time.monotonic()
        emulator = slot["http"]
        case_problems = {case.name: [] for case in cases}
        group_problems, counts = [], []
        for verbosity in VERBOSITIES:
            ctx = Context(emulator, free_port(), self.options.slack, ansible.dir)
            emulator.reset(tokens=True)
            offset = emulator.log_size()
            tasks = [Task(case.name, case.args(ctx), module=case.module) for case in cases]
            run = ansible.run(unit.name, playbook_tasks(tasks), verbosity)
            run.requests = emulator.settled_requests(0, 0.2)
            run.access_log = emulator.log_since(offset)
            counts.append(len(run.requests))
            check = Check(run)
            self._common_checks(check, [], ctx)
            group_problems += ["%s: %s" % (run.label, problem) for problem in check.problems]
            for case in cases:
                record = run.task(case.name)
                if record is None:
                    found = ["no result"]
                elif record["outcome"] != "failed":
                    found = ["the task was %s, not failed" % record["outcome"]]
                else:
                    found = case.problems(record["result"])
                case_problems[case.name] += ["%s: %s" % (run.label, problem) for problem in found]
            if check.problems or any(case_problems.values()) or self.options.save_output:
                self._save(prefix + unit.name, run, bool(check.problems or any(case_problems.values())))
        lines = [Line(prefix + name, found, "failed before any request, both passes")
                 for name, found in case_problems.items()]
        lines.append(Line(prefix + unit.name, group_problems,
                          "%d cases in one playbook, requests=%s, %.1fs"
                          % (len(cases), "+".join(str(count) for count in counts), time.monotonic() - started)))
        return lines

    def run_sweep(self, unit, slot, ansible, prefix):
        """One playbook of sweep cases; one Line, whose problems name the cases."""
        started = time.monotonic()
        emulator = slot["http"]
        emulator.reset(tokens=True)
        offset = emulator.log_size()
        run = ansible.run(unit.name, [case.task(emulator.url) for case in unit.cases], 0)
        problems = []
        if run.parse_error:
            problems.append(run.parse_error + self._tail(run))
        if run.rc != 0:
            problems.append("ansible-playbook exited with %s%s" % (run.rc, self._tail(run)))
        records = {case.name: run.task(case.name) for case in unit.cases}
        for case in unit.cases:
            problems += ["%s: %s" % (case.name, problem) for problem in case.problems(records[case.name])]
        sending = [case for case in unit.cases if case.sends(records[case.name])]
        # A password case whose IAM request failed never reads its job.
        reading = [case for case in sending if not case.authenticates or records[case.name]["outcome"] == "ok"]
        expected_ids = sorted(case.job_id for case in reading if case.job_id is not None)
        expected = dict(details=len(expected_ids), list=sum(1 for case in reading if case.job_id is None and
                                                            case.module != scenarios.AUTH),
                        iam_token=sum(1 for case in sending if case.authenticates))
        run.requests = emulator.settled_requests(sum(expected.values()), 0.5)
        seen = {}
        for entry in run.requests:
            seen[entry["kind"]] = seen.get(entry["kind"], 0) + 1
        if {kind: count for kind, count in seen.items() if count} != {kind: count for kind, count in expected.items() if count}:
            problems.append("requests by kind %s, expected %s (a refused value must send nothing)" % (seen, expected))
        seen_ids = sorted(int(entry["path"].rsplit("/", 1)[-1]) for entry in run.requests if entry["kind"] == "details")
        if seen_ids != expected_ids:
            refused = sorted(set(seen_ids) - set(expected_ids))
            problems.append("job ids read %s differ from those of the cases that were not refused; sent although refused:"
                            " %s" % (seen_ids[:20], [case.name for case in unit.cases if case.job_id in refused]))
        run.access_log = emulator.log_since(offset)
        sources = {"stdout": run.stdout, "stderr": run.stderr, "the emulator access log": run.access_log}
        problems += self.scanner.scan(sources)
        if problems or self.options.save_output:
            self._save(prefix + unit.name, run, bool(problems))
        outcomes = [records[case.name]["outcome"] if records[case.name] else "missing" for case in unit.cases]
        details = "%d cases in one playbook: %d ok, %d failed naming the option or with the cloud's answer; requests=%d, %.1fs" % (
            len(unit.cases), outcomes.count("ok"), outcomes.count("failed"), len(run.requests), time.monotonic() - started)
        return [Line(prefix + unit.name, problems, details)]

    def _save(self, name, run, failed=True):
        path = os.path.join(OUTPUT_DIR, "%s.%s.log" % (name.replace("/", "__"), run.label.lstrip("-")))
        os.makedirs(OUTPUT_DIR, exist_ok=True)
        with open(path, "w") as handle:
            handle.write("rc=%s elapsed=%.2fs\nrequests=%s\n--- stdout\n%s\n--- stderr\n%s\n--- access log\n%s\n"
                         % (run.rc, run.elapsed, json.dumps(run.requests), run.stdout, run.stderr, run.access_log))
        if failed:
            self.failed_logs.append(os.path.relpath(path, REPO_ROOT))

    # --- scheduling ------------------------------------------------------------------------------------------

    def _unit(self, unit, ansible, prefix):
        slot = self.slots.get()
        try:
            if isinstance(unit, BadInputUnit):
                lines = self.run_bad_inputs(unit, slot, ansible, prefix)
            elif isinstance(unit, SweepUnit):
                lines = self.run_sweep(unit, slot, ansible, prefix)
            else:
                lines = self.run_scenario(unit, slot, ansible, prefix)
        except HarnessError as error:
            lines = [Line(prefix + unit.name, ["harness error: %s" % error], "")]
        finally:
            self.slots.put(slot)
        if self.interrupted.is_set():
            return
        with self.lock:
            for line in lines:
                self.lines.append(line)
                print(line.text(), flush=True)

    def selected_cases(self):
        """The bad-input cases the filter selects (all when the filter names the group)."""
        every = bad_inputs.cases()
        if not self.options.filter or _matches(self.options.filter, BAD_INPUT_UNIT):
            return every
        return [case for case in every if _matches(self.options.filter, case.name)]

    def units(self):
        """The scenarios (and the bad-input group) the filter selects, longest first."""
        selected = [scenario for scenario in scenarios.all_scenarios()
                    if not self.options.filter or _matches(self.options.filter, scenario.name)]
        cases = self.selected_cases()
        parts = -(-len(cases) // BAD_INPUTS_PER_PLAYBOOK)
        for index in range(parts):
            chunk = cases[index::parts]
            selected.append(BadInputUnit("%s/playbook_%d_of_%d" % (BAD_INPUT_UNIT, index + 1, parts), chunk))
        selected += self.sweep_units()
        selected.sort(key=lambda unit: -unit.cost)
        return selected

    def sweep_units(self):
        """The sweep cases the filter selects, in playbooks of a bounded length (module-path cases apart)."""
        every = sweep.cases()
        if self.options.filter and not _matches(self.options.filter, SWEEP_UNIT):
            every = [case for case in every if _matches(self.options.filter, case.name)]
        units = []
        for module_path, size, cost in ((False, SWEEP_PER_PLAYBOOK, 0.05), (True, SWEEP_MODULE_PATH_PER_PLAYBOOK, 0.5)):
            cases = [case for case in every if case.module_path == module_path]
            parts = -(-len(cases) // size)
            for index in range(parts):
                chunk = cases[index::parts]
                name = "%s/%splaybook_%d_of_%d" % (SWEEP_UNIT, "module_path_" if module_path else "", index + 1, parts)
                units.append(SweepUnit(name, chunk, cost * len(chunk)))
        return units

    def run_venv(self, venv, prefix):
        """Every selected unit with one virtualenv's ansible-playbook."""
        ansible = Ansible(venv, os.path.join(self.workdir, "ansible-" + os.path.basename(os.path.abspath(venv))))
        print("# %s: ansible-core %s, Python %s, %d parallel jobs"
              % (os.path.relpath(os.path.abspath(venv), REPO_ROOT), ansible.version["core"], ansible.version["python"],
                 self.options.jobs), flush=True)
        started = time.monotonic()
        units = self.units()
        pool = ThreadPoolExecutor(max_workers=self.options.jobs)
        try:
            for future in [pool.submit(self._unit, unit, ansible, prefix) for unit in units]:
                future.result()
        except BaseException:
            self.interrupted.set()
            pool.shutdown(wait=False, cancel_futures=True)
            ansible.close()
            raise
        pool.shutdown()
        print("# %s: %d units in %.1f s" % (prefix.rstrip("/") or "suite", len(units), time.monotonic() - started), flush=True)


def _matches(pattern, name):
    if any(char in pattern for char in "*?["):
        return fnmatch.fnmatch(name, pattern)
    return pattern in name


def _show(requests):
    return "[%s]" % ", ".join("%s %s" % (kind, "-" if status is None else status) for kind, status in requests)


def parse_args(argv):
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python-venv", action="append", dest="venvs", metavar="VENV",
                        help="virtualenv with ansible-core whose ansible-playbook runs the playbooks; repeat for several"
                             " (default: the virtualenv of the Python running this script)")
    parser.add_argument("--filter", metavar="NAME",
                        help="only scenarios whose name contains NAME (or matches it, with * ? [ ])")
    parser.add_argument("--jobs", type=int, default=min(4, (os.cpu_count() or 1) + 1),
                        help="scenarios run in parallel, each worker with its own emulators (default: CPUs + 1, at most 4;"
                             " backoff sleeps leave CPU time to a worker more than the CPUs)")
    parser.add_argument("--slack", type=float, default=4.0,
                        help="seconds added to the longest wait of a task's retry settings before it counts as hung"
                             " (default 4; the timing checks use the tolerances in scenarios.py)")
    parser.add_argument("--emulator-lifetime", type=float, default=900.0,
                        help="every emulator stops by itself after this many seconds (default 900)")
    parser.add_argument("--save-output", action="store_true",
                        help="save the output of every run in tests/output/reliability/ (by default only of failed runs)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (playbooks, emulator logs)")
    parser.add_argument("--list", action="store_true", help="list the scenario names and exit")
    options = parser.parse_args(argv)
    options.venvs = options.venvs or [sys.prefix]
    options.jobs = max(1, options.jobs)
    return options


def main(argv=None):
    """Run the suite; the exit code is 1 when any scenario failed."""
    options = parse_args(argv)
    if options.list:
        for scenario in scenarios.all_scenarios():
            print(scenario.name)
        for case in bad_inputs.cases():
            print(case.name)
        for case in sweep.cases():
            print(case.name)
        return 0
    shutil.rmtree(OUTPUT_DIR, ignore_errors=True)  # the failure logs of an earlier run would mislead
    workdir = tempfile.mkdtemp(prefix="hwcloud-reliability-")
    suite = Suite(options, workdir)
    atexit.register(suite.stop_emulators)

    def terminate(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    started = time.monotonic()
    try:
        suite.start_emulators()
        for venv in options.venvs:
            prefix = os.path.basename(os.path.abspath(venv)) + "/" if len(options.venvs) > 1 else ""
            suite.run_venv(venv, prefix)
        suite.stop_emulators()  # the logs are complete once the emulators have stopped
        suite.scan_emulator_logs()
    except HarnessError as error:
        suite.lines.append(Line("harness", [str(error)], ""))
        print(suite.lines[-1].text(), flush=True)
    except (KeyboardInterrupt, SystemExit):
        print("# interrupted: stopping the playbooks and emulators", flush=True)
        raise
    finally:
        suite.stop_emulators()
        if options.keep:
            print("# work directory kept: %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = [line for line in suite.lines if line.problems]
    if suite.failed_logs:
        print("# output of the failed runs: %s" % ", ".join(sorted(set(suite.failed_logs))))
    print("# total %.1f s" % (time.monotonic() - started))
    print("%d passed, %d failed" % (len(suite.lines) - len(failed), len(failed)), flush=True)
    return 1 if failed or not suite.lines else 0


if __name__ == "__main__":
    sys.exit(main())
