# shellcheck shell=bash
# The light virtual environment of `make demo` and `make live`: one Python 3.10 to 3.13 and
# only ansible-core and requests (tests/requirements-demo.txt). Source it after tools/lib.sh;
# see tools/demo.sh for how the interpreter is chosen (DEMO_PYTHON, DEMO_VENV override).

DEMO_MIN=3.10
DEMO_MAX=3.13
DEMO_REQUIREMENTS=(tests/requirements-demo.txt requirements.txt)
DEMO_VENV="${DEMO_VENV:-$VENV_DIR/demo}"

# supported_python CANDIDATE -> the real interpreter behind it (pyenv shims run the selected
# version) when it is Python DEMO_MIN to DEMO_MAX; fails otherwise.
supported_python() {
    local real
    real="$("$1" - "$DEMO_MIN" "$DEMO_MAX" 2>/dev/null <<'PY'
import sys
low, high = (tuple(int(part) for part in arg.split(".")) for arg in sys.argv[1:3])
if not low <= sys.version_info[:2] <= high:
    sys.exit(3)
print(sys.executable)
PY
)" || return 1
    [ -n "$real" ] && [ -x "$real" ] && printf '%s\n' "$real"
}

# demo_python -> the interpreter to build the demo venv from (see the header)
demo_python() {
    local name candidate minor
    if [ -n "${DEMO_PYTHON:-}" ]; then
        supported_python "$DEMO_PYTHON" && return 0
        die "DEMO_PYTHON=${DEMO_PYTHON} is not a Python ${DEMO_MIN} to ${DEMO_MAX} interpreter"
    fi
    local -a names=(python3)
    for minor in 13 12 11 10; do names+=("python3.${minor}"); done
    for name in "${names[@]}"; do
        candidate="$(command -v "$name" 2>/dev/null)" || continue
        supported_python "$candidate" && return 0
    done
    die "make demo needs Python ${DEMO_MIN} to ${DEMO_MAX} on PATH (tried: ${names[*]}); install one, e.g. from" \
        "your distribution or with \`pyenv install 3.12\`, or point DEMO_PYTHON at one"
}

demo_stamp() { # python -> hash of what the venv depends on: interpreter, its version, requirement files
    (cd "$REPO_ROOT" && "$1" - "${DEMO_REQUIREMENTS[@]}" <<'PY'
import hashlib, sys
digest = hashlib.sha256(("%s\n%s\n" % (sys.executable, sys.version)).encode())
for name in sys.argv[1:]:
    with open(name, "rb") as handle:
        digest.update(name.encode() + b"\0" + handle.read())
print(digest.hexdigest())
PY
)
}

demo_venv_is_fresh() { # python stamp -> 0 when DEMO_VENV was built from it and still works
    [ -f "$DEMO_VENV/.demo-stamp" ] && [ "$(cat "$DEMO_VENV/.demo-stamp")" = "$2" ] \
        && "$DEMO_VENV/bin/python" -c 'import ansible, requests' >/dev/null 2>&1
}

# ensure_demo_venv PYTHON: (re)create DEMO_VENV unless it is fresh; one creator at a time
ensure_demo_venv() {
    local python="$1" stamp logfile start
    stamp="$(demo_stamp "$python")"
    demo_venv_is_fresh "$python" "$stamp" && return 0
    mkdir -p "$(dirname "$DEMO_VENV")"
    if command -v flock >/dev/null 2>&1; then  # util-linux; without it (macOS) runs are not serialized
        exec 7>>"$DEMO_VENV.lock"
        flock -w 600 7 || die "could not lock ${DEMO_VENV#"$REPO_ROOT"/}.lock; another demo is setting up"
    fi
    if ! demo_venv_is_fresh "$python" "$stamp"; then
        log "creating ${DEMO_VENV#"$REPO_ROOT"/} from ${python} ($("$python" -V 2>&1)): ansible-core and requests"
        start=$SECONDS
        rm -rf "$DEMO_VENV"
        "$python" -m venv "$DEMO_VENV" \
            || die "${python} -m venv failed (on Debian/Ubuntu: apt install python3-venv)"
        logfile="$DEMO_VENV/install.log"
        if ! "$DEMO_VENV/bin/python" -m pip install --disable-pip-version-check \
            -r "$REPO_ROOT/${DEMO_REQUIREMENTS[0]}" >"$logfile" 2>&1; then
            tail -n 20 "$logfile" >&2
            die "pip install failed (full log: ${logfile#"$REPO_ROOT"/})"
        fi
        printf '%s\n' "$stamp" >"$DEMO_VENV/.demo-stamp"
        log "ready in $((SECONDS - start))s"
    fi
    exec 7>&-
}

