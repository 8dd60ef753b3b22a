# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Attributes every module of the collection shares (each module adds its own check_mode details).

List it before ansible.builtin.action_common_attributes in extends_documentation_fragment:
when fragments set the same attribute, the first one listed wins.
"""

from __future__ import annotations


class ModuleDocFragment:
    """diff mode, platform and action group membership (``hwcloud.modelarts.attributes``)."""

    DOCUMENTATION = r"""
attributes:
  diff_mode:
    support: none
  platform:
    platforms: all
  action_group:
    support: full
    membership: [hwcloud.modelarts.modelarts]
"""
