# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Invalid inputs: each must fail with its own message before any request is sent.

All cases run as the tasks of one playbook (``ignore_errors`` + ``register``); run.py
checks each result from the callback's JSON and that the emulator saw no request.
Every case is otherwise complete and points at the emulator, so a module that sent a
request despite the bad input would show up in the emulator's request log.
Expected texts are literal substrings, or compiled patterns for ansible-core's own
messages, whose wording differs between ansible-core versions.
"""

from __future__ import annotations

import os
import re

from scenarios import AK, AUTH, DOMAIN, EU_DE, INFO, PASSWORD, SECURITY_TOKEN, SK, USERNAME

NEVER_SENT_TOKEN = "never-sent-token-0123456789"
URL_PASSWORD = "S3cret-In-Url"

SECRETS = {"auth_token of the bad inputs": NEVER_SENT_TOKEN, "password inside an endpoint URL": URL_PASSWORD}


class Case:
    """One invalid input: the module arguments and the texts its failure message must (not) contain."""

    def __init__(self, name, args, expected, absent=(), module=INFO):
        self.name = "bad_input/" + name
        self.args = args          # ctx -> dict
        self.expected = expected  # str (substring) or compiled pattern, each must be in msg
        self.absent = absent      # str never in msg
        self.module = module

    def problems(self, result):
        """What is wrong with this case's (failed) result."""
        msg = str(result.get("msg", ""))
        found = []
        for text in self.expected:
            present = text.search(msg) if isinstance(text, re.Pattern) else text in msg
            if not present:
                found.append("%r not in msg %r" % (getattr(text, "pattern", text), msg[:300]))
        for text in ("Traceback",) + tuple(self.absent):
            if text in msg:
                found.append("%r in msg" % text)
        for field in ("status_code", "error_code", "request_id"):
            if result.get(field) is not None:
                found.append("%s is %r although no request was sent" % (field, result[field]))
        return found


def _valid(ctx, **extra):
    """Complete, valid AK/SK arguments (the emulator as endpoint) with ``extra`` applied; None removes an option."""
    args = {"access_key": AK, "secret_key": SK, "project_id": EU_DE, "iam_endpoint": ctx.url,
            "modelarts_endpoint": ctx.url, "job_id": 101}
    args.update(extra)
    return {name: value for name, value in args.items() if value is not None}


def _creds(ctx, **creds):
    """Endpoints and region but only the given credentials."""
    args = {"region": "eu-de", "iam_endpoint": ctx.url, "modelarts_endpoint": ctx.url, "job_id": 101}
    args.update(creds)
    return args


def _exclusive(first, second):
    return re.compile(r"parameters are mutually exclusive: %s\|%s" % (first, second))


def _not_int(option):
    return re.compile(r"argument '%s' is of type .* and we were unable to convert to int" % option)


def _choices(option, choices, value):
    return "value of %s must be one of: %s, got: %s" % (option, ", ".join(choices), value)


def _endpoint_scheme(option, shown):
    return "%s must be an http:// or https:// URL with a host name, got %r" % (option, shown)


AKSK_NEEDS = ": AK/SK signing needs both access_key and secret_key"
PASSWORD_NEEDS = ": password authentication needs username, password and domain_name"
REGION_NEEDS = "region must look like 'eu-de' or 'cn-north-4' (lower-case letters, digits and dashes), got "
SORT_FIELDS = ("job_id", "job_name", "job_desc", "create_time", "status")  # the list API's sortBy values


def cases():  # pylint: disable=too-many-statements
    """Every invalid input case."""
    port_free = "http://127.0.0.1:%d"
    return [
        # types
        Case("job_id_string", lambda ctx: _valid(ctx, job_id="abc"), [_not_int("job_id")]),
        Case("job_id_float", lambda ctx: _valid(ctx, job_id=1.5), [_not_int("job_id")]),
        Case("timeout_string", lambda ctx: _valid(ctx, timeout="soon"), [_not_int("timeout")]),
        Case("validate_certs_not_bool", lambda ctx: _valid(ctx, validate_certs="maybe"),
             [re.compile(r"argument 'validate_certs' is of type .* and we were unable to convert to bool")]),
        # ranges
        Case("job_id_zero", lambda ctx: _valid(ctx, job_id=0), ["job_id must be 1 or greater, got 0"]),
        Case("job_id_negative", lambda ctx: _valid(ctx, job_id=-1), ["job_id must be 1 or greater, got -1"]),
        Case("timeout_zero", lambda ctx: _valid(ctx, timeout=0), ["timeout must be between 1 and 3600 seconds, got 0"]),
        Case("timeout_3601", lambda ctx: _valid(ctx, timeout=3601), ["timeout must be between 1 and 3600 seconds, got 3601"]),
        Case("retries_11", lambda ctx: _valid(ctx, retries=11), ["retries must be between 0 and 10, got 11"]),
        Case("retries_negative", lambda ctx: _valid(ctx, retries=-1), ["retries must be between 0 and 10, got -1"]),
        # mutually exclusive
        Case("job_id_and_name", lambda ctx: _valid(ctx, name="tb-resnet50"), [_exclusive("job_id", "name")]),
        Case("job_id_and_status", lambda ctx: _valid(ctx, status=["running"]), [_exclusive("job_id", "status")]),
        Case("job_id_and_search_content", lambda ctx: _valid(ctx, search_content="tb"),
             [_exclusive("job_id", "search_content")]),
        Case("job_id_and_sort_by", lambda ctx: _valid(ctx, sort_by="job_name"), [_exclusive("job_id", "sort_by")]),
        Case("name_and_search_content", lambda ctx: _valid(ctx, job_id=None, name="tb-resnet50", search_content="tb"),
             [_exclusive("name", "search_content")]),
        # incomplete credential sets
        Case("access_key_only", lambda ctx: _creds(ctx, access_key=AK),
             ["access_key given without secret_key" + AKSK_NEEDS]),
        Case("secret_key_only", lambda ctx: _creds(ctx, secret_key=SK),
             ["secret_key given without access_key" + AKSK_NEEDS]),
        Case("security_token_only", lambda ctx: _creds(ctx, security_token=SECURITY_TOKEN),
             ["security_token given without access_key and secret_key" + AKSK_NEEDS]),
        Case("username_only", lambda ctx: _creds(ctx, username=USERNAME),
             ["username given without password and domain_name" + PASSWORD_NEEDS]),
        Case("username_password_no_domain", lambda ctx: _creds(ctx, username=USERNAME, password=PASSWORD),
             ["username and password given without domain_name" + PASSWORD_NEEDS]),
        Case("password_only", lambda ctx: _creds(ctx, password=PASSWORD),
             ["password given without username and domain_name" + PASSWORD_NEEDS]),
        Case("domain_name_only", lambda ctx: _creds(ctx, domain_name=DOMAIN),
             ["domain_name given without username and password" + PASSWORD_NEEDS]),
        Case("no_credentials", _creds,
             ["no credentials: set auth_token, or access_key and secret_key, or username, password and domain_name"]),
        Case("auth_module_no_credentials", lambda ctx: {"region": "eu-de", "iam_endpoint": ctx.url,
                                                        "modelarts_endpoint": ctx.url},
             ["no credentials: set auth_token"], module=AUTH),
        # malformed endpoints
        Case("endpoint_ftp", lambda ctx: _valid(ctx, modelarts_endpoint="ftp://127.0.0.1/"),
             [_endpoint_scheme("modelarts_endpoint", "ftp://127.0.0.1/")]),
        Case("endpoint_no_scheme", lambda ctx: _valid(ctx, modelarts_endpoint="modelarts.eu-de.example.com"),
             [_endpoint_scheme("modelarts_endpoint", "modelarts.eu-de.example.com")]),
        Case("endpoint_with_credentials",
             lambda ctx: _valid(ctx, modelarts_endpoint=ctx.url.replace("://", "://admin:%s@" % URL_PASSWORD)),
             ["modelarts_endpoint must not contain user information (credentials belong in their own options)"],
             absent=(URL_PASSWORD,)),
        Case("endpoint_ftp_with_credentials",
             lambda ctx: _valid(ctx, iam_endpoint="ftp://admin:%s@127.0.0.1/v3" % URL_PASSWORD),
             [_endpoint_scheme("iam_endpoint", "ftp://***@127.0.0.1/v3")], absent=(URL_PASSWORD,)),
        Case("endpoint_port_out_of_range", lambda ctx: _valid(ctx, modelarts_endpoint="http://127.0.0.1:99999"),
             ["modelarts_endpoint has an invalid port: 'http://127.0.0.1:99999'"]),
        Case("endpoint_port_not_a_number", lambda ctx: _valid(ctx, iam_endpoint="http://127.0.0.1:http"),
             ["iam_endpoint has an invalid port: 'http://127.0.0.1:http'"]),
        Case("endpoint_with_query", lambda ctx: _valid(ctx, modelarts_endpoint=ctx.url + "/?debug=1"),
             ["modelarts_endpoint must not contain a query string or fragment"]),
        # choices, unknown values and options
        Case("unknown_cloud", lambda ctx: _valid(ctx, cloud="azure"),
             [_choices("cloud", ("huaweicloud", "opentelekomcloud"), "azure")]),
        Case("unknown_sort_by", lambda ctx: _valid(ctx, job_id=None, sort_by="name"), [_choices("sort_by", SORT_FIELDS, "name")]),
        Case("unknown_order", lambda ctx: _valid(ctx, job_id=None, order="up"), [_choices("order", ("asc", "desc"), "up")]),
        Case("unknown_status", lambda ctx: _valid(ctx, job_id=None, status=["runing"]),
             ["status: unknown job status 'runing'; use a status code or one of: unknown, init,"]),
        Case("unknown_option", lambda ctx: _valid(ctx, jobid=101),
             [re.compile(r"Unsupported parameters for \(.*modelarts_visualization_job_info\) module: jobid")]),
        # lengths and blanks
        Case("name_65_characters", lambda ctx: _valid(ctx, job_id=None, name="x" * 65),
             ["name must be at most 64 characters, got 65"]),
        Case("search_content_101_characters", lambda ctx: _valid(ctx, job_id=None, search_content="s" * 101),
             ["search_content must be at most 100 characters, got 101"]),
        Case("name_empty", lambda ctx: _valid(ctx, job_id=None, name=""), ["name must not be empty"]),
        Case("name_blank", lambda ctx: _valid(ctx, job_id=None, name="   "), ["name must not be empty"]),
        Case("region_blank", lambda ctx: _valid(ctx, region="  "), ["region must not be blank"]),
        Case("project_id_blank", lambda ctx: _valid(ctx, project_id=" \t"), ["project_id must not be blank"]),
        Case("auth_token_blank", lambda ctx: _creds(ctx, auth_token="   "), ["auth_token must not be blank"]),
        # regions, endpoints and projects
        Case("region_upper_case", lambda ctx: _valid(ctx, region="EU-DE"), [REGION_NEEDS + "'EU-DE'"]),
        Case("region_with_space", lambda ctx: _valid(ctx, region="eu de"), [REGION_NEEDS + "'eu de'"]),
        Case("region_with_dot_and_slash", lambda ctx: _valid(ctx, region="eu-de.example.com/x"),
             [REGION_NEEDS + "'eu-de.example.com/x'"]),
        Case("neither_region_nor_endpoints",
             lambda ctx: {"auth_token": NEVER_SENT_TOKEN, "job_id": 101},
             ["region is required unless modelarts_endpoint and iam_endpoint are given"]),
        Case("token_with_modelarts_endpoint_only",
             lambda ctx: {"auth_token": NEVER_SENT_TOKEN, "modelarts_endpoint": ctx.url, "job_id": 101},
             ["region is required unless modelarts_endpoint and iam_endpoint are given"]),
        Case("project_cannot_be_determined", lambda ctx: _valid(ctx, project_id=None),
             ["set project_id, project_name or region: the project cannot be determined"]),
        Case("ca_path_missing", lambda ctx: _valid(ctx, ca_path=os.path.join(ctx.workdir, "no-such-dir", "ca.pem")),
             [re.compile(r"ca_path \S*no-such-dir/ca\.pem does not exist")]),
    ]
