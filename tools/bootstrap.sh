#!/usr/bin/env bash
# Create the test/tool virtualenvs and the ansible-test offline pip bootstrap stand-ins.
#
#   tools/bootstrap.sh            # every core in CORE_MATRIX (tools/lib.sh)
#   tools/bootstrap.sh 2.21       # only the ansible-core 2.21 venv
#
# .venv/core<X.Y>  one per line of CORE_MATRIX (tools/lib.sh), from its Python: ansible-core X.Y
#                  (tests/requirements-core-X.Y.txt) + tests/unit/requirements.txt + tests/requirements-sanity.txt;
#                  .venv/core2.21 also gets tests/requirements-tools.txt (the QA tools)
#
# Idempotent: each venv keeps a stamp with the hash of its requirement files, the
# interpreter version and BOOTSTRAP_LAYOUT; a venv whose stamp matches is left alone.
# Set BOOTSTRAP_FORCE=1 to rebuild anyway.
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS_CORE=2.21   # the venv that also gets tests/requirements-tools.txt
# Bump when the way a venv is built changes (the stamp covers the requirement files and
# the interpreter version; editing this script alone does not force a rebuild).
BOOTSTRAP_LAYOUT=1
BOOTSTRAP_JOBS="${BOOTSTRAP_JOBS:-$(nproc 2>/dev/null || echo 2)}"

requirement_files() { # core -> the requirement files (repo-relative) of its venv
    local core="$1"
    printf '%s\n' "tests/requirements-core-${core}.txt" tests/unit/requirements.txt tests/requirements-sanity.txt
    if [ "$core" = "$TOOLS_CORE" ]; then
        printf '%s\n' tests/requirements-tools.txt
    fi
}

stamp_of() { # core python -> hash of everything the venv depends on
    local core="$1" python="$2" f
    {
        "$python" -c 'import sys; print(sys.version)'
        printf 'layout %s\n' "$BOOTSTRAP_LAYOUT"
        while read -r f; do
            printf '%s ' "$f"
            sha256sum "$REPO_ROOT/$f" | cut -d' ' -f1
        done < <(requirement_files "$core")
    } | sha256sum | cut -d' ' -f1
}

core_version() { # venv -> installed ansible-core version
    "$1/bin/python" -c 'from ansible.release import __version__; print(__version__)'
}

venv_is_fresh() { # core python -> 0 when the venv exists and its stamp matches
    local venv stamp_file
    venv="$(venv_path "$1")"
    stamp_file="$venv/.bootstrap-stamp"
    [ "${BOOTSTRAP_FORCE:-0}" != 1 ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$(stamp_of "$1" "$2")" ] \
        && "$venv/bin/python" -c 'import ansible' >/dev/null 2>&1
}

bootstrap_venv() { # core python: (re)build the venv unless it is fresh; call with the lock held
    local core="$1" python="$2" venv want
    venv="$(venv_path "$core")"
    if venv_is_fresh "$core" "$python"; then
        log "venv core${core} is up to date (ansible-core $(core_version "$venv"))"
        return 0
    fi
    want="$(stamp_of "$core" "$python")"
    log "creating venv core${core} from ${python} ($("$python" -V 2>&1))"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    local -a req_args=()
    local f
    while read -r f; do req_args+=(-r "$REPO_ROOT/$f"); done < <(requirement_files "$core")
    local logfile="$VENV_DIR/bootstrap-core${core}.log"
    local start=$SECONDS
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check "${req_args[@]}" >"$logfile" 2>&1; then
        tail -n 40 "$logfile" >&2
        die "pip install failed for core${core} (full log: ${logfile#"$REPO_ROOT"/})"
    fi
    printf '%s\n' "$want" >"$venv/.bootstrap-stamp"
    log "venv core${core} ready in $((SECONDS - start))s: ansible-core $(core_version "$venv")"
}

# ansible-test bootstraps pip in every venv it creates by downloading
# get-pip-<version>.py from a host this machine cannot reach. It first looks for
# ~/.ansible/test/cache/get_pip_<version with _>.py, so put a stand-in there that
# uses ensurepip + PyPI instead. The pip version(s) are read from the installed
# ansible-test (python_requirements.py: get_venv_packages()), never guessed.
STANDIN_MARKER='hwcloud.modelarts get-pip stand-in'
write_get_pip_standins() {
    local core="$1" venv file versions version target
    venv="$(venv_path "$core")"
    file="$("$venv/bin/python" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py"))')"
    [ -f "$file" ] || die "cannot find ansible-test's python_requirements.py in core${core}"
    versions="$("$venv/bin/python" - "$file" <<'PY'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
body = src[src.index("def get_venv_packages"):]
body = body[:body.index("\ndef ", 1)]
found = sorted(set(re.findall(r"""pip\s*=\s*['"]([0-9][0-9.]*)['"]""", body)))
if not found:
    sys.exit("no pip version found in get_venv_packages()")
print("\n".join(found))
PY
)"
    mkdir -p "$HOME/.ansible/test/cache"
    for version in $versions; do
        target="$HOME/.ansible/test/cache/get_pip_${version//./_}.py"
        if [ -f "$target" ] && ! grep -q "$STANDIN_MARKER" "$target"; then
            log "keeping existing ${target} (not ours; probably the real get-pip)"
            continue
        fi
        cat >"$target.tmp" <<PY
# ${STANDIN_MARKER} (written by tools/bootstrap.sh for ansible-core ${core}).
# ansible-test runs: python get_pip.py --disable-pip-version-check pip==X [...] [--no-setuptools] [--no-wheel]
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q'] + args)
PY
        if cmp -s "$target.tmp" "$target"; then
            rm -f "$target.tmp"
        else
            mv "$target.tmp" "$target"
            log "get-pip stand-in for pip ${version} (core${core}): ~/.ansible/test/cache/get_pip_${version//./_}.py"
        fi
    done
}

# ansible-test installs each sanity test's tools into a venv of its own, from requirement files it ships. A line
# there that names an archive URL instead of a PyPI release (2.22.0rc1: dill from a GitHub archive, "needed until
# dill released with 3.15 support") cannot be installed on a machine that reaches only PyPI, and the sanity test
# fails. Such a line becomes the PyPI release listed here, in this venv's copy of ansible-test only (the Pythons the
# sanity gates run on are 3.9 to 3.13, which the PyPI release supports). A URL line without an entry here fails the
# bootstrap, naming it. Runs every time (idempotent): a venv built before this step gets it too.
ANSIBLE_TEST_PYPI_RELEASES=(dill==0.4.1)
pypi_only_ansible_test() {
    local core="$1" venv
    venv="$(venv_path "$core")"
    "$venv/bin/python" - "${ANSIBLE_TEST_PYPI_RELEASES[@]}" <<'PY' || die "ansible-test of core${core} needs a package from outside PyPI (see above)"
import glob, os, re, sys
import ansible_test
releases = {re.split(r"[=<>~!]", pin, maxsplit=1)[0].lower(): pin for pin in sys.argv[1:]}
folder = os.path.join(os.path.dirname(ansible_test.__file__), "_data", "requirements")
missing = []
for path in sorted(glob.glob(os.path.join(folder, "*.txt"))):
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines(keepends=True)
    changed = False
    for index, line in enumerate(lines):
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*@\s*\S+", line)
        if not match:
            continue
        name = match.group(1).lower()
        if name not in releases:
            missing.append("%s: %s" % (os.path.basename(path), line.strip()))
            continue
        lines[index] = "%s  # was: %s" % (releases[name], line.lstrip())
        changed = True
    if changed:
        with open(path, "w", encoding="utf-8") as handle:
            handle.writelines(lines)
        print("ansible-test %s: PyPI releases instead of archive URLs (%s)" % (os.path.basename(path), ", ".join(sys.argv[1:])))
if missing:
    sys.exit("ansible-test requirement lines that name a URL and have no PyPI release in ANSIBLE_TEST_PYPI_RELEASES"
             " (tools/bootstrap.sh):\n  " + "\n  ".join(missing))
PY
}

main() {
    local -a wanted=("$@") selected=() entry core minor python
    if [ "${HWCLOUD_MODELARTS_BOOTSTRAPPED:-}" = 1 ]; then
        return 0  # set by tools/test.sh, which bootstrapped and holds the venv lock shared
    fi
    for entry in "${CORE_MATRIX[@]}"; do
        read -r core minor <<<"$entry"
        if [ "${#wanted[@]}" -gt 0 ] && [[ " ${wanted[*]} " != *" $core "* ]]; then
            continue
        fi
        python="$(find_python "$minor")" || die "no real Python ${minor} interpreter found (tried pyenv and python${minor} on PATH)"
        selected+=("$core $python")
    done
    mkdir -p "$VENV_DIR"
    # Fast path without the lock: everything is up to date (others may hold the lock
    # shared for a long time while they use the venvs, e.g. tools/test.sh, tools/bench.sh).
    local stale=0
    for entry in "${selected[@]}"; do
        read -r core python <<<"$entry"
        venv_is_fresh "$core" "$python" || stale=1
    done
    if [ "$stale" = 1 ]; then
        exec 9>>"$VENV_DIR/.bootstrap.lock"
        log "locking .venv/.bootstrap.lock to rebuild (waits while another run uses the venvs)"
        flock -w "${BOOTSTRAP_LOCK_TIMEOUT:-3600}" 9 || die "could not lock .venv/.bootstrap.lock; another run uses the venvs"
    fi
    # the venvs are independent: build as many at once as there are CPUs (a fresh clone builds all seven)
    local -a building=()
    local pid failed=0
    for entry in "${selected[@]}"; do
        read -r core python <<<"$entry"
        bootstrap_venv "$core" "$python" &
        building+=("$!")
        if [ "${#building[@]}" -ge "$BOOTSTRAP_JOBS" ]; then
            wait "${building[0]}" || failed=1
            building=("${building[@]:1}")
        fi
    done
    for pid in "${building[@]}"; do
        wait "$pid" || failed=1
    done
    [ "$failed" = 0 ] || die "a venv could not be built (see above)"
    for entry in "${selected[@]}"; do
        read -r core python <<<"$entry"
        write_get_pip_standins "$core"
        pypi_only_ansible_test "$core"
    done
}

main "$@"
