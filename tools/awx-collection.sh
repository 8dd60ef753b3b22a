#!/usr/bin/env bash
# Print a collections path that holds awx.awx, taken from PyPI (there is no Galaxy access in CI).
#
#   tools/awx-collection.sh      # -> .cache/awx-collection (its ansible_collections/awx/awx)
#
# awx.awx is on PyPI only inside the `ansible` community package: ansible 10.0.0 to 13.8.0 carry
# awx.awx 24.6.1 (its last release), ansible 14 none. The wheel of ANSIBLE_PACKAGE is downloaded once
# into .cache/pypi (pip, no dependencies) and only ansible_collections/awx/awx is unpacked from it;
# a stamp names the wheel, so a changed pin unpacks again. Nothing goes into the shared venvs.
set -euo pipefail
# shellcheck source=tools/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ANSIBLE_PACKAGE="${ANSIBLE_PACKAGE:-ansible==13.8.0}"
WHEELS="$REPO_ROOT/.cache/pypi"
DEST="$REPO_ROOT/.cache/awx-collection"
PYTHON="$(venv_path 2.21)/bin/python"
wheel="$WHEELS/ansible-${ANSIBLE_PACKAGE#ansible==}-py3-none-any.whl"

if [ ! -f "$wheel" ]; then
    log "downloading $ANSIBLE_PACKAGE from PyPI (awx.awx is inside it)"
    "$PYTHON" -m pip download --quiet --no-deps --only-binary :all: --dest "$WHEELS" "$ANSIBLE_PACKAGE" >&2 \
        || die "pip could not download $ANSIBLE_PACKAGE"
    [ -f "$wheel" ] || die "pip did not write $wheel"
fi
if [ "$(cat "$DEST/.stamp" 2>/dev/null)" != "$(basename "$wheel")" ]; then
    rm -rf "$DEST"
    "$PYTHON" - "$wheel" "$DEST" <<'PY' || die "could not unpack awx.awx from $wheel"
import json, sys, zipfile
wheel, dest = sys.argv[1:]
prefix = "ansible_collections/awx/awx/"
with zipfile.ZipFile(wheel) as archive:
    names = [name for name in archive.namelist() if name.startswith(prefix)]
    if not names:
        sys.exit("%s holds no %s" % (wheel, prefix))
    archive.extractall(dest, names)
    version = json.loads(archive.read(prefix + "MANIFEST.json"))["collection_info"]["version"]
print("awx.awx %s unpacked from %s" % (version, wheel.rsplit("/", 1)[-1]), file=sys.stderr)
PY
    basename "$wheel" > "$DEST/.stamp"
fi
printf '%s\n' "$DEST"
