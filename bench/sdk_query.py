# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SDK side of the benchmark: one visualization-job GET with the official Huawei Cloud SDK.

Run by bench/run.py with the interpreter of the bench venv (bench/requirements.txt):

    python bench/sdk_query.py ENDPOINT PROJECT_ID JOB_ID     (AK/SK in HUAWEICLOUD_SDK_AK / _SK)

It does what a user of the SDK would write for this API: BasicCredentials with AK/SK and the
project id, a ModelArtsClient built for the endpoint, and the generic ``call_api`` (the SDK has
no visualization-job operation). ``response_type="object"`` crashes in the SDK, so the raw body
comes back through an ``SdkResponse`` subclass. It prints the job as JSON, like the module.
The SDK writes ``~/.huaweicloud/application_id``: run it with HOME pointed at a scratch folder.
"""

import json
import os
import sys

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_response import SdkResponse
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkmodelarts.v1 import ModelArtsClient


class RawResponse(SdkResponse):
    """A response model without fields: the body is kept as raw content."""

    openapi_types = {}
    attribute_map = {}


def main(argv):
    """Query one job and print it; exit 1 on a non-200 answer."""
    endpoint, project_id, job_id = argv[1:4]
    credentials = BasicCredentials(os.environ["HUAWEICLOUD_SDK_AK"], os.environ["HUAWEICLOUD_SDK_SK"], project_id)
    config = HttpConfig.get_default_config()
    config.timeout = (30, 30)
    client = ModelArtsClient.new_builder() \
        .with_http_config(config) \
        .with_credentials(credentials) \
        .with_endpoints([endpoint]) \
        .build()
    response = client.call_api(
        resource_path="/v1/{project_id}/visualization-jobs/{job_id}", method="GET",
        path_params={"job_id": job_id}, query_params=[], header_params={"Content-Type": "application/json"},
        body=None, post_params={}, response_type=RawResponse, response_headers=[], auth_settings=[],
        collection_formats={})
    job = response.to_json_object()
    json.dump({"status_code": response.status_code, "job": job}, sys.stdout)
    return 0 if response.status_code == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
