# shellcheck shell=bash
# Source from a runme.sh target (with needs/target/setup_emulator in its aliases):
#   . ../setup_emulator/files/emulator.sh
#   start_emulator [emulator options...]   # sets EMULATOR_URL, EMULATOR_ROOT (the collection) and EMULATOR_WORK
#   emulator_admin POST faults '{"faults": [...]}'
# The emulator is stopped by its PID and its work directory removed when the shell exits.

EMULATOR_PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
# ansible-test turns deprecation warnings off for what it runs; the warning gate (tests/warning_scan.py) must see them.
export ANSIBLE_DEPRECATION_WARNINGS=true
# The variables of tests/integration/integration_config.yml, which ansible-test gives role targets only
# (the integration gate sets hwcloud_modelarts_in_process there): pass "${INTEGRATION_VARS[@]}" to ansible-playbook.
# shellcheck disable=SC2034 # used by the scripts that source this file
INTEGRATION_VARS=()
if [ -f ../../integration_config.yml ]; then
    # shellcheck disable=SC2034 # used by the scripts that source this file
    INTEGRATION_VARS=(-e "@$(cd ../.. && pwd)/integration_config.yml")
fi

_find_collection() {
    # ansible-test runs the target from a copy: find the collection through ANSIBLE_COLLECTIONS_PATH
    local path
    IFS=: read -ra collection_paths <<< "${ANSIBLE_COLLECTIONS_PATH:-}"
    for path in "${collection_paths[@]}" ../../../../../../..; do
        if [ -f "$path/ansible_collections/hwcloud/modelarts/tests/emulator/emulator.py" ]; then
            printf '%s\n' "$path/ansible_collections/hwcloud/modelarts"
            return 0
        fi
    done
    echo "hwcloud.modelarts not found in ANSIBLE_COLLECTIONS_PATH" >&2
    return 1
}

_stop_emulator() {
    if [ -s "$EMULATOR_WORK/pid" ]; then
        kill "$(cat "$EMULATOR_WORK/pid")" 2>/dev/null || true
    fi
    rm -rf "$EMULATOR_WORK"
}

start_emulator() {
    EMULATOR_ROOT="$(_find_collection)"
    EMULATOR_WORK="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-emulator.XXXXXX")"
    trap _stop_emulator EXIT
    "$EMULATOR_PYTHON" "$EMULATOR_ROOT/tests/emulator/emulator.py" --port 0 --port-file "$EMULATOR_WORK/port" \
        --pid-file "$EMULATOR_WORK/pid" --lifetime 600 --log-file "$EMULATOR_WORK/access.log" "$@" \
        > "$EMULATOR_WORK/emulator.out" 2>&1 &
    local _
    for _ in $(seq 1 300); do [ -s "$EMULATOR_WORK/port" ] && break; sleep 0.1; done
    [ -s "$EMULATOR_WORK/port" ] || { cat "$EMULATOR_WORK/emulator.out"; return 1; }
    EMULATOR_URL="http://127.0.0.1:$(cat "$EMULATOR_WORK/port")"
    export EMULATOR_URL EMULATOR_ROOT EMULATOR_WORK
}

emulator_admin() { # METHOD CALL [JSON BODY]: print the answer
    "$EMULATOR_PYTHON" - "$EMULATOR_URL/__emulator__/$2" "$1" "${3:-}" <<'PY'
import sys, urllib.request
url, method, body = sys.argv[1:4]
request = urllib.request.Request(url, data=body.encode() if body else None, method=method,
                                 headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=10) as answer:  # nosec B310 - loopback emulator
    print(answer.read().decode())
PY
}
