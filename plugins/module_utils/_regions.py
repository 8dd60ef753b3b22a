# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The regions of each cloud and their public endpoints: the one place these tables live.

Sources (see the reference notes, modelarts-api.md section 5):

- Open Telekom Cloud: the endpoint list of ``opentelekomcloud-docs/docsportal``
  ``doc/source/additional/endpoints.rst`` (commit 4f91fbb1) and the Keystone catalog of the
  image-management-service docs: regions ``eu-de`` and ``eu-nl``, hosts ``{service}.{region}.otc.t-systems.com``.
- Huawei Cloud: the ModelArts region table of ``huaweicloud-sdk-python-v3``
  ``huaweicloudsdkmodelarts/v1/region/modelarts_region.py`` (commit fa025123) and the IAM region table of
  ``huaweicloud-sdk-go-v3`` ``services/iam/v3/region/region.go`` (commit 12f14eec), with their exceptions
  (ModelArts ap-southeast-1 on ``myhuaweicloud.cn``, IAM eu-west-101 on ``myhuaweicloud.eu``).

A region listed for one cloud only (``eu-de`` and ``eu-nl``) selects that cloud when ``cloud`` is not given.
"""

from __future__ import annotations

HUAWEICLOUD = "huaweicloud"
OPENTELEKOMCLOUD = "opentelekomcloud"
CLOUDS = (HUAWEICLOUD, OPENTELEKOMCLOUD)

_HUAWEI_MODELARTS_REGIONS = (
    "cn-north-1", "cn-north-4", "cn-south-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "cn-east-3", "cn-east-4", "cn-north-2", "cn-north-9", "cn-north-11", "cn-north-12", "cn-southwest-2",
    "cn-southwest-3", "la-south-2", "la-north-2", "af-south-1", "af-north-1", "tr-west-1", "me-east-1", "sa-brazil-1",
)
_HUAWEI_IAM_REGIONS = (
    "cn-north-1", "cn-north-2", "cn-north-4", "cn-north-9", "cn-east-2", "cn-east-3", "cn-south-1", "cn-south-2",
    "cn-southwest-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "af-south-1", "sa-brazil-1", "la-south-2",
    "la-north-2", "na-mexico-1", "eu-west-0", "eu-west-101",
)

# cloud -> the regions it has
REGIONS = {
    HUAWEICLOUD: tuple(sorted(set(_HUAWEI_MODELARTS_REGIONS + _HUAWEI_IAM_REGIONS))),
    OPENTELEKOMCLOUD: ("eu-de", "eu-nl"),
}

# Huawei Cloud opens regions more often than the SDK tables change: a region no table lists is taken as one of
# its regions (endpoints from the template). Open Telekom Cloud's list is complete.
OPEN_REGION_LISTS = (HUAWEICLOUD,)

# cloud -> service -> (URL template, {region: exception})
ENDPOINTS = {
    HUAWEICLOUD: {
        "iam": ("https://iam.{region}.myhuaweicloud.com/v3", {"eu-west-101": "https://iam.eu-west-101.myhuaweicloud.eu/v3"}),
        "modelarts": ("https://modelarts.{region}.myhuaweicloud.com",
                      {"ap-southeast-1": "https://modelarts.ap-southeast-1.myhuaweicloud.cn"}),
    },
    OPENTELEKOMCLOUD: {
        "iam": ("https://iam.{region}.otc.t-systems.com/v3", {}),
        "modelarts": ("https://modelarts.{region}.otc.t-systems.com", {}),
    },
}

# Host name suffixes of each cloud's public endpoints, to recognise the cloud of a given endpoint.
DOMAINS = {
    HUAWEICLOUD: ("myhuaweicloud.com", "myhuaweicloud.eu", "myhuaweicloud.cn"),
    OPENTELEKOMCLOUD: ("otc.t-systems.com",),
}


def clouds_of_region(region):
    """The clouds that have ``region`` (an empty tuple for a region no table lists)."""
    return tuple(cloud for cloud in CLOUDS if region in REGIONS[cloud])
