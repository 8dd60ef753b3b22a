# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The private attributes of ansible-core's ValidationResult that _validation.py reads, pinned on every supported core.

If a core renames or reshapes them, these fail loudly instead of the in-process path silently losing a no_log
value, a warning or a deprecation.
"""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.hwcloud.modelarts.plugins.plugin_utils import _validation

SPEC = dict(
    name=dict(type="str", aliases=["job_name", "old_name"],
              deprecated_aliases=[dict(name="old_name", version="9.0.0", collection_name="hwcloud.modelarts")]),
    secret=dict(type="str", no_log=True),
    token=dict(type="str", no_log=True, default="default-secret-value"),
    legacy=dict(type="str", removed_in_version="9.0.0", removed_from_collection="hwcloud.modelarts"),
)


def _validate(params):
    return ArgumentSpecValidator(SPEC).validate(params)


def test_no_log_values_of_options_and_defaults():
    validation = _validate({"secret": "given-secret-value"})
    assert set(_validation.validation_no_log_values(validation)) == {"given-secret-value", "default-secret-value"}


def test_the_alias_warning():
    validation = _validate({"name": "a", "job_name": "b"})
    assert validation._warnings == [{"option": "name", "alias": "job_name"}]  # pylint: disable=protected-access
    assert _validation.alias_warnings(validation) == ["Both option name and its alias job_name are set."]


def test_the_deprecations_of_an_alias_and_an_option():
    validation = _validate({"old_name": "a", "legacy": "x"})
    found = {entry["msg"]: (entry.get("version"), entry.get("collection_name"))
             for entry in validation._deprecations}  # pylint: disable=protected-access
    assert found == {"Alias 'old_name' is deprecated. See the module docs for more information": ("9.0.0", "hwcloud.modelarts"),
                     "Param 'legacy' is deprecated. See the module docs for more information": ("9.0.0", "hwcloud.modelarts")}
