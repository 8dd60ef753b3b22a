# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check the AWX and EDA starter kits of a collection tree: their playbooks pass the shipped files, as they are.

Usage: python tests/awx/check_kits.py COLLECTION_ROOT
(the gate awx-runner runs it on the collection unpacked from the built tarball). Needs ansible-core (2.19 or later
for the trusted templates of its loader; the .venv/core2.21 venv).

For each setup playbook, the arguments that must come from a shipped file are templated as ansible-playbook
templates them (the playbook loaded by ansible's DataLoader, the lookups resolved from the playbook's directory) and
compared with that file: the credential type's inputs and injectors, and the job template's survey. The survey is
checked as AWX checks one when it is saved, and against the project playbook and the schedule that use it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys

import yaml
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import init_plugin_loader
from ansible.template import Templar

# Not on PyPI (nor in any `ansible` package), so not installable where only PyPI is reached: its tasks' options
# cannot be checked against its modules here
NOT_INSTALLABLE = ('ansible.eda.',)
# the playbooks whose every task's options are checked against the documentation of its module
OPTION_CHECKED = ('extensions/awx/setup_awx.yml', 'extensions/awx/project/modelarts_job.yml', 'extensions/eda/setup_eda.yml')
TASK_KEYWORDS = ('name', 'register', 'when', 'no_log', 'loop', 'vars', 'tags', 'changed_when', 'failed_when')
SURVEY_TYPES = ('text', 'textarea', 'password', 'integer', 'float', 'multiplechoice', 'multiselect')
# (setup playbook, module, {argument: shipped file}), paths relative to the collection root
KITS = (
    ('extensions/awx/setup_awx.yml', 'awx.awx.credential_type', {
        'inputs': 'extensions/awx/credential_type_inputs.yml',
        'injectors': 'extensions/awx/credential_type_injectors.yml'}),
    ('extensions/awx/setup_awx.yml', 'awx.awx.job_template', {'survey_spec': 'extensions/awx/survey_spec.json'}),
    ('extensions/eda/setup_eda.yml', 'ansible.eda.credential_type', {
        'inputs': 'extensions/eda/credential_type/inputs.yml',
        'injectors': 'extensions/eda/credential_type/injectors.yml'}),
)


def load_shipped(path):
    with open(path, encoding='utf-8') as handle:
        return json.load(handle) if path.endswith('.json') else yaml.safe_load(handle)


def tasks_of(playbook, module):
    """(loader, play, task) for every task of ``playbook`` that calls ``module``."""
    loader = DataLoader()
    loader.set_basedir(os.path.dirname(playbook))
    for play in loader.load_from_file(playbook, trusted_as_template=True):
        for task in play.get('tasks', []):
            if module in task:
                yield loader, play, task


def templated(loader, play, value, playbook):
    """``value`` as ansible-playbook templates it in ``play`` (its vars; lookups relative to the playbook)."""
    variables = dict(play.get('vars') or {}, playbook_dir=os.path.dirname(playbook))
    return Templar(loader=loader, variables=variables).template(value)


def check_arguments(root, playbook, module, shipped):
    """Problems: ``module``'s task in ``playbook`` does not pass each argument as its shipped file holds it."""
    path = os.path.join(root, playbook)
    tasks = list(tasks_of(path, module))
    if len(tasks) != 1:
        return ['%s: %d tasks call %s, expected 1' % (playbook, len(tasks), module)]
    loader, play, task = tasks[0]
    problems = []
    for argument, name in sorted(shipped.items()):
        if argument not in task[module]:
            problems.append('%s: %s passes no %s' % (playbook, module, argument))
            continue
        try:
            value = templated(loader, play, task[module][argument], path)
        except AnsibleError as exc:
            problems.append('%s: the %s of %s cannot be templated: %s' % (playbook, argument, module, exc.message))
            continue
        if value != load_shipped(os.path.join(root, name)):
            problems.append('%s: the %s of %s is not %s as shipped' % (playbook, argument, module, name))
            continue
        print('ok   %s: %s %s is %s' % (playbook, module, argument, name))
    return problems


def module_calls(root):
    """{module: [(playbook, set of its options)]} for every task of the OPTION_CHECKED playbooks."""
    calls = {}
    for playbook in OPTION_CHECKED:
        with open(os.path.join(root, playbook), encoding='utf-8') as handle:
            for play in yaml.safe_load(handle):
                for task in play.get('tasks', []):
                    modules = [key for key in task if key not in TASK_KEYWORDS]
                    if len(modules) != 1 or not isinstance(task[modules[0]], dict):
                        raise SystemExit('%s: cannot tell the module of task %r' % (playbook, task.get('name')))
                    calls.setdefault(modules[0], []).append((playbook, set(task[modules[0]])))
    return calls


def check_module_options(root):
    """Problems: a task passes an option that its module does not document (ansible-doc of the installed module)."""
    calls = module_calls(root)
    skipped = sorted(module for module in calls if module.startswith(NOT_INSTALLABLE))
    checked = sorted(set(calls) - set(skipped))
    ansible_doc = shutil.which('ansible-doc') or os.path.join(os.path.dirname(sys.executable), 'ansible-doc')
    completed = subprocess.run([ansible_doc, '-t', 'module', '--json'] + checked, capture_output=True, text=True, check=False)
    docs = json.loads(completed.stdout or '{}')
    problems = []
    for module in checked:
        if module not in docs:
            where = '/'.join(sorted({call[0] for call in calls[module]}))
            problems.append('%s: ansible-doc finds no %s (is its collection on ANSIBLE_COLLECTIONS_PATH?)' % (where, module))
    for module in checked:
        if module not in docs:
            continue
        known = set()
        for option, spec in (docs[module]['doc'].get('options') or {}).items():
            known.update([option] + list(spec.get('aliases') or []))
        for playbook, options in calls[module]:
            if options - known:
                problems.append('%s: %s has no options %s' % (playbook, module, sorted(options - known)))
        print('ok   options of %d tasks of %s are documented by the installed module' % (len(calls[module]), module))
    if skipped:
        print('NOT CHECKED: the options of %s (ansible.eda is not installable from PyPI)' % ', '.join(skipped))
    return problems


def check_survey(spec):
    """Problems AWX would find when the survey is saved; and its variables."""
    problems = []
    if not isinstance(spec.get('name'), str) or not isinstance(spec.get('description'), str):
        problems.append('survey: name and description must be strings')
    questions = spec.get('spec')
    if not isinstance(questions, list) or not questions:
        return problems + ['survey: "spec" must be a non-empty list'], []
    variables = []
    for question in questions:
        name = question.get('variable')
        for key in ('question_name', 'variable', 'type'):
            if not question.get(key):
                problems.append('survey: a question lacks %r: %r' % (key, question))
        if question.get('type') not in SURVEY_TYPES:
            problems.append('survey: %s has type %r' % (name, question.get('type')))
        if not isinstance(question.get('required'), bool):
            problems.append('survey: %s must say required: true or false' % name)
        if question.get('type') in ('multiplechoice', 'multiselect'):
            choices = question.get('choices')
            if not isinstance(choices, list) or not choices:
                problems.append('survey: %s needs a list of choices' % name)
            elif question.get('default') and question['default'] not in choices:
                problems.append('survey: the default of %s is not one of its choices' % name)
        variables.append(name)
    if len(set(variables)) != len(variables):
        problems.append('survey: duplicate variables in %s' % variables)
    return problems, questions


def check_survey_users(root, questions):
    """The project playbook reads every survey variable, and the schedule answers every required question."""
    problems = []
    with open(os.path.join(root, 'extensions/awx/project/modelarts_job.yml'), encoding='utf-8') as handle:
        playbook = handle.read()
    for question in questions:
        if question['variable'] not in playbook:
            problems.append('survey: project/modelarts_job.yml does not use %s' % question['variable'])
    path = os.path.join(root, 'extensions/awx/setup_awx.yml')
    for loader, play, task in tasks_of(path, 'awx.awx.schedule'):
        answers = templated(loader, play, task['awx.awx.schedule'].get('extra_data') or {}, path)
        for question in questions:
            if question['required'] and not question.get('default') and question['variable'] not in answers:
                problems.append('the schedule does not answer the required survey question %s' % question['variable'])
    for loader, play, task in tasks_of(path, 'awx.awx.job_template'):
        if not os.path.isfile(os.path.join(root, 'extensions/awx/project', task['awx.awx.job_template']['playbook'])):
            problems.append('the job template names a playbook that project/ does not hold')
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='the collection root (for example unpacked from the built tarball)')
    args = parser.parse_args()
    args.root = os.path.abspath(args.root)
    init_plugin_loader()
    problems = []
    for playbook, module, shipped in KITS:
        problems += check_arguments(args.root, playbook, module, shipped)
    problems += check_module_options(args.root)
    survey_problems, questions = check_survey(load_shipped(os.path.join(args.root, 'extensions/awx/survey_spec.json')))
    problems += survey_problems
    if questions and not survey_problems:
        problems += check_survey_users(args.root, questions)
    for problem in problems:
        print('FAIL %s' % problem)
    print('starter kits: %s' % ('%d problems' % len(problems) if problems else 'ok'))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
