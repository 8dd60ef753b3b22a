# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""extensions/awx/render_credential.py: the shipped credential type rendered into an ansible-runner directory as AWX
renders it, the credential checked as AWX checks it, and no value in its output."""

from __future__ import annotations

import importlib.util
import os
import stat

import pytest
import yaml

HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "extensions", "awx", "render_credential.py")
SPEC = importlib.util.spec_from_file_location("hwcloud_modelarts_render_credential", HELPER)
render_credential = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(render_credential)

SECRET = "sk-unit-0000000000000000000000000000001"
PEM = "-----BEGIN CERTIFICATE-----\nMIIunit\n-----END CERTIFICATE-----\n"


def write_credential(tmp_path, credential):
    path = tmp_path / "credential.yml"
    path.write_text(yaml.safe_dump(credential), encoding="utf-8")
    return str(path)


def read_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_shipped_type_renders_every_variable(tmp_path, capsys):
    credential = write_credential(tmp_path, {"region": "eu-de", "access_key": "AKUNIT", "secret_key": SECRET, "ca_certificates": PEM})
    assert render_credential.main([credential, str(tmp_path / "pdd")]) == 0
    env = read_yaml(tmp_path / "pdd" / "env" / "envvars")
    inputs = read_yaml(render_credential.INPUTS)
    assert len(env) == len(read_yaml(render_credential.INJECTORS)["env"]) == len(inputs["fields"])
    assert env["HWCLOUD_REGION"] == "eu-de" and env["HWCLOUD_SECRET_KEY"] == SECRET
    assert env["HWCLOUD_PASSWORD"] == "" and env["HWCLOUD_CLOUD"] == ""  # blank fields render as ''
    assert env["HWCLOUD_VALIDATE_CERTS"] == "true"  # an unticked box is false
    ca_path = env["HWCLOUD_CA_PATH"]
    assert os.path.dirname(ca_path) == str(tmp_path / "pdd" / "env")
    with open(ca_path, encoding="utf-8") as handle:
        assert handle.read() == PEM
    for path in (ca_path, str(tmp_path / "pdd" / "env" / "envvars")):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    out, err = capsys.readouterr()
    assert "HWCLOUD_SECRET_KEY" in out and SECRET not in out + err and "AKUNIT" not in out + err
    assert not (tmp_path / "pdd" / "env" / "extravars").exists()


def test_envvars_are_merged_and_skip_tls_verify_ticked(tmp_path):
    env_dir = tmp_path / "pdd" / "env"
    env_dir.mkdir(parents=True)
    (env_dir / "envvars").write_text("KEEP_ME: kept\nHWCLOUD_REGION: old\n", encoding="utf-8")
    credential = write_credential(tmp_path, {"region": "eu-de", "skip_tls_verify": True})
    assert render_credential.main([credential, str(tmp_path / "pdd")]) == 0
    env = read_yaml(env_dir / "envvars")
    assert env["KEEP_ME"] == "kept" and env["HWCLOUD_REGION"] == "eu-de"
    assert env["HWCLOUD_VALIDATE_CERTS"] == "false" and env["HWCLOUD_CA_PATH"] == ""


def test_extra_vars_and_a_single_file(tmp_path):
    inputs = {"fields": [{"id": "token", "label": "Token", "type": "string", "secret": True}], "required": ["token"]}
    injectors = {"file": {"template": "{{ token }}"}, "extra_vars": {"api": {"token_file": "{{ tower.filename }}", "list": ["{{ token }}"]}},
                 "env": {"API_TOKEN_FILE": "{{ tower.filename }}"}}
    names = render_credential.write_private_data_dir(inputs, injectors, {"token": SECRET}, str(tmp_path))
    assert names == (["API_TOKEN_FILE"], ["api"])
    extra = read_yaml(tmp_path / "env" / "extravars")
    assert extra["api"]["list"] == [SECRET]
    assert extra["api"]["token_file"] == read_yaml(tmp_path / "env" / "envvars")["API_TOKEN_FILE"]
    with open(extra["api"]["token_file"], encoding="utf-8") as handle:
        assert handle.read() == SECRET


@pytest.mark.parametrize("credential, message", [
    ({"region": "eu-de", "secret": "x"}, "unknown credential fields ['secret']"),
    ({"access_key": "AK"}, "credential fields ['region'] are required"),
    ({"region": ""}, "credential fields ['region'] are required"),
    ({"region": "eu-de", "cloud": "aws"}, "credential field cloud must be one of ['huaweicloud', 'opentelekomcloud']"),
    ({"region": "eu-de", "skip_tls_verify": "yes"}, "credential field skip_tls_verify must be true or false"),
    ({"region": 1}, "credential field region must be a string"),
])
def test_credentials_awx_would_refuse(tmp_path, capsys, credential, message):
    assert render_credential.main([write_credential(tmp_path, credential), str(tmp_path / "pdd")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "pdd" / "env" / "envvars").exists()


@pytest.mark.parametrize("injectors, message", [
    ({"env": {"ANSIBLE_X": "{{ region }}"}}, "AWX refuses to inject ANSIBLE_X"),
    ({"env": {"X": "{{ regoin }}"}}, "env.X references unknown names ['regoin']"),
    ({"file": {"cert": "x"}}, "file label 'cert' must be"),
    ({"environment": {}}, "unknown sections ['environment']"),
])
def test_types_awx_would_refuse(injectors, message):
    inputs = {"fields": [{"id": "region", "label": "Region", "type": "string"}]}
    with pytest.raises(render_credential.CredentialError, match=message.replace("[", r"\[").replace("]", r"\]")):
        render_credential.validate_credential_type(inputs, injectors)


def test_bad_yaml_names_the_place_not_the_line(tmp_path, capsys):
    path = tmp_path / "credential.yml"
    path.write_text("region: eu-de\nsecret_key: %s: [\n" % SECRET, encoding="utf-8")
    assert render_credential.main([str(path), str(tmp_path / "pdd")]) == 1
    err = capsys.readouterr().err
    assert "not valid YAML" in err and "line 2" in err and SECRET not in err
