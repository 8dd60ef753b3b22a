# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking secrets in messages, in every encoding a message can carry them in.

The one masker of the collection: ``_task.py`` applies it to every failure message, warning and
traceback, whichever runner (the module, or the in-process action plugin) runs the task. A
secret is replaced where it appears literally, ``repr()``-escaped (as Python exceptions quote a
header value), URL-encoded, JSON-escaped and base64-encoded (a Basic auth header, say).

Values that are blank or shorter than :data:`MIN_SECRET_LENGTH` never become mask patterns:
masking every space, or every "a", would make any message unreadable. Such values are refused
as input before any request (``_header_values.py``), so they never reach a server either.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

MASK = "********"
MIN_SECRET_LENGTH = 4
# What ansible-core shows for a no_log option (AnsibleModule's own placeholder).
NO_LOG_PLACEHOLDER = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def maskable(value):
    """True when ``value`` may be a mask pattern: a string of at least MIN_SECRET_LENGTH non-blank characters."""
    return isinstance(value, str) and len(value.strip()) >= MIN_SECRET_LENGTH


def mask_patterns(values):
    """The maskable values of ``values``, and the stripped form of each (a value with a stray newline)."""
    patterns = set()
    for value in values:
        if maskable(value):
            patterns.add(value)
            patterns.add(value.strip())
    return patterns


def _base64_forms(value):
    """The base64 texts (standard and URL-safe) any base64 encoding of a text containing ``value`` contains.

    Inside a longer encoded text the value starts at byte 0, 1 or 2 of a 3-byte group; for each
    alignment, the characters made of the value's bits only are the same whatever surrounds it.
    """
    data = value.encode("utf-8", errors="surrogatepass")
    forms = set()
    for alignment in range(3):
        encoded = base64.b64encode(b"\0" * alignment + data).decode("ascii")
        fragment = encoded[-(-8 * alignment // 6):8 * (alignment + len(data)) // 6]
        if len(fragment) >= 8:  # shorter fragments would match ordinary words
            forms.update((fragment, fragment.translate(str.maketrans("+/", "-_"))))
    return forms


def encoded_forms(value):
    """Every form of ``value`` the masker replaces, longest first (none of them blank)."""
    forms = {
        value,
        repr(value)[1:-1],
        ascii(value)[1:-1],
        quote(value, safe=""),
        quote(value),
        quote_plus(value, safe=""),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }
    forms.update(form.lower() for form in list(forms) if "%" in form)  # lower-case percent escapes
    forms.update(_base64_forms(value))
    return sorted((form for form in forms if form.strip()), key=len, reverse=True)


class Masker:
    """Replaces every maskable secret of ``values``, in each of its encoded forms, by :data:`MASK`."""

    def __init__(self, values):
        forms = set()
        for pattern in mask_patterns(values):
            forms.update(encoded_forms(pattern))
        self.forms = sorted(forms, key=len, reverse=True)

    def mask(self, text):
        """``text`` with every form of every secret masked (whitespace is never masked)."""
        if not isinstance(text, str):
            return text
        for form in self.forms:
            if form in text:
                text = text.replace(form, MASK)
        return text


def scrub_weak_secrets(params, secret_options, no_log_values):
    """Show every set secret option as the no_log placeholder, and keep only maskable ``no_log_values``.

    The options are hidden by name, not only by value, so that the task's ``invocation`` never depends on value
    masking; and a blank or very short secret (refused anyway) must not make Ansible's ``no_log`` masking
    replace every space or letter of the result. Returns the no_log values to apply; ``params`` is changed in place.
    """
    for option in secret_options:
        if params.get(option) not in (None, ""):
            params[option] = NO_LOG_PLACEHOLDER
    return set(value for value in no_log_values if maskable(value))
