#!/usr/bin/env bash
# Runs the playbook of docs/docsite/rst/guide_tensorboard_jobs.rst, exactly as the guide prints it, against the
# bundled emulator: first in check mode (AWX's "Check" job type), which must pass and write nothing, then for
# real; verify.yml checks what each did.
set -euo pipefail
# shellcheck source=../setup_emulator/files/emulator.sh
. ../setup_emulator/files/emulator.sh
start_emulator --transition-seconds 0.3

"$EMULATOR_PYTHON" extract_playbook.py "$EMULATOR_ROOT/docs/docsite/rst/guide_tensorboard_jobs.rst" \
    > "$EMULATOR_WORK/tensorboard_jobs.yml"

# The guide's playbook takes its connection from the environment, as the guide says.
run_guide() {
    env -u HWCLOUD_AUTH_TOKEN \
        HWCLOUD_REGION=eu-de HWCLOUD_MODELARTS_ENDPOINT="$EMULATOR_URL" HWCLOUD_PROJECT_ID=5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00 \
        HWCLOUD_ACCESS_KEY=EMUAK0000000000000001 HWCLOUD_SECRET_KEY=emu-secret-key-0000000000000000000000000001 \
        ansible-playbook -i inventory.ini "$EMULATOR_WORK/tensorboard_jobs.yml" -e training_output=/emu-bucket/guide/output/ \
        "${INTEGRATION_VARS[@]}" "$@"
}

run_guide --check "$@"
ansible-playbook -i inventory.ini verify.yml -e emulator_url="$EMULATOR_URL" -e guide_mode=check "${INTEGRATION_VARS[@]}" "$@"
emulator_admin POST reset '{}' > /dev/null
run_guide "$@"
ansible-playbook -i inventory.ini verify.yml -e emulator_url="$EMULATOR_URL" -e guide_mode=real "${INTEGRATION_VARS[@]}" "$@"
