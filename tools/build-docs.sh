#!/usr/bin/env bash
# Render the collection's HTML docsite (plugin pages + docs/docsite/rst guides) into docs/build/html.
#
#   tools/build-docs.sh     # then open docs/build/html/index.html
#
# Uses antsibull-docs the way `antsibull-docs sphinx-init --use-current` sets it up
# (Sphinx + sphinx-ansible-theme), in the ignored folder docs/build/. Sphinx runs with
# -W --keep-going: any warning (broken reference, bad RST) fails the build.
# The generated conf.py maps intersphinx to Ansible's online inventories, which this
# machine (and CI) cannot download. Instead, a small local inventory maps the labels of
# Ansible's docsite that antsibull-docs' templates link to (ANSIBLE_LABELS below) to
# their pages on docs.ansible.com, so those links still work in the HTML. A new
# "undefined label" warning means a label is missing from ANSIBLE_LABELS.
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV="$(venv_path 2.21)"
[ -x "$VENV/bin/antsibull-docs" ] || "$REPO_ROOT/tools/bootstrap.sh" 2.21
PATH="$VENV/bin:$(path_without_shims)"
export PATH
ANSIBLE_COLLECTIONS_PATH="$(collections_path)"
export ANSIBLE_COLLECTIONS_PATH

BUILD="$REPO_ROOT/docs/build"
SITE="$BUILD/sphinx"          # sphinx-init output: conf.py, antsibull-docs.cfg, rst/
rm -rf "$SITE" "$BUILD/html" "$BUILD/doctrees"
mkdir -p "$SITE"

antsibull-docs sphinx-init --use-current --dest-dir "$SITE" \
    --project "hwcloud.modelarts" --copyright "hwcloud.modelarts contributors" \
    --title "hwcloud.modelarts" --html-short-title "hwcloud.modelarts" \
    "$COLLECTION_NAMESPACE.$COLLECTION_NAME"
# label -> "page.html#anchor title", relative to ANSIBLE_DOCS
ANSIBLE_DOCS=https://docs.ansible.com/projects/ansible/devel/
ANSIBLE_LABELS=(
    "ansible_configuration_settings reference_appendices/config.html#ansible-configuration-settings Ansible Configuration Settings"
    "common_return_values reference_appendices/common_return_values.html#common-return-values Return Values"
    "collections_keyword collections_guide/collections_using_playbooks.html#collections-keyword Simplifying module names with the collections keyword"
    "list_of_collections collections/index.html#list-of-collections Collection Index"
    "action_plugins plugins/action.html#action-plugins Action plugins"
)
python - "$SITE/ansible_devel.inv" "${ANSIBLE_LABELS[@]}" <<'PY'
import sys
import zlib

lines = []
for entry in sys.argv[2:]:
    name, uri, title = entry.split(" ", 2)
    lines.append("%s std:label -1 %s %s" % (name, uri, title))
header = "# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n# The remainder of this file is compressed using zlib.\n"
with open(sys.argv[1], "wb") as handle:
    handle.write(header.encode() + zlib.compress(("\n".join(lines) + "\n").encode()))
PY
cat >>"$SITE/conf.py" <<PY

# Added by tools/build-docs.sh: no network here, so a local inventory of the few
# Ansible docsite labels antsibull-docs links to.
intersphinx_mapping = {'ansible_devel': ('${ANSIBLE_DOCS}', '${SITE}/ansible_devel.inv')}
PY

mkdir -p "$SITE/rst"
chmod og-w "$SITE/rst"  # antsibull-docs wants that directory only writable by itself
antsibull-docs --config-file "$SITE/antsibull-docs.cfg" collection \
    --use-current --fail-on-error --cleanup everything --dest-dir "$SITE/rst" \
    "$COLLECTION_NAMESPACE.$COLLECTION_NAME"

# -M html SOURCE BUILD puts the pages into BUILD/html, i.e. docs/build/html
sphinx-build -M html "$SITE/rst" "$BUILD" -c "$SITE" -W --keep-going -q
log "HTML docs: ${BUILD#"$REPO_ROOT"/}/html/index.html"
