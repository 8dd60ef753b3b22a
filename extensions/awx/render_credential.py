# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render the collection's AWX credential type for ansible-runner, as AWX does when a job starts.

Try the credential type of this directory (credential_type_inputs.yml and credential_type_injectors.yml) without an
AWX server: write the field values of a credential to a YAML file (field ids as keys, as in AWX's form), then

    python render_credential.py my-credential.yml PRIVATE_DATA_DIR
    ansible-runner run PRIVATE_DATA_DIR -p my_playbook.yml

The credential is checked as AWX checks it when it is saved (known field ids, required fields, choices, types). The
``env`` injectors go to PRIVATE_DATA_DIR/env/envvars, the ``extra_vars`` injectors to env/extravars (both merged into
files that are already there), and every ``file`` injector to a mode-0600 file in env/, whose path the templates read
as ``tower.filename.<name>``. AWX runs the job in a container, where these paths start with /runner; here they are
the local paths, for ansible-runner without a container. Only the names of the variables written are printed, never a
value. Needs PyYAML and Jinja2 (both come with ansible-core).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import yaml
from jinja2 import StrictUndefined, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, 'credential_type_inputs.yml')
INJECTORS = os.path.join(HERE, 'credential_type_injectors.yml')
FIELD_TYPES = ('string', 'boolean')
INJECTOR_SECTIONS = ('env', 'file', 'extra_vars')
# the variables AWX refuses to inject (besides every name starting with ANSIBLE_)
REFUSED_ENV = ('PATH', 'PYTHONPATH', 'JOB_ID', 'INVENTORY_ID')


class CredentialError(Exception):
    """A credential type or a credential that AWX would refuse; the message says why."""


class TowerNamespace:
    """AWX's ``tower`` template namespace (``tower.filename`` / ``tower.filename.<name>``)."""


def load_yaml(path):
    """The YAML document in ``path``."""
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def validate_credential_type(inputs, injectors):
    """Check the credential type as AWX does when it is saved; return the field ids."""
    fields = inputs.get('fields')
    if not isinstance(fields, list) or not fields:
        raise CredentialError('inputs: "fields" must be a non-empty list')
    ids = [_checked_field(field) for field in fields]
    if len(set(ids)) != len(ids):
        raise CredentialError('inputs: duplicate field ids in %s' % ids)
    unknown = set(inputs.get('required', [])) - set(ids)
    if unknown:
        raise CredentialError('inputs: "required" names unknown fields %s' % sorted(unknown))
    if set(injectors) - set(INJECTOR_SECTIONS):
        raise CredentialError('injectors: unknown sections %s' % sorted(set(injectors) - set(INJECTOR_SECTIONS)))
    for label in injectors.get('file') or {}:
        if label != 'template' and not label.startswith('template.'):
            raise CredentialError('injectors: file label %r must be "template" or "template.<name>"' % label)
    for name in injectors.get('env') or {}:
        if name.startswith('ANSIBLE_') or name in REFUSED_ENV:
            raise CredentialError('injectors: AWX refuses to inject %s' % name)
    _check_templates(fields, ids, injectors)
    return ids


def _checked_field(field):
    """The id of one field of the input configuration, after AWX's checks of it."""
    for key in ('id', 'label', 'type'):
        if not field.get(key):
            raise CredentialError('inputs: field %r lacks %r' % (field, key))
    if field['type'] not in FIELD_TYPES:
        raise CredentialError('inputs: field %s has type %r (AWX knows string and boolean)' % (field['id'], field['type']))
    if field['type'] == 'boolean' and (field.get('secret') or field.get('multiline')):
        raise CredentialError('inputs: boolean field %s cannot be secret or multiline' % field['id'])
    if 'choices' in field and not isinstance(field['choices'], list):
        raise CredentialError('inputs: choices of %s must be a list' % field['id'])
    return field['id']


def _check_templates(fields, ids, injectors):
    """Every template names only fields or ``tower``, and renders with every field set (AWX: StrictUndefined)."""
    sandbox = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    namespace = {field['id']: (True if field['type'] == 'boolean' else 'x') for field in fields}
    tower = namespace['tower'] = TowerNamespace()
    tower.filename = TowerNamespace()
    for label in injectors.get('file') or {}:
        setattr(tower.filename, label.partition('.')[2] or 'filename', '/tmp/x')
    for section, key, template in _templates(injectors):
        names = meta.find_undeclared_variables(sandbox.parse(template)) - set(ids) - {'tower'}
        if names:
            raise CredentialError('injectors: %s.%s references unknown names %s' % (section, key, sorted(names)))
        sandbox.from_string(template).render(**namespace)


def _templates(injectors):
    """(section, key, template) for every string template of the injectors, extra_vars nested ones included."""
    for section in INJECTOR_SECTIONS:
        for key, value in (injectors.get(section) or {}).items():
            for path, template in _leaves(key, value):
                yield section, path, template


def _leaves(path, node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves('%s.%s' % (path, key), value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves('%s[%d]' % (path, index), value)
    else:
        yield path, str(node)


def validate_credential(inputs, credential):
    """Check the field values of a credential as AWX does when it is saved (its JSON schema of the inputs)."""
    if not isinstance(credential, dict):
        raise CredentialError('the credential must be a mapping of field ids to values')
    fields = {field['id']: field for field in inputs['fields']}
    unknown = sorted(set(credential) - set(fields))
    if unknown:
        raise CredentialError('unknown credential fields %s (the fields are %s)' % (unknown, sorted(fields)))
    for name, value in credential.items():
        field = fields[name]
        if field['type'] == 'boolean' and not isinstance(value, bool):
            raise CredentialError('credential field %s must be true or false' % name)
        if field['type'] == 'string' and not isinstance(value, str):
            raise CredentialError('credential field %s must be a string' % name)
        if value and 'choices' in field and value not in field['choices']:
            raise CredentialError('credential field %s must be one of %s' % (name, field['choices']))
    missing = [name for name in inputs.get('required', []) if credential.get(name) in (None, '')]
    if missing:
        raise CredentialError('credential fields %s are required' % missing)


def _namespace(inputs, credential):
    """The template namespace of AWX: blank fields left out (they render as ''), unset booleans False."""
    namespace = {name: value for name, value in credential.items() if isinstance(value, bool) or value}
    for field in inputs['fields']:
        if field['type'] == 'boolean' and field['id'] not in credential:
            namespace[field['id']] = False
    return namespace


def _write_private(path, text):
    """Write ``text`` to a new or existing file that only its owner can read and write."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    with os.fdopen(descriptor, 'w', encoding='utf-8') as handle:
        handle.write(text)


def render(inputs, injectors, credential, private_data_dir):
    """Render the injectors for ``credential`` as AWX does at job start; return (env, extra_vars).

    The ``file`` templates are written to mode-0600 files in ``private_data_dir``/env, first, so that the other
    templates can name them as ``tower.filename`` (one unnamed file) or ``tower.filename.<name>``.
    """
    namespace = _namespace(inputs, credential)
    sandbox = ImmutableSandboxedEnvironment()
    tower = namespace['tower'] = TowerNamespace()
    env_dir = os.path.join(private_data_dir, 'env')
    os.makedirs(env_dir, exist_ok=True)
    for label, template in (injectors.get('file') or {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        os.close(handle)
        _write_private(path, sandbox.from_string(template).render(**namespace))
        if '.' in label:
            if not hasattr(tower, 'filename'):
                tower.filename = TowerNamespace()
            setattr(tower.filename, label.split('.', 1)[1], path)
        else:
            tower.filename = path

    def build(node):
        if isinstance(node, dict):
            return {build(key): build(value) for key, value in node.items()}
        if isinstance(node, list):
            return [build(value) for value in node]
        return sandbox.from_string(node).render(**namespace)

    env = {name: sandbox.from_string(template).render(**namespace) for name, template in (injectors.get('env') or {}).items()}
    return env, build(injectors.get('extra_vars') or {})


def render_injectors(inputs, injectors, credential, private_data_dir):
    """The environment variables that AWX injects for ``credential`` (its files written to ``private_data_dir``/env)."""
    return render(inputs, injectors, credential, private_data_dir)[0]


def _merge_yaml(path, values):
    """Add ``values`` to the YAML mapping in ``path`` (created when missing), mode 0600."""
    merged = {}
    if os.path.exists(path):
        merged = load_yaml(path) or {}
        if not isinstance(merged, dict):
            raise CredentialError('%s does not hold a mapping' % path)
    merged.update(values)
    _write_private(path, yaml.safe_dump(merged, default_flow_style=False))


def write_private_data_dir(inputs, injectors, credential, private_data_dir):
    """Check the type and the credential, render it into ``private_data_dir``; return (env names, extra_vars names)."""
    validate_credential_type(inputs, injectors)
    validate_credential(inputs, credential)
    env, extra_vars = render(inputs, injectors, credential, private_data_dir)
    _merge_yaml(os.path.join(private_data_dir, 'env', 'envvars'), env)
    if extra_vars:
        _merge_yaml(os.path.join(private_data_dir, 'env', 'extravars'), extra_vars)
    return sorted(env), sorted(extra_vars)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('credential', help='a YAML file with the field values of the credential (field ids as keys)')
    parser.add_argument('private_data_dir', help='the private data directory of ansible-runner (created when missing)')
    parser.add_argument('--inputs', default=INPUTS, help='the input configuration (default: %(default)s)')
    parser.add_argument('--injectors', default=INJECTORS, help='the injector configuration (default: %(default)s)')
    args = parser.parse_args(argv)
    try:
        credential = load_yaml(args.credential)
        names, extra_names = write_private_data_dir(load_yaml(args.inputs), load_yaml(args.injectors),
                                                    {} if credential is None else credential, args.private_data_dir)
    except (CredentialError, OSError) as exc:
        print('render_credential.py: error: %s' % exc, file=sys.stderr)
        return 1
    except yaml.YAMLError as exc:
        # PyYAML's message quotes the offending line, which may hold a secret: name the place only
        mark = getattr(exc, 'problem_mark', None)
        where = ' (%s, line %d)' % (mark.name, mark.line + 1) if mark else ''
        print('render_credential.py: error: not valid YAML%s' % where, file=sys.stderr)
        return 1
    print('wrote %d variables to %s: %s' % (len(names), os.path.join(args.private_data_dir, 'env', 'envvars'), ' '.join(names)))
    if extra_names:
        print('wrote %d extra variables to %s: %s' % (len(extra_names), os.path.join(args.private_data_dir, 'env', 'extravars'),
                                                      ' '.join(extra_names)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
