# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check and set the collection version in every place that holds it.

Usage: python3 tools/version.py check
       python3 tools/version.py set X.Y.Z
       (both take --root DIR, the checkout; the default is the checkout holding this file)

The version lives in galaxy.yml (``version``), in the User-Agent constant
(plugins/module_utils/_version.py, ``COLLECTION_VERSION``) and in every tarball name
``hwcloud-modelarts-X.Y.Z.tar.gz`` of a tracked file (the EE and decision-environment
definitions, the README, the guides; not changelogs/ or CHANGELOG.rst, which are history).

``check`` prints each place and exits 1, naming each place whose version differs from
galaxy.yml's. It also lists the plugins' unreleased ``version_added`` values (informational).

``set X.Y.Z`` refuses a version that is not semantic versioning (https://semver.org) or not
newer than the last release in changelogs/changelog.yaml, then writes X.Y.Z in every place,
and in each ``version_added`` of the plugin documentation (plugins/, extensions/eda/plugins/)
whose value is newer than the last release: unreleased values become X.Y.Z, released ones stay.

Plain Python 3 (standard library only): the files are read and rewritten line by line, so
their formatting and comments stay as they are.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import namedtuple

TARBALL_PREFIX = "hwcloud-modelarts-"
# https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
SEMVER = (r"(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)"
          r"(?:-(?:(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
          r"(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?")
SEMVER_RE = re.compile(r"^%s$" % SEMVER)

GALAXY_YML = "galaxy.yml"
VERSION_PY = os.path.join("plugins", "module_utils", "_version.py")
CHANGELOG_YAML = os.path.join("changelogs", "changelog.yaml")
# where plugin documentation (and so version_added) lives
PLUGIN_DOC_DIRS = ("plugins", os.path.join("extensions", "eda", "plugins"))
PLUGIN_DOC_SUFFIXES = (".py", ".yml", ".yaml")
# files that name old tarballs on purpose: the release history
HISTORY_PATHS = ("changelogs/", "CHANGELOG.rst")
# directories never scanned when the checkout is not a git work tree
SKIPPED_DIRS = {".git", ".venv", ".cache", ".ansible", ".pytest_cache", "build", "collections", "__pycache__", "output"}

# One pattern per kind of place; group 1 is the text before the version, group 2 the version.
PLACE_PATTERNS = {
    "galaxy.yml version": re.compile(r"^(version:\s*['\"]?)(%s)(?=['\"]?\s*(#.*)?$)" % SEMVER),
    "User-Agent version": re.compile(r"^(COLLECTION_VERSION\s*=\s*['\"])(%s)(?=['\"])" % SEMVER),
    "tarball name": re.compile(r"(%s)(%s)(?=\.tar\.gz)" % (re.escape(TARBALL_PREFIX), SEMVER)),
}
VERSION_ADDED_RE = re.compile(r"^(\s*version_added:\s*['\"]?)(%s)(?=['\"]?\s*(#.*)?$)" % SEMVER)

# path: relative to the root; line: 1-based; kind: a PLACE_PATTERNS key or "version_added"
Place = namedtuple("Place", "path line kind version")


class VersionError(Exception):
    """A version, or a file holding one, that cannot be used; the message says why."""


def main(argv=None):
    """Run ``check`` or ``set``; return the exit code."""
    args = _parse_args(argv)
    try:
        if args.command == "check":
            return check(args.root)
        return set_version(args.root, args.version)
    except VersionError as exc:
        print("ERROR: %s" % exc, file=sys.stderr)
        return 1


def _parse_args(argv):
    """The command line: the command, its version and --root."""
    default_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description="Check or set the collection version everywhere it is written.")
    parser.add_argument("--root", default=default_root, help="the checkout (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="print every place holding the version; fail when they differ")
    setter = commands.add_parser("set", help="write VERSION everywhere; unreleased version_added become VERSION")
    setter.add_argument("version", help="the new version, X.Y.Z (semantic versioning)")
    return parser.parse_args(argv)


def check(root):
    """Print every place holding the version; return 1 naming each one that differs from galaxy.yml."""
    places = version_places(root)
    expected = galaxy_version(places)
    for place in places:
        print("%s:%d: %s %s" % (place.path, place.line, place.kind, place.version))
    last = last_release(root)
    for place in version_added_places(root):
        if last is None or is_newer(place.version, last):
            print("%s:%d: version_added %s (unreleased; the next release sets it)" % (place.path, place.line, place.version))
    mismatches = [place for place in places if place.version != expected]
    for place in mismatches:
        print("MISMATCH %s:%d: %s is %s, galaxy.yml has %s" % (place.path, place.line, place.kind, place.version, expected),
              file=sys.stderr)
    if mismatches:
        return 1
    print("the version is %s in all %d places" % (expected, len(places)))
    return 0


def set_version(root, version):
    """Write ``version`` in every place and in each unreleased version_added; return 0."""
    validate(version)
    last = last_release(root)
    if last is not None and not is_newer(version, last):
        raise VersionError("%s is not newer than the last release in %s, %s" % (version, CHANGELOG_YAML, last))
    places = version_places(root)
    galaxy_version(places)  # galaxy.yml must hold a version before anything is written
    unreleased = [place for place in version_added_places(root) if last is None or is_newer(place.version, last)]
    for place in places + unreleased:
        if place.version != version:
            print("%s:%d: %s %s -> %s" % (place.path, place.line, place.kind, place.version, version))
    _rewrite(root, places + unreleased, version)
    print("set %s in %d places and %d version_added (last release: %s)" % (version, len(places), len(unreleased), last or "none"))
    return 0


def validate(version):
    """Raise VersionError unless ``version`` is X.Y.Z semantic versioning (pre-release and build allowed)."""
    if not SEMVER_RE.match(version or ""):
        raise VersionError("%r is not a semantic version X.Y.Z (https://semver.org)" % (version,))


def version_key(version):
    """Sort key of a semantic version: precedence as semver.org defines it (build metadata ignored)."""
    validate(version)
    core, _sep, pre = version.split("+", 1)[0].partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    identifiers = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre.split(".")) if pre else ()
    # a release sorts after each of its pre-releases
    return (major, minor, patch, 0 if pre else 1, identifiers)


def is_newer(version, other):
    """True when ``version`` has a higher precedence than ``other``."""
    return version_key(version) > version_key(other)


def galaxy_version(places):
    """The version galaxy.yml holds (the reference of ``check``); VersionError when it holds none."""
    for place in places:
        if place.kind == "galaxy.yml version":
            return place.version
    raise VersionError("%s has no 'version: X.Y.Z' line" % GALAXY_YML)


def last_release(root):
    """The newest version in changelogs/changelog.yaml's ``releases``, or None before the first release."""
    versions = released_versions(root)
    return max(versions, key=version_key) if versions else None


def released_versions(root):
    """The keys of the ``releases`` mapping of changelogs/changelog.yaml (antsibull-changelog's block style)."""
    path = os.path.join(root, CHANGELOG_YAML)
    if not os.path.exists(path):
        return []
    versions, indent = [], None
    in_releases = False
    for line in _read_lines(path):
        stripped = line.rstrip()
        if not stripped or stripped.lstrip().startswith("#") or stripped == "---":
            continue
        depth = len(stripped) - len(stripped.lstrip())
        if depth == 0:
            in_releases = stripped == "releases:"
            continue
        if in_releases and (indent is None or depth == indent):
            indent = depth
            key = stripped.strip().rstrip(":").strip("'\"")
            if SEMVER_RE.match(key):
                versions.append(key)
    return versions


def version_places(root):
    """Every place holding the collection version: galaxy.yml, the User-Agent constant, tarball names."""
    places = _places_in(root, GALAXY_YML, ("galaxy.yml version",))
    places += _places_in(root, VERSION_PY, ("User-Agent version",))
    if not any(place.kind == "User-Agent version" for place in places):
        raise VersionError("%s has no COLLECTION_VERSION = \"X.Y.Z\" line" % VERSION_PY)
    for path in _text_files(root):
        if not path.startswith(HISTORY_PATHS):
            places += _places_in(root, path, ("tarball name",))
    return places


def version_added_places(root):
    """Every ``version_added: X.Y.Z`` of the plugin documentation (plugins/, extensions/eda/plugins/)."""
    places = []
    for top in PLUGIN_DOC_DIRS:
        for directory, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(name for name in dirs if name not in SKIPPED_DIRS)
            for name in sorted(files):
                if name.endswith(PLUGIN_DOC_SUFFIXES):
                    path = os.path.relpath(os.path.join(directory, name), root)
                    places += _matches(root, path, "version_added", VERSION_ADDED_RE)
    return places


def _places_in(root, path, kinds):
    """The places of the given kinds in one file (none when the file does not exist)."""
    if not os.path.isfile(os.path.join(root, path)):
        return []
    places = []
    for kind in kinds:
        places += _matches(root, path, kind, PLACE_PATTERNS[kind])
    return places


def _matches(root, path, kind, pattern):
    """Each match of ``pattern`` in ``path`` as a Place (a line may hold several tarball names)."""
    places = []
    for number, line in enumerate(_read_lines(os.path.join(root, path)), 1):
        for match in pattern.finditer(line):
            places.append(Place(path.replace(os.sep, "/"), number, kind, match.group(2)))
    return places


def _text_files(root):
    """The files to scan for tarball names: git's tracked files, else every file outside build/venv dirs."""
    try:
        listed = subprocess.run(["git", "-C", root, "ls-files", "-z"], check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        listed = None
    if listed:
        paths = [path for path in listed.decode("utf-8").split("\0") if path]
    else:
        paths = []
        for directory, dirs, files in os.walk(root):
            dirs[:] = sorted(name for name in dirs if name not in SKIPPED_DIRS and not name.startswith(".venv"))
            paths += [os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/") for name in sorted(files)]
    return [path for path in paths if _is_text(os.path.join(root, path))]


def _is_text(path):
    """True for a regular UTF-8 file without NUL bytes (tarballs, images and links are skipped)."""
    if os.path.islink(path) or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return b"\0" not in data


def _read_lines(path):
    """The lines of a UTF-8 file, line endings kept."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read().splitlines(True)


def _rewrite(root, places, version):
    """Write ``version`` over the version of each place, file by file, leaving every other byte alone."""
    by_path = {}
    for place in places:
        by_path.setdefault(place.path, []).append(place)
    for path, file_places in sorted(by_path.items()):
        full = os.path.join(root, path)
        lines = _read_lines(full)
        for place in file_places:
            pattern = VERSION_ADDED_RE if place.kind == "version_added" else PLACE_PATTERNS[place.kind]
            lines[place.line - 1] = pattern.sub(lambda match: match.group(1) + version, lines[place.line - 1])
        with open(full, "w", encoding="utf-8", newline="") as handle:
            handle.write("".join(lines))


if __name__ == "__main__":
    sys.exit(main())
