#!/usr/bin/env bash
# `make live`: the live-cloud check for maintainers (docs/docsite/rst/guide_contributing.rst).
#
# Runs tests/live/read.yml (and, with HWCLOUD_LIVE_WRITE=1, tests/live/write.yml), with the light
# venv of `make demo` (ansible-core and requests on any Python 3.10-3.13), against the
# cloud the environment's credentials point at: HWCLOUD_* (or HUAWEICLOUD_SDK_*, OS_*) variables,
# or a clouds.yaml profile (OS_CLOUD, OS_CLIENT_CONFIG_FILE, or a clouds.yaml where openstacksdk
# looks). Without credentials it prints "skipped: no credentials" and exits 0.
# What the runs observe is written to tests/output/live/<time>/.
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

has_credentials() {
    local name file
    for name in HWCLOUD_AUTH_TOKEN HWCLOUD_ACCESS_KEY HWCLOUD_USERNAME HUAWEICLOUD_SDK_AK \
        OS_AUTH_TOKEN OS_ACCESS_KEY OS_USERNAME OS_CLOUD OS_CLIENT_CONFIG_FILE; do
        [ -n "${!name:-}" ] && return 0
    done
    for file in ./clouds.yaml "$HOME/.config/openstack/clouds.yaml" /etc/openstack/clouds.yaml; do
        [ -f "$file" ] && return 0
    done
    return 1
}

if ! has_credentials; then
    echo "skipped: no credentials (set HWCLOUD_* variables or a clouds.yaml profile; see guide_contributing.rst)"
    exit 0
fi
playbooks=(tests/live/read.yml)
if [ "${HWCLOUD_LIVE_WRITE:-0}" = 1 ]; then
    [ -n "${HWCLOUD_LIVE_TRAIN_URL:-}" ] || die "HWCLOUD_LIVE_WRITE=1 needs HWCLOUD_LIVE_TRAIN_URL (an OBS path with training output)"
    playbooks+=(tests/live/write.yml)
fi

# shellcheck source=tools/light-venv.sh
. "$REPO_ROOT/tools/light-venv.sh"
ensure_demo_venv "$(demo_python)"
PATH="$DEMO_VENV/bin:$(path_without_shims)"
ANSIBLE_COLLECTIONS_PATH="$(collections_path)"
LIVE_REPORT_DIR="${LIVE_REPORT_DIR:-$REPO_ROOT/tests/output/live/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$LIVE_REPORT_DIR"
export PATH ANSIBLE_COLLECTIONS_PATH LIVE_REPORT_DIR
export ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False
cd "$REPO_ROOT"
for playbook in "${playbooks[@]}"; do
    log "running $playbook"
    ansible-playbook "$playbook"
done
log "observations in ${LIVE_REPORT_DIR#"$REPO_ROOT"/}"
