# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every conditional in the collection's YAML must parse as ansible-core 2.17 and 2.18 evaluate it.

Those cores put a ``when``/``that``/``until``/``failed_when``/``changed_when`` expression inside
``{% if ... %}``, where a bare ``x if c else y`` is a syntax error (the latest 2.16 and 2.19 and later accept
it). The integration suite runs on 2.16, 2.19 and 2.22 only, so such an assertion passed there and failed on
2.17 and 2.18; this test checks every playbook, task file and rulebook of the tree, whatever core runs the units.
"""

from __future__ import annotations

import os

import jinja2
import yaml

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONDITION_KEYS = frozenset(("that", "when", "until", "failed_when", "changed_when"))
SKIPPED_DIRS = frozenset(("output", ".venv", ".cache", "build", ".git", ".ansible", "changelogs"))


def _yaml_files(root):
    """The YAML files under ``root``, generated output and virtual environments left out."""
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(name for name in subdirectories if name not in SKIPPED_DIRS)
        for name in sorted(names):
            if name.endswith((".yml", ".yaml")):
                yield os.path.join(directory, name)


def _conditions(node):
    """Every string under a conditional key of ``node`` (a loaded YAML document)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CONDITION_KEYS:
                for condition in value if isinstance(value, list) else [value]:
                    if isinstance(condition, str):
                        yield condition
            yield from _conditions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _conditions(item)


def _unparsable(path, environment):
    """(condition, error) for each condition of the file at ``path`` that ``{% if ... %}`` cannot hold."""
    with open(path, encoding="utf-8") as handle:
        try:
            documents = list(yaml.safe_load_all(handle))
        except yaml.YAMLError:
            return []  # not plain YAML (a Jinja template): yamllint and the gates that run it check those
    found = []
    for condition in _conditions(documents):
        if "{{" in condition:
            continue  # a templated conditional is rendered first, then evaluated
        try:
            environment.parse("{%% if %s %%}True{%% else %%}False{%% endif %%}" % condition)
        except jinja2.TemplateSyntaxError as error:
            found.append((" ".join(condition.split()), str(error)))
    return found


def test_a_bare_conditional_expression_is_found(tmp_path):
    tasks = tmp_path / "tasks.yml"
    tasks.write_text("- ansible.builtin.assert:\n"
                     "    that:\n"
                     "      - (a == 1) if b else true\n"
                     "      - b or a == 1\n"
                     "  when: c is defined\n", encoding="utf-8")
    found = _unparsable(str(tasks), jinja2.Environment())
    assert [condition for condition, _error in found] == ["(a == 1) if b else true"]


def test_every_conditional_of_the_tree_parses_on_every_core():
    environment = jinja2.Environment()
    files = list(_yaml_files(COLLECTION_ROOT))
    assert len(files) > 50, "found only %d YAML files under %s" % (len(files), COLLECTION_ROOT)
    problems = ["%s: %s (%s)" % (os.path.relpath(path, COLLECTION_ROOT), condition, error)
                for path in files for condition, error in _unparsable(path, environment)]
    assert problems == [], "\n".join(problems)
