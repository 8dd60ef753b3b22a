# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an ``ArgumentSpecValidator`` result holds beyond the validated parameters, as ``AnsibleModule`` reports it.

``AnsibleModule`` validates with ``ModuleArgumentSpecValidator``, which reads the same result and
hands its warnings and deprecations to ``ansible.module_utils.common.warnings``. That module keeps
process-wide lists (every item of a loop runs in the same worker), and on ansible-core 2.19 and
later it displays through the controller's ``Display`` instead of collecting, so the in-process path
cannot take its warnings from there. ansible-core has no public accessor for the no_log values, the
alias warnings or the deprecations of one validation (``ValidationResult`` makes public only the
parameters, the errors and the unsupported parameters), so three private attributes are read here,
and nowhere else; ``tests/unit/plugins/plugin_utils/test_validation.py`` pins them on every
supported ansible-core.
"""

from __future__ import annotations

from ansible.module_utils.common.warnings import deprecate, get_deprecation_messages


def validation_no_log_values(validation):
    """The values of the no_log options (and of their defaults and fallbacks) the validation saw."""
    return validation._no_log_values  # pylint: disable=protected-access


def alias_warnings(validation):
    """The warnings ``AnsibleModule`` returns when an option and its alias are both set."""
    return ["Both option %s and its alias %s are set." % (warning["option"], warning["alias"])
            for warning in validation._warnings]  # pylint: disable=protected-access


def reported_deprecations(validation):
    """Report the validation's deprecations (deprecated options and aliases) as ``AnsibleModule`` does.

    Each goes through ansible-core's own ``deprecate()``, as ``ModuleArgumentSpecValidator`` sends
    it. On ansible-core 2.19 and later that displays it through the controller's ``Display``, which
    the task executor attaches to the task's result; on 2.16 to 2.18 it is collected, and the entries this
    call added are returned, in the form a module's result carries them.
    """
    before = len(get_deprecation_messages())
    for entry in validation._deprecations:  # pylint: disable=protected-access
        deprecate(entry["msg"], version=entry.get("version"), date=entry.get("date"), collection_name=entry.get("collection_name"))
    return list(get_deprecation_messages()[before:])
