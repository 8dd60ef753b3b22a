#!/usr/bin/env bash
# Run every quality gate of the collection (called by `make test` and .ci/run).
#
#   tools/test.sh                  # bootstrap, then all gates in GATES order
#   tools/test.sh sanity-2.21 lint # only these gates
#   tools/test.sh --list           # print the gate names
#
# Each gate prints one result line ("PASS|FAIL <gate> <seconds>s"), its full output
# goes to tests/output/gates/<gate>.log (the tail is shown when it fails), and the
# run ends with the line "N passed, M failed"; the exit code is 1 if any gate failed.
set -uo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOG_DIR="$REPO_ROOT/tests/output/gates"
BUILD_DIR="$REPO_ROOT/build"

# ---------------------------------------------------------------------------
# The gates, in start order. To add a gate: write a gate_<name> function below
# (dashes in the name become underscores, dots are dropped: sanity-2.21 -> gate_sanity_221)
# that returns non-zero on failure, and append its name here (and to WAIT_GATES, WIDE_GATES or
# GATE_LOCKS when it belongs there; see "scheduling" below).
GATES=(
    sanity-ignores
    integration-2.16
    integration-2.19
    integration-2.22
    sanity-2.16
    sanity-2.17
    sanity-2.18
    sanity-2.19
    sanity-2.20
    sanity-2.21
    sanity-2.22
    units-2.16
    units-2.17
    units-2.18
    units-2.19
    units-2.20
    units-2.21
    units-2.22
    reliability
    eda-rulebooks
    guides
    ansible-lint
    release
    galaxy-importer
    execution-environment
    benchmark
    docs-lint
    changelog-lint
    docs-html
    awx-runner
    demo
    live-emulator
)
# Scheduling. The machine has few CPUs (CI: 2), so the gates run in two lanes:
# - WAIT_GATES spend most of their time waiting for the emulator's timed status transitions, not on the CPUs:
#   each starts when its turn comes, without waiting for a CPU slot, and runs next to everything else.
# - every other gate takes one of CPU_SLOTS slots (WIDE_GATES, which keep every CPU busy on their own through
#   pytest-xdist, take all of them), in GATES order: a gate starts when the gates before it have started and a
#   slot is free. So at most CPU_SLOTS CPU-bound gates run at once.
# GATE_LOCKS: gates that write the same paths hold the same lock and never run at the same time.
WAIT_GATES=(integration-2.16 integration-2.19 integration-2.22)
WIDE_GATES=(units-2.16 units-2.17 units-2.18 units-2.19 units-2.20 units-2.21 units-2.22)
# (guides runs the README's Try it locally as written: its `make build` writes build/ as well)
declare -A GATE_LOCKS=([galaxy-importer]=build [execution-environment]=build [guides]=build)
CPU_SLOTS="${HWCLOUD_MODELARTS_CPU_SLOTS:-$(nproc 2>/dev/null || echo 2)}"
# ---------------------------------------------------------------------------

# run_core CORE CMD...: run CMD with CORE's venv first on PATH, the real interpreters of
# every sanity Python next, and no pyenv shims (they exit 127 for unselected versions).
run_core() {
    local core="$1" venv
    shift
    venv="$(venv_path "$core")"
    PATH="$venv/bin:$(sanity_python_path):$(path_without_shims)" VIRTUAL_ENV="$venv" "$@"
}

core_python_minor() { # core -> python minor of its venv
    local entry core minor
    for entry in "${CORE_MATRIX[@]}"; do
        read -r core minor <<<"$entry"
        if [ "$core" = "$1" ]; then printf '%s\n' "$minor"; return 0; fi
    done
    return 1
}

ansible_test() { # CORE ansible-test-args...: run ansible-test in a collection-layout copy
    local core="$1"
    shift
    run_core "$core" "$REPO_ROOT/tools/collection-path.sh" ansible-test "$@" --color no
}

tools_env() { # CMD...: run with the tools venv (2.21) and the live tree as hwcloud.modelarts
    local colls
    colls="$(collections_path)"
    ANSIBLE_COLLECTIONS_PATH="$colls" run_core 2.21 "$@"
}

newest_env() { # CMD...: like tools_env, with the newest core's venv first (its ansible-playbook, ansible-doc and
    # ansible-galaxy; its python runs the modules on localhost) and the tools venv's commands (ansible-builder...) next
    local colls core
    colls="$(collections_path)"
    core="$(newest_core)"
    ANSIBLE_COLLECTIONS_PATH="$colls" PATH="$(venv_path "$core")/bin:$(venv_path 2.21)/bin:$(sanity_python_path):$(path_without_shims)" \
        VIRTUAL_ENV="$(venv_path "$core")" "$@"
}

# --- gates -----------------------------------------------------------------

gate_sanity_ignores() {
    local f bad=0
    for f in "$REPO_ROOT"/tests/sanity/ignore-*.txt; do
        [ -e "$f" ] || continue
        if grep -qv '^[[:space:]]*$' "$f"; then
            echo "not empty: ${f#"$REPO_ROOT"/} (fix the code instead of ignoring sanity errors):"
            sed 's/^/    /' "$f"
            bad=1
        fi
    done
    [ "$bad" = 0 ] && echo "no sanity ignore entries"
    return "$bad"
}

sanity() { # core: every sanity test; compile/import on every Python 3.9-3.13 found
    local out="$LOG_DIR/sanity-$1.ansible-test.log" rc used skipped
    ansible_test "$1" sanity --local 2>&1 | tee "$out"
    rc="${PIPESTATUS[0]}"
    # PASS says nothing about the Pythons ansible-test skipped: name the ones it used (shown after the result line)
    used="$(sed -n 's/^Running sanity test "[^"]*" on Python \([0-9.]*\)$/\1/p' "$out" | sort -uV | xargs)"
    skipped="$(sed -n 's/^WARNING: Skipping sanity test "[^"]*" on Python \([0-9.]*\) because.*/\1/p' "$out" | sort -uV | xargs)"
    echo "version-specific tests ran on Python ${used:-none}; skipped (not found): ${skipped:-none}" | tee "$LOG_DIR/sanity-$1.note"
    return "$rc"
}
gate_sanity_216() { sanity 2.16; }
gate_sanity_217() { sanity 2.17; }
gate_sanity_218() { sanity 2.18; }
gate_sanity_219() { sanity 2.19; }
gate_sanity_220() { sanity 2.20; }
gate_sanity_221() { sanity 2.21; }
gate_sanity_222() { sanity 2.22; }

units() {
    ansible_test "$1" units --local --python "$(core_python_minor "$1")"
}
gate_units_216() { units 2.16; }
gate_units_217() { units 2.17; }
gate_units_218() { units 2.18; }
gate_units_219() { units 2.19; }
gate_units_220() { units 2.20; }
gate_units_221() { units 2.21; }
gate_units_222() { units 2.22; }

# integration CORE: every target twice, in-process (the default) and with hwcloud_modelarts_in_process: false
# (the module path), each recording the results of the collection's tasks (tests/integration/parity); then
# the two records must agree task by task. The two paths run at the same time (each in its own collection copy,
# against its own emulators): both spend most of their time waiting for the emulator's timed status transitions.
integration() {
    ansible_test_ssh_key
    local targets
    targets="$(find "$REPO_ROOT/tests/integration/targets" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)"
    if [ "$targets" = 0 ]; then
        echo "no integration targets in tests/integration/targets"
        return 1
    fi
    local parity="$REPO_ROOT/tests/output/parity" mode out rc=0
    local -A legs=()
    mkdir -p "$parity"
    for mode in in-process module; do
        rm -f "$parity/$1-$mode.jsonl"
        integration_run "$1" "$mode" "$parity/$1-$mode.jsonl" >"$LOG_DIR/integration-$1-$mode.ansible-test.log" 2>&1 &
        legs[$mode]=$!
    done
    for mode in in-process module; do
        out="$LOG_DIR/integration-$1-$mode.ansible-test.log"
        wait "${legs[$mode]}" || rc=1
        echo "== integration on ansible-core $1, $mode"
        cat "$out"
        run_core 2.21 python "$REPO_ROOT/tests/reliability/secret_scan.py" "$out" || rc=1
        # the output, and the results of the collection's tasks, where a warning the output did not show still is
        run_core 2.21 python "$REPO_ROOT/tests/warning_scan.py" "$out" "$parity/$1-$mode.jsonl" || rc=1
    done
    echo "== the results of both paths, task by task"
    run_core 2.21 python "$REPO_ROOT/tests/integration/parity/compare.py" \
        "$parity/$1-in-process.jsonl" "$parity/$1-module.jsonl" || rc=1
    return "$rc"
}

# ansible_test_ssh_key: ansible-test integration makes ~/.ansible/test/id_rsa on its first run; the integration
# gates run at the same time, and on a fresh machine all but one of them found the key half made and failed
# ("id_rsa already exists. Overwrite (y/n)?"). So the first gate makes it, under a lock, before ansible-test runs.
ansible_test_ssh_key() {
    local dir="$HOME/.ansible/test"
    mkdir -p "$dir"
    (
        flock 9
        [ -f "$dir/id_rsa" ] && [ -f "$dir/id_rsa.pub" ] || ssh-keygen -m PEM -q -t rsa -N '' -f "$dir/id_rsa"
    ) 9>"$dir/.id_rsa.lock"
}

# integration_run CORE MODE RECORDS: ansible-test integration in a collection copy whose integration_config.yml
# sets hwcloud_modelarts_in_process and whose integration.cfg enables the parity callback.
integration_run() {
    local in_process=true
    [ "$2" = module ] && in_process=false
    # -v: task results in the output, scanned for the emulator's secrets (passed as options and in the environment)
    # shellcheck disable=SC2016 # the single-quoted script expands its own arguments
    run_core "$1" "$REPO_ROOT/tools/collection-path.sh" bash -c '
        printf "hwcloud_modelarts_in_process: %s\n" "$1" > tests/integration/integration_config.yml
        printf "[defaults]\ncallback_plugins = %s\n[callback_hwcloud_parity]\npath = %s\n" \
            "$PWD/tests/integration/parity/callback_plugins" "$2" > tests/integration/integration.cfg
        shift 2
        exec ansible-test integration "$@"' _ "$in_process" "$3" \
        --local --python "$(core_python_minor "$1")" -v --color no
}
gate_integration_216() { integration 2.16; }
gate_integration_219() { integration 2.19; }
gate_integration_221() { integration 2.21; }
gate_integration_222() { integration 2.22; }

gate_ansible_lint() {
    # No ANSIBLE_COLLECTIONS_PATH here: with it, ansible-lint leaves isolated mode and installs
    # a copy of the collection into ~/.ansible/collections, which then shadows the live tree.
    # Without it, the copy goes to ./.ansible (ignored) and is refreshed on every run.
    (cd "$REPO_ROOT" && run_core 2.21 ansible-lint --profile production --nocolor) || return 1
    # ansible-lint checks module EXAMPLES only as YAML; lint them as tasks too, outside the
    # repo (nothing to install there, so ANSIBLE_COLLECTIONS_PATH is harmless).
    local examples
    examples="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-examples.XXXXXX")"
    local rc=0
    tools_env python "$REPO_ROOT/tools/examples_to_playbooks.py" "$examples" || rc=1
    if [ "$rc" = 0 ]; then
        (cd "$examples" && tools_env ansible-lint --profile production --nocolor ./*.yml) || rc=1
    fi
    rm -rf "$examples"
    return "$rc"
}

# gate_eda_rulebooks: real ansible-rulebook (its own venv, .venv/eda, and Java 17+, both made or installed by
# tools/eda-env.sh, which fails when it cannot) runs the shipped rulebooks of extensions/eda/rulebooks against
# the emulator; tests/eda/run_rulebooks.py changes and deletes jobs and asserts the events and the actions.
gate_eda_rulebooks() {
    local eda work rc=0
    eda="$("$REPO_ROOT/tools/eda-env.sh")" || { echo "FAIL: no ansible-rulebook environment (see above)"; return 1; }
    work="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-eda.XXXXXX")"
    timeout 300 "$(venv_path 2.21)/bin/python" "$REPO_ROOT/tests/eda/run_rulebooks.py" --eda-venv "$eda" \
        --collections-path "$(collections_path)" --workdir "$work" || rc=1
    run_core 2.21 python "$REPO_ROOT/tests/reliability/secret_scan.py" "$work"/*.out || rc=1
    run_core 2.21 python "$REPO_ROOT/tests/warning_scan.py" "$work"/*.out || rc=1
    # the decision-environment definition as the tarball ships it is valid for ansible-builder (the image build
    # itself needs a container engine), and installs ansible-rulebook and the collection
    built_collection "$work/built" || { rm -rf "$work"; return 1; }
    tools_env ansible-builder create -f "$(built_collection_root "$work/built")/extensions/de/decision-environment.yml" \
        -c "$work/de-context" -v 1 || rc=1
    grep -q 'ansible-rulebook' "$work/de-context/_build/requirements.txt" \
        || { echo "the decision-environment build context does not install ansible-rulebook"; rc=1; }
    grep -q "${COLLECTION_NAMESPACE}\.${COLLECTION_NAME}" "$work/de-context/_build/requirements.yml" \
        || { echo "the decision-environment build context does not install ${COLLECTION_NAMESPACE}.${COLLECTION_NAME}"; rc=1; }
    rm -rf "$work"
    return "$rc"
}

# built_collection DIR: build the collection tarball into DIR and unpack it as DIR/ansible_collections/<ns>/<name>
# (what a Galaxy user installs); built_collection_root DIR prints that directory
built_collection() {
    local root
    root="$(built_collection_root "$1")"
    rm -rf "$1" && mkdir -p "$root" || return 1
    (cd "$REPO_ROOT" && tools_env ansible-galaxy collection build --force --output-path "$1" .) >/dev/null || return 1
    tar -xzf "$1"/*.tar.gz -C "$root"
}
built_collection_root() { printf '%s/ansible_collections/%s/%s\n' "$1" "$COLLECTION_NAMESPACE" "$COLLECTION_NAME"; }

# gate_galaxy_importer: galaxy-importer on the tarball that `make build` writes (make_build_only checks that target)
gate_galaxy_importer() {
    local out="$BUILD_DIR/galaxy" tarball
    rm -rf "$out"
    mkdir -p "$out"
    make_build_only || return 1
    tarball="$BUILD_DIR/${COLLECTION_NAMESPACE}-${COLLECTION_NAME}-$(galaxy_version).tar.gz"
    cp "$tarball" "$out/"
    tarball="$out/$(basename "$tarball")"
    echo "built ${tarball#"$REPO_ROOT"/}"
    galaxy_importer "$tarball" "$out/importer"
}

galaxy_version() { # galaxy.yml's version
    sed -n 's/^version: *//p' "$REPO_ROOT/galaxy.yml"
}

# make_build_only: `make build` runs the ansible-galaxy on PATH and nothing else: with PATH holding only that
# ansible-galaxy (and the system's commands) and a scratch HOME and TMPDIR, it writes the tarball into build/ and
# nothing into HOME or TMPDIR, and what it runs (make -n) makes no venv; without an ansible-galaxy on PATH it fails
# saying how to get one
make_build_only() {
    local scratch bin out rc=0 tarball
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-build.XXXXXX")"
    bin="$scratch/bin"
    mkdir -p "$bin" "$scratch/home" "$scratch/tmp"
    ln -s "$(venv_path 2.21)/bin/ansible-galaxy" "$bin/ansible-galaxy"
    tarball="$BUILD_DIR/${COLLECTION_NAMESPACE}-${COLLECTION_NAME}-$(galaxy_version).tar.gz"
    rm -f "$tarball"
    if out="$(cd "$REPO_ROOT" && make --no-print-directory -n build 2>&1)" && grep -nE 'bootstrap|venv' <<<"$out"; then
        echo "FAIL make build would make or refresh venvs (make -n build, above)"
        rc=1
    fi
    (cd "$REPO_ROOT" && env HOME="$scratch/home" TMPDIR="$scratch/tmp" PATH="$bin:/usr/bin:/bin" make --no-print-directory build) \
        || { echo "FAIL make build with ansible-galaxy on PATH"; rc=1; }
    [ -f "$tarball" ] || { echo "FAIL make build did not write ${tarball#"$REPO_ROOT"/}"; rc=1; }
    if [ -n "$(find "$scratch/home" "$scratch/tmp" -mindepth 1)" ]; then
        find "$scratch/home" "$scratch/tmp" -mindepth 1
        echo "FAIL make build wrote outside the checkout (above)"
        rc=1
    fi
    if out="$(cd "$REPO_ROOT" && env HOME="$scratch/home" PATH=/usr/bin:/bin make --no-print-directory build 2>&1)" \
        || ! grep -q "make build needs ansible-galaxy on PATH: install ansible-core" <<<"$out"; then
        printf '%s\n' "$out"
        echo "FAIL make build without ansible-galaxy on PATH must fail saying how to get one"
        rc=1
    fi
    [ "$rc" = 0 ] && echo "ok   make build wrote only ${tarball#"$REPO_ROOT"/} (and build/.ansible), with the ansible-galaxy on PATH; without one it says how to get it"
    rm -rf "$scratch"
    return "$rc"
}

# gate_release: `make release VERSION=99.0.0` in a scratch clone of HEAD (committed code only, like CI's clean
# clone), with links to this checkout's venvs. First `tools/version.py check` on the committed tree, the refusals
# (no VERSION, not semver, a dirty tree) and a failing step (a bad fragment) that must leave no commit; then the
# release itself: the changelog section and fragments, the version_added that ansible-doc shows, the tarball
# installed and run against the emulator, the tag. 99.0.0 must never reach this checkout.
RELEASE_CHECK_VERSION=99.0.0
gate_release() {
    local work clone python trace rc=0
    work="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-release.XXXXXX")"
    clone="$work/clone"
    python="$(venv_path 2.21)/bin/python"
    trace="$(release_trace)"
    release_clone "$clone" || { rm -rf "$work"; return 1; }
    echo "---- tools/version.py check on the committed tree, before any release ----"
    "$python" "$clone/tools/version.py" --root "$clone" check || rc=1
    release_refusals "$clone" || rc=1
    release_failed_step "$clone" || rc=1
    "$python" "$REPO_ROOT/tests/release/check_release.py" snapshot "$clone" "$work/before.json" || rc=1
    echo "---- make release VERSION=$RELEASE_CHECK_VERSION in the scratch clone ----"
    if release_make "$clone" "$RELEASE_CHECK_VERSION"; then
        release_installed "$clone" "$work" || rc=1
        release_committed "$clone" || rc=1
    else
        echo "FAIL make release VERSION=$RELEASE_CHECK_VERSION failed in the scratch clone"
        rc=1
    fi
    if [ "$(release_trace)" = "$trace" ] && ! git -C "$REPO_ROOT" rev-parse -q --verify "refs/tags/$RELEASE_CHECK_VERSION" >/dev/null; then
        echo "ok   $RELEASE_CHECK_VERSION did not reach this checkout (its refs, status and version are unchanged)"
    else
        echo "FAIL this checkout changed during the release in the clone:"
        diff <(printf '%s\n' "$trace") <(release_trace)
        rc=1
    fi
    rm -rf "$work"
    return "$rc"
}

# release_trace: what a release would change in this checkout: its HEAD, status, tags and galaxy.yml's version, and
# any commit "Release 99.0.0" (other branches are left out: other worktrees of this repository may commit meanwhile)
release_trace() {
    git -C "$REPO_ROOT" rev-parse HEAD
    git -C "$REPO_ROOT" status --porcelain
    git -C "$REPO_ROOT" tag -l
    grep '^version:' "$REPO_ROOT/galaxy.yml"
    git -C "$REPO_ROOT" log --all --format=%s | grep -Fx "Release $RELEASE_CHECK_VERSION"
}

release_clone() { # DIR: clone this checkout's HEAD into DIR, on a branch, with links to the venvs (no bootstrap)
    local clone="$1" head venv
    head="$(git -C "$REPO_ROOT" rev-parse HEAD)"
    git clone -q --no-checkout "$REPO_ROOT" "$clone" || return 1
    git -C "$clone" checkout -q -b release-check "$head" || return 1
    mkdir "$clone/.venv"
    for venv in "$VENV_DIR"/core*; do ln -s "$venv" "$clone/.venv/"; done
    echo "scratch clone of ${head:0:12} in $clone"
}

release_make() { # CLONE VERSION: make release in CLONE, with a TMPDIR next to it (removed with it) and a fixed committer
    local tmp
    tmp="$(dirname "$1")/tmp"
    mkdir -p "$tmp"
    (cd "$1" && TMPDIR="$tmp" \
        GIT_AUTHOR_NAME="release gate" GIT_AUTHOR_EMAIL=release-gate@invalid \
        GIT_COMMITTER_NAME="release gate" GIT_COMMITTER_EMAIL=release-gate@invalid \
        make --no-print-directory release VERSION="$2")
}

# release_refused CLONE WANT VERSION: make release must fail, print WANT and leave CLONE's HEAD and tree alone
release_refused() {
    local clone="$1" want="$2" version="$3" head status out
    head="$(git -C "$clone" rev-parse HEAD)"
    status="$(git -C "$clone" status --porcelain)"
    if out="$(release_make "$clone" "$version" 2>&1)"; then
        printf '%s\n' "$out"
        echo "FAIL make release VERSION='$version' succeeded; it must refuse ($want)"
        return 1
    fi
    if ! grep -qF "$want" <<<"$out"; then
        printf '%s\n' "$out"
        echo "FAIL make release VERSION='$version' failed without saying: $want"
        return 1
    fi
    if [ "$(git -C "$clone" rev-parse HEAD)" != "$head" ] || [ "$(git -C "$clone" status --porcelain)" != "$status" ]; then
        git -C "$clone" status --short
        echo "FAIL make release VERSION='$version' changed the clone's HEAD or tree"
        return 1
    fi
    echo "ok   make release VERSION='$version' refused: $want"
}

release_refusals() { # CLONE: no VERSION, a VERSION that is not semver, a dirty tree (a local change survives)
    local clone="$1" rc=0
    release_refused "$clone" "no VERSION" "" || rc=1
    release_refused "$clone" "is not a semantic version" "1.0" || rc=1
    printf '\nlocal change\n' >>"$clone/README.md"
    release_refused "$clone" "the tree is not clean" "$RELEASE_CHECK_VERSION" || rc=1
    git -C "$clone" checkout -q README.md
    return "$rc"
}

# release_failed_step CLONE: on a throwaway branch with an invalid fragment committed, antsibull-changelog fails after
# the version was set; the release must stop there with no commit, no tag and the tree as it was
release_failed_step() {
    local clone="$1" head out rc=0
    git -C "$clone" checkout -q -b release-broken
    printf -- '---\nminor_changes: not a list\n' >"$clone/changelogs/fragments/0-broken.yml"
    git -C "$clone" add changelogs/fragments/0-broken.yml
    git -C "$clone" -c user.name="release gate" -c user.email=release-gate@invalid commit -q -m "an invalid fragment"
    head="$(git -C "$clone" rev-parse HEAD)"
    if out="$(release_make "$clone" "$RELEASE_CHECK_VERSION" 2>&1)"; then
        echo "FAIL make release succeeded with an invalid fragment"
        rc=1
    elif ! grep -qF "failed at step 'antsibull-changelog release'" <<<"$out"; then
        printf '%s\n' "$out"
        echo "FAIL the failed release did not name the antsibull-changelog step"
        rc=1
    fi
    if [ "$(git -C "$clone" rev-parse HEAD)" != "$head" ] || [ -n "$(git -C "$clone" status --porcelain)" ] \
        || git -C "$clone" rev-parse -q --verify "refs/tags/$RELEASE_CHECK_VERSION" >/dev/null \
        || grep -q "^version: $RELEASE_CHECK_VERSION" "$clone/galaxy.yml"; then
        git -C "$clone" status --short
        echo "FAIL the failed release left a commit, a tag or changes"
        rc=1
    else
        echo "ok   a failing step (antsibull-changelog, after the version was set) left no commit, tag or change"
    fi
    git -C "$clone" checkout -q release-check
    git -C "$clone" branch -q -D release-broken
    return "$rc"
}

# release_installed CLONE WORK: the changelog and version_added checks (tests/release/check_release.py) on the
# tarball installed into WORK/collections, which is then the only collection path of a playbook against the emulator;
# installed, documented and run by the newest core
release_installed() {
    local clone="$1" work="$2" colls="$2/collections" tarball core rc=0
    core="$(newest_core)"
    tarball="$clone/build/release/${COLLECTION_NAMESPACE}-${COLLECTION_NAME}-$RELEASE_CHECK_VERSION.tar.gz"
    [ -f "$tarball" ] || { echo "FAIL no $tarball"; return 1; }
    ANSIBLE_COLLECTIONS_PATH="$colls" run_core "$core" ansible-galaxy collection install "$tarball" -p "$colls" || return 1
    (cd "$work" && ANSIBLE_COLLECTIONS_PATH="$colls" run_core "$core" python - "$colls" "$RELEASE_CHECK_VERSION" <<'PY'
import json, os, subprocess, sys
listed = json.loads(subprocess.run(["ansible-galaxy", "collection", "list", "--format", "json"], check=True,
                                   capture_output=True, text=True).stdout)
want = {os.path.join(sys.argv[1], "ansible_collections"): {"hwcloud.modelarts": {"version": sys.argv[2]}}}
print("collections seen:", listed)
sys.exit(0 if listed == want else "FAIL the only collection found must be hwcloud.modelarts %s" % sys.argv[2])
PY
    ) || rc=1
    (cd "$work" && ANSIBLE_COLLECTIONS_PATH="$colls" run_core "$core" python "$REPO_ROOT/tests/release/check_release.py" \
        verify "$clone" "$work/before.json" "$colls" "$RELEASE_CHECK_VERSION") || rc=1
    EMULATOR_LIFETIME=180 start_emulator "$work/emulator" "$(venv_path 2.21)/bin/python" --max-requests 200
    (cd "$work" && ANSIBLE_COLLECTIONS_PATH="$colls" EMULATOR_SECRET_KEY=emu-secret-key-0000000000000000000000000001 \
        ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False run_core "$core" ansible-playbook \
        -e ansible_python_interpreter="$(venv_path "$core")/bin/python" "$REPO_ROOT/tests/release/installed_tarball.yml") \
        2>&1 | tee "$work/installed_tarball.out"
    [ "${PIPESTATUS[0]}" = 0 ] || rc=1
    run_core 2.21 python "$REPO_ROOT/tests/warning_scan.py" "$work/installed_tarball.out" || rc=1
    stop_emulator
    return "$rc"
}

release_committed() { # CLONE: HEAD is "Release 99.0.0", tagged, and the tree is clean
    local clone="$1" rc=0
    [ "$(git -C "$clone" log -1 --format=%s)" = "Release $RELEASE_CHECK_VERSION" ] \
        || { echo "FAIL HEAD of the clone is not 'Release $RELEASE_CHECK_VERSION'"; rc=1; }
    [ "$(git -C "$clone" rev-parse -q --verify "refs/tags/$RELEASE_CHECK_VERSION^{commit}")" = "$(git -C "$clone" rev-parse HEAD)" ] \
        || { echo "FAIL the tag $RELEASE_CHECK_VERSION does not point at the release commit"; rc=1; }
    [ -z "$(git -C "$clone" status --porcelain)" ] || { git -C "$clone" status --short; echo "FAIL the release left changes"; rc=1; }
    [ "$rc" = 0 ] && echo "ok   the clone's HEAD is 'Release $RELEASE_CHECK_VERSION', tagged $RELEASE_CHECK_VERSION, tree clean"
    return "$rc"
}

gate_docs_lint() {
    run_core 2.21 "$REPO_ROOT/tools/collection-path.sh" antsibull-docs lint-collection-docs --plugin-docs . || return 1
    # antsibull-docs silently leaves out guides that extra-docs.yml does not list
    run_core 2.21 python - "$REPO_ROOT/docs/docsite" <<'PY'
import glob, os, sys, yaml
docsite = sys.argv[1]
with open(os.path.join(docsite, "extra-docs.yml"), encoding="utf-8") as handle:
    listed = {entry for section in yaml.safe_load(handle).get("sections", []) for entry in section.get("toctree", [])}
present = {os.path.basename(path)[:-4] for path in glob.glob(os.path.join(docsite, "rst", "*.rst"))}
for name in sorted(present - listed):
    print("docs/docsite/rst/%s.rst is not listed in docs/docsite/extra-docs.yml" % name)
for name in sorted(listed - present):
    print("docs/docsite/extra-docs.yml lists %s, but docs/docsite/rst/%s.rst does not exist" % (name, name))
print("extra-docs.yml lists all %d guides" % len(present) if present == listed else "")
sys.exit(0 if present == listed else 1)
PY
}

gate_changelog_lint() {
    "$REPO_ROOT/tools/changelog.sh" lint
}

gate_docs_html() {
    "$REPO_ROOT/tools/build-docs.sh"
}

# gate_execution_environment: meta/execution-environment.yml holds only the collection's dependencies;
# `ansible-builder create` accepts extensions/ee/execution-environment.yml as the tarball ships it (the collection
# from Galaxy), and turns the same definition with the tarball of this checkout in place of Galaxy (the EE guide's
# recipe) into a build context with that tarball; every supported core installs the collection from that context
# as the image build would, loads it without a requires_ansible warning, and `introspect` finds requests.
gate_execution_environment() {
    local definition="$BUILD_DIR/execution-environment.yml" out="$BUILD_DIR/ee" ctx rc=0
    local tarball entry core installed output shipped
    ctx="$out/context"
    rm -rf "$out"
    mkdir -p "$out"
    built_collection "$out/built" || return 1
    shipped="$(built_collection_root "$out/built")/extensions/ee/execution-environment.yml"
    tools_env ansible-builder create -f "$shipped" -c "$out/galaxy-context" -v 1 || rc=1
    grep -q "name: ${COLLECTION_NAMESPACE}\.${COLLECTION_NAME}" "$out/galaxy-context/_build/requirements.yml" \
        || { echo "the shipped EE definition does not install ${COLLECTION_NAMESPACE}.${COLLECTION_NAME} from Galaxy"; rc=1; }
    tools_env python - "$REPO_ROOT" <<'PY' || rc=1
import os, sys, yaml
root = sys.argv[1]
with open(os.path.join(root, "meta", "execution-environment.yml"), encoding="utf-8") as handle:
    meta = yaml.safe_load(handle)
problems = []
# ansible-builder reads only dependencies; the EE schema of ansible-lint and galaxy-importer wants version
if set(meta) != {"version", "dependencies"}:
    problems.append("meta/execution-environment.yml has %s; it needs version and dependencies only" % sorted(meta))
for kind, name in sorted(meta.get("dependencies", {}).items()):
    if not os.path.isfile(os.path.join(root, name)):
        problems.append("meta/execution-environment.yml: %s file %s is not at the collection root" % (kind, name))
print("\n".join(problems) or "meta/execution-environment.yml: dependencies %s" % meta["dependencies"])
sys.exit(1 if problems else 0)
PY
    # the tarball the EE definition copies (what `make build` writes)
    (cd "$REPO_ROOT" && tools_env ansible-galaxy collection build --force --output-path "$BUILD_DIR" .) || return 1
    tarball="$BUILD_DIR/${COLLECTION_NAMESPACE}-${COLLECTION_NAME}-$(tools_env python -c \
        'import sys, yaml; print(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["version"])' "$REPO_ROOT/galaxy.yml").tar.gz"
    # the shipped definition with the tarball in place of Galaxy, beside the tarball, as the EE guide says
    tools_env python - "$shipped" "$definition" "$(basename "$tarball")" <<'PY' || return 1
import sys, yaml
shipped, definition, tarball = sys.argv[1:]
with open(shipped, encoding="utf-8") as handle:
    ee = yaml.safe_load(handle)
ee["dependencies"]["galaxy"] = {"collections": [{"name": "collections/" + tarball, "type": "file"}]}
ee["additional_build_files"] = [{"src": tarball, "dest": "collections"}]
with open(definition, "w", encoding="utf-8") as handle:
    yaml.safe_dump(ee, handle, sort_keys=False)
PY
    tools_env ansible-builder create -f "$definition" -c "$ctx" -v 2 || return 1
    for f in Dockerfile _build/requirements.yml; do
        [ -f "$ctx/$f" ] || { echo "build context lacks $f"; rc=1; }
    done
    if cmp -s "$tarball" "$ctx/_build/collections/$(basename "$tarball")"; then
        echo "build context has ${tarball#"$BUILD_DIR"/}"
    else
        echo "build context lacks ${tarball#"$BUILD_DIR"/}"
        return 1
    fi
    grep -n 'ANSIBLE_INSTALL_REFS=' "$ctx/Dockerfile" || rc=1
    for entry in "${CORE_MATRIX[@]}"; do
        core="${entry%% *}"
        installed="$out/installed-core$core"
        echo "---- ansible-core $core: install from the build context, load, introspect ----"
        # what the image build runs in _build (WORKDIR /build)
        (cd "$ctx/_build" && ANSIBLE_COLLECTIONS_PATH="$installed" run_core "$core" \
            ansible-galaxy collection install -r requirements.yml --collections-path "$installed") || { rc=1; continue; }
        output="$(ANSIBLE_COLLECTIONS_PATH="$installed" run_core "$core" ansible-doc -t module \
            "${COLLECTION_NAMESPACE}.${COLLECTION_NAME}.auth" 2>&1)" || { printf '%s\n' "$output"; rc=1; continue; }
        if grep -i 'does not support Ansible version' <<<"$output"; then
            rc=1
        else
            echo "ansible-core $core loads the installed collection without a version warning"
        fi
        output="$(tools_env ansible-builder introspect --sanitize "$installed" 2>&1)" || rc=1
        printf '%s\n' "$output"
        grep -qE "requests.*from collection ${COLLECTION_NAMESPACE}\.${COLLECTION_NAME}" <<<"$output" \
            || { echo "introspect does not show requests from ${COLLECTION_NAMESPACE}.${COLLECTION_NAME}"; rc=1; }
    done
    return "$rc"
}

# gate_awx_runner: the AWX credential type through ansible-runner against the emulator (tests/awx/check_awx.py, which
# renders it with the shipped extensions/awx/render_credential.py; the jobs' artifacts are scanned for warnings), then the starter kits as the tarball ships them:
# the AWX playbooks syntax-checked and linted (production) with awx.awx from PyPI (tools/awx-collection.sh), and
# tests/awx/check_kits.py (shipped files passed as they are, task options, the survey); the EDA kit's playbook
# linted (production, syntax included) with ansible.eda's modules mocked, as ansible.eda is not on PyPI.
gate_awx_runner() {
    local rc=0 work awx root colls
    work="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-kits.XXXXXX")"
    tools_env python "$REPO_ROOT/tests/awx/check_awx.py" --output "$work/runner" || rc=1
    run_core 2.21 python "$REPO_ROOT/tests/warning_scan.py" "$work"/runner/*/*/artifacts || rc=1
    if ! awx="$("$REPO_ROOT/tools/awx-collection.sh")" || ! built_collection "$work/built"; then
        rm -rf "$work"
        return 1
    fi
    root="$(built_collection_root "$work/built")"
    colls="$awx:$work/built"
    (cd "$root/extensions/awx" && ANSIBLE_COLLECTIONS_PATH="$colls" run_core 2.21 \
        ansible-playbook --syntax-check setup_awx.yml project/modelarts_job.yml) || rc=1
    # linted outside any collection tree (inside one, ansible-lint would install it), offline (no Galaxy)
    cp -R "$root/extensions/awx" "$work/awx-kit"
    (cd "$work/awx-kit" && ANSIBLE_COLLECTIONS_PATH="$colls" run_core 2.21 ansible-lint --offline --profile production --nocolor) || rc=1
    # the EDA kit: ansible.eda is on Galaxy only, so ansible-lint mocks its modules (tests/awx/eda-kit-lint.yml)
    cp -R "$root/extensions/eda" "$work/eda-kit"
    (cd "$work/eda-kit" && run_core 2.21 ansible-lint --offline -c "$REPO_ROOT/tests/awx/eda-kit-lint.yml" --nocolor \
        setup_eda.yml) || rc=1
    ANSIBLE_COLLECTIONS_PATH="$colls" run_core 2.21 python "$REPO_ROOT/tests/awx/check_kits.py" "$root" || rc=1
    rm -rf "$work"
    return "$rc"
}

python_free_bin() { # DIR: symlinks to every command of /bin and /usr/bin except Python and pip
    mkdir -p "$1"
    find -H /bin /usr/bin -mindepth 1 -maxdepth 1 ! -type d ! -name 'python*' ! -name 'pip*' -exec ln -sf -t "$1" {} +
}

python_minor_of() { # interpreter -> its X.Y
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'
}

# check_demo_choice NAME WANT DIR...: with PATH = DIR... plus a Python-free /usr/bin, the demo must
# choose a Python WANT ("none": fail with a message naming the supported versions)
check_demo_choice() {
    local name="$1" want="$2" path="" dir got rc=0
    shift 2
    for dir in "$@"; do path="$path$dir:"; done
    got="$(PATH="$path$DEMO_CHECK_DIR/nopython" "$REPO_ROOT/tools/demo.sh" --which-python 2>&1)" || rc=$?
    if [ "$want" = none ]; then
        if [ "$rc" != 0 ] && grep -q 'needs Python 3.10 to 3.13' <<<"$got"; then
            echo "ok   choice $name: refused"
            return 0
        fi
    elif [ "$rc" = 0 ] && [ "$(python_minor_of "$got")" = "$want" ]; then
        echo "ok   choice $name: $got"
        return 0
    fi
    echo "FAIL choice $name: wanted $want, got (rc=$rc) $got"
    return 1
}

gate_guides() { # every playbook of the guides and every EXAMPLES block, as written and in check mode (tests/guides)
    local work rc=0
    work="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-guides.XXXXXX")"
    # the playbooks run on the newest core (ansible-builder, for an EE definition, is the tools venv's)
    newest_env python "$REPO_ROOT/tests/guides/run_guides.py" --workdir "$work" || rc=1
    run_core 2.21 python "$REPO_ROOT/tests/warning_scan.py" "$work/output" || rc=1
    rm -rf "$work"
    return "$rc"
}

gate_live_emulator() { # make live: skips cleanly without credentials, and its playbooks pass on the emulator
    local rc=0 work out
    out="$(env -i PATH="$PATH" HOME="$(mktemp -d)" "$REPO_ROOT/tools/live.sh" 2>&1)" || rc=1
    printf '%s
' "$out"
    [ "$out" = "skipped: no credentials (set HWCLOUD_* variables or a clouds.yaml profile; see guide_contributing.rst)" ] \
        || { echo "FAIL make live without credentials must print one skipped line and exit 0"; rc=1; }
    work="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-live.XXXXXX")"
    EMULATOR_LIFETIME=600 start_emulator "$work/emulator" "$(venv_path 2.21)/bin/python" --max-requests 2000
    # the same environment-only configuration as against a real cloud; the write path too
    HWCLOUD_ACCESS_KEY=EMUAK0000000000000001 HWCLOUD_SECRET_KEY=emu-secret-key-0000000000000000000000000001 \
        HWCLOUD_IAM_ENDPOINT="$EMULATOR_URL" HWCLOUD_MODELARTS_ENDPOINT="$EMULATOR_URL" HWCLOUD_PROJECT_NAME=eu-de \
        HWCLOUD_LIVE_WRITE=1 HWCLOUD_LIVE_TRAIN_URL=/emulator-bucket/live/output/ LIVE_REPORT_DIR="$work" \
        "$REPO_ROOT/tools/live.sh" 2>&1 | tee "$work/live.out"
    [ "${PIPESTATUS[0]}" = 0 ] || rc=1
    run_core 2.21 python "$REPO_ROOT/tests/warning_scan.py" "$work/live.out" || rc=1
    for report in read.json write.json; do
        if [ -s "$work/$report" ]; then echo "$report:"; cat "$work/$report"; else echo "FAIL no $report"; rc=1; fi
    done
    stop_emulator
    rm -rf "$work"
    return "$rc"
}

# gate_demo: `make demo` with only Python 3.11 and with only Python 3.13 on PATH (each in its own
# venv, .venv/demo-python3.X, reused by later runs), which interpreter the demo picks and which core it installs
gate_demo() {
    local rc=0 minor py out
    local -A demo_core=([3.11]=2.19 [3.13]=2.22)
    DEMO_CHECK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-demo-check.XXXXXX")"
    python_free_bin "$DEMO_CHECK_DIR/nopython"
    local -A found=()
    for minor in 3.9 3.10 3.11 3.12 3.13; do
        if py="$(find_python "$minor")"; then found[$minor]="$py"; else echo "no Python $minor here"; fi
    done
    for minor in 3.10 3.11 3.12 3.13; do
        [ -n "${found[$minor]:-}" ] || continue
        check_demo_choice "only-$minor" "$minor" "$(dirname "${found[$minor]}")" || rc=1
    done
    mkdir -p "$DEMO_CHECK_DIR/py39-and-312" "$DEMO_CHECK_DIR/py311-and-313" "$DEMO_CHECK_DIR/py39"
    if [ -n "${found[3.9]:-}" ]; then
        ln -s "${found[3.9]}" "$DEMO_CHECK_DIR/py39/python3"
        check_demo_choice "only-3.9" none "$DEMO_CHECK_DIR/py39" || rc=1
        if [ -n "${found[3.12]:-}" ]; then
            ln -s "${found[3.9]}" "$DEMO_CHECK_DIR/py39-and-312/python3"
            ln -s "${found[3.12]}" "$DEMO_CHECK_DIR/py39-and-312/python3.12"
            check_demo_choice "python3-is-3.9-and-python3.12" 3.12 "$DEMO_CHECK_DIR/py39-and-312" || rc=1
        fi
    fi
    if [ -n "${found[3.11]:-}" ] && [ -n "${found[3.13]:-}" ]; then
        ln -s "${found[3.11]}" "$DEMO_CHECK_DIR/py311-and-313/python3"
        ln -s "${found[3.13]}" "$DEMO_CHECK_DIR/py311-and-313/python3.13"
        check_demo_choice "python3-first" 3.11 "$DEMO_CHECK_DIR/py311-and-313" || rc=1
    fi
    for minor in 3.11 3.13; do
        if [ -z "${found[$minor]:-}" ]; then
            echo "FAIL demo on only Python $minor: no Python $minor found (pyenv install $minor)"
            rc=1
            continue
        fi
        echo "---- make demo with only Python $minor on PATH ----"
        out="$(PATH="$(dirname "${found[$minor]}"):$DEMO_CHECK_DIR/nopython" DEMO_VENV="$VENV_DIR/demo-python$minor" \
            "$REPO_ROOT/tools/demo.sh" 2>&1)" || { printf '%s\n' "$out"; echo "FAIL demo on only Python $minor"; rc=1; continue; }
        printf '%s\n' "$out" | tee "$DEMO_CHECK_DIR/demo-python$minor.out"
        run_core 2.21 python "$REPO_ROOT/tests/warning_scan.py" "$DEMO_CHECK_DIR/demo-python$minor.out" || rc=1
        # the seeded job is running, so the demo must take that branch
        grep -q 'tb-resnet50 is running: open http' <<<"$out" || { echo "FAIL demo on only Python $minor: not the running branch"; rc=1; }
        # and the lifecycle part: the created job reached running and showed its URL
        grep -qE '\(id [0-9]+\) is running: open http' <<<"$out" \
            || { echo "FAIL demo on only Python $minor: the created job did not run"; rc=1; }
        # the newest core that Python supports (tests/requirements-demo.txt): 2.22, the release candidate included, on 3.13
        grep -qE "demo: Python $minor\.[0-9]+ from .*, ansible-core ${demo_core[$minor]}\." <<<"$out" \
            || { echo "FAIL demo on only Python $minor: wanted ansible-core ${demo_core[$minor]}"; rc=1; }
    done
    rm -rf "$DEMO_CHECK_DIR"
    return "$rc"
}

oldest_core() { local entry="${CORE_MATRIX[0]}"; printf '%s\n' "${entry%% *}"; }
newest_core() { local entry="${CORE_MATRIX[${#CORE_MATRIX[@]}-1]}"; printf '%s\n' "${entry%% *}"; }

gate_reliability() { # faults, bad input, TLS and secret exposure through ansible-playbook, on the oldest and newest core
    local rc=0
    "$(venv_path "$(newest_core)")/bin/python" "$REPO_ROOT/tests/reliability/run.py" --save-output \
        --python-venv "$(venv_path "$(oldest_core)")" --python-venv "$(venv_path "$(newest_core)")" || rc=1
    run_core 2.21 python "$REPO_ROOT/tests/warning_scan.py" "$REPO_ROOT/tests/output/reliability" || rc=1
    return "$rc"
}

gate_benchmark() { # the benchmark's small run (SDK included): asserts the exact request counts, never timings
    local work rc=0
    work="$(mktemp -d "${TMPDIR:-/tmp}/hwcloud-modelarts-bench.XXXXXX")"
    "$REPO_ROOT/tools/bench.sh" --small --sdk --outputs "$work" || rc=1
    run_core 2.21 python "$REPO_ROOT/tests/warning_scan.py" "$work" || rc=1
    rm -rf "$work"
    return "$rc"
}

# --- runner ------------------------------------------------------------------

excerpt() { # log file -> the error lines, then the last lines
    local hits
    hits="$(grep -nE '^(ERROR|FATAL|FAILED)|[[:space:]](ERROR|FAILED)[[:space:]:]|fatal:|failed=[1-9]|Traceback' "$1" | head -n 40)"
    echo "---- tests/output/gates/$(basename "$1"): error lines ----"
    [ -n "$hits" ] && printf '%s\n' "$hits"
    echo "---- last lines ----"
    tail -n "${GATE_LOG_TAIL:-15}" "$1"
}

in_list() { # WORD LIST...: true when WORD is one of LIST
    local word="$1" item
    shift
    for item in "$@"; do
        [ "$item" = "$word" ] && return 0
    done
    return 1
}

slots_of() { # gate -> the CPU slots it takes (0 for a waiting gate)
    if in_list "$1" "${WAIT_GATES[@]}"; then
        echo 0
    elif in_list "$1" "${WIDE_GATES[@]}"; then
        echo "$CPU_SLOTS"
    else
        echo 1
    fi
}

# run_gate GATE: run it, its output to <gate>.log, "<rc> <wall seconds> <cpu seconds>" to <gate>.rc. The CPU
# seconds are user+sys of everything the gate ran (bash's `times`: this subshell and its waited-for children).
run_gate() {
    local started=$SECONDS rc=0
    "$(gate_function "$1")" </dev/null >"$LOG_DIR/$1.log" 2>&1 || rc=$?
    times >"$LOG_DIR/$1.times"
    printf '%s %s %s\n' "$rc" "$((SECONDS - started))" "$(cpu_seconds "$LOG_DIR/$1.times")" >"$LOG_DIR/$1.rc"
}

cpu_seconds() { # output of `times` -> the sum of its four figures, in whole seconds
    tr ' ' '\n' <"$1" | sed -n 's/^\([0-9]*\)m\([0-9.]*\)s$/\1 \2/p' | awk '{ t += $1 * 60 + $2 } END { printf "%d\n", t + 0.5 }'
}

gate_function() { # gate name -> function name
    local fn="${1//-/_}"
    printf 'gate_%s\n' "${fn//./}"
}

# report_gate GATE: its PASS/FAIL line (and the excerpt of a failure, the gate's note) as soon as it ended
report_gate() {
    local gate="$1" rc wall cpu
    read -r rc wall cpu <<<"$(cat "$LOG_DIR/$gate.rc" 2>/dev/null || echo "1 0 0")"
    if [ "$rc" = 0 ]; then
        printf 'PASS %-24s %5ss\n' "$gate" "$wall" | tee -a "$LOG_DIR/summary.txt"
    else
        excerpt "$LOG_DIR/$gate.log" | sed 's/^/    /'
        printf 'FAIL %-24s %5ss (rc=%s)\n' "$gate" "$wall" "$rc" | tee -a "$LOG_DIR/summary.txt"
    fi
    [ -s "$LOG_DIR/$gate.note" ] && sed 's/^/     /' "$LOG_DIR/$gate.note" | tee -a "$LOG_DIR/summary.txt"
    return 0
}

# time_table GATE...: each gate's result, start (seconds after the first gate started), wall and CPU seconds
time_table() {
    local gate rc wall cpu sum_wall=0 sum_cpu=0
    echo "---- time table (start: seconds after the first gate started; cpu: user+sys seconds) ----"
    printf '%-24s %-6s %6s %6s %6s\n' gate result start wall cpu
    for gate in "$@"; do
        read -r rc wall cpu <<<"$(cat "$LOG_DIR/$gate.rc" 2>/dev/null || echo "1 0 0")"
        printf '%-24s %-6s %6s %6s %6s\n' "$gate" "$([ "$rc" = 0 ] && echo PASS || echo FAIL)" \
            "${GATE_START[$gate]:-?}" "$wall" "$cpu"
        sum_wall=$((sum_wall + wall))
        sum_cpu=$((sum_cpu + cpu))
    done
    printf '%-24s %-6s %6s %6s %6s\n' "sum of the gates" "" "" "$sum_wall" "$sum_cpu"
}

# schedule GATE...: run the gates in the two lanes described at GATES, report each as it ends
declare -A GATE_START=()
schedule() {
    local -a pending=("$@")
    local -A running=() held=() need=()
    local free="$CPU_SLOTS" gate pid slots lock t0=$SECONDS
    for gate in "$@"; do
        slots="$(slots_of "$gate")"
        [ "$slots" -gt "$CPU_SLOTS" ] && slots="$CPU_SLOTS"
        need[$gate]="$slots"
    done
    while [ "${#pending[@]}" -gt 0 ] || [ "${#running[@]}" -gt 0 ]; do
        # start the next gates while their turn has come and they fit
        while [ "${#pending[@]}" -gt 0 ]; do
            gate="${pending[0]}"
            lock="${GATE_LOCKS[$gate]:-}"
            [ "${need[$gate]}" -le "$free" ] || break
            [ -z "$lock" ] || [ -z "${held[$lock]:-}" ] || break
            rm -f "$LOG_DIR/$gate.note" "$LOG_DIR/$gate.rc" "$LOG_DIR/$gate.times" # a gate may leave one line to show after its result
            run_gate "$gate" &
            running[$!]="$gate"
            GATE_START[$gate]=$((SECONDS - t0))
            free=$((free - need[$gate]))
            [ -z "$lock" ] || held[$lock]="$gate"
            pending=("${pending[@]:1}")
        done
        [ "${#running[@]}" -gt 0 ] || break
        pid=
        wait -n -p pid "${!running[@]}" || true
        [ -n "$pid" ] && [ -n "${running[$pid]:-}" ] || continue
        gate="${running[$pid]}"
        unset "running[$pid]"
        free=$((free + need[$gate]))
        lock="${GATE_LOCKS[$gate]:-}"
        [ -z "$lock" ] || unset "held[$lock]"
        report_gate "$gate"
    done
}

main() {
    if [ "${1:-}" = "--list" ]; then
        printf '%s\n' "${GATES[@]}"
        return 0
    fi
    local -a selected=("$@")
    [ "${#selected[@]}" -gt 0 ] || selected=("${GATES[@]}")
    local gate
    for gate in "${selected[@]}"; do
        declare -F "$(gate_function "$gate")" >/dev/null || die "unknown gate: $gate (see --list)"
    done

    mkdir -p "$LOG_DIR"
    local passed=0 failed=0 start t0 rc
    local -a failures=()
    start=$SECONDS
    log "bootstrap"
    t0=$SECONDS
    if ! "$REPO_ROOT/tools/bootstrap.sh" >"$LOG_DIR/bootstrap.log" 2>&1; then
        tail -n 40 "$LOG_DIR/bootstrap.log"
        printf 'FAIL %-24s %5ss\n' bootstrap "$((SECONDS - t0))"
        echo "0 passed, 1 failed"
        return 1
    fi
    local bootstrap_wall=$((SECONDS - t0))
    printf 'ok   %-24s %5ss\n' bootstrap "$bootstrap_wall"
    # Keep the venvs from being rebuilt under the gates (tools/bootstrap.sh takes this lock
    # exclusively to rebuild), and tell nested scripts (tools/bench.sh...) not to bootstrap again.
    exec 8>>"$VENV_DIR/.bootstrap.lock"
    flock -s 8
    export HWCLOUD_MODELARTS_BOOTSTRAPPED=1
    # made once here: gates that start at the same time would race to create it
    collections_path >/dev/null

    : >"$LOG_DIR/summary.txt"
    log "${#selected[@]} gates; at most $CPU_SLOTS CPU-bound at once, next to the waiting ones"
    schedule "${selected[@]}"
    for gate in "${selected[@]}"; do
        read -r rc _ <<<"$(cat "$LOG_DIR/$gate.rc" 2>/dev/null || echo 1)"
        if [ "$rc" = 0 ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            failures+=("$gate")
        fi
    done
    time_table "${selected[@]}" | tee -a "$LOG_DIR/summary.txt"
    printf '%-24s %-6s %6s %6s\n' bootstrap ok "" "$bootstrap_wall" | tee -a "$LOG_DIR/summary.txt"
    echo "total $((SECONDS - start))s (bootstrap included); logs in tests/output/gates/" | tee -a "$LOG_DIR/summary.txt"
    [ "$failed" = 0 ] || echo "failed gates: ${failures[*]}"
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ]
}

main "$@"
