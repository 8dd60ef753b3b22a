# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Default IAM and ModelArts endpoints per cloud and region, and endpoint URL checks."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ._errors import ConfigError

CLOUDS = ("huaweicloud", "opentelekomcloud")
REGION_PATTERN = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")

# service -> (URL template, {region: exception}); exceptions as published by Huawei's SDK region tables.
_DEFAULTS = {
    "huaweicloud": {
        "iam": ("https://iam.{region}.myhuaweicloud.com/v3", {"eu-west-101": "https://iam.eu-west-101.myhuaweicloud.eu/v3"}),
        "modelarts": ("https://modelarts.{region}.myhuaweicloud.com",
                      {"ap-southeast-1": "https://modelarts.ap-southeast-1.myhuaweicloud.cn"}),
    },
    "opentelekomcloud": {
        "iam": ("https://iam.{region}.otc.t-systems.com/v3", {}),
        "modelarts": ("https://modelarts.{region}.otc.t-systems.com", {}),
    },
}


def default_endpoint(cloud, service, region):
    """The public endpoint of ``service`` ("iam" or "modelarts") in a region of a cloud."""
    template, exceptions = _DEFAULTS[cloud][service]
    return exceptions.get(region) or template.format(region=region)


# Host name suffixes of each cloud's public endpoints, to recognise the cloud of a given endpoint.
_CLOUD_DOMAINS = {
    "huaweicloud": ("myhuaweicloud.com", "myhuaweicloud.eu", "myhuaweicloud.cn"),
    "opentelekomcloud": ("otc.t-systems.com",),
}


def check_region(region, label="region"):
    """Reject region names that cannot be part of a host name (e.g. "eu de" or "EU-DE")."""
    if not REGION_PATTERN.match(region):
        raise ConfigError("%s must look like 'eu-de' or 'cn-north-4' (lower-case letters, digits and dashes), got %r"
                          % (label, region))


def cloud_of_endpoint(url):
    """The cloud whose public domain serves ``url`` (``iam.eu-de.otc.t-systems.com``: opentelekomcloud), or None."""
    try:
        host = (urlsplit((url or "").strip()).hostname or "").rstrip(".")
    except ValueError:
        return None
    for cloud, domains in _CLOUD_DOMAINS.items():
        if any(host == domain or host.endswith("." + domain) for domain in domains):
            return cloud
    return None


def normalize_endpoint(option, url):
    """Check that ``url`` is an http(s) URL and return it without trailing slashes."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("%s must be an http:// or https:// URL with a host name, got %r" % (option, _without_credentials(url)))
    if parts.username or parts.password:
        raise ConfigError("%s must not contain user information (credentials belong in their own options)" % option)
    if parts.query or parts.fragment:
        raise ConfigError("%s must not contain a query string or fragment" % option)
    try:
        parts.port  # pylint: disable=pointless-statement
    except ValueError:
        raise ConfigError("%s has an invalid port: %r" % (option, url)) from None
    return url.strip().rstrip("/")


def embedded_password(url):
    """The password of a URL's user information (``https://user:secret@host``), or None."""
    try:
        return urlsplit(url.strip()).password
    except ValueError:
        return None


def _without_credentials(url):
    return re.sub(r"//[^/@]*@", "//***@", url)


def iam_base(url):
    """The IAM URL ending in /v3, accepting it with or without /v3."""
    return url if url.endswith("/v3") else url + "/v3"


def resolve(cloud, region, iam_endpoint=None, modelarts_endpoint=None, describe=str):
    """Return (iam_url ending in /v3, modelarts_url) from explicit endpoints or the cloud's defaults.

    ``describe(option)`` names an option in errors (with the variable it came from).
    """
    iam = iam_base(normalize_endpoint(describe("iam_endpoint"), iam_endpoint)) if iam_endpoint else None
    modelarts = normalize_endpoint(describe("modelarts_endpoint"), modelarts_endpoint) if modelarts_endpoint else None
    if region:
        iam = iam or default_endpoint(cloud, "iam", region)
        modelarts = modelarts or default_endpoint(cloud, "modelarts", region)
    return iam, modelarts
