#!/usr/bin/env bash
# Secrets learned at run time stay out of every output: a token hwcloud.modelarts.auth is issued, and a secret key
# read from the environment (HWCLOUD_SECRET_KEY) and echoed back by the server in a result. token.yml runs three
# times, each with its own issued token: at -vvvv (and a log file), with ANSIBLE_DEBUG=1, and with the default
# callback's JSON results; check_output.py then looks for every token the emulator issued, and for the secret key,
# in everything printed or logged (without printing them itself).
#
# On ansible-core 2.22 and later the collection registers these secrets with ansible-core, which masks them wherever
# it prints: the auth task runs without no_log, its result is printed with debug (var= and msg=), and a job whose
# description holds the token is read back. Older cores cannot mask a value they were not told about: there the auth
# task keeps no_log (as its documentation asks), the 2.22-only tasks are skipped, and the output must still hold
# neither secret (the collection's own masking: no_log options, and no_log values masked in every result).
set -euo pipefail
# shellcheck source=../setup_emulator/files/emulator.sh
. ../setup_emulator/files/emulator.sh
start_emulator --transition-seconds 0.3

if "$EMULATOR_PYTHON" -c 'import ansible.module_utils.secrets' 2>/dev/null; then
    core_masks=true
    echo "ansible-core has ansible.module_utils.secrets: the 2.22-only cases (no no_log, debug, a token in a result) run"
else
    core_masks=false
    echo "ansible-core has no ansible.module_utils.secrets (before 2.22): the 2.22-only cases are skipped"
fi

in_process=true
if [ "${#INTEGRATION_VARS[@]}" -gt 0 ] && grep -q '^hwcloud_modelarts_in_process: false' ../../integration_config.yml; then
    in_process=false
fi

# A job whose description holds the secret key the query below reads from the environment (seeded here, not by
# the playbook: no task argument of the nested runs holds the key).
echo_job="$(emulator_admin POST jobs '{"jobs": [{"job_name": "tb-echo-env", "status": 8,
    "job_desc": "key emu-secret-key-0000000000000000000000000001 here"}]}' |
    "$EMULATOR_PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["job_ids"][0])')"

run() { # NAME [ansible-playbook options]: one nested run, its output in $EMULATOR_WORK/NAME.out
    local name="$1"
    shift
    HWCLOUD_ACCESS_KEY=EMUAK0000000000000001 HWCLOUD_SECRET_KEY=emu-secret-key-0000000000000000000000000001 \
    ANSIBLE_LOOKUP_PLUGINS="$(cd ../setup_emulator/lookup_plugins && pwd)" \
        ansible-playbook -i inventory.ini token.yml -e emulator_url="$EMULATOR_URL" -e "{\"core_masks\": $core_masks}" \
        -e echo_job="$echo_job" "${INTEGRATION_VARS[@]}" "$@" > "$EMULATOR_WORK/$name.out" 2>&1 ||
        { echo "the $name run failed (its output is not shown: it may hold the secrets)"; exit 1; }
}

ANSIBLE_LOG_PATH="$EMULATOR_WORK/ansible.log" run vvvv -vvvv
ANSIBLE_DEBUG=1 run debug -v
ANSIBLE_STDOUT_CALLBACK=ansible.builtin.default ANSIBLE_CALLBACK_RESULT_FORMAT=json run json -v

emulator_admin GET tokens > "$EMULATOR_WORK/tokens.json"
"$EMULATOR_PYTHON" check_output.py "$EMULATOR_ROOT/tests/warning_scan.py" "$EMULATOR_WORK/tokens.json" "$core_masks" "$in_process" \
    "$EMULATOR_WORK/vvvv.out" "$EMULATOR_WORK/ansible.log" "$EMULATOR_WORK/debug.out" "$EMULATOR_WORK/json.out"
