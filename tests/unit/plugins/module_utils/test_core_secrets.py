# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Registering secrets with ansible-core: the public API of 2.22 and later, and nothing (no error) before."""

from __future__ import annotations

import uuid

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _core_secrets

CORE = tuple(int(part) for part in ANSIBLE_VERSION.split(".")[:2])


def test_pin_core_ansible_module_utils_secrets_exists_from_2_22_on():
    # A rename in a later core must fail here, not leave the collection's secrets unregistered without a word.
    assert _core_secrets.CORE_MASKS_SECRETS == (CORE >= (2, 22))


def test_registered_values_are_masked_by_core_and_weak_ones_are_not_registered():
    secret = "registered-%s" % uuid.uuid4().hex
    registered = _core_secrets.register_with_core([secret + "\n", " ", "ab", None])
    assert registered == _core_secrets.CORE_MASKS_SECRETS
    if registered:
        from ansible.module_utils.secrets import mask_secrets  # pylint: disable=import-error,no-name-in-module
        assert mask_secrets("a %s b" % secret) == "a $REDACTED$ b"
        assert mask_secrets("ab cd") == "ab cd"  # a value shorter than MIN_SECRET_LENGTH would mask every "ab"
