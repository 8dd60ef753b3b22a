# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the release gate (tools/test.sh release) checks in its scratch clone.

Usage: python check_release.py snapshot CLONE BEFORE_JSON
       python check_release.py verify CLONE BEFORE_JSON INSTALLED_COLLECTIONS VERSION

``snapshot`` records, before ``make release``, the fragments (name and entries), the released
versions and every plugin's ``version_added`` (module and option level). ``verify`` then checks:
CHANGELOG.rst has a vVERSION section holding every fragment entry; the fragments are gone from
changelogs/fragments and listed under the release in changelog.yaml; and, as ansible-doc shows the
installed tarball's modules (the event source's DOCUMENTATION is read directly; ansible-doc cannot
show event sources), each version_added that was unreleased is VERSION and each released one is
unchanged. Every problem is printed; the exit code is 1 when there is any.
"""

from __future__ import annotations

import ast
import glob
import json
import os
import re
import subprocess
import sys

import yaml

COLLECTION = "hwcloud.modelarts"
MODULES_GLOB = os.path.join("plugins", "modules", "*.py")
EVENT_SOURCES_GLOB = os.path.join("extensions", "eda", "plugins", "event_source", "*.py")
UNRENDERED_SECTIONS = {"trivial"}


def main(argv):
    """Run ``snapshot`` or ``verify``; return the exit code."""
    if len(argv) == 3 and argv[0] == "snapshot":
        with open(argv[2], "w", encoding="utf-8") as handle:
            json.dump(snapshot(argv[1]), handle, indent=2, sort_keys=True)
        return 0
    if len(argv) == 5 and argv[0] == "verify":
        with open(argv[2], encoding="utf-8") as handle:
            before = json.load(handle)
        problems = verify(argv[1], before, argv[3], argv[4])
        for problem in problems:
            print("FAIL %s" % problem)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


def snapshot(clone):
    """The state the release starts from: fragments, released versions, version_added per plugin."""
    fragments = {}
    for path in sorted(glob.glob(os.path.join(clone, "changelogs", "fragments", "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            fragments[os.path.basename(path)] = yaml.safe_load(handle)
    plugins = {}
    for pattern in (MODULES_GLOB, EVENT_SOURCES_GLOB):
        for path in sorted(glob.glob(os.path.join(clone, pattern))):
            plugins[_plugin_name(path)] = _version_added(_documentation(path))
    return {"fragments": fragments, "released": sorted(_changelog(clone)["releases"]), "version_added": plugins}


def verify(clone, before, installed, version):
    """Every problem of the release ``version`` made in ``clone`` and installed into ``installed``."""
    problems = _changelog_problems(clone, before, version)
    after = _installed_version_added(installed, before["version_added"])
    for plugin, values in sorted(before["version_added"].items()):
        for where, value in sorted(values.items()):
            want = value if value in before["released"] or _older(value, before["released"]) else version
            got = after.get(plugin, {}).get(where)
            print("%s %s: version_added %s -> %s (want %s)" % (plugin, where, value, got, want))
            if got != want:
                problems.append("%s %s: version_added is %s after the release, want %s" % (plugin, where, got, want))
    return problems


def _changelog_problems(clone, before, version):
    """The changelog section, the fragments it must hold, and what became of the fragment files."""
    problems = []
    section = _release_section(os.path.join(clone, "CHANGELOG.rst"), version)
    if section is None:
        return ["CHANGELOG.rst has no v%s section" % version]
    text = _normalise(section)
    for name, content in sorted(before["fragments"].items()):
        for kind, entries in sorted((content or {}).items()):
            if kind in UNRENDERED_SECTIONS:
                continue
            for entry in entries if isinstance(entries, list) else [entries]:
                if _normalise(entry) not in text:
                    problems.append("the v%s section lacks the %s entry of %s: %.80s" % (version, kind, name, entry))
    print("CHANGELOG.rst v%s holds the entries of %d fragments" % (version, len(before["fragments"])))
    left = sorted(os.path.basename(path) for path in glob.glob(os.path.join(clone, "changelogs", "fragments", "*.yml")))
    if left:
        problems.append("changelogs/fragments still holds %s" % ", ".join(left))
    release = _changelog(clone)["releases"].get(version) or {}
    if sorted(release.get("fragments") or []) != sorted(before["fragments"]):
        problems.append("changelog.yaml's %s lists the fragments %s, not %s"
                        % (version, release.get("fragments"), sorted(before["fragments"])))
    return problems


def _release_section(changelog, version):
    """The text of the ``vVERSION`` section of CHANGELOG.rst, up to the next release title, or None."""
    with open(changelog, encoding="utf-8") as handle:
        text = handle.read()
    title = re.search(r"^v%s\n=+\n" % re.escape(version), text, re.M)
    if title is None:
        return None
    rest = text[title.end():]
    following = re.search(r"^v[0-9][^\n]*\n=+\n", rest, re.M)
    return rest[:following.start()] if following else rest


def _installed_version_added(installed, plugins):
    """version_added per plugin as the installed collection documents it (ansible-doc for the modules)."""
    root = os.path.join(installed, "ansible_collections", *COLLECTION.split("."))
    modules = sorted(name for name in plugins if os.path.isfile(os.path.join(root, "plugins", "modules", name + ".py")))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=installed)
    output = subprocess.run(["ansible-doc", "--json", "-t", "module"] + ["%s.%s" % (COLLECTION, name) for name in modules],
                            check=True, capture_output=True, text=True, env=env).stdout
    docs = json.loads(output)
    found = {name: _version_added(docs["%s.%s" % (COLLECTION, name)]["doc"]) for name in modules}
    for path in glob.glob(os.path.join(root, EVENT_SOURCES_GLOB)):
        found[_plugin_name(path)] = _version_added(_documentation(path))
    return found


def _version_added(doc, where="plugin"):
    """``{where: version_added}`` for the plugin and each option (suboptions included) that has one."""
    found = {where: doc["version_added"]} if doc.get("version_added") else {}
    for name, option in sorted((doc.get("options") or doc.get("suboptions") or {}).items()):
        found.update(_version_added(option, "%s option %s" % ("" if where == "plugin" else where, name)))
    return {key.strip(): value for key, value in found.items()}


def _documentation(path):
    """The DOCUMENTATION of a plugin file, parsed (without importing the plugin)."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "DOCUMENTATION" for target in node.targets):
            return yaml.safe_load(node.value.value)
    raise ValueError("%s has no DOCUMENTATION" % path)


def _plugin_name(path):
    """The plugin's name: its file name without .py."""
    return os.path.splitext(os.path.basename(path))[0]


def _changelog(clone):
    """changelogs/changelog.yaml, parsed."""
    with open(os.path.join(clone, "changelogs", "changelog.yaml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _older(value, released):
    """True when ``value`` (X.Y.Z) is older than the newest released version (then it counts as released)."""
    def key(version):
        return tuple(int(part) for part in re.findall(r"\d+", version.split("-")[0].split("+")[0])[:3])
    return bool(released) and key(value) < max(key(version) for version in released)


def _normalise(text):
    """Text with every run of whitespace made one space (the RST output joins the fragments' lines)."""
    return " ".join(str(text).split())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
