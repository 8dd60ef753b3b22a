#!/usr/bin/env bash
# `make demo`: run demo/demo.yml against the bundled ModelArts emulator.
#
#   tools/demo.sh [ansible-playbook args...]    e.g. tools/demo.sh -e demo_job_name=tb-bert-base
#   tools/demo.sh --which-python                print the interpreter the demo would use, and exit
#
# Needs one Python 3.10 to 3.13 and PyPI, nothing else: `python3` on PATH when it is one of
# those, else the newest of python3.13 ... python3.10 on PATH (DEMO_PYTHON=/path/to/python
# picks one). The first run creates .venv/demo (DEMO_VENV overrides) with only what
# tests/requirements-demo.txt names: ansible-core, the newest release that Python supports,
# and requests. Later runs reuse it while the interpreter and the requirement files stay the same.
# Then it starts tests/emulator/emulator.py on a free loopback port, runs the playbook with
# the live tree as hwcloud.modelarts, and stops the emulator by its PID on exit.
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# shellcheck source=tools/light-venv.sh
. "$(dirname "${BASH_SOURCE[0]}")/light-venv.sh"

PYTHON="$(demo_python)"
if [ "${1:-}" = "--which-python" ]; then
    printf '%s\n' "$PYTHON"
    exit 0
fi
ensure_demo_venv "$PYTHON"
log "demo: $("$DEMO_VENV/bin/python" -V 2>&1) from ${PYTHON}, ansible-core $("$DEMO_VENV/bin/python" -c 'from ansible.release import __version__; print(__version__)')"

PATH="$DEMO_VENV/bin:$(path_without_shims)"
export PATH
ANSIBLE_COLLECTIONS_PATH="$(collections_path)"
export ANSIBLE_COLLECTIONS_PATH
# no inventory: the implicit localhost runs modules with this venv's Python (which has requests)
export ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False
export ANSIBLE_FORCE_COLOR="${ANSIBLE_FORCE_COLOR:-0}"
# credentials come from the playbook only: drop any from the caller's environment
while IFS='=' read -r name _; do
    case "$name" in HWCLOUD_* | OS_* | HUAWEICLOUD_SDK_*) unset "$name" ;; esac
done < <(env)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-demo.XXXXXX")"
# shellcheck disable=SC2329  # invoked by the EXIT trap
cleanup() {
    stop_emulator
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

EMULATOR_LIFETIME=600 start_emulator "$WORK/emulator" "$DEMO_VENV/bin/python" --max-requests 1000
cd "$REPO_ROOT"
ansible-playbook demo/demo.yml "$@"
