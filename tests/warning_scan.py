# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding ansible-core's warnings in the output of the gates that run playbooks (the warning gate).

    python tests/warning_scan.py PATH...                  # files, or folders (every file under them)
    python tests/warning_scan.py --allowlist FILE PATH...  # another allow-list than tests/warning_allowlist.yml

Every ``[WARNING]`` and ``[DEPRECATION WARNING]`` in the output fails the scan (exit 1), with its file, line and
text, unless an entry of the allow-list matches it: a warning that a test provokes on purpose. Found as
ansible-core 2.16 to 2.22 print them:

- on a line of their own, possibly coloured (ANSI escapes are removed first), wrapped at the terminal width
  (2.16 to 2.18), or with more lines after the first (2.19 and later: ``Origin:``, the source, help text,
  ended by a blank line): the lines up to a blank line or the next record (``TASK [``, ``ok:``...) are joined;
- inside a line, as in the JSON events of ansible-runner (``"stdout": "...[WARNING]: ..."``);
- in the ``warnings`` and ``deprecations`` lists of a task result printed as JSON (``-v`` output, a callback's
  JSON, a registered result printed by a test).

The allow-list (YAML) is a list of entries, each with ``pattern`` (a Python regular expression that must match the
start of the warning's text, after ``[WARNING]: ``, with every run of white space made one space), ``kind``
(``warning`` or ``deprecation``), ``tests`` (the tests that provoke it on purpose) and ``why``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

import yaml

DEFAULT_ALLOWLIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "warning_allowlist.yml")
WARNING, DEPRECATION = "warning", "deprecation"
LABELS = {WARNING: "[WARNING]", DEPRECATION: "[DEPRECATION WARNING]"}
ENTRY_KEYS = {"pattern", "kind", "tests", "why"}

# ANSI colour codes, as written and as JSON writes them in a string (ansible-runner's events)
_ANSI = re.compile(r"(?:\x1b|\\u001b|\\x1b|\\033)\[[0-9;]*[A-Za-z]")
_MARKER = re.compile(r"\[(DEPRECATION WARNING|WARNING)\]:")
# A line that starts a record of its own, so that it does not continue the warning above it.
_RECORD = re.compile(r"\s*$|\[[A-Z ]+\]|(TASK|PLAY|RUNNING HANDLER|META|NOTIFIED|PLAY RECAP) |"
                     r"(ok|changed|fatal|failed|skipping|included|unreachable|ignored|rescued|FAILED!|ERROR!?)[:! ]|"
                     r"(Using |Loading |Skipping |redirecting |Traceback |Stream command|Run command|Running |"
                     r"<\S+> |\{|\}|\"|\S+\.py:[0-9]+: \w*Warning: |[^\s:]+ +: ok=)")
# 2.19+: the first deprecation of a run comes with this warning; it is part of the deprecation, not one of its own.
_DEPRECATION_COMPANION = "Deprecation warnings can be disabled by setting"
_UNESCAPED_QUOTE = re.compile(r'(?<!\\)"')
_JSON_LIST = re.compile(r"\"(warnings|deprecations)\"\s*:\s*\[")
_MAX_CONTINUATION = 40


class Finding:
    """One warning: where it was found, its kind and its text (white space runs made one space)."""

    def __init__(self, path, line, kind, text):
        self.path, self.line, self.kind, self.text = path, line, kind, text
        self.entry = None

    def __str__(self):
        text = self.text if len(self.text) <= 400 else self.text[:400] + "..."
        return "%s:%d: %s: %s" % (self.path, self.line, LABELS[self.kind], text)


def _squeeze(text):
    return " ".join(text.replace("\\r", " ").replace("\\n", " ").replace('\\"', '"').split())


def _continuation(lines, index):
    """The lines after ``index`` that continue the warning on it: up to a blank line or the next record."""
    more = []
    for line in lines[index + 1:index + 1 + _MAX_CONTINUATION]:
        if _RECORD.match(line):
            break
        more.append(line)
    return more


def text_findings(path, text):
    """The warnings printed as text (on their own line or inside one) in ``text``."""
    findings = []
    lines = _ANSI.sub("", text).splitlines()
    for index, line in enumerate(lines):
        for marker in _MARKER.finditer(line):
            kind = DEPRECATION if marker.group(1) == "DEPRECATION WARNING" else WARNING
            rest = line[marker.end():]
            following = _MARKER.search(rest)
            if following:
                rest = rest[:following.start()]
            before = line[:marker.start()]
            if not before.strip():  # a line of its own: it may go on over the next lines
                rest = " ".join([rest] + _continuation(lines, index))
            elif len(_UNESCAPED_QUOTE.findall(before)) % 2:  # inside a JSON string: up to its end
                rest = _UNESCAPED_QUOTE.split(rest, maxsplit=1)[0]
            findings.append(Finding(path, index + 1, kind, _squeeze(rest)))
    return findings


def _item_text(item):
    """The message of one entry of a result's warnings or deprecations list (a string, or a dict with msg)."""
    if isinstance(item, dict):
        event = item.get("event") if isinstance(item.get("event"), dict) else item
        if isinstance(event.get("msg"), str):
            return event["msg"]
    return item if isinstance(item, str) else json.dumps(item, sort_keys=True)


def json_findings(path, text):
    """The entries of every ``"warnings": [...]`` and ``"deprecations": [...]`` of JSON printed in ``text``."""
    findings = []
    decoder = json.JSONDecoder()
    for match in _JSON_LIST.finditer(text):
        try:
            items, _end = decoder.raw_decode(text, match.end() - 1)
        except ValueError:
            continue
        line = text.count("\n", 0, match.start()) + 1
        kind = DEPRECATION if match.group(1) == "deprecations" else WARNING
        for item in items if isinstance(items, list) else []:
            findings.append(Finding(path, line, kind, _squeeze(_ANSI.sub("", _item_text(item)))))
    return findings


def scan_text(path, text):
    """Every warning in ``text`` (the output read from ``path``), in order of lines."""
    findings = text_findings(path, text) + json_findings(path, text)
    if any(finding.kind == DEPRECATION for finding in findings):
        findings = [finding for finding in findings
                    if not (finding.kind == WARNING and finding.text.startswith(_DEPRECATION_COMPANION))]
    return sorted(findings, key=lambda finding: finding.line)


def load_allowlist(path):
    """The entries of the allow-list, each checked: all four keys, a pattern that compiles, named tests, a reason."""
    with open(path, encoding="utf-8") as handle:
        entries = yaml.safe_load(handle) or []
    if not isinstance(entries, list):
        raise ValueError("%s: the allow-list must be a list of entries" % path)
    for number, entry in enumerate(entries, 1):
        where = "%s: entry %d" % (path, number)
        if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
            raise ValueError("%s must have exactly the keys %s" % (where, ", ".join(sorted(ENTRY_KEYS))))
        if entry["kind"] not in LABELS:
            raise ValueError("%s: kind must be %s or %s" % (where, WARNING, DEPRECATION))
        if not isinstance(entry["tests"], list) or not entry["tests"] or not all(
                isinstance(test, str) and test.strip() for test in entry["tests"]):
            raise ValueError("%s: tests must list the tests that provoke the warning on purpose" % where)
        if not isinstance(entry["why"], str) or not entry["why"].strip():
            raise ValueError("%s: why must say why the warning is expected" % where)
        try:
            entry["regex"] = re.compile(entry["pattern"])
        except (re.error, TypeError) as error:
            raise ValueError("%s: pattern %r is not a regular expression: %s" % (where, entry["pattern"], error)) from None
    return entries


def classify(findings, entries):
    """Set ``entry`` of each finding that an allow-list entry matches; return the ones none matches."""
    unlisted = []
    for finding in findings:
        finding.entry = next((entry for entry in entries
                              if entry["kind"] == finding.kind and entry["regex"].match(finding.text)), None)
        if finding.entry is None:
            unlisted.append(finding)
    return unlisted


def files_of(paths):
    """Each file named, and every file under each folder named (sorted); a missing path is an error."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += sorted(os.path.join(folder, name) for folder, _dirs, names in os.walk(path) for name in names)
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise ValueError("%s does not exist (nothing to scan is a broken gate, not a clean one)" % path)
    return files


def main(argv=None):
    """Scan the output files; 1 when a warning is not allow-listed or there is nothing to scan."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--allowlist", default=DEFAULT_ALLOWLIST, help="the allow-list (tests/warning_allowlist.yml)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="an output file, or a folder of them")
    args = parser.parse_args(argv)
    try:
        entries = load_allowlist(args.allowlist)
        files = files_of(args.paths)
    except ValueError as error:
        print("warning scan: %s" % error)
        return 1
    if not files:
        print("warning scan: no file to scan in %s" % ", ".join(args.paths))
        return 1
    findings = []
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as handle:
            findings += scan_text(path, handle.read())
    unlisted = classify(findings, entries)
    for finding in unlisted:
        print("warning scan: not allow-listed: %s" % finding)
    allowed = {}
    for finding in findings:
        if finding.entry is not None:
            allowed[finding.entry["pattern"]] = allowed.get(finding.entry["pattern"], 0) + 1
    for pattern, count in sorted(allowed.items()):
        print("warning scan: allow-listed %d times: %s" % (count, pattern))
    print("warning scan: %d warnings in %d files, %d allow-listed, %d not" % (
        len(findings), len(files), len(findings) - len(unlisted), len(unlisted)))
    return 1 if unlisted else 0


if __name__ == "__main__":
    sys.exit(main())
