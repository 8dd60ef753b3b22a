# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of hwcloud.modelarts.modelarts_visualization_job_info: the module's own run(), in the controller's worker when the task
runs locally (see plugins/plugin_utils/_in_process.py); otherwise the module, as for any other action."""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.modules import modelarts_visualization_job_info as module
from ansible_collections.hwcloud.modelarts.plugins.plugin_utils._in_process import InProcessAction


class ActionModule(InProcessAction):
    """hwcloud.modelarts.modelarts_visualization_job_info"""

    MODULE = module
