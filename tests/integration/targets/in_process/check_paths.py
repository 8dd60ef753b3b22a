# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check the -vvv output of paths.yml: the path each CASE task took, and that the A/B pairs agree.

    python check_paths.py PATHS_LOG RESULTS_JSON
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys

IN_PROCESS = "runs in the controller's worker"
MODULE_PATH = "runs as a module: "
DISCOVERED = "discovered_interpreter_python"
# ansible-core 2.22 and later mask registered secrets where they print, and leave them in results (see _core_secrets).
CORE_MASKS_SECRETS = importlib.util.find_spec("ansible.module_utils.secrets") is not None
SECRET_KEY = "emu-secret-key"
# Volatile fields: they differ between any two runs, whatever path ran.
VOLATILE = ("_ansible_no_log", "ansible_job_id", "finished", "results_file", "started", "stderr", "stderr_lines",
            "stdout", "stdout_lines")


UNUSED_CREDENTIALS = ("HWCLOUD_SECURITY_TOKEN and OS_CLOUD are set in the environment but not used: the credentials come"
                      " from the task, and credentials are never combined from two sources")
UNUSED_IAM_ENDPOINT = ("HWCLOUD_IAM_ENDPOINT is set in the environment but not used: an endpoint from the environment is"
                       " used only with credentials of its own family, and the credentials come from the task")


def without_warnings(result):
    """The result without its warnings (and the invocation, whose options differ)."""
    return {key: value for key, value in result.items() if key not in ("warnings", "invocation")}


def sections(log):
    """``{case: (expected path, text of the task's section)}``."""
    found = {}
    parts = re.split(r"^TASK \[", log, flags=re.M)
    for part in parts[1:]:
        match = re.match(r"CASE (\S+) \[(in|module)\]", part)
        if match:
            found[match.group(1)] = (match.group(2), part)
    return found


def path_taken(text):
    # A module task that ansible-core refuses before it builds the payload (arguments it cannot encode) has no
    # AnsiballZ line; the plugin's own line says it went to the module path.
    in_process, module = IN_PROCESS in text, "AnsiballZ_" in text or MODULE_PATH in text
    if in_process == module:
        return "unclear (in-process marker %s, AnsiballZ line %s)" % (in_process, module)
    return "in" if in_process else "module"


def comparable(result):
    """The result without its volatile fields, and with the host's name (in a discovery warning) made the same."""
    text = json.dumps({key: value for key, value in result.items() if key not in VOLATILE}, sort_keys=True)
    return json.loads(re.sub(r"local-discovered-[ab]\b", "HOST", text))


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        log = handle.read()
    with open(sys.argv[2], encoding="utf-8") as handle:
        results = json.load(handle)
    problems = []
    cases = sections(log)
    for case, (expected, text) in sorted(cases.items()):
        taken = path_taken(text)
        if taken != expected:
            problems.append("%s: expected the %s path, took %s" % (case, expected, taken))
    if len(cases) < 20:
        problems.append("only %d CASE tasks in the output" % len(cases))
    for first, second in (("query_a", "query_b"), ("masked_a", "masked_b"), ("bad_option_a", "bad_option_b"), ("check_a", "check_b"),
                          ("environment_a", "environment_b"), ("proxy_a", "proxy_b"), ("query_a", "delegated_other"),
                          ("query_a", "with_become"), ("query_a", "environment_a"), ("discovered_a", "discovered_b"),
                          ("date_option_a", "date_option_b"), ("datetime_value_a", "datetime_value_b"), ("binary_value_a", "binary_value_b"),
                          ("unused_a", "unused_b"), ("unused_failed_a", "unused_failed_b")):
        if comparable(results[first]) != comparable(results[second]):
            left, right = (json.dumps(comparable(results[name]), sort_keys=True) for name in (first, second))
            problems.append("%s and %s differ:\n  %s\n  %s" % (first, second, left, right))
    expectations = [
        (results["query_a"].get("visualization_job", {}).get("job_id") == 101, "query_a read job 101"),
        ("requests" in results["delegated_bare"].get("msg", "") and results["delegated_bare"].get("failed"),
         "the interpreter without requests failed with missing_required_lib"),
        (results["with_async"].get("visualization_job", {}).get("job_id") == 101, "the async task read job 101"),
        ("Unsupported parameters" in results["bad_option_a"].get("msg", ""), "the bad option was refused by name"),
        (results["check_a"].get("visualization_job", {}).get("status_name") == "running", "check mode's would-be job runs"),
        # (before 2.22 ansible-core prints the key at -vvv: in the module's EXEC line (environment-B) and as the loop's item
        # (environment-loop); from 2.22 on it masks it, the key being registered)
        (not CORE_MASKS_SECRETS or SECRET_KEY not in log, "the secret key is in no output, on ansible-core 2.22 and later"),
        (CORE_MASKS_SECRETS or SECRET_KEY not in json.dumps(results["masked_a"]) + json.dumps(results["masked_b"]),
         "the secret in the job's description was masked in the results, before ansible-core 2.22 (masked_a, masked_b)"),
        ("no credentials" in results["no_environment"].get("msg", ""), "the task environment did not stay in the worker"),
        ("proxy" in results["proxy_a"].get("msg", ""), "the task environment's proxy was used"),
        ([item.get("failed", False) for item in results["environment_loop"].get("results", [])] == [False, True]
         and "no credentials" in results["environment_loop"]["results"][1].get("msg", ""),
         "in one worker, the first item's environment did not reach the second (environment_loop)"),
        (results["play_opt_out"].get("auth_method") == "password" and results["host_opt_out"].get("auth_method") == "password",
         "the opted-out auth tasks ran"),
        (results["date_option_a"].get("msg", "").startswith(
            "Unsupported parameters for (hwcloud.modelarts.modelarts_visualization_job_info) module: bogus, nested.")
         and all(key in results["date_option_a"] for key in ("status_code", "error_code", "request_id")),
         "the unknown options with date values were refused by name, with the failure keys (date_option_a)"),
        # (ansible-core 2.16 names the type only: a datetime object would be <class 'datetime.datetime'>)
        ("job_id" in results["datetime_value_a"].get("msg", "")
         and any(text in results["datetime_value_a"].get("msg", "") for text in ("'2024-01-01T10:00:00'", "of type <class 'str'>")),
         "the datetime reached the validation as the string 2024-01-01T10:00:00 and was refused naming job_id (datetime_value_a)"),
        (results["binary_value_a"].get("failed") and "serializ" in results["binary_value_a"].get("msg", ""),
         "binary failed the task as ansible-core fails it (binary_value_a)"),
        (results["discovered_a"].get("ansible_facts", {}).get(DISCOVERED)
         and results["discovered_a"].get("visualization_job", {}).get("job_id") == 101,
         "the host left to discovery ran on the worker path with the discovered interpreter's fact (discovered_a)"),
        ("requests" in results["discovered_bare"].get("msg", "") and results["discovered_bare"].get("failed")
         and results["discovered_bare"].get("ansible_facts", {}).get(DISCOVERED, "").endswith("/bare/bin/python"),
         "discovery found the interpreter without requests, and the module failed with missing_required_lib (discovered_bare)"),
        ("ansible_facts" not in results["discovered_again"] and results["discovered_again"].get("visualization_job", {}).get("job_id") == 101
         and results["discovered_facts"]["local-discovered-a"].get(DISCOVERED) == results["discovered_a"].get("ansible_facts", {}).get(DISCOVERED),
         "the discovered interpreter became the host's fact, and the next task did not discover again (discovered_again)"),
        (results["unused_a"].get("warnings") == [UNUSED_CREDENTIALS] and comparable(without_warnings(results["unused_a"]))
         == comparable(without_warnings(results["query_a"])), "the unused security token and OS_CLOUD were named, the result is query_a's (unused_a)"),
        (results["unused_failed_a"].get("warnings") == [UNUSED_IAM_ENDPOINT]
         and results["unused_failed_a"].get("msg") == "region is required unless modelarts_endpoint and iam_endpoint are given",
         "the unused HWCLOUD_IAM_ENDPOINT was named with the error (unused_failed_a)"),
        (not [name for name in results if name.startswith("unused") and "5b1d" in json.dumps(results[name])],
         "no value of an unused variable is in a result (unused_*)"),
    ]
    problems += ["expected: %s; got %s" % (what, {key: results[key] for key in results if key in what}) for ok, what in expectations if not ok]
    for problem in problems:
        print("FAIL " + problem)
    print("%d cases checked, %d problems" % (len(cases), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
