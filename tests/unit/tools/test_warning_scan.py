# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/warning_scan.py: every warning fails unless allow-listed, in each form ansible-core prints it.

The formats come from the ansible-core this test runs on (its Display), so the units of each core check that core's.
"""

from __future__ import annotations

import importlib.util
import json
import os

import pytest

from ansible import constants as C
from ansible.utils.display import Display

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "warning_scan.py")
SPEC = importlib.util.spec_from_file_location("hwcloud_modelarts_warning_scan", TOOL)
warning_scan = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(warning_scan)

LONG = ("the answer to this task's create of 'tb-unit-%s' was lost (HTTP 502), so it adopted job 7, the job of that"
        " name it found afterwards. That job may be another task's: it may still make a second job")
ALLOW_LONG = """\
- pattern: "the answer to this task's create of 'tb-unit-[a-z]+' was lost .* it may still make a second job"
  kind: warning
  tests: [the unit test]
  why: provoked by the unit test
"""


def _scan(tmp_path, output, allowlist="[]\n", name="gate.log"):
    """main() over one output file with the given allow-list: (exit code, printed lines)."""
    (tmp_path / name).write_text(output, encoding="utf-8")
    (tmp_path / "allow.yml").write_text(allowlist, encoding="utf-8")
    return warning_scan.main(["--allowlist", str(tmp_path / "allow.yml"), str(tmp_path / name)])


def _core_output(capsys, emit):
    """What this ansible-core's Display prints (stdout and stderr) for ``emit(display)``."""
    capsys.readouterr()
    emit(Display())
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_an_unlisted_warning_fails_with_its_file_line_and_text(tmp_path, capsys):
    output = "PLAY [x] ***\n\nTASK [y] ***\n[WARNING]: something the collection did\nok: [localhost]\n"
    assert _scan(tmp_path, output) == 1
    printed = capsys.readouterr().out
    assert "%s:4: [WARNING]: something the collection did" % (tmp_path / "gate.log") in printed
    assert "1 warnings in 1 files, 0 allow-listed, 1 not" in printed


def test_an_allow_listed_warning_passes_and_is_counted(tmp_path, capsys):
    output = "TASK [y] ***\n[WARNING]: %s\nok: [localhost]\n" % (LONG % "allowed")
    assert _scan(tmp_path, output, ALLOW_LONG) == 0
    assert "1 warnings in 1 files, 1 allow-listed, 0 not" in capsys.readouterr().out


def test_the_pattern_matches_at_the_start_only(tmp_path):
    output = "[WARNING]: because %s\n" % (LONG % "allowed")
    assert _scan(tmp_path, output, ALLOW_LONG) == 1


def test_a_warning_entry_does_not_allow_a_deprecation(tmp_path):
    output = "[DEPRECATION WARNING]: %s\n" % (LONG % "allowed")
    assert _scan(tmp_path, output, ALLOW_LONG) == 1


def test_this_cores_warning_wrapped_or_not_is_found_whole(tmp_path, capsys):
    """ansible-core 2.16 to 2.18 wrap a warning at the terminal width; the allow-list entry needs its last words."""
    output = _core_output(capsys, lambda display: display.warning(LONG % "wrapped"))
    findings = warning_scan.scan_text("out", "TASK [y] ***\n" + output + "ok: [localhost]\n")
    assert [finding.text for finding in findings] == [LONG % "wrapped"]
    assert _scan(tmp_path, output, ALLOW_LONG) == 0


def test_this_cores_deprecation_fails_and_is_found_whole(tmp_path, capsys, monkeypatch):
    # ansible-test runs units with ANSIBLE_DEPRECATION_WARNINGS=false; turn them on as a playbook run has them
    # (2.19 and later read the setting when they print, 2.16 to 2.18 at import into ansible.constants)
    monkeypatch.setenv("ANSIBLE_DEPRECATION_WARNINGS", "true")
    monkeypatch.setattr(C, "DEPRECATION_WARNINGS", True, raising=False)
    message = "The hwcloud_unit_option option is deprecated and goes away after this sentence which is long enough to wrap"
    output = _core_output(capsys, lambda display: display.deprecated(message, version="99.0.0", collection_name="hwcloud.modelarts"))
    assert "[DEPRECATION WARNING]" in output
    findings = warning_scan.scan_text("out", output)
    # 2.19 and later print "[WARNING]: Deprecation warnings can be disabled ..." first: part of the deprecation
    assert [finding.kind for finding in findings] == [warning_scan.DEPRECATION]
    assert findings[0].text.startswith(message)
    assert _scan(tmp_path, output) == 1
    assert "[DEPRECATION WARNING]: %s" % message in capsys.readouterr().out


def test_a_multi_line_warning_of_2_19_is_joined_up_to_the_blank_line(tmp_path):
    output = ("[WARNING]: Host 'local-x' is using the discovered Python interpreter at '/venv/bin/python', but future\n"
              "installation could change it.\n"
              "Origin: playbooks/paths.yml:12:7\n"
              "\n"
              "12   - name: a task\n"
              "TASK [next] ***\n")
    findings = warning_scan.scan_text("out", output)
    assert len(findings) == 1
    assert findings[0].text.endswith("could change it. Origin: playbooks/paths.yml:12:7")
    allow = ALLOW_LONG.replace("the answer to this task's create of 'tb-unit-[a-z]+' was lost .* it may still make a"
                               " second job", "Host 'local-x' .* could change it\\\\. Origin:")
    assert _scan(tmp_path, output, allow) == 0


def test_colour_and_json_forms_are_found(tmp_path):
    """A coloured line, a warning inside an ansible-runner event's stdout, and a result's lists printed as JSON."""
    event = {"event": "runner_on_ok", "stdout": "\x1b[1;35m[WARNING]: from an event\x1b[0m",
             "event_data": {"res": {"changed": False, "warnings": ["from a result"],
                                    "deprecations": [{"msg": "a deprecated thing", "version": "2.25"}]}}}
    output = "\x1b[1;35m[WARNING]: coloured\x1b[0m\n%s\nok: [h] => %s\n" % (
        json.dumps(event), json.dumps({"changed": False, "warnings": [{"event": {"msg": "a 2.19 summary"}}]}))
    found = sorted((finding.kind, finding.text) for finding in warning_scan.scan_text("out", output))
    assert found == [("deprecation", "a deprecated thing"), ("warning", "a 2.19 summary"), ("warning", "coloured"),
                     ("warning", "from a result"), ("warning", "from an event")]
    assert _scan(tmp_path, output) == 1


@pytest.mark.parametrize("entry, complaint", [
    ({"pattern": "x", "kind": "warning", "tests": ["t"]}, "exactly the keys"),
    ({"pattern": "x", "kind": "warning", "tests": [], "why": "w"}, "tests must list"),
    ({"pattern": "x", "kind": "warning", "tests": ["t"], "why": " "}, "why must say"),
    ({"pattern": "x", "kind": "notice", "tests": ["t"], "why": "w"}, "kind must be"),
    ({"pattern": "(", "kind": "warning", "tests": ["t"], "why": "w"}, "not a regular expression"),
])
def test_an_allow_list_entry_needs_a_pattern_the_tests_and_a_reason(tmp_path, capsys, entry, complaint):
    assert _scan(tmp_path, "no warning\n", json.dumps([entry])) == 1
    assert complaint in capsys.readouterr().out


def test_nothing_to_scan_fails(tmp_path, capsys):
    assert warning_scan.main([str(tmp_path / "absent.out")]) == 1
    assert "does not exist" in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    assert warning_scan.main([str(tmp_path / "empty")]) == 1


def test_output_without_warnings_passes_with_the_shipped_allow_list(tmp_path, capsys):
    (tmp_path / "run.out").write_text("PLAY RECAP ***\nlocalhost : ok=1 changed=0\n", encoding="utf-8")
    assert warning_scan.main([str(tmp_path)]) == 0
    assert "0 warnings in 1 files" in capsys.readouterr().out
