# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parsed form of one received HTTP request, as the API handlers see it."""

from urllib.parse import parse_qsl, unquote


class ApiRequest:
    """Method, raw path and query, lower-cased headers, body and request id."""

    def __init__(self, method, target, headers, body, request_id, base_url):
        self.method = method
        self.path, _sep, self.query = target.partition("?")
        self.headers = headers
        self.body = body
        self.request_id = request_id
        self.base_url = base_url
        self.segments = [unquote(part) for part in self.path.strip("/").split("/")] if self.path.strip("/") else []
        self.params = {}
        for name, value in parse_qsl(self.query, keep_blank_values=True):
            self.params.setdefault(name, value)

    def header(self, name):
        """Return a header value by lower-case name, or an empty string."""
        return self.headers.get(name, "")
