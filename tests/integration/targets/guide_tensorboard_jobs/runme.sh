#!/usr/bin/env bash
# Runs the playbook of docs/docsite/rst/guide_tensorboard_jobs.rst, exactly as the guide prints it,
# against the bundled emulator, then checks what it did (verify.yml).
set -euo pipefail

python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
# ansible-test runs this from a copy of the target: find the collection through ANSIBLE_COLLECTIONS_PATH
root=""
IFS=: read -ra collection_paths <<< "${ANSIBLE_COLLECTIONS_PATH:-}"
for path in "${collection_paths[@]}" ../../../../../../..; do
    if [ -f "$path/ansible_collections/hwcloud/modelarts/tests/emulator/emulator.py" ]; then
        root="$path/ansible_collections/hwcloud/modelarts"
        break
    fi
done
[ -n "$root" ] || { echo "hwcloud.modelarts not found in ANSIBLE_COLLECTIONS_PATH" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-guide-tensorboard.XXXXXX")"
cleanup() {
    [ -s "$work/pid" ] && kill "$(cat "$work/pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$python" "$root/tests/emulator/emulator.py" --port 0 --port-file "$work/port" --pid-file "$work/pid" \
    --lifetime 600 --transition-seconds 0.3 --log-file "$work/access.log" > "$work/emulator.out" 2>&1 &
for _ in $(seq 1 300); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/emulator.out"; exit 1; }
url="http://127.0.0.1:$(cat "$work/port")"

"$python" extract_playbook.py "$root/docs/docsite/rst/guide_tensorboard_jobs.rst" > "$work/tensorboard_jobs.yml"

# The guide's playbook takes its connection from the environment, as the guide says.
env -u HWCLOUD_AUTH_TOKEN \
    HWCLOUD_REGION=eu-de HWCLOUD_MODELARTS_ENDPOINT="$url" HWCLOUD_PROJECT_ID=5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00 \
    HWCLOUD_ACCESS_KEY=EMUAK0000000000000001 HWCLOUD_SECRET_KEY=emu-secret-key-0000000000000000000000000001 \
    ansible-playbook "$work/tensorboard_jobs.yml" -e training_output=/emu-bucket/guide/output/ "$@"

ansible-playbook verify.yml -e emulator_url="$url" "$@"
