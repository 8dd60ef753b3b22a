# shellcheck shell=bash
# Common helpers for the tools/*.sh scripts. Source it; do not execute it.
#
# Everything is computed from this file's location, so the scripts work from any
# clone (CI uses a fresh clone in another folder) and no absolute path is stored.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export REPO_ROOT

COLLECTION_NAMESPACE=hwcloud
COLLECTION_NAME=modelarts

VENV_DIR="${REPO_ROOT}/.venv"
# "<core> <python minor>": one line per supported ansible-core (tests/requirements-core-<core>.txt)
# shellcheck disable=SC2034  # used by the scripts that source this file
CORE_MATRIX=(
    "2.16 3.11"
    "2.17 3.10"
    "2.18 3.13"
    "2.19 3.11"
    "2.20 3.12"
    "2.21 3.12"
    "2.22 3.13"
)
# Python versions ansible-test sanity (compile/import) should find on PATH.
SANITY_PYTHONS=(3.9 3.10 3.11 3.12 3.13)

export LC_ALL="${LC_ALL:-C.UTF-8}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
export ANSIBLE_NOCOLOR="${ANSIBLE_NOCOLOR:-1}"
export PY_COLORS="${PY_COLORS:-0}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

venv_path() { # core version -> venv directory
    printf '%s/core%s\n' "$VENV_DIR" "$1"
}

# find_python 3.12 -> absolute path of a *real* interpreter for that minor version.
# pyenv shims exit 127 for versions that are not selected, so never return a shim.
find_python() {
    local minor="$1" candidate prefix
    local -a candidates=()
    local root="${PYENV_ROOT:-$HOME/.pyenv}"
    if command -v pyenv >/dev/null 2>&1; then
        # `pyenv prefix 3.12` resolves the newest installed 3.12.x
        if prefix="$(pyenv prefix "$minor" 2>/dev/null)" && [ -n "$prefix" ]; then
            candidates+=("${prefix%%:*}/bin/python${minor}" "${prefix%%:*}/bin/python")
        fi
        root="$(pyenv root 2>/dev/null || printf '%s' "$root")"
    fi
    # pyenv's versions even when the pyenv command is not on PATH (newest patch release first)
    while IFS= read -r candidate; do
        [ -n "$candidate" ] && candidates+=("$candidate")
    done < <(compgen -G "$root/versions/$minor.*/bin/python$minor" | sort -V -r)
    candidate="$(command -v "python${minor}" 2>/dev/null || true)"
    [ -n "$candidate" ] && candidates+=("$candidate")
    for candidate in /usr/bin/python"$minor" /usr/local/bin/python"$minor"; do
        candidates+=("$candidate")
    done
    for candidate in "${candidates[@]}"; do
        [ -x "$candidate" ] || continue
        # resolve symlinks/shims by asking the interpreter itself
        local real
        if real="$("$candidate" -c 'import sys; print(sys.executable) if "%d.%d" % sys.version_info[:2] == sys.argv[1] else sys.exit(3)' "$minor" 2>/dev/null)" \
            && [ -n "$real" ] && [[ "$real" != */shims/* ]]; then
            printf '%s\n' "$real"
            return 0
        fi
    done
    return 1
}

# PATH prefix with the bin dirs of every real interpreter in SANITY_PYTHONS that exists.
sanity_python_path() {
    local minor py out=""
    for minor in "${SANITY_PYTHONS[@]}"; do
        if py="$(find_python "$minor")"; then
            out="${out:+$out:}$(dirname "$py")"
        else
            log "warning: no real Python ${minor} found; ansible-test will skip it"
        fi
    done
    printf '%s\n' "$out"
}

# PATH without pyenv shims (they break ansible-test's interpreter discovery)
path_without_shims() {
    local IFS=: part out=""
    for part in $PATH; do
        case "$part" in */shims) continue ;; esac
        out="${out:+$out:}$part"
    done
    printf '%s\n' "$out"
}

# Symlink farm for ansible-playbook/ansible-runner: <dir>/ansible_collections/hwcloud/modelarts -> live tree.
# Lives outside the repo (a link inside would loop for linters and ansible-test).
collections_path() {
    local key base
    key="$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)"
    base="${TMPDIR:-/tmp}/hwcloud-modelarts-colls-$(id -u)-${key}"
    mkdir -p "$base/ansible_collections/$COLLECTION_NAMESPACE"
    local link="$base/ansible_collections/$COLLECTION_NAMESPACE/$COLLECTION_NAME"
    if [ "$(readlink "$link" 2>/dev/null)" != "$REPO_ROOT" ]; then
        rm -rf "$link"
        ln -s "$REPO_ROOT" "$link"
    fi
    printf '%s\n' "$base"
}

# start_emulator WORKDIR PYTHON [extra emulator args...]
# Starts tests/emulator/emulator.py on a free loopback port in the background and sets
# EMULATOR_PID, EMULATOR_PORT and EMULATOR_URL. Stop it with stop_emulator.
start_emulator() {
    local workdir="$1" python="$2" i
    shift 2
    mkdir -p "$workdir"
    rm -f "$workdir/port"
    "$python" "$REPO_ROOT/tests/emulator/emulator.py" --port 0 --port-file "$workdir/port" \
        --lifetime "${EMULATOR_LIFETIME:-900}" --log-file "$workdir/access.log" "$@" \
        >"$workdir/emulator.out" 2>&1 &
    EMULATOR_PID=$!
    for i in $(seq 1 300); do
        [ -s "$workdir/port" ] && break
        if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
            cat "$workdir/emulator.out" >&2
            die "the emulator exited before listening"
        fi
        sleep 0.1
    done
    [ -s "$workdir/port" ] || die "the emulator did not write its port file within 30s (try $i)"
    EMULATOR_PORT="$(tr -d '[:space:]' <"$workdir/port")"
    local scheme=http
    for i in "$@"; do [ "$i" = "--tls" ] && scheme=https; done
    EMULATOR_URL="$scheme://127.0.0.1:$EMULATOR_PORT"
    export EMULATOR_PID EMULATOR_PORT EMULATOR_URL
    log "emulator pid $EMULATOR_PID listening on $EMULATOR_URL"
}

# stop_emulator: SIGTERM the emulator started by start_emulator (by its PID), wait for it.
stop_emulator() {
    [ -n "${EMULATOR_PID:-}" ] || return 0
    if kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill -TERM "$EMULATOR_PID" 2>/dev/null || true
        local i
        for i in $(seq 1 50); do
            kill -0 "$EMULATOR_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$EMULATOR_PID" 2>/dev/null && kill -KILL "$EMULATOR_PID" 2>/dev/null
        wait "$EMULATOR_PID" 2>/dev/null || true
        log "emulator pid $EMULATOR_PID stopped"
    fi
    EMULATOR_PID=
}

# galaxy_importer TARBALL WORKDIR: galaxy-importer (tools venv, tests/galaxy-importer.cfg) on TARBALL, run in
# WORKDIR (it writes importer_result.json there), its output shown and kept in WORKDIR/importer.log. Fails when
# the importer fails or prints any ERROR or WARNING line, or does not list every module and the event source with
# their options and examples (tests/galaxy/check_importer_result.py): the gate galaxy-importer and tools/release.sh.
galaxy_importer() {
    local tarball="$1" work="$2" rc=0
    mkdir -p "$work"
    (cd "$work" && GALAXY_IMPORTER_CONFIG="$REPO_ROOT/tests/galaxy-importer.cfg" \
        ANSIBLE_COLLECTIONS_PATH="$(collections_path)" PATH="$(venv_path 2.21)/bin:$(path_without_shims)" \
        python -m galaxy_importer.main "$tarball") 2>&1 | tee "$work/importer.log" || rc=1
    if grep -nE '(^|[^A-Za-z])(ERROR|WARNING)([^A-Za-z]|$)' "$work/importer.log"; then
        echo "galaxy-importer reported the ERROR/WARNING lines above"
        rc=1
    fi
    # what Galaxy and Automation Hub would list and render (grepping for ERROR/WARNING does not show that)
    "$(venv_path 2.21)/bin/python" "$REPO_ROOT/tests/galaxy/check_importer_result.py" "$work/importer_result.json" \
        "$REPO_ROOT" || rc=1
    return "$rc"
}
