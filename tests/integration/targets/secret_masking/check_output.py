# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check that no secret of token.yml's runs appears in what they printed or logged; never print a secret.

    python check_output.py WARNING_SCAN TOKENS_JSON CORE_MASKS IN_PROCESS OUTPUT...

WARNING_SCAN is the gates' warning scanner (the collection's tests/warning_scan.py): it finds a warning whole,
wrapped at the terminal width or inside JSON, as each core prints it.

TOKENS_JSON is the emulator's ``GET tokens`` answer (every token it issued); CORE_MASKS is true when ansible-core
masks registered secrets (2.22 and later); IN_PROCESS is false for the module path. Each token is looked for
literally and JSON-escaped, and so is the secret key the runs read from HWCLOUD_SECRET_KEY. No output may hold a
``[WARNING]`` or ``[DEPRECATION WARNING]`` but one: the tasks that take their credentials from the task say that
they leave HWCLOUD_ACCESS_KEY and HWCLOUD_SECRET_KEY unused (EXPECTED_WARNING, the collection's own, by name only).

Two echoes of ANSIBLE_DEBUG are not looked at, on the module path only. ansible-core echoes a module's raw stdout
(``_low_level_execute_command() done: rc=0, stdout=...``) before it reads the secrets the module registered
(``_ansible_new_secrets``), so a token the module was issued is printed there in clear on every core; and before
2.22 it echoes a module's arguments (``done with _execute_module (name, {...})``), no_log options included (2.22
masks them there: the controller registered the token). ansible-core documents debug output as not safe for
secrets (DEFAULT_DEBUG). The worker path has neither echo, and its output is checked whole.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys


SECRET_KEY = "emu-secret-key-0000000000000000000000000001"
PLACEHOLDER = "$REDACTED$"
MODULE_STDOUT_ECHO = re.compile(r"_low_level_execute_command\(\) done: rc=-?\d+, stdout=.*?, stderr=", re.S)
MODULE_ARGUMENTS_ECHO = re.compile(r"done with _execute_module \(.*$", re.M)
EXPECTED_WARNING = ("HWCLOUD_ACCESS_KEY and HWCLOUD_SECRET_KEY are set in the environment but not used: the credentials"
                    " come from the task, and credentials are never combined from two sources")


def forms(value):
    return {value, json.dumps(value)[1:-1]}


def _load_warning_scan(path):
    """The warning scanner module at ``path``."""
    spec = importlib.util.spec_from_file_location("hwcloud_modelarts_warning_scan", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    warning_scan = _load_warning_scan(sys.argv.pop(1))
    with open(sys.argv[1], encoding="utf-8") as handle:
        tokens = json.load(handle)["tokens"]
    core_masks = sys.argv[2] == "true"
    in_process = sys.argv[3] == "true"
    paths = sys.argv[4:]
    outputs = {}
    echoes = 0
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            outputs[path] = handle.read()
        if not in_process:
            outputs[path], found = MODULE_STDOUT_ECHO.subn("_low_level_execute_command() done: (not checked)", outputs[path])
            echoes += found
        if not in_process and not core_masks:
            outputs[path], found = MODULE_ARGUMENTS_ECHO.subn("done with _execute_module (not checked)", outputs[path])
            echoes += found
    problems = []
    # one token per run: the auth task's (a query with auth_token is not issued another)
    if len(tokens) != 3:
        problems.append("expected 3 issued tokens (one per run), the emulator issued %d" % len(tokens))
    secrets = [("token #%d" % number, token) for number, token in enumerate(tokens, 1)] + [("HWCLOUD_SECRET_KEY", SECRET_KEY)]
    for path, text in sorted(outputs.items()):
        if not text.strip():
            problems.append("%s is empty" % path)
        # no warning of ansible-core (the worker path called the deprecated remove_values() on 2.22)
        problems += [str(finding) for finding in warning_scan.scan_text(path, text)
                     if finding.kind != warning_scan.WARNING or not finding.text.startswith(EXPECTED_WARNING)]
        for name, secret in secrets:
            if any(form in text for form in forms(secret)):
                problems.append("%s appears in %s" % (name, path))
    if core_masks:
        # The 2.22-only tasks ran and printed the masked token (so the checks above looked at printed results).
        for path in paths:
            if PLACEHOLDER not in outputs[path]:
                problems.append("%s has no %s: ansible-core masked nothing" % (path, PLACEHOLDER))
        if "2.22 only: print the token itself" not in outputs[paths[0]]:
            problems.append("the 2.22-only tasks did not run")
    if echoes:
        print("module path: %d ANSIBLE_DEBUG echoes of a module's raw stdout%s not checked (ansible-core prints them before it"
              " knows the module's secrets)" % (echoes, "" if core_masks else " or arguments"))
    for problem in problems:
        print("FAIL " + problem)
    print("%d outputs checked for %d secrets, %d problems (%s)" % (
        len(outputs), len(secrets), len(problems),
        "ansible-core masks registered secrets" if core_masks else "before ansible-core 2.22: the collection's masking"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
