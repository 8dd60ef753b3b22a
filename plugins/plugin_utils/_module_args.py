# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A task's arguments as a module receives them: through ansible-core's own module-args JSON encoding.

On the module path, ansible-core encodes the arguments into the AnsiballZ payload with its module
encoder and the module decodes them again; a value of a YAML type (a date, a datetime, binary, a
set) arrives as what that encoding makes of it, or the task fails before the module runs. The
in-process path sends the arguments through the same encoder and decoder of the running
ansible-core, and fails with the same error, so that the validation sees exactly what the module
would have seen:

- ansible-core 2.19 and later: ``get_module_encoder`` and ``get_module_decoder`` of the ``legacy``
  profile (the profile of every module of this collection), controller to module;
- ansible-core 2.16: ``AnsibleJSONEncoder`` with ``vault_to_text``, and the module's plain ``json.loads``.
"""

from __future__ import annotations

import json

from ansible.errors import AnsibleError

try:
    from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
    LEGACY_ENCODER = None
except ImportError:  # ansible-core 2.16
    from ansible.module_utils.common.json import AnsibleJSONEncoder as LEGACY_ENCODER
    Direction = get_module_decoder = get_module_encoder = None

# The serialization profile ansible-core gives a module that declares none (every module of this collection).
PROFILE = "legacy"


def as_the_module_receives(args, module_name):
    """``args`` encoded and decoded as ansible-core hands them to ``module_name``; AnsibleError as ansible-core raises it."""
    if LEGACY_ENCODER is not None:
        try:
            encoded = json.dumps(args, cls=LEGACY_ENCODER, vault_to_text=True)
        except TypeError as error:
            raise AnsibleError("Unable to pass options to module, they must be JSON serializable: %s" % error)
        return json.loads(encoded)
    try:
        encoded = json.dumps(args, cls=get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE))
    except TypeError as error:
        raise AnsibleError("Failed to serialize arguments for the %r module." % module_name) from error
    return json.loads(encoded, cls=get_module_decoder(PROFILE, Direction.CONTROLLER_TO_MODULE))
