# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only lookup: one call of the bundled emulator's admin API, from the controller's worker.

``lookup('emulator_admin', 'requests/take', url=emulator_url, method='POST', body={...})`` returns the
decoded JSON answer. It costs a few milliseconds where a uri task costs a module process; the
state cases call the admin API hundreds of times per ansible-core.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: emulator_admin
short_description: Call the admin API of the bundled ModelArts emulator (tests only)
description:
  - Sends one request to C(<url>/__emulator__/<call>) and returns the decoded JSON answer.
options:
  _terms:
    description: The admin call, for example V(requests/take).
    required: true
  url:
    description: The emulator's base URL (loopback, plain HTTP).
    type: str
    required: true
  method:
    description: The HTTP method.
    type: str
    default: GET
  body:
    description: The JSON body.
    type: raw
  ca_path:
    description: The CA bundle of an emulator that serves HTTPS.
    type: str
"""

import json
import ssl
import urllib.request

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):
    """The lookup."""

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        url, method, body = self.get_option("url"), self.get_option("method"), self.get_option("body")
        ca_path = self.get_option("ca_path")
        context = ssl.create_default_context(cafile=ca_path) if ca_path else None
        answers = []
        for call in terms:
            data = json.dumps(body).encode("utf-8") if body is not None else None
            request = urllib.request.Request("%s/__emulator__/%s" % (url.rstrip("/"), call), data=data, method=method,
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30, context=context) as answer:  # nosec B310 - the loopback emulator
                    answers.append(json.loads(answer.read() or b"{}"))
            except OSError as error:
                raise AnsibleError("emulator admin call %s %s failed: %s" % (method, call, error)) from None
        return answers
