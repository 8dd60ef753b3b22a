# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Default IAM and ModelArts endpoints per cloud and region, and endpoint URL checks."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ._errors import ConfigError
from ._regions import DOMAINS, ENDPOINTS, OPEN_REGION_LISTS, REGIONS, clouds_of_region

REGION_PATTERN = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")
_SHOWN_LENGTH = 80  # at most this much of a refused endpoint is quoted in the error


def default_endpoint(cloud, service, region):
    """The public endpoint of ``service`` ("iam" or "modelarts") in a region of a cloud."""
    template, exceptions = ENDPOINTS[cloud][service]
    return exceptions.get(region) or template.format(region=region)


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
    for cloud, domains in DOMAINS.items():
        if any(host == domain or host.endswith("." + domain) for domain in domains):
            return cloud
    return None


def _shown(url):
    """The endpoint as quoted in an error: user information removed, at most _SHOWN_LENGTH characters."""
    shown = _without_credentials(url)
    return repr(shown if len(shown) <= _SHOWN_LENGTH else shown[:_SHOWN_LENGTH] + "...")


def normalize_endpoint(option, url):
    """Check ``url`` as a whole (an http(s) URL with a host, nothing more) and return it without trailing slashes.

    Refused, naming ``option``: whitespace or control characters anywhere, what ``urlsplit`` rejects, another
    scheme, no host, a host that is not a valid (IDNA) name, a port outside 1-65535, user information, a query
    or a fragment.
    """
    if re.search(r"[\s\x00-\x1f\x7f]", url):
        raise ConfigError("%s must not contain whitespace or control characters" % option)
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError as error:
        raise ConfigError("%s is not a valid URL (%s): %s" % (option, error, _shown(url))) from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise ConfigError("%s must be an http:// or https:// URL with a host name, got %s" % (option, _shown(url)))
    if "@" in parts.netloc:
        raise ConfigError("%s must not contain user information (credentials belong in their own options)" % option)
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ConfigError("%s must not contain a query string or fragment" % option)
    try:
        port = parts.port
    except ValueError:
        raise ConfigError("%s has an invalid port: %s" % (option, _shown(url))) from None
    if port is not None and not 1 <= port <= 65535 or parts.netloc.endswith(":"):
        raise ConfigError("%s has an invalid port: %s" % (option, _shown(url)))
    _check_host(option, hostname, url)
    return url.rstrip("/")


def _check_host(option, hostname, url):
    """Refuse a host name that cannot be sent (an empty label, a label too long, not encodable as IDNA)."""
    if hostname.startswith("[") or ":" in hostname:
        return  # an IPv6 address, already checked by urlsplit
    try:
        labels = hostname.rstrip(".").encode("idna").split(b".")
    except UnicodeError:
        labels = [b""]
    if not all(0 < len(label) <= 63 for label in labels) or len(hostname) > 253:
        raise ConfigError("%s has an invalid host name: %s" % (option, _shown(url)))


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


def check_region_of_cloud(cloud, region, label="region", cloud_label="cloud"):
    """Refuse a region of another cloud, or one a closed region list does not have, naming both."""
    others = [other for other in clouds_of_region(region) if other != cloud]
    if region in REGIONS[cloud] or (cloud in OPEN_REGION_LISTS and not others):
        return
    where = "it is a region of %s" % others[0] if others else "the regions of %s are %s" % (cloud, ", ".join(REGIONS[cloud]))
    raise ConfigError("%s %r is not a region of %s %s (%s); set cloud to match it, or give iam_endpoint and"
                      " modelarts_endpoint" % (label, region, cloud_label, cloud, where))


def resolve(cloud, region, iam_endpoint=None, modelarts_endpoint=None, describe=str):
    """Return (iam_url ending in /v3, modelarts_url) from explicit endpoints or the cloud's defaults.

    ``describe(option)`` names an option in errors (with the variable it came from). A default endpoint is
    derived only for a region of ``cloud`` (an explicit endpoint wins, and needs no check).
    """
    iam = iam_base(normalize_endpoint(describe("iam_endpoint"), iam_endpoint)) if iam_endpoint else None
    modelarts = normalize_endpoint(describe("modelarts_endpoint"), modelarts_endpoint) if modelarts_endpoint else None
    if region and not (iam and modelarts):
        check_region_of_cloud(cloud, region, describe("region"), describe("cloud"))
        iam = iam or default_endpoint(cloud, "iam", region)
        modelarts = modelarts or default_endpoint(cloud, "modelarts", region)
    return iam, modelarts
