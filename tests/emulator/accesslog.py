# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One-line-per-request access log.

Only method, path and query, status, kind, auth method, fault and duration are
written: never header values, bodies, passwords, keys or tokens.
"""

import datetime
import threading


class AccessLog:
    """Writes access lines to a text stream (or nowhere when the stream is None)."""

    def __init__(self, stream=None):
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, method, target, status, kind, auth, fault, elapsed_ms):
        """Write one line: time, method, path?query, status, kind, auth, fault, ms."""
        if self._stream is None:
            return
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        line = "%s %s %s %s kind=%s auth=%s fault=%s %.1fms\n" % (
            now, method, target, "-" if status is None else status, kind, auth, fault or "-", elapsed_ms)
        with self._lock:
            try:
                self._stream.write(line)
                self._stream.flush()
            except (OSError, ValueError):
                pass

    def message(self, text):
        """Write a free-form line (start and stop notices)."""
        if self._stream is None:
            return
        with self._lock:
            try:
                self._stream.write(text + "\n")
                self._stream.flush()
            except (OSError, ValueError):
                pass
