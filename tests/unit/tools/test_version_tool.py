# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/version.py on a small checkout made in tmp_path: check names each mismatch, set rewrites only what it must."""

from __future__ import annotations

import importlib.util
import os

import pytest

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools", "version.py")
SPEC = importlib.util.spec_from_file_location("hwcloud_modelarts_version_tool", TOOL)
version_tool = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(version_tool)

# the tarball name is built, so that this file itself names no tarball version
TARBALL = "hwcloud-modelarts-%s.tar.gz"

CHANGELOG_YAML = """\
---
ancestor: null
releases:
  0.1.0:
    changes:
      release_summary: First release.
    release_date: '2026-11-28'
  1.0.0:
    changes:
      minor_changes:
        - something
    fragments:
      - 1-thing.yml
    release_date: '2026-12-01'
"""

MODULE = '''\
DOCUMENTATION = r"""
module: {name}
short_description: A module
version_added: {added}
options:
  old:
    description: Since the first release.
    type: str
    version_added: 0.1.0
  new:
    description: Not released yet.
    type: str
    version_added: '1.1.0'  # quoted, with a comment
"""
'''


def write(root, path, text):
    """Write ``text`` to ``root/path``, making the directories."""
    full = os.path.join(str(root), path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as handle:
        handle.write(text)


def read(root, path):
    with open(os.path.join(str(root), path), encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(name="checkout")
def fixture_checkout(tmp_path):
    """A checkout at 1.0.0 (released: 0.1.0 and 1.0.0) with one module added in 1.0.0 and one unreleased."""
    write(tmp_path, "galaxy.yml", "namespace: hwcloud\nname: modelarts\nversion: 1.0.0\nreadme: README.md\n")
    write(tmp_path, "plugins/module_utils/_version.py", '"""v"""\nCOLLECTION_NAME = "hwcloud.modelarts"\nCOLLECTION_VERSION = "1.0.0"\n')
    write(tmp_path, "extensions/ee/execution-environment.yml",
          "dependencies:\n  galaxy:\n    collections:\n      - name: collections/%s\nadditional_build_files:\n  - src: ../../build/%s\n"
          % (TARBALL % "1.0.0", TARBALL % "1.0.0"))
    write(tmp_path, "extensions/de/decision-environment.yml", "  - src: ../../build/%s\n" % (TARBALL % "1.0.0"))
    write(tmp_path, "README.md", "ansible-galaxy collection install %s\n" % (TARBALL % "1.0.0"))
    write(tmp_path, "changelogs/changelog.yaml", CHANGELOG_YAML)
    write(tmp_path, "CHANGELOG.rst", "v0.1.0\n======\n\nInstall %s.\n" % (TARBALL % "0.1.0"))
    write(tmp_path, "plugins/modules/stable.py", MODULE.format(name="stable", added="1.0.0"))
    write(tmp_path, "plugins/modules/fresh.py", MODULE.format(name="fresh", added="1.1.0"))
    write(tmp_path, "extensions/eda/plugins/event_source/events.py", MODULE.format(name="events", added='"1.1.0"'))
    return tmp_path


def run(capsys, *argv):
    """Run the tool; return (exit code, stdout, stderr)."""
    code = version_tool.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_passes_and_prints_every_place_when_they_agree(checkout, capsys):
    code, out, err = run(capsys, "--root", str(checkout), "check")
    assert (code, err) == (0, "")
    for place in ("galaxy.yml:3: galaxy.yml version 1.0.0", "plugins/module_utils/_version.py:3: User-Agent version 1.0.0",
                  "README.md:1: tarball name 1.0.0", "extensions/de/decision-environment.yml:1: tarball name 1.0.0",
                  "extensions/ee/execution-environment.yml:4: tarball name 1.0.0",
                  "extensions/ee/execution-environment.yml:6: tarball name 1.0.0"):
        assert place in out
    # the changelog's history names an old tarball on purpose: not a place
    assert "CHANGELOG.rst" not in out
    assert "the version is 1.0.0 in all 6 places" in out
    # unreleased version_added values are listed, released ones are not
    assert "plugins/modules/fresh.py:4: version_added 1.1.0 (unreleased" in out
    assert "plugins/modules/stable.py:4:" not in out


@pytest.mark.parametrize("path, old, line", [
    ("extensions/de/decision-environment.yml", TARBALL % "1.0.0", 1),
    ("extensions/ee/execution-environment.yml", "../../build/" + TARBALL % "1.0.0", 6),
    ("plugins/module_utils/_version.py", 'COLLECTION_VERSION = "1.0.0"', 3),
    ("README.md", TARBALL % "1.0.0", 1),
])
def test_check_fails_naming_the_file_that_differs(checkout, capsys, path, old, line):
    text = read(checkout, path)
    write(checkout, path, text.replace(old, old.replace("1.0.0", "0.9.0")))
    code, _out, err = run(capsys, "--root", str(checkout), "check")
    assert code == 1
    assert err.splitlines() == ["MISMATCH %s:%d: %s is 0.9.0, galaxy.yml has 1.0.0"
                                % (path, line, "User-Agent version" if path.endswith(".py") else "tarball name")]


def test_check_fails_on_every_place_when_galaxy_yml_moved_alone(checkout, capsys):
    write(checkout, "galaxy.yml", read(checkout, "galaxy.yml").replace("version: 1.0.0", "version: 1.0.1"))
    code, _out, err = run(capsys, "--root", str(checkout), "check")
    assert code == 1
    assert len(err.splitlines()) == 5
    assert "MISMATCH extensions/de/decision-environment.yml:1: tarball name is 1.0.0, galaxy.yml has 1.0.1" in err


def test_set_rewrites_every_place_and_only_unreleased_version_added(checkout, capsys):
    before = {path: read(checkout, path) for path in ("plugins/modules/stable.py", "CHANGELOG.rst", "changelogs/changelog.yaml")}
    code, out, _err = run(capsys, "--root", str(checkout), "set", "1.2.0")
    assert code == 0
    assert "set 1.2.0 in 6 places and 5 version_added (last release: 1.0.0)" in out
    assert read(checkout, "galaxy.yml") == "namespace: hwcloud\nname: modelarts\nversion: 1.2.0\nreadme: README.md\n"
    assert 'COLLECTION_VERSION = "1.2.0"\n' in read(checkout, "plugins/module_utils/_version.py")
    assert read(checkout, "extensions/ee/execution-environment.yml").count(TARBALL % "1.2.0") == 2
    assert read(checkout, "extensions/de/decision-environment.yml") == "  - src: ../../build/%s\n" % (TARBALL % "1.2.0")
    assert read(checkout, "README.md") == "ansible-galaxy collection install %s\n" % (TARBALL % "1.2.0")
    # released values (0.1.0, 1.0.0) stay; unreleased ones (1.1.0) become 1.2.0, quotes and comments kept
    fresh = read(checkout, "plugins/modules/fresh.py")
    assert fresh == MODULE.format(name="fresh", added="1.2.0").replace("version_added: '1.1.0'", "version_added: '1.2.0'")
    events = read(checkout, "extensions/eda/plugins/event_source/events.py")
    assert events == MODULE.format(name="events", added='"1.2.0"').replace("version_added: '1.1.0'", "version_added: '1.2.0'")
    expected_stable = MODULE.format(name="stable", added="1.0.0").replace("version_added: '1.1.0'", "version_added: '1.2.0'")
    assert read(checkout, "plugins/modules/stable.py") == expected_stable
    assert before["plugins/modules/stable.py"] != expected_stable
    # history is never rewritten
    for path in ("CHANGELOG.rst", "changelogs/changelog.yaml"):
        assert read(checkout, path) == before[path]
    code, out, err = run(capsys, "--root", str(checkout), "check")
    assert (code, err) == (0, "")


def test_set_before_any_release_rewrites_every_version_added(checkout, capsys):
    os.remove(os.path.join(str(checkout), "changelogs", "changelog.yaml"))
    code, out, _err = run(capsys, "--root", str(checkout), "set", "1.0.1")
    assert code == 0 and "and 9 version_added (last release: none)" in out
    assert "0.1.0" not in read(checkout, "plugins/modules/stable.py")
    assert "version_added: 1.0.1\n" in read(checkout, "plugins/modules/stable.py")


@pytest.mark.parametrize("version, message", [
    ("1.2", "'1.2' is not a semantic version X.Y.Z"),
    ("v1.2.0", "'v1.2.0' is not a semantic version X.Y.Z"),
    ("01.2.0", "'01.2.0' is not a semantic version X.Y.Z"),
    ("1.0.0", "1.0.0 is not newer than the last release in changelogs/changelog.yaml, 1.0.0"),
    ("0.9.9", "0.9.9 is not newer than the last release"),
    ("1.0.0-rc.1", "1.0.0-rc.1 is not newer than the last release"),
])
def test_set_refuses_without_writing(checkout, capsys, version, message):
    files = {path: read(checkout, path) for path in ("galaxy.yml", "plugins/modules/fresh.py", "README.md")}
    code, _out, err = run(capsys, "--root", str(checkout), "set", version)
    assert code == 1 and message in err
    assert {path: read(checkout, path) for path in files} == files


def test_released_versions_reads_the_release_keys_only(checkout):
    assert version_tool.released_versions(str(checkout)) == ["0.1.0", "1.0.0"]
    assert version_tool.last_release(str(checkout)) == "1.0.0"


@pytest.mark.parametrize("older, newer", [
    ("1.9.0", "1.10.0"),
    ("1.0.0-rc.1", "1.0.0"),
    ("1.0.0-alpha", "1.0.0-alpha.1"),
    ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
    ("1.0.0-beta.2", "1.0.0-beta.11"),
    ("1.0.0-rc.1", "1.0.0-rc.1.1"),
    ("0.2.0", "1.0.0"),
])
def test_precedence_is_semver(older, newer):
    assert version_tool.is_newer(newer, older)
    assert not version_tool.is_newer(older, newer)
    assert not version_tool.is_newer(newer, newer + "+build.5")
