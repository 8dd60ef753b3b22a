#!/usr/bin/env bash
# `make demo`: run demo/demo.yml against the bundled ModelArts emulator.
#
#   tools/demo.sh [ansible-playbook args...]    e.g. tools/demo.sh -e demo_job_name=tb-bert-base
#
# Sets up the ansible-core 2.21 venv if needed (tools/bootstrap.sh 2.21), starts
# tests/emulator/emulator.py on a free loopback port, runs the playbook with the
# live tree as hwcloud.modelarts, and stops the emulator by its PID on exit.
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$REPO_ROOT/tools/bootstrap.sh" 2.21
VENV="$(venv_path 2.21)"
PATH="$VENV/bin:$(path_without_shims)"
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

EMULATOR_LIFETIME=600 start_emulator "$WORK/emulator" "$VENV/bin/python" --max-requests 1000
cd "$REPO_ROOT"
ansible-playbook demo/demo.yml "$@"
