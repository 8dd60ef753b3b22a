#!/usr/bin/env bash
# Run a command inside a copy of the working tree laid out as
# <tmp>/ansible_collections/hwcloud/modelarts, the layout ansible-test insists on.
#
#   tools/collection-path.sh ansible-test sanity --local ...
#   tools/collection-path.sh --print      # make a copy, print its path, keep it
#
# Why a copy and not a symlink: ansible-test compares os.getcwd() with the
# ansible_collections/<ns>/<name> layout, and os.getcwd() resolves symlinks, so
# from a symlinked path it still sees the real (flat) checkout and stops with
# "The current working directory must be within the source tree being tested."
#
# What is copied: tracked plus untracked-but-not-ignored files
# (git ls-files -co --exclude-standard), i.e. exactly what ansible-test would
# look at in the checkout; without git, every file except venvs, outputs and caches.
# After the command, the copy's tests/output (results, junit; not .tmp) is copied
# back into the checkout's tests/output/ and the copy is deleted
# (COLLECTION_COPY_KEEP=1 keeps it).
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

make_copy() {
    local tmp dest
    tmp="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-copy.XXXXXX")"
    dest="$tmp/ansible_collections/$COLLECTION_NAMESPACE/$COLLECTION_NAME"
    mkdir -p "$dest"
    if git -C "$REPO_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # -z: NUL separated; skip tracked files deleted in the working tree
        (cd "$REPO_ROOT" && git ls-files -z -co --exclude-standard --deduplicate) |
            (cd "$REPO_ROOT" && while IFS= read -r -d '' f; do
                if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
            done) |
            tar -C "$REPO_ROOT" --null --no-recursion -T - -cf - |
            tar -C "$dest" -xf -
    else
        tar -C "$REPO_ROOT" \
            --exclude='./.git' --exclude='./.venv*' --exclude='./.cache' --exclude='./.ansible' \
            --exclude='./build' --exclude='./docs/build' --exclude='./tests/output' \
            --exclude='./tests/integration/inventory' --exclude='./collections' \
            --exclude='__pycache__' --exclude='*.pyc' --exclude='*.tar.gz' \
            -cf - . | tar -C "$dest" -xf -
    fi
    printf '%s\n' "$dest"
}

if [ "${1:-}" = "--print" ]; then
    make_copy
    exit 0
fi
[ "$#" -gt 0 ] || die "usage: $0 COMMAND [ARGS...] | --print"

DEST="$(make_copy)"
TOP="${DEST%/ansible_collections/*}"
# shellcheck disable=SC2329  # invoked by the EXIT trap
cleanup() {
    if [ -d "$DEST/tests/output" ]; then
        mkdir -p "$REPO_ROOT/tests/output"
        tar -C "$DEST/tests/output" --exclude='./.tmp' -cf - . | tar -C "$REPO_ROOT/tests/output" -xf - || true
    fi
    if [ "${COLLECTION_COPY_KEEP:-0}" = 1 ]; then
        log "kept the collection copy at $DEST"
    else
        rm -rf "$TOP"
    fi
}
trap cleanup EXIT
cd "$DEST"
# ansible-test and friends must see the copy, not the live tree
export ANSIBLE_COLLECTIONS_PATH="$TOP"
rc=0
"$@" || rc=$?
exit "$rc"
