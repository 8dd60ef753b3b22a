# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking: every secret option is no_log, every secret in use is masked in every encoding, none eats a message."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _masking, _options
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._sources import SECRET_OPTIONS
from ansible_collections.hwcloud.modelarts.plugins.module_utils._task import Task, execute, no_log_options, task_argument_spec
from ansible_collections.hwcloud.modelarts.plugins.modules import auth, modelarts_visualization_job, modelarts_visualization_job_info

MODULES = {"auth": auth, "modelarts_visualization_job": modelarts_visualization_job,
           "modelarts_visualization_job_info": modelarts_visualization_job_info}
SECRET = 'MII-tok/en+"42"\\ä\nend'
SECRET_WORDS = ("token", "secret", "password")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_secret_option_of_every_module_is_no_log(module):
    spec = task_argument_spec(MODULES[module].ARGUMENT_SPEC)
    for option in SECRET_OPTIONS:
        assert spec[option].get("no_log") is True, "%s: %s is not no_log" % (module, option)
    named_like_secrets = [name for name in spec if any(word in name for word in SECRET_WORDS)]
    assert sorted(named_like_secrets) == sorted(SECRET_OPTIONS)
    assert sorted(no_log_options(spec)) == sorted(SECRET_OPTIONS)


def _defaults(**values):
    params = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGUMENT_SPEC.items())
    params.update(values)
    return params


@pytest.mark.parametrize("form", [
    SECRET,
    repr(SECRET),
    ascii(SECRET),
    quote(SECRET, safe=""),
    quote(SECRET, safe="").lower(),
    json.dumps(SECRET),
    json.dumps(SECRET, ensure_ascii=False),
    base64.b64encode(SECRET.encode()).decode(),
    base64.b64encode(b"user:" + SECRET.encode()).decode(),
    base64.urlsafe_b64encode(b"xy" + SECRET.encode()).decode(),
])
def test_the_masker_masks_every_encoding(form):
    masked = _masking.Masker([SECRET]).mask("before %s after" % form)
    assert masked.startswith("before ") and masked.endswith(" after")
    assert "tok/en" not in masked and "tok%2Fen" not in masked.replace("%2f", "%2F") and "********" in masked
    for fragment in _masking.encoded_forms(SECRET):
        assert fragment not in masked


@pytest.mark.parametrize("value", ["", " ", "   ", "\n", "\t \n", "abc", " ab ", None, 42])
def test_blank_or_short_values_never_become_mask_patterns(value):
    text = "the environment variable HWCLOUD_PASSWORD must not be blank abc"
    assert _masking.Masker([value]).mask(text) == text
    assert not _masking.mask_patterns([value])


def test_a_value_with_a_stray_newline_is_masked_with_and_without_it():
    masker = _masking.Masker(["secret-value\n"])
    assert masker.mask("a secret-value b") == "a ******** b"
    assert masker.mask("a 'secret-value\\n' b") == "a '********' b"


def test_weak_secrets_are_hidden_from_the_invocation_and_dropped_from_no_log_values():
    params = {"auth_token": " ", "password": "ab", "secret_key": "long-enough-secret", "region": "eu-de"}
    values = _masking.scrub_weak_secrets(params, SECRET_OPTIONS, {" ", "ab", "long-enough-secret"})
    assert values == {"long-enough-secret"}
    assert params == {"auth_token": _masking.NO_LOG_PLACEHOLDER, "password": _masking.NO_LOG_PLACEHOLDER,
                      "secret_key": _masking.NO_LOG_PLACEHOLDER, "region": "eu-de"}


def test_a_blank_secret_gives_a_readable_error():
    task = Task(_defaults(auth_token=" ", region="eu-de"), environ={"HWCLOUD_PASSWORD": " "})
    result = execute(lambda task: task.connect(), task)
    assert result["msg"] == "auth_token must not be blank"
    assert task.no_log_values() == set()


def test_an_unused_environment_secret_is_a_no_log_value_and_masked():
    environ = {"OS_PASSWORD": "unused-os-password", "HWCLOUD_AUTH_TOKEN": "unused-hw-token"}
    task = Task(_defaults(access_key="AK-0001", secret_key="task-secret-key", project_id="p", region="eu-de"),
                environ=environ)

    def echo(task):
        task.connect()
        raise ModelArtsError("the body says %s and %s" % (quote("unused-os-password"), json.dumps("unused-hw-token")))

    result = execute(echo, task)
    assert result["msg"] == "the body says ******** and \"********\""
    assert {"unused-os-password", "unused-hw-token", "task-secret-key"} <= task.no_log_values()


def test_the_last_resort_masks_an_exception_quoting_a_secret_repr():
    task = Task(_defaults(auth_token=SECRET.replace("\n", "-"), region="eu-de"), environ={})

    def bug(task):
        raise ValueError("Invalid value %r in header" % task.params["auth_token"])

    result = execute(bug, task)
    assert result["msg"].startswith("unexpected error: ValueError: Invalid value ")
    assert "tok/en" not in result["msg"] and "tok/en" not in result["exception"]


def test_the_issued_token_is_masked_in_messages(emulator):
    task = Task(_defaults(username="demo-user", password="Demo-Passw0rd!", domain_name="demo-domain", region="eu-de",
                          iam_endpoint=emulator.url, modelarts_endpoint=emulator.url), environ={})
    issued = []

    def echo(task):
        connection = task.connect()
        connection.authenticate()
        issued.append(connection.token)
        raise ModelArtsError("the gateway echoed %s and %s" % (connection.token, quote(connection.token, safe="")))

    result = execute(echo, task)
    assert issued and issued[0].startswith("MII")
    assert issued[0] in task.secrets()
    assert result["msg"] == "the gateway echoed ******** and ********"
