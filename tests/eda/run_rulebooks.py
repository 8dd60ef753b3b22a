# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The eda-rulebooks gate: real ansible-rulebook runs the shipped rulebooks against the emulator.

    python tests/eda/run_rulebooks.py --eda-venv .venv/eda --collections-path DIR --workdir DIR

1. stop_long_running.yml with every event type switched on (interval 1 s, long_running_hours 1): the emulator's
   admin API creates a job, fails one and deletes one while it runs; every event type must be seen
   (--print-events), job 101 (running for 2 hours) must get long_running, be stopped by the rule's
   run_module action and really end canceled (13), and the later events must carry the stop.
2. report_failures.yml: a job that fails while it runs must be reported by the rule's debug action.
3. The event source's EXAMPLES, as one rulebook with the emulator's endpoints added to sources that name a cloud or
   region: ansible-rulebook starts it (the source validates its arguments) and each source makes its first poll.
4. no_false_events (stop_long_running with every event type): a list short of its total (the emulator's short_list
   fault) gives no deleted and no created event, and a job created 10 hours ago and restarted now (duration 0)
   gets no long_running and is not stopped.
5. outage (stop_long_running with interval 1 and max_backoff 8): a list API down for OUTAGE_SECONDS, more than 10
   polls at the interval, does not end the source (default max_consecutive_failures 10): the failed polls back off,
   and the deletion made during the outage is reported after it.
6. try_it_locally: README.md's "Try it locally", event source part: its commands as written (bash -e), with only the
   HWCLOUD_* variables make emulator prints: an initial event for each of the 14 seeded jobs, then the failure of
   job 101 reported by report_failures.

--check NAME (repeatable) runs only those checks.

Each run is bounded (RUN_TIMEOUT); the emulator and the rulebooks are stopped by their PIDs.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import signal
import subprocess
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "emulator"))
import seed  # noqa: E402 pylint: disable=wrong-import-position,import-error
from emulator import export_lines  # noqa: E402 pylint: disable=wrong-import-position,import-error
from process import EmulatorProcess  # noqa: E402 pylint: disable=wrong-import-position,import-error

RUN_TIMEOUT = 90
# An outage of more than 10 polls at interval 1 (so the source gave up without a backoff), and shorter than the 31 s
# its tenth failed poll takes with the backoff (interval 1, max_backoff 8: waits of at least 1, 2, then 4 s).
OUTAGE_SECONDS = 16
EVENT_BLOCK = re.compile(r"\[received event\] \*+\nRuleset: [^\n]*\nEvent:\n(.*?)\n\*{20,}", re.S)
ALL = ["initial", "created", "status_changed", "deleted", "long_running"]
# The guide's inventory: a host of an inventory is left to interpreter discovery unless it names one, and the
# modules then run on whatever discovery finds (the system Python, without requests here); the rulebook's
# actions must run on the Python of ansible-rulebook's own environment.
INVENTORY = ("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
             "      ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n")


def events_in(text):
    """The modelarts payloads of every event ansible-rulebook printed (--print-events), in order."""
    found = []
    for block in EVENT_BLOCK.findall(text):
        try:
            event = ast.literal_eval(block)
        except (ValueError, SyntaxError):
            continue  # Shutdown(...) and other non-dict events
        if isinstance(event, dict) and "modelarts" in event:
            found.append(event["modelarts"])
    return found


class Rulebook:
    """One ansible-rulebook process on a shipped rulebook, its output in a file."""

    def __init__(self, args, emulator, name, variables, path=None):
        self.name = name
        self.output = os.path.join(args.workdir, name + ".out")
        with open(os.path.join(args.workdir, "inventory.yml"), "w", encoding="utf-8") as handle:
            handle.write(INVENTORY)
        vars_file = os.path.join(args.workdir, name + ".vars.json")
        with open(vars_file, "w", encoding="utf-8") as handle:
            json.dump(variables, handle)
        env = dict(os.environ)
        env.update(PATH=os.path.join(args.eda_venv, "bin") + os.pathsep + env.get("PATH", ""),
                   ANSIBLE_COLLECTIONS_PATH=args.collections_path, ANSIBLE_NOCOLOR="1",
                   HWCLOUD_ACCESS_KEY=seed.PERMANENT_AK, HWCLOUD_SECRET_KEY=seed.PERMANENT_SK,
                   HWCLOUD_IAM_ENDPOINT=emulator.url, HWCLOUD_MODELARTS_ENDPOINT=emulator.url,
                   HWCLOUD_PROJECT_NAME="eu-de", HWCLOUD_RETRIES="0")
        rulebook = path or "hwcloud.modelarts." + name  # a file, else the collection's rulebook of that name
        command = [os.path.join(args.eda_venv, "bin", "ansible-rulebook"), "-i", os.path.join(args.workdir, "inventory.yml"),
                   "-r", rulebook, "--vars", vars_file, "--print-events"]
        print("== " + " ".join(command[1:]), flush=True)
        self._file = open(self.output, "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(command, stdout=self._file, stderr=subprocess.STDOUT, env=env,  # pylint: disable=consider-using-with
                                        cwd=args.workdir, start_new_session=True)
        self.started = time.monotonic()

    def text(self):
        with open(self.output, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def events(self):
        return events_in(self.text())

    def wait_for(self, what, condition, timeout=60):
        """Wait until condition() holds; fail when the rulebook exits or the time is up."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                raise AssertionError("%s: ansible-rulebook exited (rc %s) before %s" % (self.name, self.process.returncode, what))
            if time.monotonic() > deadline or time.monotonic() - self.started > RUN_TIMEOUT:
                raise AssertionError("%s: no %s within %ds" % (self.name, what, timeout))
            time.sleep(0.2)
        print("ok   %s: %s (%.1fs)" % (self.name, what, time.monotonic() - self.started), flush=True)

    def stop(self):
        """SIGTERM to the rulebook's process group (its own session), SIGKILL after 10 s."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._file.close()


def job_status(emulator, job_id):
    jobs = emulator.admin("GET", "jobs")["jobs"].get(seed.EU_DE, [])
    return next((int(job["status"]) for job in jobs if int(job["job_id"]) == job_id), None)


def kinds(events, kind):
    return [event for event in events if event["type"] == kind]


def check_stop_long_running(args, emulator):
    book = Rulebook(args, emulator, "stop_long_running", dict(interval=1, long_running_hours=1, events=ALL))
    try:
        book.wait_for("initial events of the 14 seeded jobs", lambda: len(kinds(book.events(), "initial")) == 14)
        added = emulator.admin("POST", "jobs", {"jobs": [{"job_name": "tb-eda-new", "status": 7}]})["job_ids"][0]
        book.wait_for("created for job %d" % added,
                      lambda: [e for e in kinds(book.events(), "created") if e["job"]["job_id"] == added])
        emulator.admin("POST", "jobs/status", {"job_id": 102, "status": 11})
        book.wait_for("status_changed 102 completed -> failed", lambda: [
            e for e in kinds(book.events(), "status_changed")
            if e["job"]["job_id"] == 102 and e["job"]["phase"] == "failed" and e["previous"]["status_name"] == "completed"])
        emulator.admin("POST", "jobs/delete", {"job_id": 103})
        book.wait_for("deleted 103 with its last status", lambda: [
            e for e in kinds(book.events(), "deleted") if e["job"]["job_id"] == 103 and e["job"]["status"] == 7])
        long_running = kinds(book.events(), "long_running")
        assert [e["job"]["job_id"] for e in long_running] == [101], long_running
        assert long_running[0]["running_hours"] == 2.0, long_running[0]
        book.wait_for("job 101 stopped by the rule's run_module action (status 13)", lambda: job_status(emulator, 101) == 13)
        book.wait_for("status_changed 101 to canceled", lambda: [
            e for e in kinds(book.events(), "status_changed") if e["job"]["job_id"] == 101 and e["job"]["status"] == 13])
        stops = [entry for entry in emulator.requests() if entry["kind"] == "stop"]
        assert [entry["path"].rsplit("/", 2)[-2] for entry in stops] == ["101"], stops
        assert len(kinds(book.events(), "long_running")) == 1, "long_running fired twice for one spell"
        print("ok   stop_long_running: every event type seen: %s" % sorted({e["type"] for e in book.events()}), flush=True)
        assert {e["type"] for e in book.events()} == set(ALL)
    finally:
        book.stop()
        print("---- tail of %s ----\n%s" % (book.output, "\n".join(book.text().splitlines()[-15:])), flush=True)


def check_report_failures(args, emulator):
    book = Rulebook(args, emulator, "report_failures", dict(interval=1))
    report = "ModelArts job tb-init (id 106, project %s) failed: failed (was init)" % seed.EU_DE
    try:
        book.wait_for("the first poll", lambda: any(entry["kind"] == "list" and entry["status"] == 200
                                                    for entry in emulator.requests()))
        time.sleep(1.5)
        emulator.admin("POST", "jobs/status", {"job_id": 106, "status": 11})
        book.wait_for("the failure report of job 106", lambda: report in " ".join(book.text().split()))
        reported = [e for e in book.events() if e["job"]["job_id"] == 106]
        assert [e["type"] for e in reported] == ["status_changed"], reported
        assert "failed: failed (was" not in " ".join(book.text().split()).replace(report, ""), "another job was reported"
    finally:
        book.stop()
        print("---- tail of %s ----\n%s" % (book.output, "\n".join(book.text().splitlines()[-10:])), flush=True)


def source_examples(emulator_url):
    """The event source's EXAMPLES as one rulebook, with the emulator's endpoints added to each source that names a
    cloud or region (those turn the environment's endpoints off, so as written they would reach the real cloud)."""
    path = os.path.join(REPO, "extensions", "eda", "plugins", "event_source", "visualization_jobs.py")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    text = next(node.value.value for node in tree.body
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "EXAMPLES")
    rulesets = yaml.safe_load(text)
    for ruleset in rulesets:
        for source in ruleset["sources"]:
            options = source["hwcloud.modelarts.visualization_jobs"]
            if "cloud" in options or "region" in options:
                options.update(iam_endpoint=emulator_url, modelarts_endpoint=emulator_url)
    return rulesets


def check_source_examples(args, emulator):
    """The EXAMPLES of the event source start in ansible-rulebook as written (arguments validated by the source),
    and each of its sources makes its first poll."""
    rulesets = source_examples(emulator.url)
    path = os.path.join(args.workdir, "source_examples.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(rulesets, handle, sort_keys=False)
    emulator.admin("POST", "requests/take")
    book = Rulebook(args, emulator, "source_examples", {}, path=path)
    try:
        book.wait_for("the first poll of each of its %d sources" % len(rulesets), lambda: sum(
            1 for entry in emulator.requests() if entry["kind"] == "list" and entry["status"] == 200) >= len(rulesets))
        time.sleep(2)
        assert book.process.poll() is None, "ansible-rulebook exited after the first polls"
        assert "Traceback" not in book.text() and "ERROR" not in book.text(), book.text()[-2000:]
    finally:
        book.stop()
        print("---- tail of %s ----\n%s" % (book.output, "\n".join(book.text().splitlines()[-10:])), flush=True)


def source_rulebook(args, name, options):
    """The shipped stop_long_running rulebook with these source options, written to the workdir; its path."""
    with open(os.path.join(REPO, "extensions", "eda", "rulebooks", "stop_long_running.yml"), encoding="utf-8") as handle:
        rulesets = yaml.safe_load(handle)
    rulesets[0]["sources"][0]["hwcloud.modelarts.visualization_jobs"] = options
    path = os.path.join(args.workdir, name + ".yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(rulesets, handle, sort_keys=False)
    return path


def changed_to(book, job_id, status):
    return [e for e in kinds(book.events(), "status_changed") if e["job"]["job_id"] == job_id and e["job"]["status"] == status]


def check_no_false_events(args, emulator):
    """A list short of its total is a failed poll (no deleted, no created again); a reported duration of 0 is the
    running time (a job created 10 hours ago and restarted now is not long-running)."""
    path = source_rulebook(args, "no_false_events", dict(interval=1, long_running_hours=1, events=ALL))
    book = Rulebook(args, emulator, "no_false_events", {}, path=path)
    try:
        book.wait_for("initial events of the 14 seeded jobs", lambda: len(kinds(book.events(), "initial")) == 14)
        emulator.admin("POST", "faults", {"faults": [{"kind": "list", "page": 1, "action": "short_list"}]})
        book.wait_for("a list without job 114 and with job_total_count 14",
                      lambda: emulator.admin("GET", "faults")["faults"][0]["applied"] == 1)
        emulator.admin("POST", "jobs/status", {"job_id": 102, "status": 11})
        book.wait_for("status_changed 102 after the short list", lambda: changed_to(book, 102, 11))
        emulator.admin("POST", "jobs/status", {"job_id": 109, "status": 11})  # every event of the polls before is out
        book.wait_for("status_changed 109", lambda: changed_to(book, 109, 11))
        false = [(e["type"], e["job"]["job_id"]) for e in book.events() if e["type"] in ("deleted", "created")]
        assert false == [], "events from a list short of its total: %s" % false
        assert "the job list ended after 13 jobs although ModelArts reported job_total_count 14" in book.text()
        print("ok   no_false_events: the short list was a failed poll, no deleted or created event", flush=True)

        ten_hours_ago = int((time.time() - 10 * 3600) * 1000)
        restarted = emulator.admin("POST", "jobs", {"jobs": [{"job_name": "tb-restarted", "status": 13, "duration": 0,
                                                              "create_time": ten_hours_ago}]})["job_ids"][0]
        book.wait_for("created for job %d (canceled, created 10 hours ago)" % restarted, lambda: [
            e for e in kinds(book.events(), "created") if e["job"]["job_id"] == restarted])
        emulator.admin("POST", "jobs/status", {"job_id": restarted, "status": 8})  # restarted: running, duration 0
        book.wait_for("status_changed %d to running" % restarted, lambda: changed_to(book, restarted, 8))
        emulator.admin("POST", "jobs/status", {"job_id": 106, "status": 11})
        book.wait_for("status_changed 106", lambda: changed_to(book, 106, 11))
        long_running = [e["job"]["job_id"] for e in kinds(book.events(), "long_running")]
        assert restarted not in long_running, "long_running for job %d, restarted with duration 0" % restarted
        assert job_status(emulator, restarted) == 8, "the restarted job was stopped"
        stopped = [entry["path"] for entry in emulator.requests() if entry["kind"] == "stop"]
        assert not [path for path in stopped if path.rstrip("/").endswith("/%d/stop" % restarted)], stopped
        print("ok   no_false_events: job %d restarted with duration 0: no long_running, still running" % restarted,
              flush=True)
    finally:
        book.stop()
        print("---- tail of %s ----\n%s" % (book.output, "\n".join(book.text().splitlines()[-10:])), flush=True)


def failed_polls(emulator):
    return [entry for entry in emulator.requests() if entry["kind"] == "list" and entry["status"] == 503]


def check_outage(args, emulator):
    """A list API down for longer than 10 polls at the interval does not end the source: the failed polls back off
    (each wait at least its floor), and the deletion made during the outage is reported after it."""
    path = source_rulebook(args, "outage", dict(interval=1, max_backoff=8, events=ALL))
    book = Rulebook(args, emulator, "outage", {}, path=path)
    try:
        book.wait_for("initial events of the 14 seeded jobs", lambda: len(kinds(book.events(), "initial")) == 14)
        emulator.admin("POST", "faults", {"faults": [{"kind": "list", "action": "status", "status": 503, "times": -1}]})
        book.wait_for("the first failed poll", lambda: failed_polls(emulator))
        emulator.admin("POST", "jobs/delete", {"job_id": 103})
        time.sleep(OUTAGE_SECONDS)  # the outage
        emulator.admin("DELETE", "faults")
        book.wait_for("deleted 103 after the outage",
                      lambda: [e for e in kinds(book.events(), "deleted") if e["job"]["job_id"] == 103])
        failed = failed_polls(emulator)
        assert book.process.poll() is None and "polls failed in a row" not in book.text(), book.text()[-2000:]
        assert 2 <= len(failed) < 10, "%d failed polls" % len(failed)
        gaps = [later["received"] - earlier["received"] for earlier, later in zip(failed, failed[1:])]
        floors = [max(1.0, min(8.0, 2.0 ** count) / 2) for count in range(1, len(failed))]
        assert all(gap >= floor - 0.05 for gap, floor in zip(gaps, floors)), "waits %s, floors %s" % (gaps, floors)
        after = [(e["type"], e["job"]["job_id"]) for e in book.events() if e["type"] != "initial"]
        assert after == [("deleted", 103)], after
        print("ok   outage: %d failed polls in %ds, waits %s; the deletion reported after it"
              % (len(failed), OUTAGE_SECONDS, ["%.1f" % gap for gap in gaps]), flush=True)
    finally:
        book.stop()
        print("---- tail of %s ----\n%s" % (book.output, "\n".join(book.text().splitlines()[-10:])), flush=True)


README = os.path.join(REPO, "README.md")
TRY_IT_EVENT_SOURCE = "<!-- try-it-locally: the event source"


def readme_event_source_commands():
    """The commands of the fenced block after README.md's TRY_IT_EVENT_SOURCE comment."""
    with open(README, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    for index, line in enumerate(lines):
        if line.startswith(TRY_IT_EVENT_SOURCE) and lines[index + 1].startswith("```"):
            return "\n".join(lines[index + 2:lines.index("```", index + 2)])
    raise AssertionError("README.md has no fenced block after %r" % TRY_IT_EVENT_SOURCE)


class ReadmeCommands(Rulebook):
    """README.md's event source commands as written (bash -e), in their own process group, with the variables
    make emulator prints and nothing else of HWCLOUD_*, OS_* or HUAWEICLOUD_SDK_*; ansible-rulebook from the eda venv."""

    def __init__(self, args, emulator, name):  # pylint: disable=super-init-not-called
        self.name = name
        self.output = os.path.join(args.workdir, name + ".out")
        tmp = os.path.join(args.workdir, name + ".tmp")
        os.makedirs(tmp, exist_ok=True)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("HWCLOUD_", "OS_", "HUAWEICLOUD_SDK_"))}
        env.update(line[len("export "):].split("=", 1) for line in export_lines(emulator.url))
        env.update(PATH=os.path.join(os.path.abspath(args.eda_venv), "bin") + os.pathsep + env.get("PATH", ""), TMPDIR=tmp,
                   ANSIBLE_COLLECTIONS_PATH=args.collections_path, ANSIBLE_NOCOLOR="1")
        commands = readme_event_source_commands()
        print("== README.md's event source commands:\n" + commands, flush=True)
        self._file = open(self.output, "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(["bash", "-e", "-c", commands], stdout=self._file, stderr=subprocess.STDOUT,  # pylint: disable=consider-using-with
                                        env=env, cwd=args.workdir, stdin=subprocess.DEVNULL, start_new_session=True)
        self.started = time.monotonic()


def check_try_it_locally(args, emulator):
    book = ReadmeCommands(args, emulator, "try_it_locally")
    report = "ModelArts job tb-resnet50 (id 101, project %s) failed: failed (was running)" % seed.EU_DE
    try:
        book.wait_for("an initial event for each of the 14 seeded jobs",
                      lambda: len(kinds(book.events(), "initial")) == 14)
        emulator.admin("POST", "jobs/status", {"job_id": 101, "status": 11})
        book.wait_for("the failure report of job 101", lambda: report in " ".join(book.text().split()))
        assert all(event["region"] == "eu-de" and event["project_id"] == seed.EU_DE for event in book.events())
    finally:
        book.stop()
        print("---- tail of %s ----\n%s" % (book.output, "\n".join(book.text().splitlines()[-10:])), flush=True)


CHECKS = (("stop_long_running", check_stop_long_running), ("report_failures", check_report_failures),
          ("source_examples", check_source_examples), ("no_false_events", check_no_false_events),
          ("outage", check_outage), ("try_it_locally", check_try_it_locally))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eda-venv", required=True)
    parser.add_argument("--collections-path", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--check", action="append", choices=[name for name, _check in CHECKS])
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    with EmulatorProcess(os.path.join(args.workdir, "emulator"), lifetime=300,
                         extra_args=("--transition-seconds", "0.5", "--max-requests", "5000")) as emulator:
        for name, check in CHECKS:
            if args.check and name not in args.check:
                continue
            emulator.admin("POST", "reset", {"jobs": True, "tokens": True})
            check(args, emulator)
    print("eda-rulebooks: all checks passed")


if __name__ == "__main__":
    main()
