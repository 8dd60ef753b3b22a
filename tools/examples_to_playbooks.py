# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write each module's EXAMPLES as a playbook, so ansible-lint checks them as tasks.

ansible-lint only checks the YAML form of a plugin's EXAMPLES (kind "yaml"); task rules
such as fqcn, name[missing] or no-free-form never see them. tools/test.sh runs
ansible-lint --profile production on the playbooks this writes.

Usage: python tools/examples_to_playbooks.py OUTPUT_DIR
"""

from __future__ import annotations

import glob
import os
import sys
import textwrap

from ansible.parsing.plugin_docs import read_docstring

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
PLAY = '''---
# EXAMPLES of hwcloud.modelarts.{name} (plugins/modules/{name}.py), line for line
- name: EXAMPLES of hwcloud.modelarts.{name}
  hosts: localhost
  gather_facts: false
  tasks:
{tasks}
'''


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    count = 0
    for path in sorted(glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py'))):
        name = os.path.basename(path)[:-3]
        if name == '__init__':
            continue
        examples = (read_docstring(path).get('plainexamples') or '').strip('\n')
        if not examples.strip():
            print('%s has no EXAMPLES' % name)
            return 1
        with open(os.path.join(out, 'examples_%s.yml' % name), 'w', encoding='utf-8') as handle:
            handle.write(PLAY.format(name=name, tasks=textwrap.indent(examples, '    ')))
        count += 1
    print('wrote the EXAMPLES of %d modules to %s' % (count, out))
    return 0 if count else 1


if __name__ == '__main__':
    sys.exit(main())
