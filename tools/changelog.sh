#!/usr/bin/env bash
# Changelog helper around antsibull-changelog (runs in the .venv/core2.21 tools venv).
#
#   tools/changelog.sh lint       # check changelogs/fragments/*.yml and changelogs/changelog.yaml
#   tools/changelog.sh preview    # render the notes of the upcoming release, without touching the tree
#   tools/changelog.sh release    # the changelog step of `make release VERSION=X.Y.Z` (tools/release.sh; edits the tree)
#   tools/changelog.sh generate   # re-render CHANGELOG.rst from changelogs/changelog.yaml
#
# The releases are recorded in changelogs/changelog.yaml and CHANGELOG.rst is
# generated from it. Each user-visible change adds a fragment to
# changelogs/fragments/; `release` (run by tools/release.sh after tools/version.py set)
# records the fragments in changelog.yaml, adds "New Modules" from each plugin's
# version_added, regenerates CHANGELOG.rst and deletes the fragments (keep_fragments: false).
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV="$(venv_path 2.21)"
[ -x "$VENV/bin/antsibull-changelog" ] || "$REPO_ROOT/tools/bootstrap.sh" 2.21
export PATH="$VENV/bin:$PATH"
ANSIBLE_COLLECTIONS_PATH="$(collections_path)"
export ANSIBLE_COLLECTIONS_PATH

case "${1:-}" in
    lint)
        cd "$REPO_ROOT"
        antsibull-changelog lint
        antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
        ;;
    preview)
        copy="$("$REPO_ROOT/tools/collection-path.sh" --print)"
        trap 'rm -rf "${copy%/ansible_collections/*}"' EXIT
        (cd "$copy" && ANSIBLE_COLLECTIONS_PATH="${copy%/ansible_collections/*}" antsibull-changelog release >&2 && cat CHANGELOG.rst)
        ;;
    release)
        cd "$REPO_ROOT"
        shift
        antsibull-changelog release "$@"
        ;;
    generate)
        cd "$REPO_ROOT"
        antsibull-changelog generate
        ;;
    -h | --help | "")
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
        ;;
    *) die "unknown command: $1 (try --help)" ;;
esac
