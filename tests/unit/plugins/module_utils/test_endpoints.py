# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which cloud serves an endpoint: a host of the cloud's domain, or the domain itself, never a look-alike."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._endpoints import cloud_of_endpoint


@pytest.mark.parametrize("url, cloud", [
    ("https://iam.eu-de.otc.t-systems.com/v3", "opentelekomcloud"),
    ("https://otc.t-systems.com", "opentelekomcloud"),
    ("https://modelarts.eu-de.otc.t-systems.com.", "opentelekomcloud"),
    ("https://IAM.EU-DE.OTC.T-SYSTEMS.COM/v3", "opentelekomcloud"),
    ("https://iam.cn-north-4.myhuaweicloud.com/v3", "huaweicloud"),
    ("https://myhuaweicloud.com", "huaweicloud"),
    ("https://modelarts.eu-west-101.myhuaweicloud.eu:443", "huaweicloud"),
    ("https://iam.cn-north-4.myhuaweicloud.cn/v3", "huaweicloud"),
    # the domain must end on a label boundary: a look-alike that merely ends with its letters is no host of it
    ("https://iam.evilotc.t-systems.com/v3", None),
    ("https://evilotc.t-systems.com", None),
    ("https://notmyhuaweicloud.com", None),
    ("https://iam.notmyhuaweicloud.com/v3", None),
    ("https://xmyhuaweicloud.eu", None),
    ("https://iam.eu-de.otc.t-systems.com.evil.example/v3", None),
    ("https://otc.t-systems.com@evil.example/v3", None),
    ("https://evil.example/iam.eu-de.otc.t-systems.com", None),
    ("https://t-systems.com", None),
    ("not a url", None),
    ("", None),
    (None, None),
])
def test_the_cloud_of_an_endpoint_is_decided_on_a_label_boundary(url, cloud):
    assert cloud_of_endpoint(url) == cloud
