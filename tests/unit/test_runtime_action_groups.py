# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``modelarts`` action group in meta/runtime.yml must list exactly the modules in plugins/modules.

``module_defaults: {group/hwcloud.modelarts.modelarts: ...}`` only reaches modules that are
in the group, so a module missing from it silently ignores the user's connection settings.
"""

from __future__ import annotations

import os

import pytest
import yaml

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
RUNTIME_YML = os.path.join(COLLECTION_ROOT, 'meta', 'runtime.yml')
MODULES_DIR = os.path.join(COLLECTION_ROOT, 'plugins', 'modules')
GROUP = 'modelarts'
FQCN_PREFIX = 'hwcloud.modelarts.'


def module_names():
    """Short names of every module file in plugins/modules."""
    if not os.path.isdir(MODULES_DIR):
        return set()
    return {
        name[:-3]
        for name in os.listdir(MODULES_DIR)
        if name.endswith('.py') and name != '__init__.py'
    }


def action_group_entries():
    """Entries of the modelarts action group, as written in meta/runtime.yml."""
    with open(RUNTIME_YML, encoding='utf-8') as handle:
        runtime = yaml.safe_load(handle) or {}
    groups = runtime.get('action_groups') or {}
    assert GROUP in groups, 'meta/runtime.yml has no %r action group' % GROUP
    entries = groups[GROUP] or []
    # an entry may also be a {metadata: {extend_group: [...]}} dict; only names count here
    return [entry for entry in entries if isinstance(entry, str)]


def short_name(entry):
    return entry[len(FQCN_PREFIX):] if entry.startswith(FQCN_PREFIX) else entry


def test_layout_is_found():
    assert os.path.isfile(RUNTIME_YML), RUNTIME_YML
    assert os.path.isdir(MODULES_DIR), MODULES_DIR


def test_action_group_has_no_duplicates():
    names = [short_name(entry) for entry in action_group_entries()]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, 'listed more than once in action_groups.%s: %s' % (GROUP, duplicates)


@pytest.mark.parametrize('direction', ['missing_from_group', 'not_a_module'])
def test_action_group_matches_modules(direction):
    group = {short_name(entry) for entry in action_group_entries()}
    modules = module_names()
    if direction == 'missing_from_group':
        diff = sorted(modules - group)
        assert not diff, 'modules missing from action_groups.%s in meta/runtime.yml: %s' % (GROUP, diff)
    else:
        diff = sorted(group - modules)
        assert not diff, 'action_groups.%s lists names with no file in plugins/modules: %s' % (GROUP, diff)
