# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry policy: which answers are retried and how long to wait between attempts.

Retried: HTTP 429, 500, 502, 503 and 504, connection errors and read timeouts; a write
only when the failure proves it was not carried out (:func:`may_retry`).
The wait is exponential (0.5 s, 1 s, 2 s, ... capped at 8 s) with "equal jitter"
(half fixed, half random), except after a 429 or 503 carrying ``Retry-After``,
whose delay is honoured as given, up to 60 seconds.
"""

from __future__ import annotations

import random
import time
from datetime import timezone
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
BASE_DELAY = 0.5
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 60.0


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        # HTTP dates are always UTC; "-0000" parses as a naive time, which timestamp() would take as local time.
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


def may_retry(error, idempotent):
    """Whether a request that failed with ``error`` may be sent again by the transport.

    A read may be repeated after any retryable failure. A write only after a failure that proves
    it was not carried out: a 429 (the server refused to process it), or a connection that was
    never made. After anything else (no answer, a reset, a 5xx) the write may have happened, and
    only its caller, who reads the job first, can tell whether to send it again.
    """
    if not error.retryable:
        return False
    return idempotent or error.status_code == 429 or not error.sent


class RetryPolicy:
    """Bounded retries with jittered exponential backoff."""

    def __init__(self, retries, base_delay=BASE_DELAY, max_delay=MAX_DELAY, sleep=time.sleep, rand=random.random):
        self.retries = retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._sleep = sleep
        self._rand = rand

    @property
    def attempts(self):
        """Total number of attempts: the first one plus the retries."""
        return self.retries + 1

    def backoff(self, attempt):
        """Delay after failed attempt number ``attempt`` (1-based), with equal jitter."""
        delay = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return delay / 2 + self._rand() * delay / 2

    def delay(self, attempt, retry_after=None):
        """The wait before the next attempt, or None when Retry-After asks for too long."""
        if retry_after is not None:
            return retry_after if retry_after <= MAX_RETRY_AFTER else None
        return self.backoff(attempt)

    def wait(self, seconds):
        """Sleep (a seam for tests)."""
        self._sleep(seconds)
