# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding secrets in text in every form they could be written in (the reliability suite and the AWX check).

    python tests/reliability/secret_scan.py FILE...   # scan files (the integration gate's output) for the
                                                       # reliability suite's secrets; exit 1 on a leak

A secret is looked for as written, URL-encoded, JSON-escaped and base64-encoded (standard and
URL-safe alphabets, at each of the three byte alignments it can have inside a longer encoded
text, such as ``user:password`` in a Basic auth header). Tokens issued by the emulator's IAM are
found by their fixed prefix, whatever their value, in the same forms. A problem names the secret's
label, the form and where it was found, never the value.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
import urllib.parse

# Every token the emulator issues is "MIIEMU" + 256 URL-safe random characters (tests/emulator/state.py),
# so URL encoding and JSON escaping leave it unchanged and the pattern finds it written in either form.
ISSUED_TOKEN_PREFIX = "MIIEMU"
ISSUED_TOKEN = re.compile(ISSUED_TOKEN_PREFIX + r"[A-Za-z0-9_\-]*")
_URLSAFE = str.maketrans("+/", "-_")


def base64_fragments(value):
    """The base64 texts (standard and URL-safe) that any base64 encoding of a text containing ``value`` contains.

    Inside a longer encoded text the value starts at byte offset 0, 1 or 2 of a 3-byte group; for
    each alignment, the characters that depend on the value's bytes only are the same whatever
    surrounds it.
    """
    data = value.encode("utf-8")
    fragments = set()
    for alignment in range(3):
        encoded = base64.b64encode(b"\0" * alignment + data).decode("ascii")
        first = -(-8 * alignment // 6)            # the first character made of the value's bits only
        end = 8 * (alignment + len(data)) // 6   # past the last one
        fragment = encoded[first:end]
        if len(fragment) >= 6:
            fragments.update((fragment, fragment.translate(_URLSAFE)))
    return fragments


def forms(value):
    """{form name: text} of every way ``value`` is looked for (forms equal to an earlier one are left out)."""
    candidates = [
        ("literal", value),
        ("URL-encoded", urllib.parse.quote(value, safe="")),
        ("URL-encoded, lower-case hex", re.sub(r"%[0-9A-F]{2}", lambda hit: hit.group(0).lower(),
                                               urllib.parse.quote(value, safe=""))),
        ("form-encoded", urllib.parse.quote_plus(value, safe="")),
        ("URL-encoded, / kept", urllib.parse.quote(value)),
        ("JSON-escaped", json.dumps(value)[1:-1]),
        ("JSON-escaped, UTF-8 kept", json.dumps(value, ensure_ascii=False)[1:-1]),
    ]
    found, seen = {}, set()
    for name, text in candidates:
        if text not in seen:
            seen.add(text)
            found[name] = text
    for index, fragment in enumerate(sorted(base64_fragments(value))):
        found["base64-encoded #%d" % (index + 1)] = fragment
    return found


class SecretScanner:
    """Finds secret values (and any token the emulator issued) in text, naming the secret, never printing it."""

    def __init__(self, secrets):
        self.secrets = {label: value for label, value in secrets.items() if value}
        self._token_fragments = base64_fragments(ISSUED_TOKEN_PREFIX)

    def scan(self, sources, extra=None, structured=None):
        """Problems, one per (secret, form, source): ``sources`` maps a source name to its text.

        ``extra`` adds secrets for this scan only; ``structured`` maps a source name to the decoded
        data it was printed from, to name where in that data (task and key path) a secret was found.
        """
        secrets = dict(self.secrets)
        secrets.update({label: value for label, value in (extra or {}).items() if value})
        problems = []
        for source, text in sources.items():
            if not text:
                continue
            for label, value in sorted(secrets.items()):
                for form, needle in forms(value).items():
                    if needle in text:
                        problems.append("%s leaked %s in %s (%d times%s)" % (
                            label, "as written" if form == "literal" else form, source, text.count(needle),
                            _where(structured, source, needle)))
            issued = ISSUED_TOKEN.findall(text)
            if issued:
                problems.append("an issued %s... token leaked in %s (%d times%s)" % (
                    ISSUED_TOKEN_PREFIX, source, len(issued), _where(structured, source, ISSUED_TOKEN_PREFIX)))
            encoded = sum(text.count(fragment) for fragment in self._token_fragments)
            if encoded:
                problems.append("an issued %s... token leaked base64-encoded in %s (%d times)"
                                % (ISSUED_TOKEN_PREFIX, source, encoded))
        return problems


def _where(structured, source, needle):
    data = (structured or {}).get(source)
    if data is None:
        return ""
    paths = list(locate(data, needle))
    return ", at %s" % ", ".join(paths[:3]) if paths else ""


def locate(data, needle, path=""):
    """Key paths (``[0].result.msg``) of the strings in ``data`` that contain ``needle``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and needle in key:
                yield "%s.%s (a key)" % (path, key)
            yield from locate(value, needle, "%s.%s" % (path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from locate(value, needle, "%s[%d]" % (path, index))
    elif isinstance(data, str) and needle in data:
        yield path or "(the value)"


def main(paths):
    """Scan files for the suite's secrets (the emulator's seeded ones and more) and issued tokens; 1 on a leak."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    # pylint: disable=import-outside-toplevel,import-error
    import bad_inputs
    import scenarios
    sources = {}
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            sources[path] = handle.read()
    problems = SecretScanner(dict(scenarios.SECRETS, **bad_inputs.SECRETS)).scan(sources)
    for problem in problems:
        print("secret scan: %s" % problem)
    print("secret scan: %s in %d lines of %s" % ("LEAKS" if problems else "no secret", sum(
        text.count("\n") for text in sources.values()), ", ".join(os.path.basename(path) for path in paths)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
