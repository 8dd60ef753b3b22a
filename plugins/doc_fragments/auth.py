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
      - When not set, the cloud whose public domain serves O(iam_endpoint) or O(modelarts_endpoint) (for example
        C(*.otc.t-systems.com) is V(opentelekomcloud)), else the only cloud that has O(region) (V(eu-de) and
        V(eu-nl) are Open Telekom Cloud's), else V(huaweicloud).
      - A O(region) that this cloud does not have (V(eu-de) with V(huaweicloud), say) is an error naming both when
        a default endpoint would be derived from it; explicit endpoints win. Any region name not listed for Open
        Telekom Cloud is taken as a Huawei Cloud region.
      - Environment variable E(HWCLOUD_CLOUD) (Huawei family).
    type: str
    choices: [huaweicloud, opentelekomcloud]
  region:
    description:
      - The region, for example V(eu-de) or V(cn-north-4). It selects the default IAM and ModelArts endpoints
        of O(cloud), and it is the default project name (see O(project_name)).
      - Required unless O(modelarts_endpoint) is given (and O(iam_endpoint), when IAM must be asked for a token or a project id).
      - Environment variables E(HWCLOUD_REGION) (Huawei family), E(OS_REGION_NAME) (OpenStack family).
    type: str
  project_id:
    description:
      - The id of the project (32 hexadecimal characters). Setting it saves a request.
      - It is part of the request URL, so only letters, digits, C(-) and C(_) are accepted, from any source; a
        project id that IAM answers with other characters is an error too.
      - When not set, it is taken from the project-scoped token (password and O(auth_token) auth), or looked up
        in IAM by O(project_name) with AK/SK auth.
      - Environment variables E(HWCLOUD_PROJECT_ID), then E(HUAWEICLOUD_SDK_PROJECT_ID) (Huawei family);
        E(OS_PROJECT_ID) (OpenStack family).
    type: str
  project_name:
    description:
      - The name of the project to scope a password token to, or to look the project id up with AK/SK.
        Defaults to O(region), the name of a region's default project.
      - Environment variables E(HWCLOUD_PROJECT_NAME) (Huawei family), E(OS_PROJECT_NAME) (OpenStack family).
    type: str
  auth_token:
    description:
      - A project-scoped IAM token, sent as C(X-Auth-Token). Takes precedence over every other credential.
      - The M(hwcloud.modelarts.auth) module issues one that later tasks can reuse.
      - Environment variables E(HWCLOUD_AUTH_TOKEN) (Huawei family), E(OS_AUTH_TOKEN) (OpenStack family).
    type: str
  access_key:
    description:
      - The access key (AK) for AK/SK request signing (SDK-HMAC-SHA256). Needs O(secret_key).
      - Used when O(auth_token) is not set; takes precedence over O(username).
      - Environment variables E(HWCLOUD_ACCESS_KEY), then E(HUAWEICLOUD_SDK_AK) (Huawei family); E(OS_ACCESS_KEY)
        (OpenStack family).
    type: str
  secret_key:
    description:
      - The secret key (SK) that signs requests with O(access_key). Never sent, logged or returned.
      - Environment variables E(HWCLOUD_SECRET_KEY), then E(HUAWEICLOUD_SDK_SK) (Huawei family); E(OS_SECRET_KEY)
        (OpenStack family).
    type: str
  security_token:
    description:
      - The security token of temporary AK/SK credentials, sent as C(X-Security-Token).
      - Environment variables E(HWCLOUD_SECURITY_TOKEN), then E(HUAWEICLOUD_SDK_SECURITY_TOKEN) (Huawei family);
        E(OS_SECURITY_TOKEN) (OpenStack family).
    type: str
  username:
    description:
      - The IAM user name for password authentication. Needs O(password) and O(domain_name).
      - Used when neither O(auth_token) nor O(access_key) is set.
      - Environment variables E(HWCLOUD_USERNAME) (Huawei family), E(OS_USERNAME) (OpenStack family).
    type: str
  password:
    description:
      - The password of O(username).
      - Environment variables E(HWCLOUD_PASSWORD) (Huawei family), E(OS_PASSWORD) (OpenStack family).
    type: str
  domain_name:
    description:
      - The account (domain) name O(username) belongs to.
      - Environment variables E(HWCLOUD_DOMAIN_NAME) (Huawei family); E(OS_USER_DOMAIN_NAME), then
        E(OS_DOMAIN_NAME) (OpenStack family).
    type: str
  iam_endpoint:
    description:
      - The IAM endpoint, with or without the C(/v3) suffix, for example V(https://iam.eu-de.otc.t-systems.com/v3).
      - Defaults to the IAM endpoint of O(region) in O(cloud).
      - Environment variables E(HWCLOUD_IAM_ENDPOINT) (Huawei family), E(OS_AUTH_URL) (OpenStack family), used
        only with credentials of the same family (see the notes).
    type: str
  modelarts_endpoint:
    description:
      - The ModelArts endpoint, for example V(https://modelarts.eu-de.otc.t-systems.com).
      - Defaults to the ModelArts endpoint of O(region) in O(cloud).
      - Environment variables E(HWCLOUD_MODELARTS_ENDPOINT) (Huawei family), E(OS_MODELARTS_ENDPOINT_OVERRIDE)
        (OpenStack family), used only with credentials of the same family (see the notes).
    type: str
  cloud_profile:
    version_added: 1.0.0
    description:
      - The name of an entry of C(clouds.yaml) (as openstacksdk and AWX's OpenStack credential write it) to take the
        credentials, IAM endpoint, region and project from. The file is found where openstacksdk looks
        (E(OS_CLIENT_CONFIG_FILE), C(./clouds.yaml), C(~/.config/openstack/clouds.yaml),
        C(/etc/openstack/clouds.yaml)), with C(secure.yaml) merged in.
      - "Read from the entry: C(auth.auth_url) (IAM), C(auth.username), C(auth.password), C(auth.user_domain_name)
        (or C(auth.domain_name)), C(auth.project_name), C(auth.project_id), C(auth.token), C(auth.ak) and C(auth.sk)
        (or C(ak) and C(sk)), C(auth.security_token), C(region_name), C(modelarts_endpoint_override), C(verify) and
        C(cacert)."
      - Named in the task, the profile counts as the task's credentials and cannot be combined with credential
        options. Environment variable E(OS_CLOUD) (OpenStack family, see the notes).
      - Needs PyYAML on the host that runs the module.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificates of the endpoints. Only set to V(false) for tests.
      - When neither the task nor E(HWCLOUD_VALIDATE_CERTS) sets it, the C(verify) of the clouds.yaml profile in use
        applies, else V(true).
      - Environment variable E(HWCLOUD_VALIDATE_CERTS).
    type: bool
  ca_path:
    description:
      - A PEM file (or a directory prepared with C(c_rehash)) of CA certificates to verify the endpoints with,
        for example a corporate TLS proxy's CA. Without it, the CA bundle of C(requests) is used, or
        E(REQUESTS_CA_BUNDLE) when set.
      - When not set, the C(cacert) of the clouds.yaml profile in use applies.
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
  - "Where connection options come from: never from two sources at once, so that a secret goes only to an endpoint
    of its own source. A secret given in a task never reaches an endpoint that came from the environment, and a
    secret of one environment family never reaches an endpoint of the other. The families are B(Huawei)
    (E(HWCLOUD_*), with E(HUAWEICLOUD_SDK_AK), E(HUAWEICLOUD_SDK_SK), E(HUAWEICLOUD_SDK_SECURITY_TOKEN) and
    E(HUAWEICLOUD_SDK_PROJECT_ID) as lower-priority names) and B(OpenStack) (E(OS_*), as an rc file or AWX's
    OpenStack credential sets them). Each option lists its variables. By group of options:"
  - "B(Credentials) (O(auth_token), O(access_key), O(secret_key), O(security_token), O(username), O(password),
    O(domain_name)): all from the clouds.yaml profile named by the task's O(cloud_profile), or from the task (its
    arguments and C(module_defaults)) when it sets any of them; otherwise all from the Huawei family when it sets any;
    otherwise, as openstacksdk does, from the profile E(OS_CLOUD) names, else from the OpenStack family's
    variables, else from the only entry of C(clouds.yaml) (as AWX's OpenStack credential writes it). Never
    combined."
  - "B(Endpoints) (O(iam_endpoint), O(modelarts_endpoint)): from the task when it sets them; from an environment
    family or a clouds.yaml profile only with credentials of that same source, and never when the task sets
    credentials, O(cloud) or O(region) (then the defaults of O(cloud) and O(region) apply). E(OS_AUTH_URL) is never
    used with Huawei-family, profile or task credentials."
  - "B(Location) (O(cloud), O(region), O(project_id), O(project_name)): from the task where it sets them, else from
    the family or profile the credentials came from; with task credentials, the Huawei family's location
    variables (an AWX credential's) fill what the task leaves unset. O(cloud), when no source sets it, is recognised
    from the IAM or ModelArts endpoint's domain."
  - "B(Transport) (O(validate_certs), O(ca_path), O(timeout), O(retries)): each option from the task, else its own
    environment variable, else (O(validate_certs), O(ca_path)) the clouds.yaml profile in use."
  - "Environment variables that the rule leaves unused are named in a warning of the task, with the reason and never
    with their values, also when the task then fails (but not when the source of the credentials cannot be chosen:
    a clouds.yaml error, or O(cloud_profile) with credentials); the event source logs it once when it starts. Not named,
    because nothing is lost by not using them: a variable of an option the task sets itself; a lower-priority name
    (E(HUAWEICLOUD_SDK_AK), say) of an option whose first name in the same family is set; a variable whose value is
    the one in use (an endpoint that O(region) derives anyway); credentials of a kind that those in use outrank in any
    one source (a token outranks AK/SK, AK/SK outrank a password), and E(OS_CLOUD) when a token is in use; and options
    the task's requests do not depend on, once the options are valid: O(iam_endpoint) when no IAM request is needed
    (O(project_id) set, with a token or AK/SK), O(cloud) when no default endpoint is derived, O(region) when no default
    endpoint is derived and no project is looked up by name, O(project_name) when no project is looked up by name.
    There is no option to turn the warning off: unset the variable, or set it to an empty string in the task's
    C(environment) (empty counts as not set)."
  - "Credentials are chosen within the one source in this order: O(auth_token); then O(access_key) with
    O(secret_key) (and O(security_token)); then O(username) with O(password) and O(domain_name). An incomplete set
    that would take precedence is an error, never silently skipped. An empty value counts as not set, so an AWX
    credential with blank optional fields works."
  - "Values that go into a header, a signature or an IAM request (O(auth_token), O(secret_key), O(security_token),
    O(password), O(access_key), O(project_id), O(username), O(domain_name), and the same values from any
    environment variable or clouds.yaml profile) are checked before any request: leading or trailing whitespace
    is B(refused, not stripped) (a silently changed credential is harder to find than a clear error), a line
    break or other control character is always refused, header values must be printable ASCII, O(project_id)
    (part of the URL) may hold only letters, digits, C(-) and C(_), and a secret must be at least 4 characters
    long. The error names the option and the variable or profile key it came from, never the value."
  - "Endpoints (O(iam_endpoint), O(modelarts_endpoint), their variables and a profile's C(auth_url)) are checked
    whole before any request: an http(s) URL with a valid host name, no whitespace or control characters, a port
    from 1 to 65535, no user information, no query and no fragment."
  - "Proxies are chosen by C(requests)' own rules from the environment the task runs with (also a task's
    C(environment)): E(https_proxy), E(http_proxy) or E(all_proxy), upper or lower case (lower case wins), and
    E(no_proxy) with host names, domains, ports, IPv4 addresses, CIDR ranges (C(127.0.0.0/8)) and C(*)."
  - Secrets (O(password), O(secret_key), O(security_token), O(auth_token), their environment variables and
    clouds.yaml entries, and any token
    issued by IAM) never appear in messages or logs, nor in results, except the token that M(hwcloud.modelarts.auth)
    returns on purpose when it issued one.
  - "From ansible-core 2.22 on, every one of these secrets, the issued token included, is also registered with
    ansible-core (C(ansible.module_utils.secrets)), which masks it wherever it prints: task output at any verbosity,
    C(debug) of a registered result, callbacks and the log file. There a result is no longer masked by C(no_log)
    values (as for every module on 2.22): a secret that the server echoes back in a returned field stays in the
    registered result, and is masked only where ansible-core prints it. Before 2.22, Ansible's C(no_log) masking
    replaces it in the result, and the issued token is hidden only by C(no_log) on the task."
requirements:
  - python >= 3.9
  - requests >= 2.25
  - PyYAML (only to read clouds.yaml)
"""
