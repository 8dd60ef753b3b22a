# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hostile-input sweep: every option of every module, each hostile value, through ansible-playbook.

Each case is a complete, valid task with one option set to a hostile value. Its outcome must be
one of: it works; it fails with a message naming the option (before any request); or it fails
with the cloud's answer (a ``status_code``: the value was sent and refused by the server). Never
a traceback or "unexpected error", and no secret in any output in any encoding (run.py scans).

Requests are attributed to cases: every case that reads a job by id reads its own id
(``FIRST_JOB_ID`` + its index, which the emulator does not have), and list cases are counted, so
a case that was refused must not appear in the emulator's request log at all. The auth module's
cases (AK/SK with a project id) need no request, so they must send none.

The cases are listed option by option in docs/docsite/rst/guide_reliability.rst ("The hostile-input sweep").
"""

from __future__ import annotations

from scenarios import AK, AUTH, EU_DE, INFO, SK

JOB = "hwcloud.modelarts.modelarts_visualization_job"
FIRST_JOB_ID = 700000
SWEEP_SECRET = "sweep-Secret/+=\u00c4-0001"  # in every hostile value of a secret option; never in any output
SECRETS = {"the sweep's secret": SWEEP_SECRET, "the sweep's secret, second half": SWEEP_SECRET[8:]}

CONNECTION_STRINGS = ("cloud", "region", "project_id", "project_name", "auth_token", "access_key", "secret_key",
                      "security_token", "username", "password", "domain_name", "iam_endpoint", "modelarts_endpoint",
                      "cloud_profile", "ca_path")
CONNECTION_OTHERS = ("validate_certs", "timeout", "retries")
SECRET_OPTIONS = ("auth_token", "secret_key", "security_token", "password")
ENDPOINT_OPTIONS = ("iam_endpoint", "modelarts_endpoint")
INFO_OPTIONS = ("job_id", "name", "status", "phase", "search_content", "sort_by", "order", "workspace_id")
JOB_OPTIONS = ("name", "job_id", "state", "description", "train_url", "job_type", "flavor", "auto_stop_hours", "wait",
               "wait_timeout")
LIST_OPTIONS = ("name", "status", "phase", "search_content", "sort_by", "order", "workspace_id")

# A valid value of each option, to build "surrounding whitespace" and "a newline inside" from.
_VALID = {"cloud": "opentelekomcloud", "region": "eu-de", "project_id": EU_DE, "project_name": "eu-de",
          "access_key": AK, "username": "demo-user", "domain_name": "demo-domain", "cloud_profile": "devstack",
          "ca_path": "/etc/ssl/certs", "iam_endpoint": "http://127.0.0.1:1", "modelarts_endpoint": "http://127.0.0.1:1",
          "validate_certs": "true", "timeout": "5", "retries": "1", "job_id": "101", "name": "tb-resnet50",
          "status": "running", "phase": "running", "search_content": "tb", "sort_by": "job_name", "order": "asc",
          "workspace_id": "0", "state": "absent", "description": "a job", "train_url": "obs://bucket/logs/",
          "job_type": "tensorboard", "flavor": "modelarts.vm.cpu.2u", "auto_stop_hours": "4", "wait": "false",
          "wait_timeout": "60"}

# The credential set each secret option belongs to (None removes an option; secret_key: the base AK/SK).
OWN_CREDENTIALS = {
    "auth_token": {"access_key": None, "secret_key": None},
    "security_token": {},
    "password": {"access_key": None, "secret_key": None, "username": "demo-user", "domain_name": "demo-domain"},
}

MALFORMED_URLS = {
    "url_ipv6_unclosed": "http://[::1",
    "url_space_in_host": "http://exa mple.com",
    "url_port_0": "http://127.0.0.1:0",
    "url_port_99999": "http://127.0.0.1:99999",
    "url_userinfo": "http://admin:%s@127.0.0.1" % SWEEP_SECRET.replace("/", "").replace("+", "").replace("=", ""),
    "url_query": "http://127.0.0.1/?x=1",
    "url_fragment": "http://127.0.0.1/#x",
    "url_no_scheme": "modelarts.example.com",
    "url_ftp": "ftp://127.0.0.1/",
    "url_empty_label": "http://ex..ample.com",
}


INT_OPTIONS = ("job_id", "timeout", "retries", "auto_stop_hours", "wait_timeout")


def hostile_values(option, base=None, module_path=False):
    """{name: value} of the hostile values tried for ``option`` (``base``: the valid value they are made from).

    Two exceptions, both ansible-core's own behaviour before the collection's code runs: the 10 kB value of an
    integer option is not all digits (Python refuses to convert more than 4300 digits, and ansible-core then fails
    without naming the option), and the module path gets no NUL (AnsibleModule fails logging its arguments to syslog).
    """
    base = base or (SWEEP_SECRET if option in SECRET_OPTIONS else _VALID[option])
    long_base = base + "x" if option in INT_OPTIONS else base
    values = {
        "empty": "",
        "whitespace_only": "  \t ",
        "surrounding_whitespace": " %s " % base,
        "newline": base[:4] + "\n" + base[4:],
        "nul": base[:4] + "\x00" + base[4:],
        "10_kB": (long_base * (10240 // len(long_base) + 1))[:10240],
        "non_ascii": (base + "-\u00fc\u0144\u00ef\u0107\u00f6d\u00e9") if option in SECRET_OPTIONS else "\u00fc\u0144\u00ef-\u0107\u00f6d\u00e9",
        "wrong_type": {"nested": [base]},
    }
    if option in ENDPOINT_OPTIONS:
        values.update(MALFORMED_URLS)
    if module_path:
        values.pop("nul")
    return values


class SweepCase:
    """One task: ``module`` with ``option`` set to a hostile value; ``job_id`` the id it reads (None: it lists)."""

    def __init__(self, index, module, option, value_name, value, module_path=False):
        self.index = index
        self.module = module
        self.option = option
        self.value_name = value_name
        self.value = value
        self.module_path = module_path
        self.name = "sweep/%s%s/%s/%s" % ("module_path/" if module_path else "", module.rsplit(".", 1)[-1], option,
                                          value_name)
        self.job_id = None
        self.fixed_job_id = None  # the job id of a job_id case whose hostile value still converts to a number

    def args(self, url):
        """The task's arguments against the emulator at ``url``."""
        args = {"access_key": AK, "secret_key": SK, "project_id": EU_DE, "modelarts_endpoint": url}
        if self.module != AUTH:
            self.job_id = FIRST_JOB_ID + self.index
            args["job_id"] = self.job_id
        if self.module == JOB:
            args.update(state="absent", wait=False)
        if self.option in LIST_OPTIONS and self.module == INFO:
            args.pop("job_id", None)
            self.job_id = None
        if self.option == "name" and self.module == JOB:
            args.pop("job_id", None)
            self.job_id = None
        if self.option in OWN_CREDENTIALS:  # the option's own credential set, so that the hostile value is in use
            args.update(OWN_CREDENTIALS[self.option], iam_endpoint=url)
        args[self.option] = self.value
        if self.fixed_job_id is not None:
            self.job_id = self.fixed_job_id
        return {name: value for name, value in args.items() if value is not None}

    def task(self, url):
        """The playbook task (registered, errors ignored; the module path forced when asked)."""
        entry = {"name": self.name, self.module: self.args(url), "ignore_errors": True}
        if self.module_path:
            entry["vars"] = {"hwcloud_modelarts_in_process": False}
        return entry

    def problems(self, record):
        """What is wrong with this case's outcome (the callback's record)."""
        if record is None:
            return ["no result"]
        result = record["result"]
        msg = str(result.get("msg", ""))
        found = [text for text in ("Traceback", "unexpected error") if text in msg or text in str(result.get("exception", ""))]
        # An empty value is the option not set (AWX injects blank fields so): the message may be about what is missing.
        if (record["outcome"] == "failed" and result.get("status_code") is None and self.option not in msg
                and self.value_name != "empty"):
            found.append("failed without naming %s: %r" % (self.option, msg[:200]))
        return found

    @property
    def authenticates(self):
        """Whether this case asks IAM for a token first (password credentials)."""
        return self.option == "password"

    def sends(self, record):
        """Whether this case may have sent a request: it worked, or failed with the cloud's answer."""
        if record is None:
            return False
        return record["outcome"] == "ok" or record["result"].get("status_code") is not None


def cases():
    """Every sweep case: the connection options on the info and auth modules, each module's own options, and
    the secret and endpoint options again on the module path."""
    specs = []
    for option in CONNECTION_STRINGS + CONNECTION_OTHERS:
        specs.append((INFO, option, False))
    for option in SECRET_OPTIONS:
        specs.append((AUTH, option, False))
    for option in INFO_OPTIONS:
        specs.append((INFO, option, False))
    for option in JOB_OPTIONS:
        specs.append((JOB, option, False))
    for option in SECRET_OPTIONS + ("modelarts_endpoint",):
        specs.append((INFO, option, True))
    found = []
    for module, option, module_path in specs:
        # a job id or name the emulator does not have, so that no case can stop or delete a seed job
        base = {"job_id": str(FIRST_JOB_ID + len(found)), "name": "sweep-no-such-job" if module == JOB else None}.get(option)
        for value_name, value in hostile_values(option, base, module_path).items():
            case = SweepCase(len(found), module, option, value_name, value, module_path)
            if option == "job_id":
                case.fixed_job_id = int(base)
            found.append(case)
    return found
