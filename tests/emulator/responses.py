# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP response value and the error body shapes of ModelArts, the API gateway and IAM."""

import json
from http import HTTPStatus

JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=utf-8"


class Response:
    """An HTTP answer: status, body bytes, content type and extra headers."""

    def __init__(self, status, body=b"", content_type=JSON_TYPE, headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})


def json_response(status, payload, headers=None):
    """Return a Response whose body is ``payload`` encoded as JSON."""
    return Response(status, json.dumps(payload).encode("utf-8"), JSON_TYPE, headers)


def modelarts_error(status, code, message, message_key="error_message"):
    """Return a ModelArts error: ``{"is_success": false, "error_code", "error_message"}``."""
    return json_response(status, {"is_success": False, "error_code": code, message_key: message})


def modelarts_auth_error(status, code, message):
    """Return a ModelArts authentication error, which uses ``error_msg``."""
    return modelarts_error(status, code, message, message_key="error_msg")


def apigw_error(status, code, message, request_id):
    """Return an API gateway error: ``{"error_code", "error_msg", "request_id"}``."""
    return json_response(status, {"error_code": code, "error_msg": message, "request_id": request_id})


def keystone_error(status, message, title):
    """Return an IAM (Keystone) error: ``{"error": {"code", "message", "title"}}``."""
    return json_response(status, {"error": {"code": status, "message": message, "title": title}})


def not_found(request_id):
    """Return the gateway answer for a path the emulator does not serve."""
    return apigw_error(404, "APIGW.0101", "The API does not exist or has not been published in the environment", request_id)


def html_page(status):
    """Return an HTML error page like the one a load balancer sends."""
    try:
        title = "%d %s" % (status, HTTPStatus(status).phrase)
    except ValueError:
        title = "%d Error" % status
    text = (
        "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n"
        "<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n" % (title, title)
    )
    return Response(status, text.encode("utf-8"), HTML_TYPE)


def truncated(response, status):
    """Return ``response`` cut to about 40% of its body (never empty, never whole)."""
    body = response.body
    keep = max(1, min(len(body) - 1, (len(body) * 2) // 5))
    return Response(status, body[:keep], response.content_type, response.headers)


def custom(status, body, headers):
    """Return a fault answer with a given status, optional body (JSON value or text) and headers."""
    if body is None:
        if status == 429:
            body = {"error_code": "APIGW.0308", "error_msg": "The throttling threshold has been reached: policy user over ratelimit"}
        else:
            body = {"is_success": False, "error_code": "ModelArts.0010", "error_message": "Internal error."}
    if isinstance(body, str):
        response = Response(status, body.encode("utf-8"), headers.get("Content-Type", JSON_TYPE))
    else:
        response = json_response(status, body)
    response.headers.update({name: value for name, value in headers.items() if name.lower() != "content-type"})
    return response


def short_list(response, missing):
    """Return a list answer without its last ``missing`` jobs, its job_total_count unchanged (other answers as
    they are): the total then exceeds the jobs the list serves."""
    try:
        payload = json.loads(response.body.decode("utf-8"))
    except ValueError:
        return response
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        return response
    payload["jobs"] = payload["jobs"][:max(0, len(payload["jobs"]) - missing)]
    return json_response(response.status, payload, response.headers)
