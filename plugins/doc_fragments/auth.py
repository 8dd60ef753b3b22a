# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documentation of the connection options shared by every module of the collection."""

from __future__ import annotations


class ModuleDocFragment:
    """The connection and authentication options (``hwcloud.modelarts.auth``)."""

    DOCUMENTATION = r"""
options:
  cloud:
    description:
      - The cloud whose default endpoints are used with O(region).
      - Environment variable E(HWCLOUD_CLOUD).
    type: str
    choices: [huaweicloud, opentelekomcloud]
    default: huaweicloud
  region:
    description:
      - The region, for example V(eu-de) or V(cn-north-4). It selects the default IAM and ModelArts endpoints
        of O(cloud), and it is the default project name (see O(project_name)).
      - Required unless O(modelarts_endpoint) is given (and O(iam_endpoint), when IAM must be asked for a token or a project id).
      - Environment variables E(HWCLOUD_REGION), then E(OS_REGION_NAME).
    type: str
  project_id:
    description:
      - The id of the project (32 hexadecimal characters). Setting it saves a request.
      - When not set, it is taken from the project-scoped token (password and O(auth_token) auth), or looked up
        in IAM by O(project_name) with AK/SK auth.
      - Environment variables E(HWCLOUD_PROJECT_ID), E(HUAWEICLOUD_SDK_PROJECT_ID), then E(OS_PROJECT_ID).
    type: str
  project_name:
    description:
      - The name of the project to scope a password token to, or to look the project id up with AK/SK.
        Defaults to O(region), the name of a region's default project.
      - Environment variables E(HWCLOUD_PROJECT_NAME), then E(OS_PROJECT_NAME).
    type: str
  auth_token:
    description:
      - A project-scoped IAM token, sent as C(X-Auth-Token). Takes precedence over every other credential.
      - The M(hwcloud.modelarts.auth) module issues one that later tasks can reuse.
      - Environment variables E(HWCLOUD_AUTH_TOKEN), then E(OS_AUTH_TOKEN).
    type: str
  access_key:
    description:
      - The access key (AK) for AK/SK request signing (SDK-HMAC-SHA256). Needs O(secret_key).
      - Used when O(auth_token) is not set; takes precedence over O(username).
      - Environment variables E(HWCLOUD_ACCESS_KEY), E(HUAWEICLOUD_SDK_AK), then E(OS_ACCESS_KEY).
    type: str
  secret_key:
    description:
      - The secret key (SK) that signs requests with O(access_key). Never sent, logged or returned.
      - Environment variables E(HWCLOUD_SECRET_KEY), E(HUAWEICLOUD_SDK_SK), then E(OS_SECRET_KEY).
    type: str
  security_token:
    description:
      - The security token of temporary AK/SK credentials, sent as C(X-Security-Token).
      - Environment variables E(HWCLOUD_SECURITY_TOKEN), E(HUAWEICLOUD_SDK_SECURITY_TOKEN), then E(OS_SECURITY_TOKEN).
    type: str
  username:
    description:
      - The IAM user name for password authentication. Needs O(password) and O(domain_name).
      - Used when neither O(auth_token) nor O(access_key) is set.
      - Environment variables E(HWCLOUD_USERNAME), then E(OS_USERNAME).
    type: str
  password:
    description:
      - The password of O(username).
      - Environment variables E(HWCLOUD_PASSWORD), then E(OS_PASSWORD).
    type: str
  domain_name:
    description:
      - The account (domain) name O(username) belongs to.
      - Environment variables E(HWCLOUD_DOMAIN_NAME), E(OS_USER_DOMAIN_NAME), then E(OS_DOMAIN_NAME).
    type: str
  iam_endpoint:
    description:
      - The IAM endpoint, with or without the C(/v3) suffix, for example V(https://iam.eu-de.otc.t-systems.com/v3).
      - Defaults to the IAM endpoint of O(region) in O(cloud).
      - Environment variables E(HWCLOUD_IAM_ENDPOINT), then E(OS_AUTH_URL).
    type: str
  modelarts_endpoint:
    description:
      - The ModelArts endpoint, for example V(https://modelarts.eu-de.otc.t-systems.com).
      - Defaults to the ModelArts endpoint of O(region) in O(cloud).
      - Environment variable E(HWCLOUD_MODELARTS_ENDPOINT).
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificates of the endpoints. Only set to V(false) for tests.
      - Environment variable E(HWCLOUD_VALIDATE_CERTS).
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file (or a directory prepared with C(c_rehash)) of CA certificates to verify the endpoints with,
        for example a corporate TLS proxy's CA. Without it, the CA bundle of C(requests) is used, or
        E(REQUESTS_CA_BUNDLE) when set.
      - Environment variable E(HWCLOUD_CA_PATH).
    type: path
  timeout:
    description:
      - Seconds to wait for a connection and for each answer, per request (1 to 3600).
      - Environment variable E(HWCLOUD_TIMEOUT).
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried after HTTP 429, 500, 502, 503, 504, a connection error or a read timeout
        (0 to 10), with exponential backoff and jitter; C(Retry-After) is honoured up to 60 seconds.
      - Environment variable E(HWCLOUD_RETRIES).
    type: int
    default: 3
notes:
  - "Credentials are chosen in this order: O(auth_token); then O(access_key) with O(secret_key) (and O(security_token));
    then O(username) with O(password) and O(domain_name). An incomplete set that would take precedence is an error,
    never silently skipped."
  - Each option falls back to the environment variables listed with it, the first one set wins; an empty value counts
    as not set, so an AWX credential with blank optional fields works.
  - Proxies are taken from E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY), as C(requests) does.
  - Secrets (O(password), O(secret_key), O(security_token), O(auth_token) and any token issued by IAM) never appear in
    messages or logs, nor in results, except the token that M(hwcloud.modelarts.auth) returns on purpose.
requirements:
  - python >= 3.9
  - requests >= 2.25
"""
