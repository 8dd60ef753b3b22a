#!/usr/bin/env bash
# Run the benchmark of the collection (bench/run.py; `make bench`).
#
#   tools/bench.sh                 # full run: installs the SDK venv if needed, ~10 minutes
#   tools/bench.sh --small         # CI smoke run: asserts the request counts, never timings (~20 s)
#   tools/bench.sh --no-sdk ...    # skip the Huawei Cloud SDK comparison
#   BENCH_CORE=2.19 tools/bench.sh # benchmark on the ansible-core 2.19 / Python 3.11 venv
#   other arguments go to bench/run.py (see `tools/bench.sh --help`)
#
# The Ansible side runs in .venv/core<BENCH_CORE> (tools/bootstrap.sh). The SDK of the comparison
# (bench/requirements.txt, ~30 MB) goes into its own venv, .venv/bench-core<BENCH_CORE>, made
# from the same interpreter and kept while its stamp (requirements, interpreter, this script)
# matches. A full run installs it; --small uses it only if it is already there (or with --sdk).
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CORE="${BENCH_CORE:-2.21}"
CORE_VENV="$(venv_path "$CORE")"
SDK_VENV="$VENV_DIR/bench-core${CORE}"
SDK_REQUIREMENTS="$REPO_ROOT/bench/requirements.txt"

sdk_stamp() { # -> hash of what the SDK venv depends on
    {
        "$CORE_VENV/bin/python" -c 'import sys; print(sys.version)'
        sha256sum "$SDK_REQUIREMENTS" "${BASH_SOURCE[0]}" | cut -d' ' -f1
    } | sha256sum | cut -d' ' -f1
}

sdk_ready() {
    [ -f "$SDK_VENV/.bench-stamp" ] && [ "$(cat "$SDK_VENV/.bench-stamp")" = "$(sdk_stamp)" ] \
        && "$SDK_VENV/bin/python" -c 'import huaweicloudsdkcore, huaweicloudsdkmodelarts' >/dev/null 2>&1
}

install_sdk() {
    local logfile="$VENV_DIR/bench-core${CORE}.log" start=$SECONDS
    log "creating ${SDK_VENV#"$REPO_ROOT"/} with bench/requirements.txt"
    rm -rf "$SDK_VENV"
    "$CORE_VENV/bin/python" -m venv "$SDK_VENV"
    if ! "$SDK_VENV/bin/python" -m pip install --disable-pip-version-check -r "$SDK_REQUIREMENTS" >"$logfile" 2>&1; then
        tail -n 30 "$logfile" >&2
        rm -rf "$SDK_VENV"
        return 1
    fi
    sdk_stamp >"$SDK_VENV/.bench-stamp"
    log "SDK venv ready in $((SECONDS - start))s"
}

main() {
    local small=0 sdk=auto arg
    local -a pass=()
    for arg in "$@"; do
        case "$arg" in
            --small) small=1; pass+=("$arg") ;;
            --sdk) sdk=yes ;;
            --no-sdk) sdk=no ;;
            *) pass+=("$arg") ;;
        esac
    done
    if [ "$sdk" = auto ]; then
        if [ "$small" = 1 ]; then sdk=if-ready; else sdk=yes; fi
    fi

    mkdir -p "$VENV_DIR"
    "$REPO_ROOT/tools/bootstrap.sh" "$CORE" >&2
    # Hold tools/bootstrap.sh's lock (shared) until the benchmark ends, so that no bootstrap
    # rebuilds the venv under a run; a bootstrap started meanwhile waits for the end.
    exec 8>>"$VENV_DIR/.bootstrap.lock"
    flock -s 8
    "$CORE_VENV/bin/python" -c 'import ansible, requests' 2>/dev/null && [ -x "$CORE_VENV/bin/ansible-playbook" ] \
        || die "${CORE_VENV#"$REPO_ROOT"/} is incomplete (run tools/bootstrap.sh ${CORE})"

    local -a sdk_args=()
    exec 9>"$VENV_DIR/.bench.lock"
    flock 9
    case "$sdk" in
        yes)
            sdk_ready || install_sdk || die "could not install bench/requirements.txt (use --no-sdk to skip the SDK)"
            sdk_args=(--sdk-python "$SDK_VENV/bin/python")
            ;;
        if-ready)
            if sdk_ready; then
                sdk_args=(--sdk-python "$SDK_VENV/bin/python")
            else
                log "the SDK venv is not installed: skipping the SDK comparison (tools/bench.sh --small --sdk installs it)"
            fi
            ;;
    esac
    flock -u 9

    cd "$REPO_ROOT"
    exec "$CORE_VENV/bin/python" "$REPO_ROOT/bench/run.py" "${sdk_args[@]}" "${pass[@]}"
}

main "$@"
