#!/usr/bin/env bash
# Cut a release of hwcloud.modelarts (called by `make release VERSION=X.Y.Z`).
#
#   tools/release.sh X.Y.Z
#
# 1. refuses a missing VERSION, a dirty tree (any `git status --porcelain` line) and an existing tag X.Y.Z;
# 2. tools/version.py set X.Y.Z (refuses a version that is not semver or not newer than the last release;
#    writes galaxy.yml, the User-Agent, the tarball names and every unreleased version_added), then
#    tools/version.py check;
# 3. antsibull-changelog release --version X.Y.Z: the fragments become the release's section of
#    CHANGELOG.rst and changelogs/changelog.yaml, and are deleted;
# 4. builds build/release/hwcloud-modelarts-X.Y.Z.tar.gz and runs galaxy-importer on it: any ERROR or
#    WARNING line fails the release;
# 5. commits "Release X.Y.Z" and makes the annotated tag X.Y.Z (no "v", like the community collections);
# 6. prints the `ansible-galaxy collection publish` command; it does not run it (nor push).
#
# A failing step stops the release with a message naming it, and the tree is put back as it was
# (git reset --hard to the starting commit, git clean of untracked files, the tag removed): nothing is
# committed or tagged. The venvs are made by tools/bootstrap.sh as for every other target.
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION="${1:-}"
TAG="$VERSION"
OUT_DIR="$REPO_ROOT/build/release"
STEP="start"
START_HEAD=""
RELEASED=0

main() {
    refuse_unless_releasable
    START_HEAD="$(git -C "$REPO_ROOT" rev-parse HEAD)"
    trap restore_unless_released EXIT
    step "bootstrap the tools venv" "$REPO_ROOT/tools/bootstrap.sh" 2.21
    step "set the version $VERSION" version_tool set "$VERSION"
    step "check the version" version_tool check
    step "antsibull-changelog release" "$REPO_ROOT/tools/changelog.sh" release --version "$VERSION" --reload-plugins
    step "build the tarball" build_tarball
    step "galaxy-importer" galaxy_importer "$(tarball_path)" "$OUT_DIR/importer"
    step "commit and tag" commit_and_tag
    RELEASED=1
    print_publish_command
}

# refuse_unless_releasable: stop (before anything is changed) without a VERSION, on a dirty tree or an existing tag
refuse_unless_releasable() {
    [ -n "$VERSION" ] || die "no VERSION: make release VERSION=X.Y.Z"
    git -C "$REPO_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "$REPO_ROOT is not a git work tree"
    local dirty
    dirty="$(git -C "$REPO_ROOT" status --porcelain)"
    if [ -n "$dirty" ]; then
        printf '%s\n' "$dirty" >&2
        die "the tree is not clean (the lines above); commit or remove the changes before releasing"
    fi
    if git -C "$REPO_ROOT" rev-parse -q --verify "refs/tags/$TAG" >/dev/null; then
        die "the tag $TAG exists already"
    fi
}

step() { # NAME CMD...: run one step; its failure stops the release (set -e) and the EXIT trap restores the tree
    STEP="$1"
    shift
    log "== $STEP"
    "$@"
}

version_tool() { # ARGS...: tools/version.py with the tools venv's Python (the script needs only the standard library)
    "$(venv_path 2.21)/bin/python" "$REPO_ROOT/tools/version.py" --root "$REPO_ROOT" "$@"
}

tarball_path() {
    printf '%s/%s-%s-%s.tar.gz\n' "$OUT_DIR" "$COLLECTION_NAMESPACE" "$COLLECTION_NAME" "$VERSION"
}

build_tarball() { # the collection tarball of the working tree into build/release/
    rm -rf "$OUT_DIR"
    mkdir -p "$OUT_DIR"
    (cd "$REPO_ROOT" && "$(venv_path 2.21)/bin/ansible-galaxy" collection build --force --output-path "$OUT_DIR" .)
    [ -f "$(tarball_path)" ] || die "ansible-galaxy did not write $(tarball_path)"
}

commit_and_tag() {
    git -C "$REPO_ROOT" add -A
    git -C "$REPO_ROOT" commit -q -m "Release $VERSION"
    git -C "$REPO_ROOT" tag -a "$TAG" -m "Release $VERSION"
    log "committed $(git -C "$REPO_ROOT" rev-parse --short HEAD) \"Release $VERSION\", tagged $TAG"
}

# restore_unless_released: the EXIT trap; after a failed step, back to the starting commit with a clean tree
restore_unless_released() {
    local rc=$?
    [ "$RELEASED" = 1 ] && return 0
    git -C "$REPO_ROOT" tag -d "$TAG" >/dev/null 2>&1 || true
    git -C "$REPO_ROOT" reset -q --hard "$START_HEAD"
    git -C "$REPO_ROOT" clean -fdq
    log "ERROR: release $VERSION failed at step '$STEP' (exit $rc); the tree is back at ${START_HEAD:0:12}, nothing committed or tagged"
    exit 1
}

print_publish_command() {
    local tarball
    tarball="$(tarball_path)"
    cat <<EOF

Release $VERSION is committed and tagged $TAG; the tarball is ${tarball#"$REPO_ROOT"/}.
To publish it (not done here; Galaxy is not reachable from this machine):

    git push origin HEAD $TAG
    ansible-galaxy collection publish ${tarball#"$REPO_ROOT"/} --api-key "\$GALAXY_API_KEY"
EOF
}

main "$@"
