#!/usr/bin/env bash
# Which path runs a task: the module's run() in the controller's worker (in-process), or the module through
# AnsiballZ, as for any other action. Every fallback case of plugins/plugin_utils/_in_process.py is run with -vvv;
# check_paths.py reads the output and asserts the path of each task (the module path leaves an AnsiballZ line)
# and that both paths gave the same results.
set -euo pipefail
# shellcheck source=../setup_emulator/files/emulator.sh
. ../setup_emulator/files/emulator.sh
start_emulator --transition-seconds 0.3

python_bin="$(command -v "$EMULATOR_PYTHON")"
# Another interpreter that has what the module needs: a wrapper around this one (it is not the controller's own).
mkdir -p "$EMULATOR_WORK/other"
printf '#!/bin/sh\nexec %s "$@"\n' "$python_bin" > "$EMULATOR_WORK/other/python"
chmod +x "$EMULATOR_WORK/other/python"
# And one without requests: a bare virtual environment.
"$python_bin" -m venv --without-pip "$EMULATOR_WORK/bare"

cat > "$EMULATOR_WORK/inventory.ini" <<INI
[controller]
local-own ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
local-opted-out ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}" hwcloud_modelarts_in_process=false
local-other ansible_connection=local ansible_python_interpreter=$EMULATOR_WORK/other/python
local-bare ansible_connection=local ansible_python_interpreter=$EMULATOR_WORK/bare/bin/python

# Left to interpreter discovery, as a host without ansible_python_interpreter is in AWX inventories (here the
# variable says auto: ansible-test sets ANSIBLE_PYTHON_INTERPRETER for integration tests, where AWX leaves core's
# default, auto). The fallback list makes discovery find this interpreter, or the one without requests.
[discovered]
local-discovered-a ansible_interpreter_python_fallback='["$python_bin"]'
local-discovered-b ansible_interpreter_python_fallback='["$python_bin"]' hwcloud_modelarts_in_process=false
local-discovered-bare ansible_interpreter_python_fallback='["$EMULATOR_WORK/bare/bin/python"]'

[discovered:vars]
ansible_connection=local
ansible_python_interpreter=auto
INI

ANSIBLE_LOOKUP_PLUGINS="$(cd ../setup_emulator/lookup_plugins && pwd)" \
    ansible-playbook -i "$EMULATOR_WORK/inventory.ini" paths.yml -e emulator_url="$EMULATOR_URL" -vvv "$@" \
    > "$EMULATOR_WORK/paths.log" 2>&1 || { tail -n 80 "$EMULATOR_WORK/paths.log"; exit 1; }
# The output went to a file, not to ansible-test's: the warning gate's scan (tests/warning_scan.py) runs here.
rc=0
"$EMULATOR_PYTHON" "$EMULATOR_ROOT/tests/warning_scan.py" "$EMULATOR_WORK/paths.log" || rc=1
"$EMULATOR_PYTHON" check_paths.py "$EMULATOR_WORK/paths.log" "$EMULATOR_WORK/results.json" || rc=1
exit "$rc"
