# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check the AWX custom credential type of hwcloud.modelarts with ansible-runner (see README.md).

Usage: python tests/awx/check_awx.py [--keep]
Needs jinja2, PyYAML and ansible-runner (the .venv/core2.21 venv) and an
ANSIBLE_COLLECTIONS_PATH in which hwcloud.modelarts is found.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
EXTENSIONS = os.path.join(ROOT, 'extensions', 'awx')
HELPER = os.path.join(EXTENSIONS, 'render_credential.py')
TEMPLATE = os.path.join(HERE, 'private_data_dir')
OUTPUT = os.path.join(HERE, 'output')
sys.path.insert(0, os.path.join(ROOT, 'tests', 'emulator'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'reliability'))
sys.path.insert(0, EXTENSIONS)
# pylint: disable=wrong-import-position,import-error
from process import EmulatorError, EmulatorProcess  # noqa: E402
from secret_scan import SecretScanner  # noqa: E402  # forms of each secret, and tokens issued by the emulator's IAM
import render_credential  # noqa: E402  # the shipped helper: AWX's checks and injection of a credential type

# Credentials the emulator seeds (tests/emulator/README.md).
REGION = 'eu-de'
PROJECT_ID = '5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00'
AK = 'EMUAK0000000000000001'
SK = 'emu-secret-key-0000000000000000000000000001'
TEMP_AK = 'EMUTMPAK000000000001'
TEMP_SK = 'emu-temp-secret-00000000000000000000000001'
SECURITY_TOKEN = 'emu-security-token-000000000000000000000000000001'
USERNAME = 'demo-user'
PASSWORD = 'Demo-Passw0rd!'
DOMAIN = 'demo-domain'

SCRUBBED_PREFIXES = ('HWCLOUD_', 'OS_', 'HUAWEICLOUD_SDK_')
VERBOSITY = '-vvvv'  # module arguments, results and connection details in the output, so that a leak would show
# The names whose values AWX hides when it shows or stores a job's environment (build_safe_env in awx/main/utils).
AWX_HIDDEN_NAME = re.compile(r'API|TOKEN|KEY|SECRET|PASS', re.I)


class CheckError(Exception):
    """A failed check; the message says what."""


def load_yaml(name):
    return render_credential.load_yaml(os.path.join(EXTENSIONS, name))


def render_injectors(inputs, injectors, credential, private_data_dir):
    """AWX's injection of ``credential``: the shipped helper's (extensions/awx/render_credential.py)."""
    return render_credential.render_injectors(inputs, injectors, credential, private_data_dir)


def validate_credential_type(inputs, injectors):
    """AWX's checks of the type (the shipped helper's), and that it injects only the collection's variables."""
    try:
        ids = render_credential.validate_credential_type(inputs, injectors)
    except render_credential.CredentialError as exc:
        raise CheckError(str(exc)) from None
    for name in injectors.get('env', {}):
        if not name.startswith('HWCLOUD_'):
            raise CheckError('injectors: %s is not one of the collection variables (HWCLOUD_*)' % name)
    return ids


def render_with_helper(credential, private_data_dir):
    """Render ``credential`` into ``private_data_dir`` as a user does: the shipped helper's command line.

    The credential file and the helper's output are returned for the secret scan; the env/envvars it wrote is read back.
    """
    path = os.path.join(private_data_dir, 'credential.yml')
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, 'w', encoding='utf-8') as handle:
        yaml.safe_dump(credential, handle, default_flow_style=False)
    completed = subprocess.run([sys.executable, HELPER, path, private_data_dir], stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, check=False)
    os.unlink(path)  # the job must not find the secrets in its private data directory other than as injected
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise CheckError('render_credential.py failed (rc=%d): %s' % (completed.returncode, output.strip()))
    return render_credential.load_yaml(os.path.join(private_data_dir, 'env', 'envvars')), output


def awx_openstack_injector(credential, private_data_dir):
    """AWX's built-in OpenStack credential injector, as AWX's source has it.

    awx/main/models/credential/injectors.py, ``_openstack_data`` and ``openstack``: the inputs
    host, username, password, project (and project_domain_name, domain, region when set) and
    verify_ssl become one clouds.yaml entry named ``devstack``, written with yaml.safe_dump to a
    mode-0600 file in the private data directory; the only variable injected is
    OS_CLIENT_CONFIG_FILE (no OS_CLOUD).
    """
    auth = {'auth_url': credential.get('host', ''), 'username': credential.get('username', ''),
            'password': credential.get('password', ''), 'project_name': credential.get('project', '')}
    if 'project_domain_name' in credential:
        auth['project_domain_name'] = credential['project_domain_name']
    if 'domain' in credential:
        auth['domain_name'] = credential['domain']
    entry = {'auth': auth, 'verify': bool(credential.get('verify_ssl', True))}
    if 'region' in credential:
        entry['region_name'] = credential['region']
    handle, path = tempfile.mkstemp(dir=os.path.join(private_data_dir, 'env'))
    with os.fdopen(handle, 'w') as stream:
        yaml.safe_dump({'clouds': {'devstack': entry}}, stream, default_flow_style=False, allow_unicode=True)
    os.chmod(path, 0o600)
    return {'OS_CLIENT_CONFIG_FILE': path}


def start_emulator(workdir, tls=False):
    """The bundled emulator as a child process (tests/emulator/process.py), listening."""
    emulator = EmulatorProcess(workdir, tls=tls, lifetime=600, extra_args=('--max-requests', '2000'))
    try:
        emulator.start()
    except EmulatorError as exc:
        raise CheckError('the emulator did not start: %s' % exc) from None
    print('emulator pid %d listening on %s' % (emulator.pid, emulator.url))
    return emulator


def scenarios(plain, tls):
    """(name, credential inputs, secret values) for every credential the check injects."""
    common = {'cloud': 'huaweicloud', 'region': REGION, 'iam_endpoint': plain.url, 'modelarts_endpoint': plain.url}
    with open(tls.ca_path, encoding='utf-8') as handle:
        ca_pem = handle.read()
    return [
        ('aksk', dict(common, access_key=AK, secret_key=SK), {'secret_key': SK}),
        ('temporary-aksk', dict(common, access_key=TEMP_AK, secret_key=TEMP_SK, security_token=SECURITY_TOKEN,
                                project_id=PROJECT_ID), {'secret_key': TEMP_SK, 'security_token': SECURITY_TOKEN}),
        ('password-tls-ca', dict(common, iam_endpoint=tls.url, modelarts_endpoint=tls.url, username=USERNAME,
                                 password=PASSWORD, domain_name=DOMAIN, ca_certificates=ca_pem), {'password': PASSWORD}),
    ]


def command_sources(path, injected):
    """The texts of ansible-runner's ``command`` artifact to scan, and its problems.

    The file records the command, working directory and environment the job was started with
    (like env/envvars, the job's input, which AWX keeps, shows and stores only with the values of
    AWX_HIDDEN_NAME variables hidden). A secret may be there only as the value of the variable it
    was injected into, under such a name; the command line, the working directory, every other
    variable and every name are scanned.
    """
    problems = []
    if os.stat(path).st_mode & 0o077:
        problems.append('%s is readable by others' % path)
    with open(path, encoding='utf-8') as handle:
        record = json.load(handle)
    sources = {'command: the command line': json.dumps(record.get('command')),
               'command: the working directory': json.dumps(record.get('cwd'))}
    for name, value in sorted((record.get('env') or {}).items()):
        if name in injected and value == injected[name]:
            if not AWX_HIDDEN_NAME.search(name):
                problems.append('command: %s carries a secret but AWX would show its value' % name)
            continue
        sources['command: environment variable %s' % name] = '%s=%s' % (name, value)
    return sources, problems


def run_scenario(name, credential, secrets, inputs, injectors, run_root):
    """One job with the collection's custom credential type."""
    private_data_dir = os.path.join(run_root, name)
    shutil.copytree(TEMPLATE, private_data_dir)
    env, helper_output = render_with_helper(credential, private_data_dir)
    expected = render_credential.render_injectors(inputs, injectors, credential, os.path.join(run_root, name + '-expected'))
    if sorted(env) != sorted(expected):
        raise CheckError('[%s] the helper wrote %s, the injectors name %s' % (name, sorted(env), sorted(expected)))
    shown = {key: ('<secret>' if any(s in value for s in secrets.values()) else value) for key, value in env.items()}
    injected_secrets = {key: value for key, value in env.items() if value and value in secrets.values()}
    print('[%s] injected: %s' % (name, json.dumps(shown, sort_keys=True)))
    if 'ca_certificates' in credential and not (env['HWCLOUD_CA_PATH'] and os.path.isfile(env['HWCLOUD_CA_PATH'])):
        raise CheckError('[%s] HWCLOUD_CA_PATH does not name the injected CA file' % name)
    if env['HWCLOUD_VALIDATE_CERTS'] != 'true':
        raise CheckError('[%s] an unticked skip_tls_verify must inject HWCLOUD_VALIDATE_CERTS=true' % name)
    return run_job(name, private_data_dir, env, secrets, injected_secrets, 'site.yml',
                   {'the output of render_credential.py': helper_output})


def run_openstack_scenario(name, credential, secrets, modelarts_endpoint, run_root):
    """One job with AWX's built-in OpenStack credential (see awx_openstack_injector)."""
    private_data_dir = os.path.join(run_root, name)
    shutil.copytree(TEMPLATE, private_data_dir)
    env = awx_openstack_injector(credential, private_data_dir)
    print('[%s] injected: %s' % (name, json.dumps(env, sort_keys=True)))
    with open(os.path.join(private_data_dir, 'env', 'extravars'), 'w', encoding='utf-8') as handle:
        yaml.safe_dump({'emulator_modelarts_endpoint': modelarts_endpoint}, handle, default_flow_style=False)
    return run_job(name, private_data_dir, env, secrets, {}, 'site-openstack.yml')


def run_starter_kit(plain, run_root):
    """The starter kit's job as its job template runs it: extensions/awx/project as the project, the credential rendered
    by the helper, and the survey's answers (survey_spec.json: its defaults, and a job name) as extra variables."""
    name = 'starter-kit'
    private_data_dir = os.path.join(run_root, name)
    shutil.copytree(TEMPLATE, private_data_dir, ignore=shutil.ignore_patterns('project'))
    shutil.copytree(os.path.join(EXTENSIONS, 'project'), os.path.join(private_data_dir, 'project'))
    credential = {'cloud': 'huaweicloud', 'region': REGION, 'iam_endpoint': plain.url, 'modelarts_endpoint': plain.url,
                  'access_key': AK, 'secret_key': SK}
    env, helper_output = render_with_helper(credential, private_data_dir)
    with open(os.path.join(EXTENSIONS, 'survey_spec.json'), encoding='utf-8') as handle:
        answers = {question['variable']: question['default'] for question in json.load(handle)['spec']}
    answers['job_name'] = 'tb-resnet50'
    with open(os.path.join(private_data_dir, 'env', 'extravars'), 'w', encoding='utf-8') as handle:
        yaml.safe_dump(answers, handle, default_flow_style=False)
    print('[%s] survey answers: %s' % (name, json.dumps(answers, sort_keys=True)))
    injected = {key: value for key, value in env.items() if value == SK}
    run_job(name, private_data_dir, env, {'secret_key': SK}, injected, 'modelarts_job.yml',
            {'the output of render_credential.py': helper_output}, ok_task='Report the job')
    reports = [event['event_data']['res'].get('msg') for event in job_events(os.path.join(private_data_dir, 'artifacts', name))
               if event.get('event') == 'runner_on_ok' and event['event_data'].get('task') == 'Report the job']
    if not reports or not reports[0].startswith('tb-resnet50 (job 101) is running'):
        raise CheckError('[%s] the job did not report tb-resnet50 running: %s' % (name, reports))
    print('[%s] reported: %s' % (name, reports[0]))
    return {'secret_key (%s)' % name: SK}


def run_job(name, private_data_dir, env, secrets, injected_secrets, playbook, extra_sources=None,
            ok_task='Read the job by its exact name'):
    """Run ``playbook`` with ansible-runner and the injected ``env``; scan every output for ``secrets``."""
    # The job environment of AWX: the injected variables plus where the collection is
    env['ANSIBLE_COLLECTIONS_PATH'] = os.environ['ANSIBLE_COLLECTIONS_PATH']
    env['ANSIBLE_NOCOLOR'] = '1'
    with open(os.path.join(private_data_dir, 'env', 'envvars'), 'w', encoding='utf-8') as handle:
        yaml.safe_dump(env, handle, default_flow_style=False)
    os.makedirs(os.path.join(private_data_dir, 'inventory'), exist_ok=True)
    with open(os.path.join(private_data_dir, 'inventory', 'hosts'), 'w', encoding='utf-8') as handle:
        handle.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)

    child_env = {key: value for key, value in os.environ.items() if not key.startswith(SCRUBBED_PREFIXES)}
    runner = shutil.which('ansible-runner') or os.path.join(os.path.dirname(sys.executable), 'ansible-runner')
    started = time.monotonic()
    completed = subprocess.run([runner, 'run', private_data_dir, '-p', playbook, '--ident', name,
                                '--cmdline=' + VERBOSITY],
                               env=child_env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    artifacts = os.path.join(private_data_dir, 'artifacts', name)
    status = read(os.path.join(artifacts, 'status')).strip()
    print('[%s] ansible-runner rc=%d status=%s in %.1fs' % (name, completed.returncode, status, time.monotonic() - started))
    if completed.returncode != 0 or status != 'successful':
        print(completed.stdout[-4000:])
        print(completed.stderr[-2000:])
        raise CheckError('[%s] the job failed (rc=%d, status=%r)' % (name, completed.returncode, status))
    ok_tasks = [event['event_data'].get('task') for event in job_events(artifacts) if event.get('event') == 'runner_on_ok']
    if ok_task not in ok_tasks:
        raise CheckError('[%s] the module task did not report ok (ok tasks: %s)' % (name, ok_tasks))
    # Every artifact file (stdout, stderr, job_events, fact_cache, command...) and the runner's own output,
    # scanned for each secret in every form and for any token the emulator's IAM issued.
    command_file = os.path.join(artifacts, 'command')
    sources, problems = command_sources(command_file, injected_secrets)
    files = 0
    for path in sorted(glob.glob(os.path.join(artifacts, '**'), recursive=True)):
        if os.path.isfile(path):
            files += 1
            if path != command_file:
                sources[os.path.relpath(path, private_data_dir)] = read(path)
    sources.update({'the runner stdout': completed.stdout, 'the runner stderr': completed.stderr})
    sources.update(extra_sources or {})
    problems += SecretScanner(secrets).scan(sources)
    if problems:
        raise CheckError('[%s] secrets leaked: %s' % (name, '; '.join(problems)))
    print('[%s] ok: job successful, module task ok, no secret in the runner output or %d artifact files (%s included)'
          % (name, files, os.path.relpath(command_file, private_data_dir)))
    return secrets


def scan_emulator_logs(emulators, secrets):
    """No secret of any scenario, and no issued token, in the stopped emulators' access and output logs."""
    sources = {}
    for emulator in emulators:
        for log in ('access.log', 'output.log'):
            sources['%s/%s' % (os.path.basename(emulator.workdir), log)] = read(os.path.join(emulator.workdir, log))
    problems = SecretScanner(secrets).scan(sources)
    if problems:
        raise CheckError('secrets leaked in the emulator logs: %s' % '; '.join(problems))
    lines = sum(text.count('\n') for text in sources.values())
    print('emulator logs: no secret in %d lines of %d files' % (lines, len(sources)))


def read(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as handle:
            return handle.read()
    except OSError:
        return ''


def job_events(artifacts):
    for path in sorted(glob.glob(os.path.join(artifacts, 'job_events', '*.json'))):
        with open(path, encoding='utf-8') as handle:
            yield json.load(handle)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--output', default=OUTPUT, help='where the run directories go (default tests/awx/output)')
    args = parser.parse_args()
    if not os.environ.get('ANSIBLE_COLLECTIONS_PATH'):
        print('ANSIBLE_COLLECTIONS_PATH must point to a directory with ansible_collections/hwcloud/modelarts')
        return 2
    inputs = load_yaml('credential_type_inputs.yml')
    injectors = load_yaml('credential_type_injectors.yml')
    try:
        ids = validate_credential_type(inputs, injectors)
        print('credential type: %d input fields, %d injected variables, valid' % (len(ids), len(injectors['env'])))
    except CheckError as exc:
        print('FAIL: %s' % exc)
        return 1
    run_root = os.path.join(args.output, datetime.datetime.now().strftime('%Y%m%d-%H%M%S-') + str(os.getpid()))
    os.makedirs(run_root)
    plain = tls = None
    every_secret = {}
    try:
        plain = start_emulator(os.path.join(run_root, 'emulator-http'))
        tls = start_emulator(os.path.join(run_root, 'emulator-https'), tls=True)
        for name, credential, secrets in scenarios(plain, tls):
            run_scenario(name, credential, secrets, inputs, injectors, run_root)
            every_secret.update({'%s (%s)' % (label, name): value for label, value in secrets.items()})
        every_secret.update(run_starter_kit(plain, run_root))
        # AWX's built-in OpenStack credential over TLS with "Verify SSL" unticked: verify false in clouds.yaml
        # (with it ticked, the job fails: the emulator's CA is not trusted)
        openstack = dict(host=tls.url + '/v3', username=USERNAME, password=PASSWORD, project=REGION, domain=DOMAIN,
                         project_domain_name=DOMAIN, region=REGION, verify_ssl=False)
        run_openstack_scenario('openstack-credential', openstack, {'password': PASSWORD}, tls.url, run_root)
        every_secret['password (openstack-credential)'] = PASSWORD
        for emulator in (plain, tls):
            emulator.stop()  # the logs are complete once the emulator has stopped
        scan_emulator_logs((plain, tls), every_secret)
    except CheckError as exc:
        print('FAIL: %s' % exc)
        return 1
    finally:
        for emulator in (plain, tls):
            if emulator is not None:
                emulator.stop()
                print('emulator pid %d stopped' % emulator.pid)
    print('AWX credential check passed; run directories in %s' % os.path.relpath(run_root, ROOT))
    return 0


if __name__ == '__main__':
    sys.exit(main())
