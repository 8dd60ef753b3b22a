# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Registering the secrets a task learns with ansible-core, which then masks them wherever it prints (2.22 and later).

From ansible-core 2.22 on, output is masked at display time: ``ansible.module_utils.secrets.register_secrets()``
adds values to the process's registry, and ansible-core carries what a process registered to the process that
displays (a module's result carries them as ``_ansible_new_secrets``, added by ``AnsibleModule`` on exit; a worker's
messages to the controller carry what the worker registered). A module's result is no longer masked by
``exit_json``, and ``remove_values()`` is deprecated. A value learned at run time (an issued token, a secret read
from the environment or from clouds.yaml) is unknown to ansible-core unless it is registered here.

Before 2.22 that module does not exist: nothing is registered, and the runners mask the result with ``no_log``
values as ansible-core's ``exit_json`` does there (``_module.py``, ``plugins/plugin_utils/_in_process.py``).
"""

from __future__ import annotations

from ._masking import mask_patterns

try:
    from ansible.module_utils.secrets import register_secrets as _register_secrets
except ImportError:  # ansible-core 2.21 and older
    _register_secrets = None

# Whether ansible-core masks registered secrets in its output (and no longer masks a module's result by no_log values).
CORE_MASKS_SECRETS = _register_secrets is not None


def register_with_core(values):
    """Register the maskable ``values`` (see ``_masking``) with ansible-core; returns whether this core takes them."""
    if _register_secrets is None:
        return False
    _register_secrets(sorted(mask_patterns(values)))
    return True
