#!/usr/bin/env bash
# Create (or reuse) the venv that runs ansible-rulebook, and make sure Java 17+ is there.
#
#   tools/eda-env.sh          # prints the venv path on success
#
# The venv is .venv/eda (EDA_VENV overrides it), built from tests/requirements-eda.txt with
# Python 3.12 (else 3.13, 3.11); its stamp is the hash of that file and the interpreter,
# so an up-to-date venv is left alone. ansible-rulebook's rule engine (drools_jpy) needs a JVM
# >= 17: when `java` is missing or older, openjdk-17-jre-headless is installed with apt-get
# where that is possible (root); otherwise the script fails and says what is missing.
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EDA_VENV="${EDA_VENV:-$VENV_DIR/eda}"
REQUIREMENTS="$REPO_ROOT/tests/requirements-eda.txt"

java_major() { # -> the major version of `java` on PATH (or JAVA_HOME), nothing when there is none
    local java="java"
    [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
    command -v "$java" >/dev/null 2>&1 || return 0
    "$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

ensure_java() {
    local major
    major="$(java_major)"
    if [ -n "$major" ] && [ "$major" -ge 17 ]; then
        log "java $major found"
        return 0
    fi
    log "no java >= 17 (found: ${major:-none}); ansible-rulebook needs one"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing openjdk-17-jre-headless with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed: cannot install Java 17"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >&2 \
            || die "apt-get install openjdk-17-jre-headless failed: install a JDK/JRE >= 17 (or set JAVA_HOME)"
        major="$(java_major)"
        [ -n "$major" ] && [ "$major" -ge 17 ] || die "java >= 17 still not found after installing openjdk-17-jre-headless"
        log "java $major installed"
        return 0
    fi
    die "java >= 17 is missing and cannot be installed here (needs root and apt-get): install a JDK/JRE >= 17 or set JAVA_HOME"
}

pick_python() {
    local minor
    for minor in 3.12 3.13 3.11; do
        if find_python "$minor"; then return 0; fi
    done
    die "no Python 3.11-3.13 found for ansible-rulebook"
}

ensure_venv() {
    local python stamp
    python="$(pick_python)"
    stamp="$( (cat "$REQUIREMENTS"; "$python" -V) | cksum | cut -d' ' -f1)"
    if [ -x "$EDA_VENV/bin/ansible-rulebook" ] && [ "$(cat "$EDA_VENV/.eda-stamp" 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    log "creating $EDA_VENV with $python (tests/requirements-eda.txt)"
    rm -rf "$EDA_VENV"
    "$python" -m venv "$EDA_VENV"
    "$EDA_VENV/bin/python" -m pip install -q -r "$REQUIREMENTS" >&2 || die "pip install -r tests/requirements-eda.txt failed"
    printf '%s\n' "$stamp" >"$EDA_VENV/.eda-stamp"
}

ensure_java
mkdir -p "$(dirname "$EDA_VENV")"
exec 7>>"$(dirname "$EDA_VENV")/.eda.lock"
flock -w 900 7 || die "could not lock $(dirname "$EDA_VENV")/.eda.lock"
ensure_venv
"$EDA_VENV/bin/ansible-rulebook" --version >&2 || die "$EDA_VENV/bin/ansible-rulebook does not run"
printf '%s\n' "$EDA_VENV"
