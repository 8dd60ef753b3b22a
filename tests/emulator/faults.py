# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection: parse fault specs and pick the fault that applies to a request."""

import threading

ACTIONS = ("status", "html", "truncated_json", "is_success_false", "slow", "expire_token", "drop", "barrier",
           "concurrent")
# "failed_delete" (kind delete only) accepts the delete as the endpoint does, but the job is left at
# ``job_status`` (a failed status, 6 delete_failed by default) at once, without passing through killing.
ACTIONS += ("failed_delete",)
# "short_list" serves a list page without its last ``missing`` jobs and with its job_total_count unchanged: a
# list whose total exceeds its jobs (paging while jobs come and go).
ACTIONS += ("short_list",)
DEFAULT_FAILED_DELETE_STATUS = 6
KINDS = ("any", "iam_token", "iam_token_check", "iam_projects", "list", "details", "other")
WRITE_KINDS = ("create", "update", "stop", "restart", "delete")
KINDS += WRITE_KINDS
# With "apply": true the request is carried out before the fault answers (a write whose answer is lost);
# with "apply_after": N it is carried out N seconds after the fault answered (a backend that finishes the
# write after the gateway gave up).
APPLIABLE = ("status", "html", "slow", "drop")
# "concurrent" carries out one of these first, as another client would: stop, restart or delete the job of
# the request, or (for a create) create a job of the same name.
CONCURRENT_OPERATIONS = ("stop", "restart", "delete", "create")

# "concurrent" with "apply_after" (appended): the other client's operation happens first, the request itself
# is answered with ``status`` (502 by default) and carried out ``apply_after`` seconds later: a racer's create
# lands, then this create's answer is lost and it lands late.
APPLIABLE_AFTER = ("status", "html", "drop", "concurrent")
LOST_CONCURRENT_STATUS = 502

DEFAULT_STATUS = {"status": 500, "html": 502, "truncated_json": 200, "is_success_false": 200}
DEFAULT_DELAY_SECONDS = 5.0


class Fault:
    """One parsed fault with its own pass/apply counters."""

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a fault must be a JSON object")
        self.action = spec.get("action")
        if self.action not in ACTIONS:
            raise ValueError("action must be one of %s" % ", ".join(ACTIONS))
        self.kind = spec.get("kind", "any")
        if self.kind not in KINDS:
            raise ValueError("kind must be one of %s" % ", ".join(KINDS))
        self.page = _int_field(spec, "page", None)
        self.after = _int_field(spec, "after", 0)
        self.times = _int_field(spec, "times", 1)
        self.status = _int_field(spec, "status", DEFAULT_STATUS.get(self.action))
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError("status must be an HTTP status code")
        self.body = spec.get("body")
        self.headers = spec.get("headers") or {}
        if not isinstance(self.headers, dict):
            raise ValueError("headers must be a JSON object")
        self.headers = {str(name): str(value) for name, value in self.headers.items()}
        self.delay = spec.get("delay", DEFAULT_DELAY_SECONDS)
        # A barrier with "delay": null lets no request through alone: the test bounds it instead (its own
        # timeout, the emulator's lifetime), so that two requests meet whatever the load of the machine.
        unbounded_barrier = self.action == "barrier" and self.delay is None
        if not unbounded_barrier and (isinstance(self.delay, bool) or not isinstance(self.delay, (int, float))
                                      or self.delay < 0):
            raise ValueError("delay must be a number of seconds >= 0 (or null, for a barrier)")
        self.apply = spec.get("apply", False)
        if not isinstance(self.apply, bool) or (self.apply and self.action not in APPLIABLE):
            raise ValueError("apply must be true or false, and only with the actions %s" % ", ".join(APPLIABLE))
        self.apply_after = spec.get("apply_after")
        if self.apply_after is not None and (isinstance(self.apply_after, bool)
                                             or not isinstance(self.apply_after, (int, float)) or self.apply_after < 0
                                             or self.apply or self.action not in APPLIABLE_AFTER):
            raise ValueError("apply_after must be a number of seconds >= 0, without apply, and only with the actions"
                             " %s" % ", ".join(APPLIABLE_AFTER))
        if self.action == "concurrent" and self.apply_after is not None and self.status is None:
            self.status = LOST_CONCURRENT_STATUS
        self.count = _int_field(spec, "count", 2)
        if self.action == "barrier" and (self.count is None or self.count < 1):
            raise ValueError("count must be 1 or greater")
        if self.action == "barrier" and "times" not in spec:
            self.times = self.count  # every request the barrier holds is one it applies to
        self.operation = spec.get("operation")
        if self.action == "concurrent" and self.operation not in CONCURRENT_OPERATIONS:
            raise ValueError("operation must be one of %s" % ", ".join(CONCURRENT_OPERATIONS))
        self.missing = _int_field(spec, "missing", 1)
        if self.action == "short_list" and (self.kind != "list" or self.missing is None or self.missing < 1):
            raise ValueError("short_list needs kind list and missing (jobs left out, default 1) of 1 or greater")

        self.job_status = _int_field(spec, "job_status", DEFAULT_FAILED_DELETE_STATUS)
        if self.action == "failed_delete" and (self.kind != "delete" or self.job_status is None):
            raise ValueError("failed_delete needs kind delete and an integer job_status")
        self.passed = 0
        self.applied = 0
        self._arrived = 0
        self._released = threading.Event()

    def matches(self, kind, page):
        """Return True when this fault targets a request of this kind (and list page)."""
        if self.kind not in ("any", kind):
            return False
        return self.page is None or (kind == "list" and page == self.page)

    def exhausted(self):
        """Return True when the fault has been applied ``times`` times."""
        return self.times >= 0 and self.applied >= self.times

    def hold(self):
        """For a barrier: wait until ``count`` requests have arrived (at most ``delay`` seconds; None: no limit), then go on."""
        with _BARRIER_LOCK:
            self._arrived += 1
            if self._arrived >= self.count:
                self._released.set()
        self._released.wait(self.delay)

    def describe(self):
        """Return the fault as a JSON-able dict, with its counters."""
        return {"kind": self.kind, "page": self.page, "after": self.after, "times": self.times,
                "action": self.action, "status": self.status, "apply": self.apply,
                "apply_after": self.apply_after, "count": self.count, "operation": self.operation,
                "job_status": self.job_status,
                "passed": self.passed, "applied": self.applied}


_BARRIER_LOCK = threading.Lock()


def _int_field(spec, name, default):
    value = spec.get(name, default)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise ValueError("%s must be an integer" % name)


class FaultList:
    """Thread-safe ordered list of active faults."""

    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def add(self, specs):
        """Parse and append fault specs; raise ValueError (nothing added) if one is invalid."""
        if not isinstance(specs, list):
            raise ValueError("faults must be a JSON list")
        parsed = [Fault(spec) for spec in specs]
        with self._lock:
            self._faults.extend(parsed)
            return len(self._faults)

    def clear(self):
        """Remove every fault."""
        with self._lock:
            self._faults = []

    def describe(self):
        """Return the faults and their counters as JSON-able dicts."""
        with self._lock:
            return [fault.describe() for fault in self._faults]

    def take(self, kind, page):
        """Return the fault to apply to this request (counting it as applied), or None.

        Faults are tried in the order they were added.  A matching fault first
        lets ``after`` requests pass, then applies ``times`` times (-1: forever).
        """
        with self._lock:
            for fault in self._faults:
                if fault.exhausted() or not fault.matches(kind, page):
                    continue
                if fault.passed < fault.after:
                    fault.passed += 1
                    continue
                fault.applied += 1
                return fault
        return None
